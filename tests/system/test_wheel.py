"""The package as a user installs it: build the wheel, install it into a fresh venv, run `jixiao extract`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.system
ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_wheel_extracts_a_sample_file_with_its_prompts(tmp_path: Path, corpus: Path) -> None:
    source = tmp_path / "src"  # a copy of what git tracks: building writes build/ and *.egg-info beside the source
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    for rel in tracked:
        if (ROOT / rel).is_file():
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, source / rel)
    wheels = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels), str(source)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(wheels.glob("jixiao-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The third-party dependencies come from this environment (no network here); jixiao itself only from the wheel.
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True,
                   capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["JIXIAO_DATA_DIR"] = str(tmp_path / "data")
    where = subprocess.run(
        [str(python), "-c", "import extractor, prompts; from extractor.llm.prompts import load; "
         "p = load('extract_indicators', 'v1'); q = load('ask_answer', 'v1'); "
         "print(extractor.__file__); print(p.messages(segments=[], scope='rows')[0]['content'][:20]); "
         "print(q.messages(question='问', departments=[])[0]['content'][:10])"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr
    assert where.stdout.splitlines()[0].startswith(site)  # the installed copy, not the source tree
    out = subprocess.run([str(venv / "bin" / "jixiao"), "extract", str(corpus / "seeds" / "000.txt"), "--backend",
                          "rules"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    documents = json.loads(out.stdout)["documents"]
    assert documents and documents[0]["projects"] and documents[0]["projects"][0]["indicators"]
