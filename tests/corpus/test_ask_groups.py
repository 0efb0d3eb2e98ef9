"""Issue 12/13 questions: group-by answers, field filters, audit findings, and charts only for comparisons."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ask import answer
from retrieval.ask.answers import Plan
from retrieval.ask.grouped import chart_for
from retrieval.services import Services
from tests.corpus.test_ask import corpus_services


@pytest.fixture(scope="module")
def services(corpus: Path) -> Services:
    return corpus_services(corpus)


def test_biggest_project_of_each_department(services: Services) -> None:
    a = answer("各部门预算最大的项目分别是什么？", services)
    best = {r["部门"]: r["项目"] for r in a.table}
    assert len(a.table) == 4 and len(best) == 4, "one project per department"
    assert best["中共广州市白云区区委政法委员会"] == "全区网格员补助"
    assert best["中国共产党遂宁市委员会政法委员会"] == "遂宁市公共安全视频监控建设联网应用项目"
    assert "全区网格员补助（737.40 万元）" in a.answer
    assert a.chart is None  # one winner per department is a list, not a comparison


def test_biggest_project_of_each_year_names_the_missing_year(services: Services) -> None:
    a = answer("每个年度预算最高的项目分别是哪个？", services)
    assert len(a.table) == 4
    assert "2023年度：遂宁市公共安全视频监控建设联网应用项目" in a.answer and "未注明：" in a.answer


def test_reverse_indicators(services: Services) -> None:
    a = answer("哪些指标是反向指标？", services)
    assert len(a.table) == 12 and a.answer.startswith("计划：列出反向指标。\n找到 12 条反向指标")
    assert {r["指标"] for r in a.table} >= {"会刊文字错漏率", "月均水电气费"}
    assert "共有 12 条反向指标" in answer("遂宁有多少条反向指标？", services).answer


def test_qualitative_unit_and_level_filters(services: Services) -> None:
    qualitative = answer("劳务派遣人员工作经费有哪些定性指标？", services)
    assert len(qualitative.table) == 9 and all(r["数值"] is None for r in qualitative.table)
    assert "共有 20 条定性指标" in answer("白云区有多少条定性指标？", services).answer
    by_unit = answer("单位是人次的指标有哪些？", services)
    assert {r["指标"] for r in by_unit.table} == {"预计学生疾病防治及医疗人次", "学生意外商业保险", "心理辅导",
                                                "服务学生人数"}
    assert all(r["单位"] == "人次" for r in by_unit.table)
    levels = answer("遂宁各一级指标分别有多少条？", services)
    counts = {r["一级指标"]: r["数量"] for r in levels.table}
    assert counts == {"产出指标": 67, "效益指标": 27, "满意度指标": 21, "成本指标": 1}
    assert all("合计" not in r for r in levels.table), "targets in different units are never added up"


def test_unquantified_and_cost_over_budget_come_from_the_audit_findings(services: Services) -> None:
    vague = answer("哪些项目的指标没有量化？", services)
    assert {r["项目"] for r in vague.table} == {
        "劳务派遣人员工作经费", "宿州市公共安全视频建设联网应用二期", "工读学生技能培训与预防青少年犯罪专项",
        "公共教育服务经费",
        "政府雇员公用经费", "政府雇员工资经费", "全区网格员补助"}
    assert "定量指标占比偏低" in vague.answer
    over = answer("哪些项目成本指标超过预算？", services)
    assert {r["项目"] for r in over.table} == {"劳务派遣人员工作经费", "工读学校水电气费专项"}
    assert "成本金额超过项目预算" in over.answer and "84.6万元" in over.answer


def test_charts_only_for_comparisons_one_bar_per_item(services: Services) -> None:
    assert answer("哪些部门有见义勇为相关项目？预算各多少？", services).chart is None
    assert answer("预算最高的三个项目", services).chart is None
    by_year = answer("对比各年度的项目预算", services).chart
    assert by_year is not None
    bars = {b.label: b.value for b in by_year.bars}
    assert set(bars) == {"2022年度", "2023年度", "2024年度", "未注明"}
    assert round(bars["2023年度"], 2) == 3346.95 and max(bars.values()) < 10_000  # budgets, never summed years
    levels = answer("各一级指标分别有多少条指标？", services).chart
    assert levels is not None and levels.measure == "指标数"
    assert {b.label: b.value for b in levels.bars}["产出指标"] == 201


def test_chart_refuses_duplicate_items() -> None:
    plan = Plan(intent="compare", group_by="department")
    table = [{"部门": "甲", "数量": 1, "合计": 1.0}, {"部门": "甲", "数量": 2, "合计": 2.0}]
    assert chart_for(plan, table) is None
    assert chart_for(Plan(intent="list"), [*table[:1], {"部门": "乙", "数量": 1, "合计": 3.0}]) is None
