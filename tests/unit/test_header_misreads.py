"""A header name OCR misread by one character is read as the name its header row proves, and only there."""

from __future__ import annotations

from extractor.grid import Cell, DocumentGrid, Table, TextLine
from extractor.layout.header_misreads import repair_headers, repair_table
from extractor.layout.wide import detect_wide

_HEADER = ["项目名称（资金使用单位）", "总计", "财政拨款", "其他资金", "绩效目标", "绿效指标"]
_ROW = ["公费医疗经费", "7.00", "7.00", "", "提高医疗保障", "1、1-产出指标；11-数量指标；报销比例；年度指标值：100%。"]


def _table(rows: list[list[str]], confidence: float = 0.8) -> Table:
    cells = [Cell(row=r, col=c, text=t, confidence=confidence) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return Table(cells=cells, n_rows=len(rows), n_cols=len(rows[0]))


def test_misread_packed_header_is_read_as_the_name_its_row_proves() -> None:
    assert detect_wide([_HEADER, _ROW]) is None  # as read: no indicator column, no project table
    fixed = repair_table(_table([_HEADER, _ROW]))
    assert fixed.anchors()[0][-1] == "绩效指标"
    assert fixed.anchors()[1] == _ROW  # data rows are never touched
    found = detect_wide(fixed.anchors())
    assert found is not None and found.cols.get("packed") == 5


def test_text_layer_cells_and_rows_that_are_no_header_are_left_as_printed() -> None:
    printed = _table([_HEADER, _ROW], confidence=1.0)
    assert repair_table(printed) is printed  # a text layer prints what it prints
    lone = _table([["部门", "绿效指标", "备注"], ["一", "二", "三"]])
    assert repair_table(lone) is lone  # no header name printed exactly: nothing proves a header row
    level_names = _table([["产出指标", "数量指标", "时效指标"], ["一", "二", "三"]])
    assert repair_table(level_names) is level_names  # level names, not header names


def test_a_reading_as_near_two_header_names_is_left_alone() -> None:
    # 年度措标值 is one character from 年度指标值 and from 年度目标值: the row cannot tell which
    row = ["一级指标", "二级指标", "三级指标", "年度措标值"]
    table = _table([row, ["产出指标", "数量指标", "培训人次", "100人"]])
    assert repair_table(table) is table
    # read 年度指标直 instead, it is one character from 年度指标值 only
    fixed = repair_table(_table([[*row[:3], "年度指标直"], ["产出指标", "数量指标", "培训人次", "100人"]]))
    assert fixed.anchors()[0][3] == "年度指标值"


def test_grid_without_a_misreading_comes_back_unchanged() -> None:
    table = _table([["项目名称", "总计", "绩效目标"], ["甲", "1", "乙"]])
    grid = DocumentGrid(blocks=[TextLine("单位：万元", 1), table])
    assert repair_headers(grid) is grid
