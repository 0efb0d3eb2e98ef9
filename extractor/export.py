"""Exports: JSON per extraction-format.md, and flat CSV/XLSX with one row per indicator."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from extractor.schema import Document, Export

FLAT_COLUMNS = [
    "source", "department", "fiscal_year", "project_kind", "project", "project_code", "budget_total", "goal",
    "level1", "level2", "name", "target", "operator", "value", "value_max", "unit", "qualitative", "weight",
    "direction", "basis", "midterm_target", "page", "confidence", "origin",
]


def to_json(documents: list[Document]) -> str:
    """{"documents": [...]} exactly as the export format names it."""
    return Export(documents=documents).model_dump_json(indent=2)


def flat_rows(documents: list[Document]) -> Iterator[list[object]]:
    """One row per indicator (a project without indicators still gets one row)."""
    for d in documents:
        for p in d.projects:
            base = [d.source, d.department, d.fiscal_year, p.kind, p.name, p.code, p.budget.total, p.goal]
            if not p.indicators:
                yield [*base, *([None] * (len(FLAT_COLUMNS) - len(base)))]
            for i in p.indicators:
                yield [*base, i.level1, i.level2, i.name, i.target, i.operator, i.value, i.value_max, i.unit,
                       i.qualitative, i.weight, i.direction, i.basis, i.midterm_target, i.page, i.confidence,
                       i.origin]


def _safe(v: object) -> object:
    # Cells starting with = + - @ are formulas to spreadsheet programs: hostile text stays text.
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") and not v[1:2].isdigit():
        return "'" + v
    return v


def to_csv(documents: list[Document]) -> str:
    """CSV with a header row (UTF-8 with BOM so Excel shows Chinese)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(FLAT_COLUMNS)
    for row in flat_rows(documents):
        w.writerow([_safe(v) for v in row])
    return "\ufeff" + buf.getvalue()


def to_xlsx(documents: list[Document]) -> bytes:
    """An .xlsx workbook with one sheet of indicators."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标"
    ws.append(FLAT_COLUMNS)
    for row in flat_rows(documents):
        ws.append([_safe(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
