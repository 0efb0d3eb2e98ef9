"""Text dumps: tab-separated rows, or one tab-prefixed cell per line with a blank line ending a row."""

from __future__ import annotations

import re

from extractor.grid import Block, DocumentGrid, TextLine, table_from_rows
from extractor.readers.limits import Limits
from extractor.textnorm import clean_cell, normalize_chars

_NOISE = re.compile(r"\[bookmark:[^\]]*\]")


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _is_cell_per_line(lines: list[str]) -> bool:
    tabbed = [ln for ln in lines if "\t" in ln]
    if not tabbed:
        return False
    single = sum(1 for ln in tabbed if ln.startswith("\t") and ln.count("\t") == 1)
    return single / len(tabbed) > 0.8


def _tab_rows(lines: list[str], limits: Limits) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[str]] = []
    for line in lines:
        if "\t" in line:
            limits.check_table(len(rows) + 1, line.count("\t") + 1)  # before the split makes the cells
            rows.append([clean_cell(c) for c in line.split("\t")])
            continue
        if rows:
            blocks.append(table_from_rows(rows, source=f"table {len(blocks) + 1}"))
            rows = []
        if line.strip():
            blocks.append(TextLine(clean_cell(line)))
    if rows:
        blocks.append(table_from_rows(rows, source=f"table {len(blocks) + 1}"))
    return blocks


def _cell_per_line(lines: list[str], limits: Limits) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[str]] = []
    row: list[str] | None = None

    def end_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(table_from_rows(rows, source=f"table {len(blocks) + 1}"))
            rows = []

    for line in lines:
        if line.startswith("\t"):
            if row is None:
                row = []
            row.append(line[1:])
            limits.check_table(len(rows) + 1, len(row))
        elif not line.strip():
            if row is not None:
                rows.append([clean_cell(c) for c in row])
                row = None
        elif row is not None:
            row[-1] += "\n" + line  # a wrapped cell continues on an untabbed line
        else:
            end_table()
            blocks.append(TextLine(clean_cell(line)))
    if row is not None:
        rows.append([clean_cell(c) for c in row])
    end_table()
    return blocks


def read_text(data: bytes, limits: Limits | None = None) -> DocumentGrid:
    """Read a text dump in either style into tables and text lines (tables within `limits`)."""
    limits = limits or Limits()
    text = _NOISE.sub("", normalize_chars(_decode(data))).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    blocks = _cell_per_line(lines, limits) if _is_cell_per_line(lines) else _tab_rows(lines, limits)
    return DocumentGrid(blocks=blocks, n_pages=1)
