"""Merged cells whose text shows they are two: a row ruling lost under a photo's shadow, found by where text starts."""

from __future__ import annotations

import itertools
import statistics

Slots = tuple[int, int, int, int]  # r0, c0, r1, c1 in grid slots, end exclusive
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in working pixels

_NEAR_TOP = 2.5  # text lines: a cell's first line starts within this of its top ruling (padding, or one line missed)
_GAP = 2.0  # text lines: one cell's text never leaves a blank this tall between two of its lines
# ... nor, at a ruling, a blank this tall that is also several times any other blank between its lines: a label
# (年度目标) over its text whose ruling faded is one line, a padding, the ruling, a padding, then lines set close
_PADDED = 0.4
_WIDER = 3.0


def _line_gaps(lines: list[Box], skip_from: float, skip_to: float) -> list[float]:
    """Blanks between a cell's successive lines of text (0 where they touch), the one from skip_from left out."""
    tops = sorted(lines, key=lambda b: b[1])
    return [max(0.0, b[1] - a[3]) for a, b in itertools.pairwise(tops) if (a[3], b[1]) != (skip_from, skip_to)]


def split_where_text_restarts(cells: list[Slots], xs: list[int], ys: list[int], boxes: list[Box]) -> list[Slots]:
    """Cells spanning rows cut at a row ruling where their text stops and starts again as two cells' text does.

    A merged cell's text is one block (top-aligned or centred). When the ruling between two rows is too faint to
    see, the cell's text still shows it: a block ending well above the row's ruling and another starting just below
    it, at a line's padding, with a blank of two or more lines between them — or a blank at the ruling of half a
    line or so that is several times wider than any between the cell's other lines (a label above its text).
    """
    lines = [b for b in boxes if b[2] - b[0] > b[3] - b[1]]  # horizontal lines; a vertical label's characters are not
    if not lines:
        return cells
    height = statistics.median(b[3] - b[1] for b in lines)
    out: list[Slots] = []
    for r0, c0, r1, c1 in cells:
        inside = [b for b in lines if xs[c0] <= (b[0] + b[2]) / 2 < xs[c1] and ys[r0] <= (b[1] + b[3]) / 2 < ys[r1]]
        cuts = [r0]
        for k in range(r0 + 1, r1):
            y = ys[k]
            # by their middles: a photo's ruling may bow a few pixels into the first line under it
            above = [b for b in inside if ys[cuts[-1]] <= (b[1] + b[3]) / 2 < y]
            below = [b for b in inside if (b[1] + b[3]) / 2 >= y]
            if not above or not below:
                continue
            first, last = min(b[1] for b in below), max(b[3] for b in above)
            gap = first - last
            padded = gap >= _PADDED * height and gap >= _WIDER * max(_line_gaps(inside, last, first), default=1.0)
            if first - y <= _NEAR_TOP * height and (gap >= _GAP * height or padded):
                cuts.append(k)
        cuts.append(r1)
        out.extend((a, c0, b, c1) for a, b in itertools.pairwise(cuts))
    return out
