"""The question module's pure parts on made-up vocabularies and rows: no corpus, no model, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.qa_eval import check_qa_floors, matched, predicted, score_answer, summarize
from retrieval.ask import as_text
from retrieval.ask.answers import Answer, Citation, Plan, Turn
from retrieval.ask.chat import is_follow_up, resolve
from retrieval.ask.grounding import Evidence, numbers_in, supported
from retrieval.ask.llm import FinalAnswer, bind, check_answer
from retrieval.ask.parse import parse
from retrieval.ask.tools import Query, aggregate, select_rows
from retrieval.ask.vocabulary import Vocabulary, build_vocabulary, department_aliases

# A made-up store: two county departments, their levels, units and names (not the sample corpus).
VOCAB = build_vocabulary(
    departments=["中共青山县委政法委员会", "中国共产党河东市委员会政法委员会", "中共江北市江南区区委政法委员会"],
    years=[2023, 2024],
    levels=["产出指标", "数量指标", "成本指标", "效益指标", "社会效益指标", "满意度指标", "服务对象满意度指标"],
    units=["%", "次", "人"],
    texts=["禁毒宣传经费", "网格员补助", "综治视频平台运维费", "群众满意度", "宣传活动次数", "禁毒宣传覆盖率"],
)


def test_department_short_forms_come_from_the_name() -> None:
    assert {"青山", "青山县"} <= department_aliases("中共青山县委政法委员会")
    assert {"河东", "河东市"} <= department_aliases("中国共产党河东市委员会政法委员会")
    assert {"江北", "江南", "江南区", "江北江南"} <= department_aliases("中共江北市江南区区委政法委员会")
    assert department_aliases("市委政法委") == {"市委政法委"}  # no place name: only the name itself


def test_parse_list_with_topic_and_budget() -> None:
    plan = parse("哪些部门有禁毒相关项目？预算各多少？", VOCAB)
    assert plan.intent == "list" and plan.subject == "department" and plan.group_by == "department"
    assert plan.topics == ["禁毒"] and plan.asks_budget and not plan.unknown


@pytest.mark.parametrize(("question", "op", "value", "unit", "field"), [
    ("满意度目标低于80%的指标有哪些？", "<", 80.0, "%", "value"),
    ("满意度目标不低于95%的指标", ">=", 95.0, "%", "value"),
    ("满意度目标为百分之九十的指标", "=", 90.0, "%", "value"),
    ("满意度目标80%以上的指标", ">=", 80.0, "%", "value"),
    ("预算超过100万元的项目", ">", 100.0, "万元", "budget"),
    ("预算低于5000元的项目", "<", 0.5, "万元", "budget"),
    ("预算不超过20的项目", "<=", 20.0, "万元", "budget"),
])
def test_parse_comparisons(question: str, op: str, value: float, unit: str, field: str) -> None:
    c = parse(question, VOCAB).comparison
    assert c is not None and (c.op, c.value, c.unit, c.field) == (op, value, unit, field)


def test_parse_levels_by_stem_and_intents() -> None:
    plan = parse("满意度目标低于80%的指标有哪些？", VOCAB)
    assert plan.intent == "threshold" and plan.subject == "indicator"
    assert set(plan.levels) == {"满意度指标", "服务对象满意度指标"}
    assert parse("各部门信息化项目预算合计", VOCAB).intent == "sum"
    assert parse("各部门信息化项目预算合计", VOCAB).group_by == "department"
    assert parse("成本指标有多少条", VOCAB).levels == ["成本指标"]
    assert parse("项目数量", VOCAB).levels == []  # 数量 is a level only as 数量指标
    top = parse("河东预算最高的三个项目", VOCAB)
    assert (top.intent, top.top_n, top.descending) == ("top", 3, True)
    assert top.departments == ["中国共产党河东市委员会政法委员会"]
    low = parse("满意度目标最低的指标", VOCAB)
    assert (low.intent, low.top_n, low.descending) == ("top", 1, False)
    assert parse("哪些项目没有满意度指标", VOCAB).intent == "missing"
    assert parse("有没有禁毒项目", VOCAB).intent == "list"  # 有没有 asks whether, not which lack
    assert parse("2024年青山县有多少个项目", VOCAB).fiscal_year == 2024
    assert parse("有多少个部门有禁毒项目", VOCAB).count_of == "department"
    assert parse("平均满意度目标是多少", VOCAB).intent == "avg"
    ranked = parse("哪个部门的项目预算合计最高", VOCAB)  # issue 23: a rank over groups, not a record top
    assert (ranked.intent, ranked.group_by, ranked.counted, ranked.metric) == \
        ("rank", "department", "project", "budget")


def test_unknown_words_are_reported() -> None:
    plan = parse("那成都的呢？", VOCAB)
    assert plan.follow_up and plan.unknown == ["成都"]


def test_follow_ups_keep_the_previous_plan() -> None:
    first = parse("各部门禁毒项目预算合计", VOCAB)
    history = [Turn(question="各部门禁毒项目预算合计", plan=first)]
    plan = resolve("那青山的呢？", history, VOCAB)
    assert plan.intent == "sum" and plan.topics == ["禁毒"] and plan.departments == ["中共青山县委政法委员会"]
    assert plan.group_by is None
    budget = resolve("预算各多少？", [Turn(question="哪些部门有禁毒相关项目？")], VOCAB)
    assert budget.topics == ["禁毒"] and budget.asks_budget
    fresh = resolve("各部门网格员补助项目数", history, VOCAB)  # a question of its own is not merged
    assert fresh.topics == ["网格员补助"] and fresh.intent == "count"
    assert is_follow_up(parse("那2024年的呢", VOCAB)) and not is_follow_up(parse("禁毒项目有哪些", VOCAB))


def _projects() -> list[dict[str, Any]]:
    def project(pid: int, dept: str, name: str, budget: float | None, inds: list[tuple[str, str, float | None]]
                ) -> dict[str, Any]:
        base = {"department": dept, "fiscal_year": 2024, "source": f"{pid}.pdf", "document_id": pid,
                "project": name, "project_id": pid, "kind": "project", "budget_total": budget}
        return {**base, "id": f"p{pid}", "page": 1, "goal": None, "indicators": [
            {**base, "id": f"i{pid}{n}", "indicator_id": pid * 10 + n, "indicator": iname, "level1": level,
             "level2": None, "target": f"≥{value}%", "operator": ">=", "value": value, "value_max": None,
             "unit": "%" if value is not None else None, "qualitative": value is None, "page": 2}
            for n, (level, iname, value) in enumerate(inds)]}
    return [project(1, "青山县", "禁毒宣传经费", 5.0, [("满意度指标", "群众满意度", 80.0),
                                                     ("产出指标", "禁毒宣传覆盖率", 90.0)]),
            project(2, "河东市", "矛盾纠纷多元化解工作经费", 8.0, [("满意度指标", "群众满意度", None)]),
            project(3, "河东市", "综治视频平台运维费", None, [("产出指标", "故障处理及时率", 95.0)])]


def test_structured_query_filters_groups_and_aggregates() -> None:
    projects = _projects()
    rows = select_rows(projects, Query(terms=["禁毒"]))
    assert [r["project"] for r in rows] == ["禁毒宣传经费"] and rows[0]["matched"] == "项目名称含“禁毒”"
    # all the parts of a topic count, in any order and with gaps
    assert [r["project"] for r in select_rows(projects, Query(terms=["矛盾纠纷化解"]))] == ["矛盾纠纷多元化解工作经费"]
    below = select_rows(projects, Query(subject="indicator", levels=["满意度指标"], op="<", value=85, unit="%"))
    assert [r["id"] for r in below] == ["i10"]  # the qualitative one has no value to compare
    result = aggregate(select_rows(projects, Query()), Query(group_by="department"))
    assert result["total"]["sum"] == 13.0 and result["total"]["with_value"] == 2
    assert {g["key"]: g["count"] for g in result["groups"]} == {"青山县": 1, "河东市": 2}
    top = aggregate(select_rows(projects, Query()), Query(order_by="budget", limit=1))
    assert [r["project"] for r in top["rows"]] == ["矛盾纠纷多元化解工作经费"]


def test_numbers_in_answers() -> None:
    assert numbers_in("1. 遂宁 5.00 万元\n2、合计 2,227.25，占 80％") == ["5.00", "2227.25", "80"]
    assert supported("5487.95", {5487.94632}) and supported("5.00", {5.0}) and not supported("8", {5.0})


def test_final_answer_must_be_grounded() -> None:
    ev = Evidence()
    ev.add_text("见义勇为项目预算各多少？")
    ev.add_result({"rows": [{"id": "p20", "project": "见义勇为奖励、慰问经费", "budget_total": 5.0},
                            {"id": "p5", "project": "见义勇为专项资金"}]})
    good = FinalAnswer(tool="answer", answer="共 2 个项目，其一预算 5.00 万元。", citations=["p20", "p5"])
    assert check_answer(good, ev) == []
    invented = FinalAnswer(tool="answer", answer="预算 8.00 万元。", citations=["p20"])
    assert "8.00" in check_answer(invented, ev)[0]
    assert "p99" in check_answer(FinalAnswer(tool="answer", answer="有。", citations=["p99"]), ev)[0]
    assert check_answer(FinalAnswer(tool="answer", answer="有。"), ev)  # an answer must cite something
    with pytest.raises(ValueError, match=r"8\.00"):
        bind(ev).model_validate({"action": {"tool": "answer", "answer": "预算 8.00 万元", "citations": ["p20"]}})


def test_answer_serialises_to_the_public_shape() -> None:
    a = Answer(answer="有", citations=[Citation(source="a.pdf", page=1)], table=[{"项目": "x"}], plan=Plan())
    assert set(json.loads(a.model_dump_json())) == {"answer", "citations", "table", "mode"}
    assert set(a.model_dump()["citations"][0]) == {"source", "department", "project", "indicator", "page"}
    assert as_text(a) == "有\n\n项目\nx\n\n依据：\n[1] a.pdf 第1页 ·  · "


def test_qa_scoring() -> None:
    expect = {"projects": [["遂宁", "见义勇为奖励、慰问经费"], ["遵化", "见义勇为专项资金"]], "numbers": [5.0]}
    question = {"id": "q", "type": "list", "expect": expect}
    answer = {"answer": "预算 5.00 万元", "citations": [], "mode": "offline", "table": [
        {"部门": "中国共产党遂宁市委员会政法委员会", "项目": "见义勇为奖励、慰问经费", "预算（万元）": 5.0},
        {"部门": "中共宿州市委政法委员会", "项目": "劳务派遣人员工作经费"}]}
    row = score_answer(question, answer)
    assert (row["precision"], row["recall"], row["numbers"], row["exact"]) == (0.5, 0.5, 1.0, False)
    assert predicted(answer)["projects"][0] == ("中国共产党遂宁市委员会政法委员会", "见义勇为奖励、慰问经费")
    assert matched([("x", "基层群众满意度")], [("x", "基层群众")], False) == 1  # a truncated name still counts
    empty = score_answer({"id": "e", "expect": {"empty": True}}, {"answer": "没有", "table": [], "citations": []})
    assert empty["exact"]
    report = summarize([row, empty], "offline")
    assert report["exact"] == 0.5 and report["precision"] == 0.75


def test_floor_check(tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"offline": {"recall": 0.9, "exact": 0.5}}), encoding="utf-8")
    assert check_qa_floors({"mode": "offline", "recall": 0.95, "exact": 0.5}, floors) == []
    failures = check_qa_floors({"mode": "offline", "recall": 0.85, "exact": 0.5}, floors)
    assert failures == ["qa offline recall 0.8500 < 0.9"]
    assert check_qa_floors({"mode": "llm", "recall": 0.1}, floors) == []  # no floor for that mode


def test_vocabulary_knows_only_stored_words() -> None:
    assert VOCAB.knows("禁毒") and not VOCAB.knows("成都") and not Vocabulary().knows("禁毒")
