"""绩效目标审核 on forms its rules were not written from: the framework decides which rules apply, 无 reads as
none-happened on incident indicators, an unfilled template row is its own finding, ecological cost is no money,
and a rate with a word target weighs more than a management state."""

from __future__ import annotations

from audit.engine import audit_document
from audit.frameworks import framework
from audit.rules import load_rules
from extractor.schema import Document, Indicator, Project


def _ind(level1: str, level2: str, name: str, target: str) -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, target=target, confidence=1.0, origin="human")


def _rules(project: Project) -> list[tuple[str, str, list[str]]]:
    doc = Document(source="t.xlsx", sha256="0" * 64, department="某局", fiscal_year=2024, projects=[project])
    return [(f.rule, f.severity, f.indicator_names) for f in audit_document(doc, load_rules()).findings]


OVERALL = [
    _ind("部门管理", "资金投入", "预算执行率", "≥95%"),
    _ind("部门管理", "制度管理", "制度健全性", "健全"),
    _ind("能力建设", "档案管理", "档案管理完备性", "完备"),
    _ind("履职效果", "部门履职目标", "产出数量指标3-开展普法宣传活动", "≥12次"),
    _ind("履职效果", "社会影响", "重大突发事件发生率", "无"),
    _ind("履职效果", "社会影响", "违法违纪情况", "未发生"),
    _ind("履职效果", "服务对象满意度", "群众满意度", "≥90%"),
]


def test_the_framework_of_a_form_is_read_from_its_level_names() -> None:
    assert framework(Project(kind="overall", name="某局", indicators=OVERALL)) == "部门整体"
    project = Project(kind="project", name="普法", indicators=[_ind("产出指标", "数量指标", "宣传次数", "≥12次")])
    assert framework(project) == "项目支出"


def test_a_department_form_in_the_newer_framework_is_not_asked_for_output_indicators() -> None:
    found = _rules(Project(kind="overall", name="某局", indicators=OVERALL))
    assert not [r for r, _, _ in found if r in ("COMP-NO-OUTPUT", "COMP-NO-OUTCOME", "COMP-OUTPUT-DIMENSIONS")]
    without = [i for i in OVERALL if i.level1 != "履职效果"]
    assert ("COMP-NO-PERFORMANCE", "错误", []) in _rules(Project(kind="overall", name="某局", indicators=without))


def test_none_happened_is_a_target_on_incident_indicators() -> None:
    found = _rules(Project(kind="overall", name="某局", indicators=OVERALL))
    cited = {n for _, _, names in found for n in names}
    assert "重大突发事件发生率" not in cited and "违法违纪情况" not in cited
    # elsewhere 无 is still no target
    blank = Project(kind="project", name="普法", indicators=[_ind("产出指标", "数量指标", "宣传次数", "无"),
                                            _ind("效益指标", "社会效益指标", "普法覆盖率", "≥90%")])
    assert ("COMP-NO-TARGET", "错误", ["宣传次数"]) in _rules(blank)


def test_a_template_row_left_as_none_is_an_unfilled_row() -> None:
    project = Project(kind="project", name="普法", indicators=[_ind("产出指标", "数量指标", "宣传次数", "≥12次"),
                                              _ind("产出指标", "质量指标", "质量指标", "无"),
                                              _ind("成本指标", "社会成本", "社会成本", "无")])
    found = _rules(project)
    assert ("COMP-TEMPLATE-ROW", "警告", ["质量指标"]) in found
    assert ("COMP-TEMPLATE-ROW", "警告", ["社会成本"]) in found
    assert not [r for r, _, names in found if r == "COMP-NO-TARGET"]


def test_an_ecological_cost_is_not_money() -> None:
    project = Project(kind="project", name="污水处理", indicators=[
        _ind("成本指标", "生态环境成本", "碳达峰碳中和", "不直接产生碳排放"),
        _ind("成本指标", "经济成本", "运维成本控制", "按合同支付")])
    cost = [names for r, _, names in _rules(project) if r == "MEAS-COST-NO-AMOUNT"]
    assert cost == [["运维成本控制"]]


def test_a_rate_with_a_word_target_is_an_error_and_a_management_state_is_not_reported() -> None:
    late = _ind("部门管理", "财务管理", "资金支付及时率", "及时")
    project = Project(kind="overall", name="某局", indicators=[*OVERALL, late])
    found = _rules(project)
    assert ("MEAS-RATE-WORD-TARGET", "错误", ["资金支付及时率"]) in found
    cited = {n for _, _, names in found for n in names}
    assert "制度健全性" not in cited and "档案管理完备性" not in cited


def test_none_on_a_social_or_ecological_cost_row_is_none_incurred() -> None:
    project = Project(kind="project", name="污水处理", indicators=[
        _ind("产出指标", "数量指标", "处理水量", "≥5万吨"),
        _ind("成本指标", "社会成本", "对周边群众生产生活影响", "无"),
        _ind("成本指标", "生态环境成本", "碳达峰碳中和", "不直接产生碳排放")])
    cited = {n for _, _, names in _rules(project) for n in names}
    assert not cited & {"对周边群众生产生活影响", "碳达峰碳中和"}


def test_the_three_level_name_prefix_names_the_dimension_on_a_department_form() -> None:
    rows = [*OVERALL, _ind("履职效果", "部门履职目标", "产出数量指标4-临时救助", "应救尽救")]
    found = _rules(Project(kind="overall", name="某局", indicators=rows))
    assert ("MEAS-QUANTITY-QUALITATIVE", "警告", ["产出数量指标4-临时救助"]) in found


def test_the_prefix_that_names_a_time_row_is_not_its_time() -> None:
    # 时效 in 产出时效指标N- names the row's dimension; the indicator's own words (发放) state no time
    rows = [*OVERALL, _ind("履职效果", "部门履职目标", "产出时效指标1-奖励扶助资金发放", "按规定发放"),
            _ind("履职效果", "部门履职目标", "产出时效指标2-补助资金发放", "每季度发放")]
    found = _rules(Project(kind="overall", name="某局", indicators=rows))
    timed = [names for rule, _, names in found if rule == "CONS-TIME-NO-TIME"]
    assert timed == [["产出时效指标1-奖励扶助资金发放"]]


def test_the_prefix_that_names_a_cost_row_makes_it_a_cost() -> None:
    rows = [*OVERALL, _ind("履职效果", "部门履职目标", "产出成本指标2-动物疫病防控成本", "控制在预算范围内")]
    found = _rules(Project(kind="overall", name="某局", indicators=rows))
    cited = [(rule, names) for rule, _, names in found if "产出成本指标2-动物疫病防控成本" in names]
    assert cited == [("MEAS-COST-NO-AMOUNT", ["产出成本指标2-动物疫病防控成本"])]
