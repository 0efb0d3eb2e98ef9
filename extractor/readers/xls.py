"""Legacy Excel (.xls, BIFF) workbooks via xlrd: every sheet a table, merged ranges kept as spans."""

from __future__ import annotations

from typing import Any

from extractor.grid import Block, DocumentGrid
from extractor.readers.limits import Limits
from extractor.readers.xlsx import cell_text, sheet_blocks
from kernel.errors import CorruptFileError, EncryptedFileError


def _value(book: Any, sheet: Any, r: int, c: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        fmt = book.format_map.get(xf.format_key)
        return cell_text(cell.value, fmt.format_str if fmt else "General")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    return cell_text(cell.value)


def _check(book: Any, limits: Limits) -> None:
    """Refuse used ranges or merged ranges over the limits before any row is built."""
    total = 0
    for sheet in book.sheets():
        merged = sum((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in sheet.merged_cells)
        if merged > limits.max_merged_cells:
            raise limits.refuse("合并单元格过多", f"的合并单元格覆盖 {merged} 个单元格",
                                f"{limits.max_merged_cells} 个",
                                "JIXIAO_MAX_MERGED_CELLS")
        total += sheet.nrows * sheet.ncols
        if total > limits.max_cells:
            raise limits.refuse("工作表范围过大", f"的工作表使用范围有 {total} 个单元格", f"{limits.max_cells} 个",
                                "JIXIAO_MAX_CELLS")


def read_xls(data: bytes, limits: Limits | None = None) -> DocumentGrid:
    """Read a legacy .xls workbook (within `limits`)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedFileError("Excel 文件已加密（需要密码），无法读取") from exc
        if "find workbook" in str(exc).lower():  # another OLE2 file: a .doc, or an encrypted .docx/.xlsx
            raise EncryptedFileError("旧版 Word 文件（.doc）或已加密的文件：请另存为 .docx/.xlsx 后上传") from exc
        raise CorruptFileError(f"旧版 Excel 文件无法解析：{exc}") from exc
    except Exception as exc:  # xlrd raises assorted errors on OLE2 files it cannot take apart
        raise EncryptedFileError("旧版 Office 文件（.doc/.xls）已损坏或已加密，无法读取：请另存为 .docx/.xlsx 后上传"
                                 ) from exc
    _check(book, limits or Limits())
    blocks: list[Block] = []
    for sheet in book.sheets():
        rows = [[_value(book, sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        blocks.extend(sheet_blocks(sheet.name, rows, sheet.merged_cells))
    return DocumentGrid(blocks=blocks, n_pages=max(1, book.nsheets))
