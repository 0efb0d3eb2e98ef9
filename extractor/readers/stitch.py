"""Stitch tables that continue on the next page into one table."""

from __future__ import annotations

import re

from extractor.grid import Block, Cell, Table, TextLine
from extractor.textnorm import squash

# A cell that starts like this opens a new row; a continuation fragment does not.
_ROW_START = re.compile(r"^(指标\s*\d+|\d+\s*[、.．:：)）]|[（(]\s*\d+\s*[)）]|[一二三四五六七八九十]+\s*[、.．])")
_MINOR_TEXT_MAX = 20  # page numbers, "金额单位：万元" and the like may sit between the halves


def _is_minor(block: Block) -> bool:
    return isinstance(block, TextLine) and len(block.text) <= _MINOR_TEXT_MAX and "表" not in block.text


def _row_texts(table: Table, row: int) -> list[str]:
    return table.anchors()[row] if 0 <= row < table.n_rows else []


def _drop_rows(table: Table, drop: set[int]) -> Table:
    keep = [r for r in range(table.n_rows) if r not in drop]
    new_index = {r: i for i, r in enumerate(keep)}
    cells = [Cell(row=new_index[c.row], col=c.col, text=c.text, rowspan=c.rowspan, colspan=c.colspan,
                  page=c.page, bbox=c.bbox) for c in table.cells if c.row in new_index]
    return Table(cells=cells, n_rows=len(keep), n_cols=table.n_cols, source=table.source,
                 row_pages=[table.page_of(r) for r in keep], row_boxes=[table.bbox_of(r) for r in keep])


def _is_split_row(prev: Table, cont: Table) -> bool:
    first = _row_texts(cont, 0)
    last = prev.matrix()[prev.n_rows - 1] if prev.n_rows else []
    filled = {j for j, t in enumerate(first) if t}
    if not filled or any(_ROW_START.match(t) for t in first if t):
        return False
    return filled <= {j for j, t in enumerate(last) if t}


def _merge(prev: Table, cont: Table) -> Table:
    headers = {squash("".join(_row_texts(prev, r))) for r in range(min(prev.n_rows, 4))}
    drop = {r for r in range(min(cont.n_rows, 2)) if squash("".join(_row_texts(cont, r))) in headers}
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
            owner = next((p for p in cells if p.col == c.col and p.row <= last < p.row + p.rowspan), None)
            if owner is None:
                cells.append(Cell(row=last, col=c.col, text=c.text, colspan=c.colspan, page=c.page, bbox=c.bbox))
            else:
                owner.text += c.text
        start, offset = 1, prev.n_rows - 1
    for c in cont.cells:
        if c.row >= start:
            cells.append(Cell(row=c.row + offset, col=c.col, text=c.text, rowspan=c.rowspan, colspan=c.colspan,
                              page=c.page, bbox=c.bbox))
    rows = list(range(start, cont.n_rows))
    return Table(cells=cells, n_rows=prev.n_rows + len(rows), n_cols=prev.n_cols, source=prev.source,
                 row_pages=prev.row_pages + [cont.page_of(r) for r in rows],
                 row_boxes=prev.row_boxes + [cont.bbox_of(r) for r in rows])


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
            if (prev_page is not None and block.page_of(0) == prev_page + 1 and block.n_cols == prev.n_cols
                    and all(_is_minor(b) for b in between)):
                out[last_table] = _merge(prev, block)
                continue
        out.append(block)
        if isinstance(block, Table):
            last_table = len(out) - 1
    return out
