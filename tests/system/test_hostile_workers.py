"""A worker that dies costs only its own file; workers die with their parent (issue 15)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.schema import Extraction
from kernel.settings import Settings
from retrieval.services import Services
from usecases.batch import ExtractArgs, _extract, ingest_paths

ROOT = Path(__file__).resolve().parents[2]


def crash_on_bad_name(args: ExtractArgs) -> Extraction:
    """The worker function under test: dies hard (as the OOM killer or a native crash would) on files named crash*."""
    if args[1].startswith("crash"):
        os._exit(9)
    return _extract(args)


def small_file(folder: Path, name: str, n: int) -> Path:
    """A tiny disclosure-like text file (small, so the test spends its time on the pool, not on indexing)."""
    path = folder / name
    path.write_text(f"第{n}部门2025年项目支出绩效目标表\n项目名称\t测试项目{n}\n一级指标\t二级指标\t三级指标\t指标值\n"
                    f"产出指标\t数量指标\t培训人次{n}\t≥{n}00人次\n", encoding="utf-8")
    return path


def test_dead_worker_fails_only_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    order = [small_file(folder, "000.txt", 0), small_file(folder, "crash.txt", 9), small_file(folder, "001.txt", 1),
             small_file(folder, "002.txt", 2)]
    services = Services(Settings(data_dir=tmp_path / "data"))
    outcomes = {Path(o.path).name: o for o in ingest_paths(services, order, workers=2, backend="rules",
                                                           extract=crash_on_bad_name)}
    assert outcomes["crash.txt"].status == "failed" and "意外退出" in outcomes["crash.txt"].message
    assert all(outcomes[f"00{i}.txt"].status in ("new", "superseded") for i in range(3)), outcomes


def _children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_ingest(tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):  # enough work that the pool is busy when the parent is killed
        shutil.copy(corpus / "pdf" / "000.pdf", folder / f"{i}.pdf")
        with (folder / f"{i}.pdf").open("ab") as f:
            f.write(f"\n%{i}\n".encode())  # different bytes: no file is a duplicate of another
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", str(folder), "--workers", "2",
                             "--backend", "rules"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        workers = [p for p in _children_of(proc.pid) if _alive(p)]
        if len(workers) >= 2:
            break
        time.sleep(0.1)
    assert workers, "the ingest started no worker processes"
    descendants = workers + [c for w in workers for c in _children_of(w)]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(p) for p in descendants):
        time.sleep(0.2)
    left = [p for p in descendants if _alive(p)]
    for p in left:  # do not leave them behind for the next test, whatever the outcome
        os.kill(p, signal.SIGKILL)
    assert not left, f"worker processes outlived the killed ingest: {left}"
