"""A table that carries on the indicator block of the form before it (a page break the stitcher could not join).

Its rows are indicator rows under no header of their own: the previous form's header and merged levels go on
over them. Its first row may be blank or only the wrapped tail of the last indicator's cell.
"""

from __future__ import annotations

from copy import copy

from extractor.layout.align import align_blocks
from extractor.layout.form_rows import form_title
from extractor.layout.forms import project_label_row
from extractor.layout.indicators import (
    IndicatorHeader,
    LevelCarry,
    closing_row,
    detect_header,
    level_columns,
    read_row,
    row_tokens,
)
from extractor.layout.inferred import is_level_cell
from extractor.schema import Indicator
from extractor.values import parse_target

_TEXT_FIELDS = ("name", "description", "basis")
_PROBE_ROWS = 3
_IN_PLACE = 0.9  # a row read with no shift: its cells stand in the header's name and target columns


def is_fragment(row: list[str], header: IndicatorHeader) -> bool:
    """Only the wrapped tail of some text cells: no level name, no target, nothing that opens a row."""
    tokens = row_tokens(row, header.first_col)
    if not tokens or len(tokens) > 2 or any(is_level_cell(t.text) for t in tokens):
        return False
    if any(parse_target(t.text).value is not None for t in tokens):
        return False
    if any(t.col in level_columns(header) for t in tokens):
        return False  # text in the level columns opens a row of its own (a closing label row under the table)
    parts, _ = align_blocks(tokens, header.blocks)
    return all(set(p) <= set(_TEXT_FIELDS) for p in parts)


def continues(rows: list[list[str]], header: IndicatorHeader, carry: LevelCarry) -> bool:
    """The table opens with indicator rows the previous header reads, and with no header, title or label."""
    filled = [r for r in rows if any(r)]
    if not filled:
        return False
    if is_fragment(filled[0], header):
        filled = filled[1:]
    probe = [r for r in filled if not closing_row(row_tokens(r, header.first_col), header)][:_PROBE_ROWS]
    if not probe or any(detect_header(r) or form_title(r) or project_label_row(r) for r in probe):
        return False
    trial = copy(carry)
    read = [read_row(row_tokens(r, header.first_col), header, trial, None, None).indicator for r in probe]
    # Evidence: a level name, a target that reads as a value, or a name and a target in their own columns or among
    # three or more cells ("专项名称 | 信创工作经费" is none of these: a label and its value open the next form).
    evident = [i is not None and (any(is_level_cell(t) for t in r) or i.value is not None or (bool(
        i.name and i.target) and (len(row_tokens(r, header.first_col)) >= 3 or i.confidence >= _IN_PLACE)))
               for r, i in zip(probe, read, strict=True)]
    return sum(evident) * 2 > len(probe)


def append_fragment(indicator: Indicator, row: list[str], header: IndicatorHeader) -> None:
    """Add a wrapped tail (cut by a page break, or printed on a row of its own) to the indicator it belongs to."""
    parts, _ = align_blocks(row_tokens(row, header.first_col), header.blocks)
    for part in parts:
        for f, text in part.items():
            current = getattr(indicator, f) or ""
            setattr(indicator, f, current + text.strip())
