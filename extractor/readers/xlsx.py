"""Excel workbooks: every sheet a table, merged ranges kept as spans."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from lxml import etree

from extractor.grid import Block, Cell, DocumentGrid, Table, TextLine
from extractor.readers.limits import Limits, cell_ref, range_area
from extractor.textnorm import clean_cell
from kernel.errors import CorruptFileError, EncryptedFileError

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


class _SheetExtent:
    """lxml parser target: the used range and merged area of one sheet, read as a stream (no tree is built)."""

    def __init__(self) -> None:
        self.rows = self.cols = self.merged = 0
        self._row = self._col = 0

    def _reach(self, row: int, col: int) -> None:
        self.rows, self.cols = max(self.rows, row), max(self.cols, col)

    def start(self, tag: str, attrib: Any) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local == "row":
            r = attrib.get("r")
            self._row = int(r) if r and r.isdigit() else self._row + 1
            self._col = 0
        elif local == "c":
            at = cell_ref(attrib.get("r") or "")
            self._col = at[1] if at else self._col + 1
            self._reach(at[0] if at else self._row, self._col)
        elif local in ("mergeCell", "dimension"):
            ref = attrib.get("ref") or ""
            if local == "mergeCell":
                self.merged += range_area(ref)
            for part in ref.split(":"):
                at = cell_ref(part)
                if at:
                    self._reach(*at)

    def close(self) -> None:
        return None


def check_sheets(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose used ranges or merged ranges are too large, before openpyxl builds any cell."""
    zf = limits.check_zip(data)
    total = 0
    for info in zf.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        extent = _SheetExtent()
        parser = etree.XMLParser(target=extent, resolve_entities=False, huge_tree=True)
        with zf.open(info) as stream:
            try:
                while chunk := stream.read(1 << 20):
                    parser.feed(chunk)
                parser.close()
            except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError) as exc:
                raise CorruptFileError("Excel 文件已损坏，无法打开") from exc
        if extent.merged > limits.max_merged_cells:
            raise limits.refuse("合并单元格过多", f"的合并单元格覆盖 {extent.merged} 个单元格",
                                f"{limits.max_merged_cells} 个",
                                "JIXIAO_MAX_MERGED_CELLS")
        total += extent.rows * extent.cols
        if total > limits.max_cells:
            raise limits.refuse("工作表范围过大",
                                f"的工作表使用范围有 {total} 个单元格（最远到第 {extent.rows} 行第 {extent.cols} 列）",
                                f"{limits.max_cells} 个", "JIXIAO_MAX_CELLS")


def read_xlsx(data: bytes, limits: Limits | None = None) -> DocumentGrid:
    """Read an .xlsx workbook (within `limits`, checked before any cell is built)."""
    import openpyxl

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise EncryptedFileError("Excel 文件已加密或为旧版 .xls 格式，无法读取")
    try:
        check_sheets(data, limits or Limits())
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CorruptFileError("Excel 文件已损坏，无法打开") from exc
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
