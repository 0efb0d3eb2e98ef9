"""Exports: JSON per extraction-format.md, and flat CSV/XLSX (one row per indicator, Chinese headers) for people.

Cell text stays text: XLSX cells are written as string cells (a target such as "=100%" is never a formula),
and CSV neutralises formula-like text the OWASP way (a leading ' before = + - @ tab or CR, unless the whole
value is a plain number), which `read_csv_cell` undoes for a lossless round trip.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from extractor.schema import FLAT_INDICATOR_FIELDS, INDICATOR_LABELS, Document, Export

# Column key -> the header people read. Keys are the English field names of the JSON export.
FLAT_LABELS: dict[str, str] = {
    "source": "文件", "department": "部门", "fiscal_year": "年度", "project_kind": "类型", "project": "项目名称",
    "project_code": "项目编码", "budget_total": "预算金额（万元）", "goal": "年度目标",
    **{f: INDICATOR_LABELS[f] for f in FLAT_INDICATOR_FIELDS},  # the indicator columns come from the schema
}
FLAT_COLUMNS = list(FLAT_LABELS)
_SHOWN: dict[str, dict[Any, str]] = {"project_kind": {"overall": "整体", "project": "项目"},
          "direction": {"positive": "正向", "negative": "反向"},
          "origin": {"rules": "规则", "llm": "模型", "human": "人工"},
          "qualitative": {True: "是", False: "否"}}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# What XML 1.0 (so XLSX) cannot hold: C0 controls except tab, newline, carriage return.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def to_json(documents: list[Document]) -> str:
    """{"documents": [...]} exactly as the export format names it."""
    return Export(documents=documents).model_dump_json(indent=2)


def flat_rows(documents: list[Document]) -> Iterator[list[object]]:
    """One row per indicator in FLAT_COLUMNS order (a project without indicators still gets one row)."""
    for d in documents:
        for p in d.projects:
            base = [d.source, d.department, d.fiscal_year, p.kind, p.name, p.code, p.budget.total, p.goal]
            if not p.indicators:
                yield [*base, *([None] * (len(FLAT_COLUMNS) - len(base)))]
            for i in p.indicators:
                yield [*base, *(getattr(i, f) for f in FLAT_INDICATOR_FIELDS)]


def _people_rows(documents: list[Document]) -> Iterator[list[object]]:
    for row in flat_rows(documents):
        yield [_SHOWN.get(key, {}).get(v, v) if v is not None else None
               for key, v in zip(FLAT_COLUMNS, row, strict=True)]


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: formula-like text gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def read_csv_cell(text: str) -> str:
    """The text csv_cell was given (its guard removed)."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text[1:]):
        return text[1:]
    return text


def to_csv(documents: list[Document]) -> str:
    """CSV with Chinese headers (UTF-8 with BOM so Excel shows Chinese); formula-like text neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([FLAT_LABELS[k] for k in FLAT_COLUMNS])
    for row in _people_rows(documents):
        w.writerow([csv_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


def xlsx_sheet_rows(sheet: Any, rows: Iterable[list[object]]) -> None:
    """Append rows to an openpyxl worksheet, every text cell a string cell (never a formula), XML-safe."""
    for row in rows:
        sheet.append([_ILLEGAL_XML.sub("\ufffd", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store "=100%" as a formula


def to_xlsx(documents: list[Document]) -> bytes:
    """An .xlsx workbook with one sheet of indicators, Chinese headers, text as text."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    xlsx_sheet_rows(ws, [[FLAT_LABELS[k] for k in FLAT_COLUMNS]])
    xlsx_sheet_rows(ws, _people_rows(documents))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
