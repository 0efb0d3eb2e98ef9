"""Excel rendering (openpyxl): one worksheet per section, tables with merges, borders and number formats."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from eval.layouts.spec import LayoutSpec, Section, TableBlock
from eval.layouts.stable import FIXED_TIME

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


def _write_table(ws: Worksheet, top: int, table: TableBlock) -> int:
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            xc = ws.cell(row=top + r, column=1 + c)
            if cell.number is not None:
                xc.value = cell.number
                if cell.fmt:
                    xc.number_format = cell.fmt
            elif cell.text:
                xc.value = cell.text
                xc.data_type = "s"  # text such as "=1年" or "=" is a string, not a formula
            xc.border = _BORDER
            xc.alignment = _WRAP
            if cell.bold:
                xc.font = Font(bold=True)
    for m in table.merges:
        ws.merge_cells(start_row=top + m.row0, start_column=1 + m.col0, end_row=top + m.row1, end_column=1 + m.col1)
    for r in table.page_breaks:  # a manual page break above that row, as a printed sheet has
        ws.row_breaks.append(Break(id=top + r - 1))
    return top + len(table.rows)


def _write_section(ws: Worksheet, section: Section) -> None:
    tables = [b for b in section.blocks if isinstance(b, TableBlock)]
    width = max((t.n_cols for t in tables), default=1)
    row = 1
    for block in section.blocks:
        if isinstance(block, TableBlock):
            row = _write_table(ws, row, block) + 1  # a blank row after each table
            continue
        ws.cell(row=row, column=1, value=block.text)
        if block.style == "title":
            ws.cell(row=row, column=1).font = Font(bold=True, size=14)
            ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
            if width > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    if tables and tables[0].widths:
        for c, w in enumerate(tables[0].widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = round(8 * w, 1)


def render_xlsx(spec: LayoutSpec) -> bytes:
    """The workbook bytes (members not yet timestamp-normalised)."""
    wb = Workbook()
    default = wb.active
    for section in spec.sections:
        _write_section(wb.create_sheet(section.name), section)
    if default is not None:
        wb.remove(default)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "jixiao layout generator"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
