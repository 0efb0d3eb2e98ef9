"""Excel workbooks: every sheet a table, merged ranges kept as spans."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from extractor.errors import CorruptFileError, EncryptedFileError
from extractor.grid import Block, Cell, DocumentGrid, Table, TextLine
from extractor.textnorm import clean_cell

# openpyxl only knows merged ranges in normal mode; above this size read-only mode keeps
# memory bounded and merged cells simply stay empty (layout mapping carries them down).
_READ_ONLY_ABOVE = 20 * 1024 * 1024


def _number(value: float) -> str:
    # Plain decimal notation without float noise (0.1 + 0.2 must print as 0.3, 1e6 as 1000000).
    text = format(round(value, 10), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell as the sheet shows it: percent formats as "95%", dates as 2024-12-31, numbers without noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return _number(value * 100) + "%"
        return _number(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0, 0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_cell(str(value))


def sheet_blocks(title: str, rows: list[list[str]], merged: list[tuple[int, int, int, int]]) -> list[Block]:
    """One worksheet as a title line and a table; `merged` holds half-open (row0, row1, col0, col1) ranges."""
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        return []
    spans = {(r0, c0): (r1 - r0, c1 - c0) for r0, r1, c0, c1 in merged}
    covered = {(r, c) for r0, r1, c0, c1 in merged for r in range(r0, r1) for c in range(c0, c1)}
    cells = []
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if (i, j) in spans:
                rs, cs = spans[(i, j)]
                cells.append(Cell(row=i, col=j, text=text, rowspan=rs, colspan=cs))
            elif text and (i, j) not in covered:
                cells.append(Cell(row=i, col=j, text=text))
    return [TextLine(f"sheet {title}"),
            Table(cells=cells, n_rows=len(rows), n_cols=max(len(r) for r in rows), source=f"sheet {title}",
                  row_pages=[None] * len(rows))]


def read_xlsx(data: bytes) -> DocumentGrid:
    """Read an .xlsx workbook."""
    import openpyxl

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise EncryptedFileError("Excel 文件已加密或为旧版 .xls 格式，无法读取")
    read_only = len(data) > _READ_ONLY_ABOVE
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CorruptFileError("Excel 文件已损坏，无法打开") from exc
    blocks: list[Block] = []
    for ws in wb.worksheets:
        rows = [[cell_text(getattr(c, "value", None), getattr(c, "number_format", "General")) for c in row]
                for row in ws.iter_rows()]
        merged = [] if read_only else [(rng.min_row - 1, rng.max_row, rng.min_col - 1, rng.max_col)
                                       for rng in ws.merged_cells.ranges]
        blocks.extend(sheet_blocks(ws.title, rows, merged))
    wb.close()
    return DocumentGrid(blocks=blocks, n_pages=max(1, len(wb.worksheets)))
