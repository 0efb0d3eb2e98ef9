"""A table's grid filled with the OCR boxes whose centre each cell holds; a column of a known kind read as that kind."""

from __future__ import annotations

import numpy as np

from extractor.grid import BBox, Cell, Table
from extractor.ocr.engine import OcrBox
from extractor.ocr.lone_marks import ReadCell
from extractor.ocr.mark_columns import MARKS, cells_to_reread
from extractor.ocr.text import cell_text
from extractor.ocr.unit_columns import UNIT_CHARACTERS, is_unit, unit_cells_to_reread

Found = tuple[int, int, int, int, str, float]  # a cell's grid slots (r0, c0, r1, c1), its text and score


def to_page_box(rect: tuple[float, float, float, float], to_page: np.ndarray) -> BBox:
    """A rectangle in working pixels as a box in page units."""
    x0, y0, x1, y1 = rect
    pts = np.array([[x0, y0, 1.0], [x1, y0, 1.0], [x0, y1, 1.0], [x1, y1, 1.0]]) @ to_page.T
    return (round(float(pts[:, 0].min()), 2), round(float(pts[:, 1].min()), 2),
            round(float(pts[:, 0].max()), 2), round(float(pts[:, 1].max()), 2))


def centre(b: OcrBox) -> tuple[float, float]:
    """The middle of a text line's box."""
    return (b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2


def _known_kinds(found: list[Found], xs: list[int], ys: list[int], lone: ReadCell) -> list[Found]:
    """Cells of a column of comparison marks or of units that read as something else, read again as that kind."""
    single = [k for k, f in enumerate(found) if f[3] - f[1] == 1]
    top = min((f[0] for f in found), default=0)
    headers = {f[1]: f[4] for f in found if f[0] == top and f[3] - f[1] == 1}  # each rule folds its spaces
    columns, texts, scores = ([found[k][1] for k in single], [found[k][4] for k in single],
                              [found[k][5] for k in single])
    out = list(found)
    for rereads, allowed, kept in ((cells_to_reread(columns, texts, headers), MARKS, bool),
                                   (unit_cells_to_reread(columns, texts, scores, headers), UNIT_CHARACTERS, is_unit)):
        for k in (single[i] for i in rereads):
            r0, c0, r1, c1, _, _ = found[k]
            text, score = lone((xs[c0], ys[r0], xs[c1], ys[r1]), allowed=allowed)
            if kept(text):
                out[k] = (r0, c0, r1, c1, text, score)
    return out


def fill_table(xs: list[int], ys: list[int], slots: list[tuple[int, int, int, int]], boxes: list[OcrBox],
               page: int, to_page: np.ndarray, index: int, lone: ReadCell | None = None) -> tuple[Table, set[int]]:
    """The grid's cells filled with the OCR boxes whose centre they hold; also which boxes were used."""
    used: set[int] = set()
    found: list[Found] = []
    for r0, c0, r1, c1 in slots:
        x0, y0, x1, y1 = xs[c0], ys[r0], xs[c1], ys[r1]
        inside = [i for i, b in enumerate(boxes) if i not in used and x0 <= centre(b)[0] < x1
                  and y0 <= centre(b)[1] < y1]
        used.update(inside)
        text, score = cell_text([boxes[i] for i in inside])
        if not text and lone is not None:  # a mark the detector missed, read alone
            text, score = lone((x0, y0, x1, y1))
        found.append((r0, c0, r1, c1, text, score))
    if lone is not None:  # a column's header or its other cells say what a cell in it holds
        found = _known_kinds(found, xs, ys, lone)
    # Like the text-layer reader: a row per distinct cell top, a column per distinct cell left edge.
    rows = sorted({f[0] for f in found})
    cols = sorted({f[1] for f in found})
    cells: list[Cell] = []
    for r0, c0, r1, c1, text, score in found:
        rect = (xs[c0], ys[r0], xs[c1], ys[r1])
        cells.append(Cell(row=rows.index(r0), col=cols.index(c0), text=text,
                          rowspan=max(1, sum(1 for r in rows if r0 <= r < r1)),
                          colspan=max(1, sum(1 for c in cols if c0 <= c < c1)),
                          page=page, bbox=to_page_box(rect, to_page), confidence=round(score, 4)))
    row_boxes: list[BBox | None] = []
    for i in range(len(rows)):
        own = [c.bbox for c in cells if c.row == i and c.bbox and c.rowspan == 1]
        own = own or [c.bbox for c in cells if c.row == i and c.bbox]
        row_boxes.append((min(b[0] for b in own), min(b[1] for b in own), max(b[2] for b in own),
                          max(b[3] for b in own)) if own else None)
    table = Table(cells=cells, n_rows=len(rows), n_cols=len(cols), source=f"page {page} table {index}",
                  row_pages=[page] * len(rows), row_boxes=row_boxes)
    return table, used
