"""The snapshot diff: names the project, indicator and field that changed, old → new, in a few lines."""

import copy
from typing import Any

from eval.snapshots.compare import diff, structure


def reading(n: int = 2) -> dict[str, Any]:
    """A small snapshot dict of one project with `n` indicators."""
    indicators = [{"level1": "产出指标", "level2": "数量指标", "name": f"指标{i}", "target": f"≥{i}次",
                   "value": float(i)} for i in range(n)]
    project = {"kind": "project", "name": "培训项目", "budget": {"total": 10.0, "fiscal": 10.0},
               "indicators": indicators}
    return {"status": "ok", "contradictions": [],
            "document": {"source": "a.pdf", "department": "某局", "fiscal_year": 2024, "projects": [project],
                         "quality": {"needs_review": False, "reasons": []}}}


def test_equal_readings_have_no_diff() -> None:
    assert diff(reading(), reading()) == []


def test_a_changed_field_names_its_project_and_indicator() -> None:
    new = reading()
    new["document"]["projects"][0]["indicators"][1]["target"] = "≥5次"
    new["document"]["projects"][0]["budget"]["total"] = 12.5
    lines = diff(reading(), new)
    assert "项目「培训项目」 budget.total: 10.0 → 12.5" in lines
    assert "项目「培训项目」 指标「指标1」 target: '≥1次' → '≥5次'" in lines


def test_added_and_lost_records_are_listed() -> None:
    old, new = reading(3), reading(3)
    del new["document"]["projects"][0]["indicators"][1]
    new["document"]["projects"].append({"kind": "project", "name": "新项目", "indicators": []})
    lines = diff(old, new)
    assert any(line.startswith("项目「培训项目」 - 指标「指标1」") for line in lines)
    assert "+ 项目「新项目」（0 个指标）" in lines


def test_status_review_and_contradictions_show() -> None:
    new = reading()
    new["status"] = "partial"
    new["document"]["quality"] = {"needs_review": True, "reasons": ["缺少预算"]}
    new["contradictions"] = [{"kind": "budget_unprinted", "message": "预算金额未印在表中"}]
    lines = diff(reading(), new)
    assert "status: 'ok' → 'partial'" in lines and "quality.needs_review: False → True" in lines
    assert "+ 矛盾 budget_unprinted：预算金额未印在表中" in lines


def test_a_long_diff_is_cut_to_the_limit() -> None:
    old = reading(40)
    new = copy.deepcopy(old)
    for ind in new["document"]["projects"][0]["indicators"]:
        ind["value"] = -1.0
    lines = diff(old, new, limit=20)
    assert len(lines) == 20 and lines[-1] == "……另有 21 处不同"


def test_a_missing_snapshot_says_so() -> None:
    assert diff(None, reading()) == ["没有快照（新文件）"]


def test_structure_ignores_what_ocr_read_but_keeps_counts_and_budgets() -> None:
    new = reading()
    new["document"]["projects"][0]["indicators"][0]["target"] = "≥8次"
    assert diff(structure(reading()), structure(new)) == []
    new["document"]["projects"][0]["indicators"].pop()
    assert diff(structure(reading()), structure(new))
