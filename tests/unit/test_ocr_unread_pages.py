"""An OCR'd page that prints indicator rows but gave none makes the document needs_review, naming the page."""

from __future__ import annotations

from extractor.grid import Cell, DocumentGrid, Table
from extractor.ocr.confidence import flag_unread_pages, sparse_pages
from extractor.schema import Indicator, Project, Quality


def _table(page: int, rows: list[list[str]], score: float) -> Table:
    cells = [Cell(row=r, col=c, text=t, page=page, confidence=score)
             for r, row in enumerate(rows) for c, t in enumerate(row)]
    return Table(cells=cells, n_rows=len(rows), n_cols=max(len(r) for r in rows), row_pages=[page] * len(rows))


def _project(pages: list[int]) -> Project:
    inds = [Indicator(level1="产出指标", level2="数量指标", name=f"指标{k}", target="≥1次", page=p, confidence=0.9)
            for k, p in enumerate(pages)]
    return Project(kind="project", name="水利设施维护", indicators=inds)


def test_a_packed_row_read_into_nothing_flags_its_page() -> None:
    # one row packing a project's indicators into a cell, its numbering misread, so none came out
    packed = _table(3, [["水利设施维护", "1.1.产出指标：11-数量指标：巡查河道：年度指标值：12次"]], 0.8)
    problems = sparse_pages([_project([2])], DocumentGrid(blocks=[packed]))
    assert [p.page for p in problems] == [3]
    quality = flag_unread_pages(Quality(needs_review=False, reasons=[]), problems)
    assert quality.needs_review and quality.reasons[0].startswith("第3页：该页 OCR 后几乎未读出指标")


def test_a_long_page_with_a_few_indicators_is_flagged_a_full_one_not() -> None:
    rows = [["项目", f"行{k}", "≥1次"] for k in range(8)]
    grid = DocumentGrid(blocks=[_table(1, rows, 0.9), _table(2, rows, 0.9)])
    problems = sparse_pages([_project([1] * 8 + [2])], grid)
    assert [p.page for p in problems] == [2]


def test_text_layer_pages_are_not_judged() -> None:
    rows = [["项目", "产出指标", f"行{k}"] for k in range(8)]
    assert sparse_pages([], DocumentGrid(blocks=[_table(1, rows, 1.0)])) == []
