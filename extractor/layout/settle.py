"""Settle a detected indicator header against the rows below it (evidence from cells, sub-header rows)."""

from __future__ import annotations

from extractor.layout.columns import header_texts, is_subheader, settle_header
from extractor.layout.form_rows import is_sign_off
from extractor.layout.forms import project_label_row
from extractor.layout.indicators import IndicatorHeader, detect_header, period_subheader
from extractor.layout.roles import ColumnRole

MAX_EVIDENCE_ROWS = 300


def block_rows(rows: list[list[str]], start: int) -> list[list[str]]:
    """The data rows of an indicator block: from `start` until the next header or project label row."""
    out = []
    for row in rows[start:start + MAX_EVIDENCE_ROWS]:
        if detect_header(row) is not None or project_label_row(row) or is_sign_off(row):
            break
        if sum(1 for t in row if t) >= 2:  # a lone cell (a title, a note) says nothing about the columns
            out.append(row)
    return out


def settle_from_rows(header: IndicatorHeader, rows: list[list[str]], r: int, spans: dict[tuple[int, int], int]
                     ) -> tuple[IndicatorHeader, list[ColumnRole], int]:
    """The header at row r re-read with its cells' evidence; also the last header row (a second one, when printed)."""
    last = r
    if r + 1 < len(rows) and is_subheader(rows[r + 1]) and not period_subheader(rows[r + 1]):
        last = r + 1
    texts = header_texts(rows, spans, r, last)
    settled, roles = settle_header(header, texts, block_rows(rows, last + 1))
    return settled, roles, last
