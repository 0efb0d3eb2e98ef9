"""The scorer: matching edge cases and the arithmetic of field-level F1."""

import copy

import pytest

from eval.scorer import (
    field_equal,
    match_indicators,
    match_projects,
    norm_name,
    score_document,
    similarity,
)


def ind(name: str, target: str = "≥90%", **kw: object) -> dict[str, object]:
    base = {"level1": "产出指标", "level2": "数量指标", "name": name, "target": target, "operator": ">=",
            "value": 90, "unit": "%", "weight": None, "direction": None, "origin": "rules"}
    base.update(kw)
    return base


def doc(*projects: tuple[str, list[dict[str, object]]]) -> dict[str, object]:
    return {"projects": [{"name": n, "budget": {"total": 10.0}, "goal": "目标", "indicators": i}
                         for n, i in projects]}


@pytest.mark.parametrize(
    ("a", "b"),
    [("指标1: 劳务派遣人员数量", "劳务派遣人员数量"), ("1、宣传活动次数", "宣传活动次数"), ("（一）满意度", "满意度"),
     (" 群众 满意度 ", "群众满意度"), ("１００％达标", "100%达标"), ("服务对象满意度。", "服务对象满意度")],
)
def test_names_normalise_numbering_width_and_space(a: str, b: str) -> None:
    assert norm_name(a) == norm_name(b)


def test_a_name_that_is_only_a_number_keeps_it() -> None:
    assert norm_name("1、") != ""


def test_similarity_bounds() -> None:
    assert similarity("满意度", "满意度") == 1
    assert similarity("", "满意度") == 0
    assert 0.6 < similarity("群众满意度", "群众满意度调查") < 1


def test_projects_match_fuzzily_one_to_one() -> None:
    gold = [{"name": "政法工作经费"}, {"name": "政法委招商资金"}]
    pred = [{"name": "政法委招商资金"}, {"name": "政法工作经费(2024)"}, {"name": "政法工作经费"}]
    assert match_projects(gold, pred) == [(0, 2), (1, 0)]


def test_indicators_with_the_same_name_pair_by_target() -> None:
    gold = [ind("数量", "≥1次"), ind("数量", "≥5次")]
    pred = [ind("数量", "≥5次"), ind("数量", "≥1次")]
    assert match_indicators(gold, pred) == [(0, 1), (1, 0)]


def test_nameless_gold_row_matches_by_target() -> None:
    gold = [ind("", "接入路数不少于10000路")]
    pred = [ind("接入视频资源", "接入路数不少于10000路")]
    assert match_indicators(gold, pred) == [(0, 0)]


def test_unrelated_names_do_not_match() -> None:
    assert match_indicators([ind("群众满意度")], [ind("经费支出合规性")]) == []


def test_perfect_extraction_scores_one() -> None:
    g = doc(("项目甲", [ind("甲1"), ind("甲2", "100%", operator="=", value=100)]))
    s = score_document(g, copy.deepcopy(g)).summary()
    assert s["field_f1"] == 1.0 and s["project_recall"] == 1.0 and s["indicator_precision"] == 1.0
    assert s["field_accuracy"]["budget_total"] == 1.0


def test_wrong_value_costs_precision_and_recall() -> None:
    g = doc(("项目甲", [ind("甲1")]))
    p = doc(("项目甲", [ind("甲1", value=80)]))
    t = score_document(g, p)
    assert (t.gold_fields, t.pred_fields, t.true_fields) == (7, 7, 6)
    assert t.field_true["value"] == 0


def test_missing_and_extra_indicators() -> None:
    g = doc(("项目甲", [ind("甲1"), ind("甲2")]))
    p = doc(("项目甲", [ind("甲1"), ind("多余的指标")]), ("多余项目", [ind("x")]))
    s = score_document(g, p).summary()
    assert s["indicator_recall"] == 0.5 and s["indicator_precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert s["project_precision"] == 0.5
    assert s["field_recall"] == 0.5


def test_origin_is_tallied() -> None:
    g = doc(("项目甲", [ind("甲1"), ind("甲2")]))
    p = doc(("项目甲", [ind("甲1"), ind("甲2", origin="llm", unit="次")]))
    s = score_document(g, p).summary()
    assert s["origin_precision"]["rules"] == 1.0 and s["origin_precision"]["llm"] == pytest.approx(6 / 7, abs=1e-3)


def test_field_equality_rules() -> None:
    assert field_equal("value", 90, 90.0)
    assert field_equal("budget_total", 5487.94632, 5487.95)
    assert not field_equal("value", 90, 9)
    assert field_equal("target", "≥ 90 %", "≥90%")
    goal = "保障劳务派遣人员薪酬待遇,维护聘用人员合法权益"
    assert field_equal("goal", goal + "。", goal)
    assert field_equal("qualitative", True, True) and not field_equal("qualitative", True, 1)
