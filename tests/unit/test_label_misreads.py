"""Label cells of a photographed form misread by one character are read as the labels the form proves."""

from __future__ import annotations

from extractor.grid import Cell, DocumentGrid, Table
from extractor.layout.label_misreads import repair_labels


def _form(texts: list[list[str]], confidence: float = 0.8) -> DocumentGrid:
    cells = [Cell(row=r, col=c, text=t, confidence=confidence)
             for r, row in enumerate(texts) for c, t in enumerate(row)]
    return DocumentGrid(blocks=[Table(cells=cells, n_rows=len(texts), n_cols=len(texts[0]))])


def _texts(grid: DocumentGrid) -> list[list[str]]:
    return grid.tables[0].anchors()


def test_label_names_one_character_off_in_a_form_are_the_labels() -> None:
    read = [["项目名称", "河道保洁服务", "实施单位", "区水务局"],
            ["中期资金总额", "120万元", "年度资金总段", "40万元"],
            ["其中：财政振款", "120万元", "其中：财政拔款", "40万元"]]
    assert _texts(repair_labels(_form(read))) == [
        ["项目名称", "河道保洁服务", "实施单位", "区水务局"],
        ["中期资金总额", "120万元", "年度资金总额", "40万元"],
        ["其中：财政拨款", "120万元", "其中：财政拨款", "40万元"]]


def test_values_and_tables_that_are_no_form_keep_their_text() -> None:
    values = [["项目名称", "年度资金总段"], ["实施单位", "资金数"]]  # two exact labels: a form
    assert _texts(repair_labels(_form(values)))[1] == ["实施单位", "资金数"]  # too short to tell from a value
    no_form = [["年度资金总段", "40万元"], ["备注", "无"]]  # one label-like cell, nothing printed exactly
    assert _texts(repair_labels(_form(no_form))) == no_form
    printed = [["项目名称", "年度资金总段"], ["实施单位", "x"]]
    assert _texts(repair_labels(_form(printed, confidence=1.0))) == printed  # a text layer prints what it prints
