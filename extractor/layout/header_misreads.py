"""Header cells OCR misread by one character, read as the header name the rest of their row proves.

A photographed header "绩效指标" read as "绿效指标" is one character from 绩效指标 and from 时效指标 alike, so no
repair by the word alone can tell which (ocr.repair leaves it). Its row can: a row that prints two or more header
names exactly is a header row, and in a header row only header names stand, so a cell one character from exactly
one header name is that name. Without it the table's packed indicator column, or the whole table, goes unread.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from extractor.grid import Cell, DocumentGrid, Table
from extractor.layout.header_words import header_scores
from extractor.layout.vocabulary import HEADER_SYNONYMS, WIDE_SYNONYMS
from extractor.textnorm import only_name_one_character_apart, squash

log = logging.getLogger(__name__)

_NAMES = frozenset(squash(n) for table in (HEADER_SYNONYMS, WIDE_SYNONYMS) for names in table.values()
                   for n in names)
_MIN_LEN = 4  # a name of two or three characters is one character from too many printed words (单位, 单价)
_MIN_EXACT = 2  # header names printed exactly that make a row a header row
_HEAD_ROWS = 12  # a table's header sits in its first rows


def _one_off(text: str) -> str | None:
    """The only header name this text is one misread Chinese character from, if exactly one."""
    return only_name_one_character_apart(text, _NAMES) if len(text) >= _MIN_LEN else None


def _repaired_row(cells: list[Cell]) -> list[Cell]:
    """The row's cells with misread header names put right, when the row is a header row; else as they were."""
    if sum(1 for c in cells if squash(c.text) in _NAMES) < _MIN_EXACT:
        return cells
    out = []
    for cell in cells:
        key = squash(cell.text)
        # only OCR'd text (a text layer prints what it prints) that names no field as it reads
        fix = _one_off(key) if cell.confidence < 1.0 and key not in _NAMES and not header_scores(cell.text) else None
        if fix:
            log.debug("header cell %r read as %r (its row is a header row)", cell.text, fix)
        out.append(replace(cell, text=fix) if fix else cell)
    return out


def repair_table(table: Table) -> Table:
    """The table with its header rows' one-character misreadings of header names put right."""
    by_row: dict[int, list[Cell]] = {}
    for cell in table.cells:
        if cell.row < _HEAD_ROWS:
            by_row.setdefault(cell.row, []).append(cell)
    swap = {id(a): b for cells in by_row.values() for a, b in zip(cells, _repaired_row(cells), strict=True)
            if a is not b}
    if not swap:
        return table
    return replace(table, cells=[swap.get(id(c), c) for c in table.cells])


def repair_headers(grid: DocumentGrid) -> DocumentGrid:
    """Every table of the grid with misread header names put right (a grid with none comes back as it was)."""
    return grid.with_tables(repair_table)
