"""A column of comparison marks (≥ ≤ =): its cells read as something else, or as nothing, are read as marks."""

# A form that prints a target's comparison in a column of its own (指标性质: ≥ | 80 | %) has only those marks there.
# On a blurred photo the recogniser reads a lone ≤ as "s", "5" or "2", or too faintly to keep; the column itself
# says what kind of print the cell holds, so the print is read again among the marks alone.

from __future__ import annotations

import re

MARKS = "≥≤=<>"
_NOT_A_MARK = re.compile(r"^[^\u3400-\u9fff≥≤=<>]{1,2}$")  # "s", "5", "2": a glyph or two, not a word
# a header that names the comparison (指标性质, 符号, 运算符, 比较符), as the forms' headers do (templates.md)
_MARKS_HEADER = re.compile(r"^(指标)?(性质|属性|符号|运算符?号?|比较符?号?|关系符)$")


def _is_mark(text: str) -> bool:
    return len(text) == 1 and text in MARKS


def cells_to_reread(columns: list[int], texts: list[str], headers: dict[int, str] | None = None) -> list[int]:
    """Indexes of the cells (column, text) in a column of marks that read empty or as a glyph that is no mark.

    A column is one of marks when a cell of it reads as a single mark and either its header names the comparison
    or no more of its cells read as another glyph or two (a column of values has numbers there, each a glyph or
    two, and marks only by accident).
    """
    headers = headers or {}
    by_column: dict[int, list[int]] = {}
    for k, col in enumerate(columns):
        by_column.setdefault(col, []).append(k)
    out: list[int] = []
    for members in by_column.values():
        marks = sum(1 for k in members if _is_mark(texts[k]))
        glyphs = [k for k in members if _NOT_A_MARK.match(texts[k])]
        named = bool(_MARKS_HEADER.match(re.sub(r"\s+", "", headers.get(columns[members[0]], ""))))
        if not marks or (len(glyphs) > marks and not named):
            continue
        out += [k for k in members if not texts[k]] + glyphs
    return sorted(out)
