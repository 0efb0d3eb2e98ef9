"""The jixiao command line, run as users run it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
JIXIAO = [sys.executable, "-m", "cli.main"]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*JIXIAO, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_extract_json_to_stdout(corpus: Path) -> None:
    r = run("extract", str(corpus / "seeds" / "004.txt"))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert list(data) == ["documents"] and data["documents"][0]["department"] == "中共广州市白云区区委政法委员会"


def test_batch_continues_past_bad_files_and_exits_nonzero(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing here")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    r = run("extract", str(bad), str(corpus / "seeds" / "000.txt"), str(empty))
    assert r.returncode == 1
    assert len(json.loads(r.stdout)["documents"]) == 1
    lines = [ln for ln in r.stderr.splitlines() if "失败" in ln]
    assert len(lines) == 2 and all("Traceback" not in ln for ln in r.stderr.splitlines())


def test_csv_and_xlsx_outputs(corpus: Path, tmp_path: Path) -> None:
    out_csv = tmp_path / "x.csv"
    assert run("extract", str(corpus / "seeds" / "002.txt"), "--format", "csv", "--out", str(out_csv)).returncode == 0
    lines = out_csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("文件,部门,年度") and len(lines) > 100
    out_xlsx = tmp_path / "x.xlsx"
    assert run("extract", str(corpus / "seeds" / "002.txt"), "-f", "xlsx", "-o", str(out_xlsx)).returncode == 0
    ws = load_workbook(out_xlsx).active
    assert ws.max_row == len(lines)


def test_folder_input(corpus: Path) -> None:
    r = run("extract", str(corpus / "docx"))
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["documents"]) == 2


def test_schema_command() -> None:
    r = run("schema")
    schema = json.loads(r.stdout)
    assert "Indicator" in schema["$defs"] and schema["$defs"]["Indicator"]["additionalProperties"] is False


def test_progress_reports_every_page_and_stage(corpus: Path) -> None:
    r = run("extract", str(corpus / "pdf" / "000.pdf"), "--progress")
    assert r.returncode == 0
    assert all(f"000.pdf：读取（第 {i}/9 页）" in r.stderr for i in range(1, 10)), r.stderr
    assert "映射表格" in r.stderr and json.loads(r.stdout)["documents"]
    quiet = run("extract", str(corpus / "pdf" / "000.pdf"), "--no-progress")
    assert "读取" not in quiet.stderr
