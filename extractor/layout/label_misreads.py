"""Label cells of a form OCR misread by one character, read as the label the rest of the form proves.

A photographed 项目支出绩效目标申报表 reads 年度资金总额 as 年度资金总段 and 其中：财政拨款 as 其中：财政振款; the
mapper then finds no annual total and takes the mid-term one, or no fiscal share at all. A table that prints two or
more form labels exactly is a form, and a form's label cells hold labels: an OCR'd cell one Chinese character from
exactly one label name (four characters or more, so 单位 or 项目 never qualify) is that label.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from extractor.grid import Cell, DocumentGrid, Table
from extractor.layout.vocabulary import FORM_LABELS, OTHER_LABELS, is_label, label_key
from extractor.textnorm import only_name_one_character_apart, squash

log = logging.getLogger(__name__)

_NAMES = frozenset({squash(n) for names in FORM_LABELS.values() for n in names} | OTHER_LABELS)
_MIN_LEN = 4
_MIN_EXACT = 2  # labels printed exactly that make a table a form


def _one_off(key: str) -> str | None:
    """The only label name this key is one misread Chinese character from, if exactly one."""
    return only_name_one_character_apart(key, _NAMES) if len(key) >= _MIN_LEN else None


def _repaired(cell: Cell) -> Cell:
    if cell.confidence >= 1.0 or is_label(cell.text):  # a text layer prints what it prints
        return cell
    key = label_key(cell.text)
    fix = _one_off(key)
    if not fix:
        return cell
    text = squash(cell.text).replace(key, fix, 1)
    log.debug("label cell %r read as %r (the table is a form)", cell.text, text)
    return replace(cell, text=text)


def repair_table(table: Table) -> Table:
    """The table with its label cells' one-character misreadings put right, when it is a form."""
    if sum(1 for c in table.cells if label_key(c.text) in _NAMES) < _MIN_EXACT:
        return table
    cells = [_repaired(c) for c in table.cells]
    if all(a is b for a, b in zip(cells, table.cells, strict=True)):
        return table
    return replace(table, cells=cells)


def repair_labels(grid: DocumentGrid) -> DocumentGrid:
    """Every form of the grid with misread label names put right (a grid with none comes back as it was)."""
    return grid.with_tables(repair_table)
