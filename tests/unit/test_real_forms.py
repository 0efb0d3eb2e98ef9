"""Forms from published disclosures outside the sample, built cell by cell with their merges.

Each grid models how a reader hands over a real form: merged caption columns, money blocks printed as label |
amount rows, several label | value pairs on one row, indicator tables cut by page breaks. The wordings are not
the sample's; the mapper must read them by its rules alone.
"""

from __future__ import annotations

import pytest

from extractor.grid import Block, Cell, DocumentGrid, Table, TextLine
from extractor.layout.mapped import Mapped
from extractor.layout.mapper import map_grid
from extractor.layout.stitch import stitch_tables

Spans = dict[tuple[int, int], tuple[int, int]]


def grid_table(rows: list[list[str]], spans: Spans | None = None, page: int | None = 1,
               n_cols: int | None = None) -> Table:
    """A table from rows of text; spans give (rowspan, colspan) at a merged cell's anchor."""
    spans = spans or {}
    cells = [Cell(row=r, col=c, text=t, rowspan=spans.get((r, c), (1, 1))[0],
                  colspan=spans.get((r, c), (1, 1))[1], page=page)
             for r, row in enumerate(rows) for c, t in enumerate(row) if t]
    width = n_cols or max(len(r) for r in rows)
    return Table(cells=cells, n_rows=len(rows), n_cols=width, row_pages=[page] * len(rows))


def read(*blocks: Block) -> Mapped:
    """What the pipeline does with a reader's blocks: stitch page breaks, then map."""
    return map_grid(DocumentGrid(blocks=stitch_tables(list(blocks))))


def _no_label_names(mapped: Mapped) -> None:
    labels = {"项目名称", "主管部门", "实施单位", "计划开始日期", "计划完成日期", "绩效指标", "项目资金（元）"}
    assert not {p.name for p in mapped.projects} & labels


def _repeat_merged(rows: list[list[str]], spans: Spans) -> list[list[str]]:
    """The rows as a Word reader gives them: a vertically merged cell's text on every row it covers."""
    out = [r[:] for r in rows]
    for (r, c), (rowspan, _) in spans.items():
        for below in range(r + 1, r + rowspan):
            out[below][c] = rows[r][c]
    return out


# 1. A money block printed as label rows with the amount in the next cell, first column merged down.
LIGHTING = [
    ["项目名称", "城区道路照明设施维护", "", ""],
    ["实施单位", "某县城市管理综合执法局", "", ""],
    ["项目金额", "年度资金总额：", "1,150.00", ""],
    ["", "其中：当年财政拨款", "1,150.00", ""],
    ["", "上年结转资金", "0.00", ""],
    ["", "其他资金", "0.00", ""],
    ["年度绩效目标", "完成城区主干道路灯日常维护，亮灯率保持在98%以上。", "", ""],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "维护路灯数量", "≥3200盏"],
    ["", "时效指标", "故障修复时限", "≤48小时"],
    ["效益指标", "社会效益指标", "夜间出行安全保障", "有效保障"],
    ["满意度指标", "服务对象满意度指标", "市民满意度", "≥90%"],
]
LIGHTING_SPANS: Spans = {(0, 1): (1, 3), (1, 1): (1, 3), (2, 0): (4, 1), (6, 1): (1, 3), (8, 0): (2, 1),
                         **{(r, 2): (1, 2) for r in range(2, 6)}}


@pytest.mark.parametrize("repeated", [False, True], ids=["merged", "repeated"])
def test_money_block_amounts_come_from_the_cell_beside_each_label(repeated: bool) -> None:
    # A Word reader repeats a vertically merged caption (项目金额) on every row it covers.
    rows = _repeat_merged(LIGHTING, LIGHTING_SPANS) if repeated else LIGHTING
    mapped = read(TextLine("2025年度项目支出绩效目标表"), grid_table(rows, LIGHTING_SPANS))
    [project] = mapped.projects
    assert project.name == "城区道路照明设施维护"
    assert project.budget.model_dump() == {"total": 1150.0, "fiscal": 1150.0, "other": 0.0, "carryover": 0.0}
    assert project.goal == "完成城区主干道路灯日常维护，亮灯率保持在98%以上。"
    assert [i.level1 for i in project.indicators] == ["产出指标", "产出指标", "效益指标", "满意度指标"]


def test_an_amount_no_cell_prints_stays_null() -> None:
    rows = [r[:] for r in LIGHTING if r[1] != "上年结转资金"]
    rows[4][2] = ""  # 其他资金 printed with an empty amount cell
    spans = {**LIGHTING_SPANS, (2, 0): (3, 1)}
    spans.pop((5, 2), None)
    [project] = read(grid_table(rows, spans)).projects
    assert project.budget.model_dump() == {"total": 1150.0, "fiscal": 1150.0, "other": None, "carryover": None}


# 2. The Shanghai 财政项目支出绩效目标填报表: several pairs a row, a two-sided money block in 元, two goal columns.
TIDY = [
    ["项目名称", "老旧小区综合整治", "", "项目性质", "经常性项目", "项目类别", "城市建设"],
    ["主管部门", "某区房屋管理局", "", "实施单位", "某区旧区改造事务中心", "", ""],
    ["计划开始日期", "2025-01-01", "", "计划完成日期", "2025-12-31", "", ""],
    ["项目资金（元）", "项目资金总额", "", "12,500,000.00", "年度资金申请总额", "", "8,600,000.00"],
    ["", "其中：财政资金", "", "12,000,000.00", "其中：当年财政拨款", "", "8,000,000.00"],
    ["", "其他资金", "", "500,000.00", "上年结转资金", "", "400,000.00"],
    ["", "", "", "", "其他资金", "", "200,000.00"],
    ["项目绩效目标", "项目总目标", "", "", "年度总体目标", "", ""],
    ["", "三年内完成辖区内老旧小区外立面和管网改造。", "", "", "完成12个小区的整治，改善居民居住环境。", "", ""],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "", "年度指标值", ""],
    ["", "产出指标", "数量指标", "整治建筑面积", "", "≥13459.00(平方米)", ""],
    ["", "", "质量指标", "工程验收合格率", "", "=100(%)", ""],
    ["", "", "时效指标", "工程完工时间", "", "≤12(月)", ""],
    ["", "效益指标", "社会效益指标", "居住环境改善", "", "明显改善", ""],
    ["", "满意度指标", "服务对象满意度指标", "居民满意度", "", "≥90(%)", ""],
]
TIDY_SPANS: Spans = {
    (0, 1): (1, 2), (1, 1): (1, 2), (1, 4): (1, 3), (2, 1): (1, 2), (2, 4): (1, 3), (3, 0): (4, 1),
    **{(r, c): (1, 2) for r in range(3, 7) for c in (1, 4)}, (7, 0): (2, 1), (7, 1): (1, 3), (7, 4): (1, 3),
    (8, 1): (1, 3), (8, 4): (1, 3), (9, 0): (6, 1), (10, 1): (3, 1),
    **{(r, c): (1, 2) for r in range(9, 15) for c in (3, 5)},
}


def _check_tidy(project_name: str, mapped: Mapped) -> None:
    project = next(p for p in mapped.projects if p.name == project_name)
    assert project.kind == "project"
    assert project.budget.model_dump() == {"total": 860.0, "fiscal": 800.0, "other": 20.0, "carryover": 40.0}
    assert project.midterm_goal == "三年内完成辖区内老旧小区外立面和管网改造。"
    assert project.goal == "完成12个小区的整治，改善居民居住环境。"
    assert project.code is None  # a date is never a code
    assert [i.level2 for i in project.indicators] == ["数量指标", "质量指标", "时效指标", "社会效益指标",
                                                      "服务对象满意度指标"]
    first = project.indicators[0]
    assert (first.target, first.operator, first.value, first.unit) == ("≥13459.00(平方米)", ">=", 13459.0, "平方米")
    assert [i.unit for i in project.indicators[1:3]] == ["%", "月"]  # "=100(%)", "≤12(月)"


def test_shanghai_form_reads_pairs_two_sided_money_and_two_goals() -> None:
    mapped = read(TextLine("2025年财政项目支出绩效目标填报表"), grid_table(TIDY, TIDY_SPANS))
    assert [p.name for p in mapped.projects] == ["老旧小区综合整治"]
    _check_tidy("老旧小区综合整治", mapped)
    assert mapped.projects[0].period == "2025-01-01至2025-12-31"
    assert mapped.department == "某区房屋管理局"


def test_shanghai_forms_with_repeated_caption_cells_stay_one_project_each() -> None:
    second = [[t.replace("老旧小区综合整治", "背街小巷环境提升") for t in r] for r in TIDY]
    blocks: list[Block] = []
    for rows in (TIDY, second):
        blocks += [TextLine("财政项目支出绩效目标填报表"), grid_table(_repeat_merged(rows, TIDY_SPANS), page=None)]
    mapped = read(*blocks)
    _no_label_names(mapped)
    assert [p.name for p in mapped.projects] == ["老旧小区综合整治", "背街小巷环境提升"]
    for name in ("老旧小区综合整治", "背街小巷环境提升"):
        _check_tidy(name, mapped)


def test_a_caption_column_anchored_beside_the_indicators_is_no_project() -> None:
    # The caption 绩效指标 merged over the indicator rows only, its header cell above left blank.
    rows = [r[:] for r in TIDY]
    rows[9][0], rows[10][0] = "", "绩效指标"
    spans = {**TIDY_SPANS, (10, 0): (5, 1)}
    spans.pop((9, 0))
    mapped = read(grid_table(_repeat_merged(rows, spans), page=None))
    _no_label_names(mapped)
    assert [p.name for p in mapped.projects] == ["老旧小区综合整治"]
    _check_tidy("老旧小区综合整治", mapped)


def test_a_form_after_a_row_per_project_table_of_the_same_width_is_its_own_form() -> None:
    wide = [
        ["项目名称", "预算数（万元）", "年度目标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["河道保洁", "300.00", "保持河道水面整洁", "产出指标", "数量指标", "保洁河道长度", "≥85公里"],
        ["", "", "", "满意度指标", "服务对象满意度指标", "沿岸居民满意度", "≥90%"],
    ]
    mapped = read(grid_table(wide, page=None), TextLine("财政项目支出绩效目标填报表"),
                  grid_table(TIDY, TIDY_SPANS, page=None))
    _no_label_names(mapped)
    assert [p.name for p in mapped.projects] == ["河道保洁", "老旧小区综合整治"]
    assert mapped.projects[0].budget.total == 300.0 and len(mapped.projects[0].indicators) == 2
    _check_tidy("老旧小区综合整治", mapped)
