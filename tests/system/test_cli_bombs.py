"""`jixiao extract` and `jixiao ingest --workers 2` on every resource bomb: bounded memory and time (issue 15)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import build

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MB = 1536
MAX_SECONDS = 120
# Runs the CLI as a child of a fresh interpreter, so RUSAGE_CHILDREN holds only that run (and its reaped workers).
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout={timeout})
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"rc": proc.returncode, "stderr": proc.stderr, "stdout": proc.stdout,
                  "seconds": time.monotonic() - started, "peak_mb": peak_kb / 1024}}))
"""


def _measured(args: list[str], env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", _MEASURE.format(timeout=MAX_SECONDS * 2), *args], env=env,
                         capture_output=True, text=True, timeout=MAX_SECONDS * 3, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """Every bomb, and one good file that must still be extracted and stored."""
    folder = tmp_path_factory.mktemp("bombs")
    build.build_all(folder)
    shutil.copy(corpus / "seeds" / "000.txt", folder / "good.txt")
    return folder


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "JIXIAO_DATA_DIR": str(tmp), "PYTHONPATH": str(ROOT)}


def _names_every_bomb(stderr: str) -> None:
    for name in build.BOMB_FILES:
        lines = [ln for ln in stderr.splitlines() if name in ln and "JIXIAO_" in ln]
        assert lines, f"{name}: no message naming the file and the limit in:\n{stderr}"


@pytest.mark.slow
def test_extract_on_bombs_is_bounded(batch: Path, tmp_path: Path) -> None:
    run = _measured([sys.executable, "-m", "cli.main", "extract", str(batch), "--backend", "rules"],
                    _env(tmp_path))
    assert run["peak_mb"] < MAX_RSS_MB and run["seconds"] < MAX_SECONDS, (run["peak_mb"], run["seconds"])
    _names_every_bomb(str(run["stderr"]))
    docs = json.loads(str(run["stdout"]))["documents"]
    assert [d["source"] for d in docs] == ["good.txt"]


@pytest.mark.slow
def test_ingest_on_bombs_is_bounded_and_stores_the_good_file(batch: Path, tmp_path: Path) -> None:
    run = _measured([sys.executable, "-m", "cli.main", "ingest", str(batch), "--workers", "2",
                     "--backend", "rules"], _env(tmp_path))
    assert run["peak_mb"] < MAX_RSS_MB and run["seconds"] < MAX_SECONDS, (run["peak_mb"], run["seconds"])
    _names_every_bomb(str(run["stderr"]))
    good = [ln for ln in str(run["stderr"]).splitlines() if "good.txt: " in ln and "失败" not in ln]
    assert good, run["stderr"]
    assert "完成：1 个文件成功" in str(run["stderr"])
