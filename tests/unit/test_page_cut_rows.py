"""A row cut by a page break goes on at the top of the next page; a whole row whose levels are merged down from
the previous page does not. The PDF reader says whether a cell's last line ran to its edge, the stitcher listens."""

from __future__ import annotations

from pathlib import Path

from extractor.grid import Cell, DocumentGrid, Table
from extractor.layout.stitch import stitch_grid
from extractor.readers.pdf import read_pdf

HEAD = ["一级指标", "二级指标", "三级指标", "指标值"]


def _page(rows: list[list[str]], page: int, open_end: bool | None = None) -> Table:
    cells = []
    for r, row in enumerate(rows):
        for c, t in enumerate(row):
            box = (100.0 * c, 50.0 + 20 * r, 100.0 * c + 100, 70.0 + 20 * r)
            last = r == len(rows) - 1
            cells.append(Cell(row=r, col=c, text=t, page=page, bbox=box, open_end=open_end if last and t else None))
    return Table(cells=cells, n_rows=len(rows), n_cols=4, source=f"page {page}", row_pages=[page] * len(rows),
                 row_boxes=[None] * len(rows))


def _stitched(open_end: bool | None) -> list[list[str]]:
    first = _page([HEAD, ["效益指标", "经济效益指标", "降低能耗费用", "优化平台设备管理"]], 1, open_end)
    second = _page([["", "", "系统运行费用", "减少因系统宕机造成的损失"],
                    ["", "社会效益指标", "信息化形象展示", "有效推进"]], 2)
    (table,) = stitch_grid(DocumentGrid(blocks=[first, second], n_pages=2)).tables
    return table.anchors()


def test_a_whole_row_after_a_short_last_line_stays_a_row_of_its_own() -> None:
    rows = _stitched(open_end=False)
    assert [r[2] for r in rows] == ["三级指标", "降低能耗费用", "系统运行费用", "信息化形象展示"]


def test_a_row_whose_cells_ran_to_their_edge_is_joined_as_before() -> None:
    for open_end in (True, None):  # None: a reader that cannot tell (Word, OCR) keeps the old rule
        rows = _stitched(open_end)
        assert rows[1][2] == "降低能耗费用系统运行费用" and len(rows) == 3


def test_the_pdf_reader_marks_a_target_cut_by_the_page_as_open(corpus: Path) -> None:
    # 004.pdf prints "…年度指标值:100%完" at the foot of page 2 and "成" at the top of page 3
    grid = read_pdf((corpus / "pdf" / "004.pdf").read_bytes())
    cut = [c for t in grid.tables for c in t.cells if c.text.endswith("100%完")]
    assert cut and all(c.open_end for c in cut)
    names = [c for t in grid.tables for c in t.cells if c.open_end is False]
    assert names  # short last lines at a page foot are marked closed
