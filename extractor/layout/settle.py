"""Settle a detected indicator header against the rows below it (evidence from cells, sub-header rows)."""

from __future__ import annotations

from extractor.grid import Table
from extractor.layout.columns import header_texts, is_subheader, settle_header
from extractor.layout.indicators import IndicatorHeader, detect_header, period_subheader
from extractor.layout.roles import ColumnRole
from extractor.layout.vocabulary import form_field, label_key

MAX_EVIDENCE_ROWS = 300


def _project_label_row(row: list[str]) -> bool:
    return any(t and form_field(t) in ("name", "code", "total", "goal", "unit") and len(label_key(t)) <= 8
               for t in row)


def block_rows(rows: list[list[str]], start: int) -> list[list[str]]:
    """The data rows of an indicator block: from `start` until the next header or project label row."""
    out = []
    for row in rows[start:start + MAX_EVIDENCE_ROWS]:
        if detect_header(row) is not None or _project_label_row(row):
            break
        if sum(1 for t in row if t) >= 2:  # a lone cell (a title, a note) says nothing about the columns
            out.append(row)
    return out


def settle_from_rows(header: IndicatorHeader, table: Table, rows: list[list[str]], r: int
                     ) -> tuple[IndicatorHeader, list[ColumnRole], int]:
    """The header at row r re-read with its cells' evidence; also the last header row (a second one, when printed)."""
    last = r
    if r + 1 < len(rows) and is_subheader(rows[r + 1]) and not period_subheader(rows[r + 1]):
        last = r + 1
    spans = {(c.row, c.col): c.colspan for c in table.cells if c.colspan > 1}
    texts = header_texts(rows, spans, r, last)
    settled, roles = settle_header(header, texts, block_rows(rows, last + 1))
    return settled, roles, last
