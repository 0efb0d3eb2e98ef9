"""Analyst questions (issue 23): the parser fills rank/versus/share/kinds plans, the executor says what it computed."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from retrieval.ask import offline
from retrieval.ask.analyst import answer_analyst
from retrieval.ask.answers import Plan
from retrieval.ask.parse import parse
from retrieval.ask.vocabulary import Vocabulary, build_vocabulary

SUINING = "中国共产党遂宁市委员会政法委员会"
BAIYUN = "中共广州市白云区区委政法委员会"
_IDS = itertools.count()


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return build_vocabulary([SUINING, BAIYUN], [2023, 2024], ["产出指标", "满意度指标", "服务对象满意度指标"],
                            ["%", "万元"], ["见义勇为奖励", "网格化平台建设"])


def _indicator(dept: str, project: str, level1: str, qualitative: bool) -> dict[str, Any]:
    n = next(_IDS)
    return {"department": dept, "project": project, "project_id": hash(project), "id": f"i{n}",
            "indicator": f"{level1}{n}", "level1": level1, "level2": level1, "qualitative": qualitative,
            "fiscal_year": 2023, "source": "x.pdf", "page": 1}


def _project(dept: str, name: str, budget: float, levels: list[tuple[str, bool]],
             kind: str = "project") -> dict[str, Any]:
    return {"department": dept, "project": name, "project_id": hash(name), "id": f"p{hash(name)}", "kind": kind,
            "budget_total": budget, "fiscal_year": 2023, "source": "x.pdf", "page": 1,
            "indicators": [_indicator(dept, name, lv, q) for lv, q in levels]}


PROJECTS = [
    _project(SUINING, "甲", 100.0, [("满意度指标", True), ("满意度指标", True), ("产出指标", False)]),
    _project(SUINING, "乙", 50.0, [("产出指标", False)]),
    _project(BAIYUN, "丙", 300.0, [("满意度指标", True), ("产出指标", False), ("产出指标", False)]),
    _project(BAIYUN, "白云整体", 900.0, [("产出指标", False)], kind="overall"),
]


@pytest.mark.parametrize(("question", "fields"), [
    ("哪个部门的满意度指标最多？", {"intent": "rank", "group_by": "department", "counted": "indicator",
                                  "metric": "count", "part": "satisfaction", "descending": True, "top_n": 1}),
    ("满意度指标最少的部门是哪个？", {"intent": "rank", "descending": False, "part": "satisfaction"}),
    ("遂宁和白云，哪个部门的项目预算总额更高？", {"intent": "versus", "counted": "project", "metric": "budget"}),
    ("白云比遂宁多几个项目？", {"intent": "versus", "counted": "project", "metric": "count"}),
    ("各部门定量指标占比", {"intent": "share", "part": "quantitative", "group_by": "department"}),
    ("整体支出和项目支出分别合计多少？", {"intent": "kinds"}),
    ("项目最多的两个部门", {"intent": "rank", "top_n": 2, "counted": "project"}),
    ("指标最多的前四个项目", {"intent": "rank", "group_by": "project", "top_n": 4}),
])
def test_parser_fills_the_analyst_plan(vocab: Vocabulary, question: str, fields: dict[str, Any]) -> None:
    plan = parse(question, vocab)
    assert {k: getattr(plan, k) for k in fields} == fields


def test_named_departments_keep_the_question_order(vocab: Vocabulary) -> None:
    assert parse("白云比遂宁多几个项目？", vocab).departments == [BAIYUN, SUINING]


def test_topic_words_and_averages_stay_in_the_analyst_plan(vocab: Vocabulary) -> None:
    plan = parse("哪个部门的网格化项目预算最高？", vocab)
    assert (plan.intent, plan.topics, plan.metric) == ("rank", ["网格化"], "budget")
    assert parse("哪个部门的平均项目预算最高？", vocab).metric == "avg"
    a = answer_analyst(Plan(intent="rank", counted="project", metric="count", topics=["甲"]), PROJECTS)
    assert a.answer.startswith("按部门统计“甲”相关项目支出的项目数量") and a.table == [{"部门": SUINING, "数量": 1}]


@pytest.mark.parametrize("question", ["遂宁预算最高的三个项目是哪些？", "各部门项目预算合计",
                                      "满意度目标低于80%的指标有哪些？"])
def test_record_questions_stay_with_the_record_path(vocab: Vocabulary, question: str) -> None:
    assert parse(question, vocab).intent not in ("rank", "versus", "share", "kinds", "refuse")


def test_rank_says_what_it_counted_and_cites_the_rows() -> None:
    plan = Plan(intent="rank", group_by="department", counted="indicator", metric="count", part="satisfaction")
    a = answer_analyst(plan, PROJECTS)
    assert a.answer.startswith("按部门统计满意度指标数量（一级或二级指标含“满意度”），取最多")
    assert a.table == [{"部门": SUINING, "数量": 2}]
    assert len(a.citations) == 2 and all(c.department == SUINING for c in a.citations)


def test_top_n_keeps_ties() -> None:
    plan = Plan(intent="rank", group_by="project", counted="indicator", metric="count", top_n=1)
    a = answer_analyst(plan, PROJECTS)
    assert {r["项目"] for r in a.table} == {"甲", "丙"} and "并列" in a.answer  # both have 3; the overall form is out


def test_versus_gives_both_figures_and_the_difference() -> None:
    plan = Plan(intent="versus", departments=[SUINING, BAIYUN], counted="project", metric="budget")
    a = answer_analyst(plan, PROJECTS)
    assert "150.00 万元" in a.answer and "300.00 万元" in a.answer and "多 150.00 万元" in a.answer


def test_share_per_department() -> None:
    plan = Plan(intent="share", group_by="department", counted="indicator", metric="share", part="quantitative")
    a = answer_analyst(plan, PROJECTS)
    assert "合计：62.5%（5 / 8 条）" in a.answer and [r["占比（%）"] for r in a.table] == [50.0, 75.0]


def test_kinds_are_never_added() -> None:
    a = answer_analyst(Plan(intent="kinds", counted="project", metric="budget"), PROJECTS)
    assert "900.00 万元" in a.answer and "450.00 万元" in a.answer and "1350" not in a.answer
    assert "不相加" in a.answer.splitlines()[0]


@pytest.mark.parametrize("question", ["哪个部门的项目执行进度最快？", "哪个部门绩效最好？",
                                      "遂宁和白云哪个部门工作更好？"])
def test_questions_the_plan_cannot_express_are_refused(vocab: Vocabulary, question: str) -> None:
    assert parse(question, vocab).intent == "refuse"


def test_refusal_suggests_wordings_and_labels_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    neighbour = {"project": "网格化平台建设", "department": BAIYUN}
    monkeypatch.setattr(offline, "_semantic", lambda plan, services, projects: [neighbour])
    a = offline._refuse(Plan(intent="refuse", unknown=["进度"]), None, [])  # type: ignore[arg-type]
    assert a.answer.startswith("这个问题目前无法按可核对的统计来回答")
    assert "可以这样问：哪个部门的满意度指标最多？" in a.answer
    assert "以下是语义检索最接近的结果，仅供参考" in a.answer and not a.table and not a.citations


def test_the_llm_fills_the_same_plan_through_the_analyze_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.llm.prompts import load
    from retrieval.ask import llm

    step = llm.Step.model_validate({"action": {"tool": "analyze", "intent": "rank", "group_by": "department",
                                               "counted": "indicator", "metric": "count", "part": "satisfaction"}})
    assert isinstance(step.action, llm.AnalyzeAction)
    assert step.action.plan().part == "satisfaction"
    monkeypatch.setattr(llm, "load_projects", lambda store, departments, year: PROJECTS)
    result = llm.run_tool(step.action, type("S", (), {"store": None})())  # type: ignore[arg-type]
    assert result["answer"].startswith("按部门统计满意度指标数量") and result["table"] == [{"部门": SUINING, "数量": 2}]
    assert {r["department"] for r in result["rows"]} == {SUINING, BAIYUN}
    system, _ = load(*llm.ASK).messages(question="哪个部门的满意度指标最多？", departments=[SUINING])
    assert "analyze" in system["content"]
