"""A column of measure units (度量单位): a doubtful cell in it that reads as no unit is read among units' characters."""

# A form that prints the target's unit in a column of its own (≥ | 5 | 条) has only units there. On a blurred photo
# the recogniser reads 条 as 备 (条 its next reading), 次/年 as 改/年: a character of no unit. The header says what
# the column holds (on a page continuing the table, its cells do: most read as units), so a doubtful cell there is
# read again among the characters units are printed with, and kept only when that reading is a unit; so is a cell
# read empty that holds ink (a faint "%"). A cell read surely ("无", "—") is what the form prints and is left alone.

from __future__ import annotations

import re
from collections import Counter

from extractor.cells import is_unit
from extractor.ocr.lexicon import DOUBTFUL
from extractor.values import UNIT_CHARACTERS

__all__ = ["UNIT_CHARACTERS", "is_unit", "unit_cells_to_reread"]

# a header that names the unit of measure (度量单位, 计量单位, 单位) — never 单位名称, the department's column
_UNITS_HEADER = re.compile(r"^(度量|计量|计算)?单位$")
_MOSTLY = 0.75  # share of a headerless column's filled cells that must read as units for it to be one of units
_MOSTLY_MIN = 3  # ... and at least this many: two "%" in a column of names are no column of units


def _unit_columns(columns: list[int], texts: list[str], headers: dict[int, str]) -> set[int]:
    """Columns whose header names the unit, or (a table continued from a page before, its header there) whose
    cells mostly read as units."""
    named = {col for col, header in headers.items() if _UNITS_HEADER.match(re.sub(r"\s+", "", header))}
    units: Counter[int] = Counter(col for col, text in zip(columns, texts, strict=True) if is_unit(text))
    filled: Counter[int] = Counter(col for col, text in zip(columns, texts, strict=True) if text)
    return named | {col for col, n in units.items() if n >= _MOSTLY_MIN and n >= _MOSTLY * filled[col]}


def unit_cells_to_reread(columns: list[int], texts: list[str], scores: list[float],
                         headers: dict[int, str]) -> list[int]:
    """Indexes of the cells (column, text, score) in a column of units that read empty or doubtfully as none."""
    kind = _unit_columns(columns, texts, headers)
    return [k for k, (col, text, score) in enumerate(zip(columns, texts, scores, strict=True))
            if col in kind and (not text or (score < DOUBTFUL and not is_unit(text)))]
