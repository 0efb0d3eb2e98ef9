"""The reading says what it is sure of: the JSON export carries quality, --fail-on-review fails a pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

# A money block whose total is printed beside its label, and a project name that is a form label: the reading of
# the second form must not be vouched for.
CLEAN = """2025年度项目支出绩效目标表
项目名称\t社区矫正专项经费
项目资金（万元）\t年度资金总额\t120.50
\t其中：财政拨款\t120.50
年度目标\t加强社区矫正对象监管
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t走访人次\t≥500人次
满意度指标\t服务对象满意度指标\t群众满意度\t≥90%
"""
NO_INDICATORS = """2025年度项目支出绩效目标表
项目名称\t社区矫正专项经费
项目资金（万元）\t年度资金总额\t120.50
年度目标\t加强社区矫正对象监管
"""


def _run(*args: str) -> tuple[int, str]:
    from cli.main import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def test_the_export_carries_quality_and_fail_on_review_fails(tmp_path: Path) -> None:
    clean, doubtful = tmp_path / "clean.txt", tmp_path / "doubtful.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    doubtful.write_text(NO_INDICATORS, encoding="utf-8")
    code, out = _run("extract", str(clean), "--fail-on-review")
    assert code == 0
    [doc] = json.loads(out)["documents"]
    assert doc["quality"] == {"needs_review": False, "reasons": []}
    assert doc["projects"][0]["budget"]["total"] == 120.5
    code, out = _run("extract", str(clean), str(doubtful))
    assert code == 0  # without the flag a doubtful reading is a warning, not a failure
    flagged = json.loads(out)["documents"][1]["quality"]
    assert flagged["needs_review"] and flagged["reasons"]
    code, _ = _run("extract", str(clean), str(doubtful), "--fail-on-review")
    assert code == 3
