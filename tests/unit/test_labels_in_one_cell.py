"""Labels and their values typed into one cell, as filled Word forms print them: money, and the form's fields.

From a published county form filled in (资金总额及构成 | 总额…万元 财政拨款:…万元（其中：…）
二、自有资金:…万元 三、其他:…万元): the reader takes each amount from the label just before it, the parts of a
part in brackets are left alone, and a sentence that mentions money is no money cell. The verifier, on its own,
names each number by its own words.
"""

from __future__ import annotations

import pytest

from extractor.grid import DocumentGrid
from extractor.layout.label_cells import split_label_cells
from extractor.layout.money import in_cell_amounts
from extractor.layout.stitch import stitch_tables
from extractor.schema import Budget, Document
from extractor.verify import verify

from .test_real_forms import grid_table, read

PROSE = ("总额2306.75万元 财政拨款:1823.36万元(其中:上级财政资金:1823.36万元;本级财政:0万元) "
         "二、自有资金:0万元 三、其他:483.39万元")
ROWS = [
    ["项目名称", "镇村道路提质改造", "项目属性", "新增项目□延续项目√", "", ""],
    ["主管部门", "某镇人民政府", "主管部门编码", "", "", ""],
    ["项目单位", "某镇人民政府", "项目负责人", "周立", "联系电话", ""],
    ["资金总额及构成", PROSE, "", "", "", ""],
    ["项目绩效目标", "长期目标", "", "年度目标", "", ""],
    ["", "改善镇村交通条件", "", "完成8条村道提质改造，通行条件明显改善", "", ""],
    ["年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值", "备注"],
    ["", "产出指标", "数量指标", "提质改造村道条数", "8条", ""],
    ["", "", "质量指标", "工程验收合格率", "100%", ""],
    ["", "满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", ""],
]
SPANS = {(0, 3): (1, 3), (3, 1): (1, 5), (4, 0): (2, 1), (4, 1): (1, 2), (4, 3): (1, 3), (5, 1): (1, 2),
         (5, 3): (1, 3), (6, 0): (4, 1), (7, 1): (2, 1)}


def test_each_amount_is_read_from_the_label_just_before_it() -> None:
    mapped = read(grid_table(ROWS, SPANS))
    assert [p.name for p in mapped.projects] == ["镇村道路提质改造"]
    budget = mapped.projects[0].budget
    # 自有资金 is a source the budget keeps no field for; the bracketed 上级/本级 shares are parts of 财政拨款
    assert (budget.total, budget.fiscal, budget.other, budget.carryover) == (2306.75, 1823.36, 483.39, None)
    assert len(mapped.projects[0].indicators) == 3
    # 长期目标 | 年度目标 over their texts: the period's goal and the year's, not one goal label twice
    assert mapped.projects[0].midterm_goal == "改善镇村交通条件"
    assert mapped.projects[0].goal == "完成8条村道提质改造，通行条件明显改善"


@pytest.mark.parametrize("text", ["完成道路硬化12公里", "安排资金50万元用于道路维修", "1,150.00", "≥95%",
                                  "2021年1月至2021年12月"])
def test_a_sentence_or_a_bare_amount_is_no_money_cell(text: str) -> None:
    assert in_cell_amounts(text) == []


def test_label_and_amount_in_one_cell() -> None:
    assert in_cell_amounts("年度资金总额：1,150.00") == [("total", "1,150.00")]
    assert in_cell_amounts("资金总额：1150万元。") == [("total", "1150万元")]


def test_the_verifier_names_each_number_by_its_own_words() -> None:
    grid = DocumentGrid(blocks=stitch_tables([grid_table(ROWS, SPANS)]))
    right = read(grid_table(ROWS, SPANS)).projects
    document = Document(source="x.docx", sha256="0" * 64, projects=right)
    assert verify(document, grid) == []
    # the other part read as the fiscal one is what the page contradicts
    swapped = right[0].model_copy(update={"budget": Budget(total=2306.75, fiscal=483.39, other=1823.36)})
    kinds = {c.kind for c in verify(document.model_copy(update={"projects": [swapped]}), grid)}
    assert "budget_wrong_label" in kinds


TYPED = [
    ["项目名称：城区道路照明设施维护", "", "实施单位：某县城市管理局", ""],
    ["资金总额：1150万元", "财政拨款：1000万元", "其他资金：150万元", ""],
    ["年度目标：完成城区主干道路灯日常维护，亮灯率保持在98%以上。", "", "", ""],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "维护路灯数量", "≥3200盏"],
    ["", "质量指标", "完成时限：12月底前", "≥98%"],
    ["满意度指标", "服务对象满意度指标", "市民满意度", "≥90%"],
]
TYPED_SPANS = {(0, 0): (1, 2), (0, 2): (1, 2), (2, 0): (1, 4), (4, 0): (2, 1)}


def test_a_form_typed_as_label_value_cells_reads_its_fields() -> None:
    mapped = read(grid_table(TYPED, TYPED_SPANS))
    assert [p.name for p in mapped.projects] == ["城区道路照明设施维护"]
    project = mapped.projects[0]
    assert project.unit == "某县城市管理局"
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (1150.0, 1000.0, 150.0)
    assert project.goal == "完成城区主干道路灯日常维护，亮灯率保持在98%以上。"
    # an indicator row is never split, whatever its cells print before a colon
    assert [i.name for i in project.indicators] == ["维护路灯数量", "完成时限：12月底前", "市民满意度"]
    grid = DocumentGrid(blocks=stitch_tables([grid_table(TYPED, TYPED_SPANS)]))
    assert verify(Document(source="x.docx", sha256="0" * 64, projects=mapped.projects), grid) == []


def test_the_value_takes_the_empty_slot_beside_its_label_or_is_inserted() -> None:
    assert split_label_cells(["项目名称：城区道路照明", "", "主管部门：某局", ""]) == [
        "项目名称：", "城区道路照明", "主管部门：", "某局"]
    assert split_label_cells(["项目名称：城区道路照明", "主管部门：某局"]) == [
        "项目名称：", "城区道路照明", "主管部门：", "某局"]
    assert split_label_cells(["资金总额：1150万元", ""]) == ["资金总额：", "1150万元"]
    # an unknown word before a colon, a label alone, and several amounts in one cell are left as printed
    for row in (["说明：本表由项目单位填报", ""], ["项目名称：", ""],
                ["资金总额：1150万元（其中财政拨款1000万元）", ""]):
        assert split_label_cells(row) == row


def test_a_row_mixing_a_typed_name_and_a_typed_amount_keeps_both() -> None:
    rows = [r[:] for r in TYPED]
    rows[0] = ["项目名称：城区道路照明设施维护", "", "年度资金总额：1150万元", ""]
    rows[1] = ["实施单位：某县城市管理局", "", "", ""]
    project = read(grid_table(rows, {**TYPED_SPANS, (1, 0): (1, 4)})).projects[0]
    assert (project.name, project.unit, project.budget.total) == ("城区道路照明设施维护", "某县城市管理局", 1150.0)
