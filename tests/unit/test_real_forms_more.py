"""More published forms outside the sample: a 部门整体 form over three pages, the 2015 national project form.

Grids are built cell by cell with their merges (helpers in test_real_forms); the mapper reads them by rules.
"""

from __future__ import annotations

import pytest

from extractor.grid import TextLine
from extractor.layout.label_values import unknown_pairs, value_field
from extractor.layout.vocabulary import form_field, is_level1, is_level2
from extractor.schema import Project

from .test_real_forms import Spans, grid_table, read

# 3. A 部门整体支出 form in the 部门管理 / 履职效果 / 能力建设 framework, its indicator table over three pages.
PAGE1 = [
    ["部门（单位）名称", "某区市场监督管理局", "", ""],
    ["年度总体目标", "1.强化食品安全监管；2.优化营商环境；3.提升市场主体满意度。", "", ""],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["部门管理", "资金投入", "产出数量指标1-基本支出预算执行率", "≥95%"],
    ["", "财务管理", "产出质量指标1-财务制度健全性", "健全"],
    ["", "采购管理", "产出质量指标2-政府采购执行率", "100%"],
    ["", "人员管理", "产出数量指标2-在职人员控制率", "≤100%"],
]
PAGE2 = [  # first row blank, then the wrapped tail of the last name on page 1
    ["", "", "", ""],
    ["", "", "（含临聘人员）", ""],
    ["", "重点工作管理", "产出时效指标1-重点工作按时完成率", "≥95%"],
    ["", "资产管理", "产出质量指标3-固定资产利用率", "≥90%"],
    ["履职效果", "部门履职目标", "产出数量指标3-食品抽检批次", "≥3000批次"],
    ["", "", "产出数量指标4-三公经费控制率", "≤100%"],
    ["", "部门效果目标", "社会效益指标1-食品安全事故发生率", "≤1%"],
]
PAGE3 = [  # opens on a whole row under merged levels
    ["", "", "社会效益指标2-市场主体年报率", "≥90%"],
    ["", "社会影响", "社会效益指标3-媒体负面报道", "0次"],
    ["", "服务对象满意度", "满意度指标1-市场主体满意度", "≥90%"],
    ["能力建设", "长效管理", "可持续影响指标1-监管制度完善程度", "完善"],
    ["", "人力资源建设", "可持续影响指标2-执法人员培训覆盖率", "100%"],
    ["", "档案管理", "可持续影响指标3-档案归档及时率", "100%"],
    ["", "信息化建设", "可持续影响指标4-智慧监管平台运行率", "≥98%"],
]
LEVEL2 = ["资金投入", "财务管理", "采购管理", "人员管理", "重点工作管理", "资产管理", "部门履职目标", "部门履职目标",
          "部门效果目标", "部门效果目标", "社会影响", "服务对象满意度", "长效管理", "人力资源建设", "档案管理",
          "信息化建设"]


@pytest.mark.parametrize("widths", [(4, 4, 4), (4, 5, 5), (4, 5, 4)], ids=["stitched", "pages23", "unstitched"])
def test_overall_form_over_three_pages_is_one_form(widths: tuple[int, int, int]) -> None:
    # A page's reader may see another column count: such a page is not stitched and must still carry on.
    mapped = read(TextLine("2025年度部门整体支出绩效目标表"), grid_table(PAGE1, {(3, 0): (4, 1)}, 1, widths[0]),
                  TextLine("第1页"), grid_table(PAGE2, {(4, 0): (3, 1), (4, 1): (2, 1)}, 2, widths[1]),
                  grid_table(PAGE3, {(3, 0): (4, 1)}, 3, widths[2]))
    [form] = mapped.projects
    assert (form.kind, form.name) == ("overall", "某区市场监督管理局")
    assert form.goal == "1.强化食品安全监管；2.优化营商环境；3.提升市场主体满意度。"
    assert [i.level2 for i in form.indicators] == LEVEL2
    assert [i.level1 for i in form.indicators] == ["部门管理"] * 6 + ["履职效果"] * 6 + ["能力建设"] * 4
    assert form.indicators[3].name == "产出数量指标2-在职人员控制率（含临聘人员）"
    assert [i.target for i in form.indicators[7:10]] == ["≤100%", "≤1%", "≥90%"]
    assert form.budget.total is None


def test_department_framework_names_are_levels_not_labels() -> None:
    assert all(is_level1(t) for t in ("部门管理", "履职效果", "能力建设"))
    assert all(is_level2(t) and form_field(t) is None for t in LEVEL2)


def test_a_target_a_date_or_a_level_is_never_a_forms_value_name() -> None:
    assert unknown_pairs(["", "", "预算执行偏差控制", "≤100%"]) == []
    assert value_field("≤100%") != "name" and value_field("社会影响") != "name"
    assert value_field("2025-12-31") == "period"
    assert unknown_pairs(["项目性质", "经常性项目", "项目类别", "城市建设"]) == []  # labels of fields not kept


# 4. The 2015 national 项目支出绩效目标申报表: money as a column of labels, 中期 | 年度 goals and values.
NATIONAL = [
    ["项目名称", "农村饮水安全巩固提升", "", "", "", ""],
    ["主管部门及代码", "某省水利厅（135001）", "", "实施单位", "某省农村供水管理中心", ""],
    ["项目属性", "延续项目", "", "项目期", "3年", ""],
    ["项目资金（万元）", "中期资金总额", "2,400.00", "", "", ""],
    ["", "年度资金总额", "800.00", "", "", ""],
    ["", "其中：财政拨款", "750.00", "", "", ""],
    ["", "其他资金", "50.00", "", "", ""],
    ["总体目标", "中期目标（2025年—2027年）", "", "", "年度目标", ""],
    ["", "三年新建和改造农村集中供水工程30处，受益人口12万人。", "", "", "年内新建集中供水工程10处。", ""],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"],
    ["", "产出指标", "数量指标", "新建集中供水工程", "30处", "10处"],
    ["", "", "质量指标", "工程验收合格率", "100%", "100%"],
    ["", "效益指标", "社会效益指标", "受益人口", "≥12万人", "≥4万人"],
    ["", "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "≥90%"],
]
NATIONAL_SPANS: Spans = {(0, 1): (1, 5), (1, 1): (1, 2), (1, 4): (1, 2), (2, 1): (1, 2), (2, 4): (1, 2),
                         (3, 0): (4, 1), **{(r, 2): (1, 4) for r in range(3, 7)}, (7, 0): (2, 1), (7, 1): (1, 3),
                         (7, 4): (1, 2), (8, 1): (1, 3), (8, 4): (1, 2), (9, 0): (5, 1), (10, 1): (2, 1)}


def _check_national(mapped_projects: list[Project], budget: dict[str, float | None]) -> None:
    [project] = mapped_projects
    assert project.name == "农村饮水安全巩固提升"
    assert project.period == "3年"
    assert project.budget.model_dump() == budget
    assert project.midterm_goal == "三年新建和改造农村集中供水工程30处，受益人口12万人。"
    assert project.goal == "年内新建集中供水工程10处。"
    assert [(i.level1, i.target, i.midterm_target) for i in project.indicators] == [
        ("产出指标", "10处", "30处"), ("产出指标", "100%", "100%"), ("效益指标", "≥4万人", "≥12万人"),
        ("满意度指标", "≥90%", "≥90%")]


def test_national_form_takes_the_annual_amount_never_the_midterm_one() -> None:
    mapped = read(TextLine("项目支出绩效目标申报表"), TextLine("（2025年度）"), grid_table(NATIONAL, NATIONAL_SPANS))
    assert mapped.fiscal_year == 2025
    assert mapped.department == "某省水利厅"  # 主管部门及代码 without its code
    _check_national(mapped.projects, {"total": 800.0, "fiscal": 750.0, "other": 50.0, "carryover": None})


def test_national_form_with_a_midterm_breakdown_before_the_annual_one() -> None:
    rows = [r[:] for r in NATIONAL]
    money = [["项目资金（万元）", "中期资金总额", "2,400.00"], ["", "其中：财政拨款", "2,200.00"],
             ["", "其他资金", "200.00"], ["", "年度资金总额", "800.00"], ["", "其中：财政拨款", "750.00"],
             ["", "上年结转资金", "30.00"], ["", "其他资金", "20.00"]]
    rows[3:7] = [[*m, "", "", ""] for m in money]
    shift = len(money) - 4
    spans: Spans = {(r + shift if r > 6 else r, c): s for (r, c), s in NATIONAL_SPANS.items() if not 3 <= r <= 6}
    spans |= {(3, 0): (len(money), 1), **{(r, 2): (1, 4) for r in range(3, 3 + len(money))}}
    _check_national(read(grid_table(rows, spans)).projects,
                    {"total": 800.0, "fiscal": 750.0, "other": 20.0, "carryover": 30.0})


def test_national_form_with_midterm_and_annual_money_side_by_side() -> None:
    rows = [r[:] for r in NATIONAL]
    rows[3:7] = [["项目资金（万元）", "中期资金总额", "2,400.00", "", "年度资金总额", "800.00"],
                 ["", "其中：财政拨款", "2,200.00", "", "其中：财政拨款", "750.00"],
                 ["", "其他资金", "200.00", "", "其他资金", "50.00"],
                 ["", "", "", "", "", ""]]
    spans = {k: v for k, v in NATIONAL_SPANS.items() if not (3 <= k[0] <= 6 and k[1] == 2)}
    spans |= {(r, 2): (1, 2) for r in range(3, 6)}
    _check_national(read(grid_table(rows, spans)).projects,
                    {"total": 800.0, "fiscal": 750.0, "other": 50.0, "carryover": None})


def test_a_dash_in_an_amount_cell_is_printed_as_nothing() -> None:
    rows = [r[:] for r in NATIONAL]
    rows[3:7] = [["项目资金（万元）", "中期资金总额", "2,400.00", "", "年度资金总额", "800.00"],
                 ["", "其中：财政拨款", "—", "", "其中：财政拨款", "750.00"],
                 ["", "其他资金", "—", "", "上年结转资金", "—"],
                 ["", "", "", "", "其他资金", "50.00"]]
    spans = {k: v for k, v in NATIONAL_SPANS.items() if not (3 <= k[0] <= 6 and k[1] == 2)}
    _check_national(read(grid_table(rows, spans)).projects,
                    {"total": 800.0, "fiscal": 750.0, "other": 50.0, "carryover": None})


def test_overall_budget_block_with_income_and_spending_sides() -> None:
    # 收入预算合计 is the budget; the spending side's 基本支出/项目支出 are parts no field keeps.
    rows = [["部门（单位）名称", "某区市场监督管理局", "", "", ""],
            ["部门预算（万元）", "收入预算合计", "3,200.00", "支出预算合计", "3,200.00"],
            ["", "其中：当年财政拨款", "3,000.00", "其中：基本支出", "1,800.00"],
            ["", "上年结转结余", "200.00", "人员经费", "1,500.00"],
            ["", "", "", "项目支出", "1,400.00"],
            *[[*r, ""] for r in PAGE1[1:]]]
    [form] = read(TextLine("部门整体支出绩效目标表"), grid_table(rows, {(1, 0): (4, 1)})).projects
    assert form.budget.model_dump() == {"total": 3200.0, "fiscal": 3000.0, "other": None, "carryover": 200.0}
    assert len(form.indicators) == 4


def test_a_word_table_split_on_a_whole_row_carries_on() -> None:
    # Word splits the table after a blank row; the next piece opens on a whole row under merged levels.
    qualitative = [["", "", "产出质量指标4-内控制度执行情况", "有效执行"],
                   ["", "", "产出质量指标5-财务信息公开", "及时公开"]]
    second = [["", "", "", ""], *qualitative, *PAGE2[2:], *PAGE3]
    [form] = read(grid_table(PAGE1, page=None), grid_table(second, page=None)).projects
    assert len(form.indicators) == 4 + 2 + 5 + 7
    assert [(i.level2, i.target) for i in form.indicators[4:6]] == [("人员管理", "有效执行"), ("人员管理", "及时公开")]


def test_a_level_row_naming_money_stays_an_indicator() -> None:
    rows = [r[:] for r in PAGE1] + [["", "成本指标", "租赁资金", "≤120万元"]]
    [form] = read(TextLine("部门整体支出绩效目标表"), grid_table(rows, {(3, 0): (4, 1)})).projects
    assert form.budget.total is None  # 租赁资金 is an indicator's name here, not the budget's label
    assert [i.name for i in form.indicators][-1] == "租赁资金" and form.indicators[-1].value == 120.0


def test_a_name_wrapped_onto_a_row_of_its_own_joins_the_indicator_above() -> None:
    # A sheet prints a long 三级指标 over two rows: the second holds only the name's tail.
    rows = [r[:] for r in NATIONAL]
    rows[10:11] = [["", "产出指标", "数量指标", "新建集中", "30处", "10处"], ["", "", "", "供水工程", "", ""]]
    spans = {(r + 1 if r > 10 else r, c): s for (r, c), s in NATIONAL_SPANS.items()}
    spans[(10, 1)], spans[(9, 0)] = (3, 1), (6, 1)
    _check_national(read(grid_table(rows, spans)).projects,
                    {"total": 800.0, "fiscal": 750.0, "other": 50.0, "carryover": None})


def test_sources_printed_beside_the_total_on_one_row_belong_to_it() -> None:
    rows = [["项目名称", "社区戒毒康复", "", "", "", ""],
            ["预算规模及资金用途", "预算数", "55.00", "其中：财政资金", "55.00", "其他资金"],
            ["一级指标", "二级指标", "三级指标", "指标值", "", ""],
            ["产出指标", "数量指标", "康复人员人数", "≥120人", "", ""]]
    [project] = read(grid_table(rows)).projects
    assert project.budget.model_dump() == {"total": 55.0, "fiscal": 55.0, "other": None, "carryover": None}
