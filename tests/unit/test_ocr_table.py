"""Table structure from pixels, on drawn tables (no OCR engine needed): spans, wrapped cells, deskew."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.grid import Cell, DocumentGrid, Table, TextLine
from extractor.ocr.confidence import apply_row_scores, low_confidence, row_scores
from extractor.ocr.engine import OcrBox
from extractor.ocr.page import drop_specks, estimate_skew, rotation, warp
from extractor.ocr.table import page_blocks
from extractor.ocr.text import chinese_quotes, paired_brackets
from extractor.schema import Indicator, Project

IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
XS = [100, 300, 500, 700, 1000]
YS = [100, 150, 200, 250, 300]


def _drawn_table() -> np.ndarray:
    """A 4x4 ruled table: column 0 merged over rows 1-3, row 0 merged over columns 2-3, a 一 stroke inside."""
    img = np.full((800, 1200), 255, np.uint8)
    for y in YS:
        x_from = XS[1] if y in (YS[2], YS[3]) else XS[0]  # no ruling under rows 1 and 2 in column 0
        cv2.line(img, (x_from, y), (XS[-1], y), 0, 2)
    for x in XS:
        y_from = YS[1] if x == XS[3] else YS[0]  # no ruling between columns 2 and 3 in row 0
        cv2.line(img, (x, y_from), (x, YS[-1]), 0, 2)
    cv2.line(img, (520, 226), (560, 226), 0, 2)  # the 一 of a character: a stroke, not a ruling
    return img


def _box(text: str, x0: int, y0: int, x1: int, y1: int, score: float = 0.99) -> OcrBox:
    return OcrBox(text=text, score=score, box=(float(x0), float(y0), float(x1), float(y1)))


BOXES = [
    _box("绩效目标表", 100, 40, 260, 70),  # a title above the table
    _box("一级指标", 110, 110, 200, 140),
    _box("二级指标", 310, 110, 400, 140),
    _box("三级指标", 510, 110, 600, 140),
    _box("产出指标", 110, 160, 200, 190),
    _box("数量指标", 310, 160, 400, 190),
    _box("指标1：举办政法", 510, 155, 690, 172),  # a cell wrapped over two OCR lines
    _box("干部培训班", 510, 176, 620, 194, score=0.62),
    _box("≥1次", 710, 160, 760, 190),
]


def test_rulings_and_boxes_give_cells_with_spans() -> None:
    blocks = page_blocks(_drawn_table(), BOXES, page=3, to_page=IDENTITY)
    assert isinstance(blocks[0], TextLine) and blocks[0].text == "绩效目标表"
    table = blocks[1]
    assert isinstance(table, Table)
    assert (table.n_rows, table.n_cols) == (4, 4)
    cells = {(c.row, c.col): c for c in table.cells}
    assert cells[(1, 0)].rowspan == 3 and cells[(1, 0)].text == "产出指标"  # merged: missing rulings
    assert cells[(0, 2)].colspan == 2 and cells[(0, 2)].text == "三级指标"
    assert cells[(1, 2)].text == "指标1：举办政法干部培训班"  # wrapped lines joined in reading order
    assert cells[(1, 2)].confidence == 0.62
    assert cells[(2, 2)].rowspan == 1 and cells[(2, 2)].text == ""  # the stroke split nothing
    assert all(c.page == 3 and c.bbox for c in table.cells)
    assert table.row_pages == [3, 3, 3, 3]
    assert table.matrix()[3][0] == "产出指标"


def test_text_line_run_across_a_ruling_is_cut_there() -> None:
    chars = tuple((ch, 0.99, 310.0 + 20 * i, 328.0 + 20 * i) for i, ch in enumerate("质量指标"))
    chars += tuple((ch, 0.98, 510.0 + 20 * i, 528.0 + 20 * i) for i, ch in enumerate("指标1"))
    run_on = OcrBox(text="质量指标指标1", score=0.97, box=(310.0, 210.0, 570.0, 240.0), chars=chars)
    table = next(b for b in page_blocks(_drawn_table(), [run_on], 1, IDENTITY) if isinstance(b, Table))
    cells = {(c.row, c.col): c.text for c in table.cells}
    assert cells[(2, 1)] == "质量指标" and cells[(2, 2)] == "指标1"


def test_skew_is_measured_and_undone() -> None:
    img = _drawn_table()
    tilted = warp(img, rotation(img.shape, -1.2))
    ink = cv2.adaptiveThreshold(tilted, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    angle = estimate_skew(ink)
    assert abs(angle - 1.2) < 0.15  # lines now fall to the right by 1.2°
    straight = warp(tilted, rotation(tilted.shape, angle))
    table = next(b for b in page_blocks(straight, BOXES, 1, IDENTITY) if isinstance(b, Table))
    assert (table.n_rows, table.n_cols) == (4, 4)


def test_page_without_rulings_is_text_lines() -> None:
    blank = np.full((600, 800), 255, np.uint8)
    blocks = page_blocks(blank, [_box("部门名称：某某局", 50, 50, 300, 80), _box("单位：万元", 500, 52, 600, 78)], 1,
                         IDENTITY)
    assert [b.text for b in blocks if isinstance(b, TextLine)] == ["部门名称：某某局 单位：万元"]


def test_specks_dropped_but_digits_kept() -> None:
    lines = [_box("年度目标", 0, i * 40, 100, i * 40 + 28) for i in range(6)]
    speck, digit = _box("#", 0, 300, 10, 312), _box("1", 0, 400, 8, 412)
    assert drop_specks([*lines, speck, digit]) == [*lines, digit]


def test_ascii_quotes_in_chinese_become_curly() -> None:
    assert chinese_quotes('认定为“市级先进个人"人数') == "认定为“市级先进个人”人数"
    assert chinese_quotes('转化"FLG"人员') == "转化“FLG”人员"
    assert chinese_quotes('say "hi"') == 'say "hi"'


def test_brackets_close_in_the_width_they_open() -> None:
    assert paired_brackets("项目名称（资金使用单位)") == "项目名称（资金使用单位）"
    assert paired_brackets("(2022年度）") == "(2022年度)"
    assert paired_brackets("金额)") == "金额)"


def test_ocr_confidence_flows_into_indicators_and_flags() -> None:
    box = (10.0, 20.0, 300.0, 40.0)
    table = Table(cells=[Cell(0, 0, "产出指标", page=2, bbox=box, confidence=0.99),
                         Cell(0, 1, "%9%", page=2, bbox=box, confidence=0.5)],
                  n_rows=1, n_cols=2, row_pages=[2], row_boxes=[box])
    grid = DocumentGrid(blocks=[table], n_pages=2)
    ind = Indicator(level1="产出指标", name="满意度", target="≥95%", page=2, bbox=list(box), confidence=0.9)
    projects = [Project(kind="project", name="p", indicators=[ind])]
    apply_row_scores(projects, row_scores(grid))
    assert projects[0].indicators[0].confidence == 0.45
    flags = low_confidence(grid, 0.8)
    assert len(flags) == 1 and flags[0].page == 2 and "%9%" in flags[0].message


def test_stitching_pages_keeps_ocr_confidence() -> None:
    from extractor.layout.stitch import stitch_tables

    def table(page: int, texts: list[list[str]], confidence: float) -> Table:
        cells = [Cell(row=r, col=c, text=t, page=page, bbox=(c * 50.0, r * 20.0, c * 50.0 + 50, r * 20.0 + 20),
                      confidence=confidence) for r, row in enumerate(texts) for c, t in enumerate(row)]
        return Table(cells=cells, n_rows=len(texts), n_cols=len(texts[0]), row_pages=[page] * len(texts))

    first = table(1, [["一级指标", "二级指标", "三级指标"], ["产出指标", "数量指标", "培训人数"]], 0.99)
    second = table(2, [["效益指标", "社会效益指标", "群众满意度"]], 0.41)
    stitched = stitch_tables([first, second])
    assert len(stitched) == 1 and isinstance(stitched[0], Table)
    assert {c.text: c.confidence for c in stitched[0].cells if c.row == 2} == {
        "效益指标": 0.41, "社会效益指标": 0.41, "群众满意度": 0.41}


def test_a_run_of_strokes_along_a_text_line_beside_a_ruling_does_not_split_its_cell() -> None:
    # a row of characters whose horizontal strokes line up, joined into one run that reaches the cell's right
    # ruling (as a noisy photo's along-the-line averaging makes it): it lies in the middle of a boxed text line
    img = _drawn_table()
    cv2.line(img, (560, 226), (700, 226), 0, 2)
    boxes = [*BOXES, _box("案件类警情持续下降", 515, 214, 695, 238)]
    table = next(b for b in page_blocks(img, boxes, page=1, to_page=IDENTITY) if isinstance(b, Table))
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert any(c.text == "案件类警情持续下降" for c in table.cells)
