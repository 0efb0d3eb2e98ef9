"""Stitch tables that continue on the next page into one table."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.grid import Block, Cell, DocumentGrid, Table, TextLine
from extractor.layout.vocabulary import is_level1, is_level2
from extractor.textnorm import squash

# A cell that starts like this opens a new row; a continuation fragment does not.
_ROW_START = re.compile(r"^(指标\s*\d+|\d+\s*[、.．:：)）]|[（(]\s*\d+\s*[)）]|[一二三四五六七八九十]+\s*[、.．])")
# A target opens its cell ("≥90%", "≤1%", "100%"): a cell starting so is a row of its own, never a wrapped tail.
_SHORT_VALUE = re.compile(r"^([≥≤<>=＝≦≧].*|[-+]?\d+(\.\d+)?\s*[%％]?|正向指标|反向指标|定性|定量)$")
_MINOR_TEXT_MAX = 20  # page numbers, "金额单位：万元" and the like may sit between the halves


def _is_minor(block: Block) -> bool:
    return isinstance(block, TextLine) and len(block.text) <= _MINOR_TEXT_MAX and "表" not in block.text


def _row_texts(table: Table, row: int) -> list[str]:
    return table.anchors()[row] if 0 <= row < table.n_rows else []


def _drop_rows(table: Table, drop: set[int]) -> Table:
    keep = [r for r in range(table.n_rows) if r not in drop]
    new_index = {r: i for i, r in enumerate(keep)}
    cells = [replace(c, row=new_index[c.row]) for c in table.cells if c.row in new_index]
    return Table(cells=cells, n_rows=len(keep), n_cols=table.n_cols, source=table.source,
                 row_pages=[table.page_of(r) for r in keep], row_boxes=[table.bbox_of(r) for r in keep])


def _is_split_row(prev: Table, cont: Table) -> bool:
    """The first row only carries on the wrapped text of some cells of the row the page cut."""
    first = _row_texts(cont, 0)
    last = prev.matrix()[prev.n_rows - 1] if prev.n_rows else []
    filled = {j for j, t in enumerate(first) if t}
    last_filled = {j for j, t in enumerate(last) if t}
    if not filled or any(_ROW_START.match(t) for t in first if t):
        return False
    if not (filled <= last_filled and len(filled) < len(last_filled)):
        return False
    above = {c.col: c for c in prev.cells if c.row <= prev.n_rows - 1 < c.row + c.rowspan}
    if any(above[j].open_end is False for j in filled if j in above):
        return False  # a cell above ended its text on a short line: this row is the next one, levels merged down
    # Short values (symbols, numbers) never wrap, and a level name is a row of its own — unless the page cut a
    # level name in two ("服务对象满意度指" + "标"): then the fragment completes the cell above.
    completes = any(t and (is_level1(last[j] + t) or is_level2(last[j] + t)) and not (is_level1(t) or is_level2(t))
                    for j, t in enumerate(first))
    for t in first:
        if not t:
            continue
        if _SHORT_VALUE.match(t) or ((is_level1(t) or is_level2(t)) and not completes):
            return False
    return True


def _merge(prev: Table, cont: Table) -> Table:
    headers = {squash("".join(_row_texts(prev, r))) for r in range(min(prev.n_rows, 4))}
    # A header repeated on the next page is words only: a data row that happens to equal one of the first rows
    # (the same indicator in a 总目标 and a 本年度 table) is kept.
    drop = {r for r in range(min(cont.n_rows, 2))
            if (key := squash("".join(_row_texts(cont, r)))) in headers and not re.search(r"\d", key)}
    drop |= {r for r in range(cont.n_rows) if not any(_row_texts(cont, r))}
    cont = _drop_rows(cont, drop)
    cells = list(prev.cells)
    offset = prev.n_rows
    start = 0
    if cont.n_rows and _is_split_row(prev, cont):
        # The row was cut by the page break: its text continues in the first row here.
        last = prev.n_rows - 1
        for c in cont.cells:
            if c.row != 0 or not c.text:
                continue
            at = next((k for k, p in enumerate(cells) if p.col == c.col and p.row <= last < p.row + p.rowspan), None)
            if at is None:
                cells.append(replace(c, row=last, rowspan=1))
            else:  # a new cell: the page-by-page grid is read again by the other alternatives
                owner = cells[at]
                cells[at] = replace(owner, text=owner.text + c.text, confidence=min(owner.confidence, c.confidence))
        start, offset = 1, prev.n_rows - 1
    for c in cont.cells:
        if c.row >= start:
            cells.append(replace(c, row=c.row + offset))
    rows = list(range(start, cont.n_rows))
    return Table(cells=cells, n_rows=prev.n_rows + len(rows), n_cols=prev.n_cols, source=prev.source,
                 row_pages=prev.row_pages + [cont.page_of(r) for r in rows],
                 row_boxes=prev.row_boxes + [cont.bbox_of(r) for r in rows])


def _col_ranges(table: Table) -> list[tuple[float, float]] | None:
    ranges: list[tuple[float, float] | None] = [None] * table.n_cols
    for c in table.cells:
        if c.bbox is None or c.colspan != 1 or c.col >= table.n_cols:
            continue
        old = ranges[c.col]
        ranges[c.col] = (c.bbox[0], c.bbox[2]) if old is None else (min(old[0], c.bbox[0]), max(old[1], c.bbox[2]))
    return None if any(r is None for r in ranges) else [r for r in ranges if r is not None]


def _reproject(table: Table, ranges: list[tuple[float, float]]) -> Table | None:
    """Re-index a table's columns onto another table's column x-ranges (same page layout, other rulings).

    Cells keep their left-to-right order and never share a column: the row aligner downstream
    copes with a value one column off, not with two values glued together.
    """
    if any(c.bbox is None for c in table.cells):
        return None
    last = len(ranges) - 1
    out: list[Cell] = []
    by_row: dict[int, list[Cell]] = {}
    for c in table.cells:
        by_row.setdefault(c.row, []).append(c)
    glued = 0
    for row_cells in by_row.values():
        prev_col = -1
        for c in sorted(row_cells, key=lambda x: x.bbox[0] if x.bbox else 0.0):
            assert c.bbox is not None
            x0, x1 = c.bbox[0], c.bbox[2]
            centre = (x0 + x1) / 2
            nearest = min(range(len(ranges)), key=lambda i: 0 if ranges[i][0] <= centre <= ranges[i][1]
                          else min(abs(centre - ranges[i][0]), abs(centre - ranges[i][1])))
            col = min(max(nearest, prev_col + 1), last)
            if col == prev_col and out:
                out[-1].text += c.text  # more cells than columns: keep the text, glued at the edge
                out[-1].confidence = min(out[-1].confidence, c.confidence)
                glued += 1
                continue
            span = max(1, sum(1 for a, b in ranges if min(b, x1) - max(a, x0) > 0.5 * (b - a)))
            out.append(replace(c, col=col, colspan=span))
            prev_col = col
    if glued > table.n_rows:
        # Several cells per row would be glued: this is another table (a form's indicator block under the
        # previous page's label block), not the same table ruled differently.
        return None
    return Table(cells=out, n_rows=table.n_rows, n_cols=len(ranges), source=table.source,
                 row_pages=table.row_pages, row_boxes=table.row_boxes)


def _same_frame(a: Table, b: Table) -> bool:
    boxes_a = [c.bbox for c in a.cells if c.bbox]
    boxes_b = [c.bbox for c in b.cells if c.bbox]
    if not boxes_a or not boxes_b:
        return False
    left_a, right_a = min(x[0] for x in boxes_a), max(x[2] for x in boxes_a)
    left_b, right_b = min(x[0] for x in boxes_b), max(x[2] for x in boxes_b)
    return abs(left_a - left_b) < 5 and abs(right_a - right_b) < 5


def stitch_tables(blocks: list[Block]) -> list[Block]:
    """Merge each table that opens a page into the previous page's last table when it continues it."""
    out: list[Block] = []
    last_table: int | None = None
    for block in blocks:
        if isinstance(block, Table) and last_table is not None:
            prev = out[last_table]
            assert isinstance(prev, Table)
            prev_page = prev.page_of(prev.n_rows - 1)
            between = out[last_table + 1:]
            if prev_page is not None and block.page_of(0) == prev_page + 1 and all(_is_minor(b) for b in between):
                if block.n_cols != prev.n_cols and _same_frame(prev, block) and (ranges := _col_ranges(prev)):
                    # The next page drew different rulings: place its cells by x position instead.
                    block = _reproject(block, ranges) or block
                if block.n_cols == prev.n_cols:
                    out[last_table] = _merge(prev, block)
                    continue
        out.append(block)
        if isinstance(block, Table):
            last_table = len(out) - 1
    return out


def stitch_grid(grid: DocumentGrid) -> DocumentGrid:
    """The grid with every table that continues on the next page joined to it."""
    return DocumentGrid(blocks=stitch_tables(grid.blocks), n_pages=grid.n_pages,
                        needs_ocr_pages=grid.needs_ocr_pages)
