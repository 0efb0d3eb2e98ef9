"""Two quotation marks in a row that face the same way: the doubtful one the recogniser also read the other way turns.

Chinese quotes alternate, “ then ”: after a closing ” no second ” can follow before a new “ opens, and after an
opening “ no second “ before it closes — whatever the line's start. A photographed “ is often read ” (” 0.54,
“ 0.40: 干警”正风肃纪”活动). Of the two, the one whose other reading is more probable turns, and only when it was read
doubtfully with that reading offered; it keeps its low probability, so the cell stays flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from extractor.ocr.lexicon import DOUBTFUL, Readings, next_floor

_OPEN, _CLOSE = "“", "”"


def _offered(readings: Readings, mark: str) -> float | None:
    """The probability the recogniser gave `mark` at a doubtful character, if worth trying; else None."""
    if not readings or readings[0][1] >= DOUBTFUL:
        return None
    floor = next_floor(readings[0][1])
    return next((p for c, p in readings[1:] if c == mark and p >= floor), None)


def mend_quotes(text: str, readings: Sequence[Readings]) -> dict[int, tuple[str, float]]:
    """Where a quotation mark faces the way its neighbour does: its position -> (the other mark, its probability)."""
    if len(readings) != len(text):
        return {}
    chars = list(text)
    out: dict[int, tuple[str, float]] = {}
    for a, b in pairwise(i for i, c in enumerate(text) if c in (_OPEN, _CLOSE)):
        if chars[a] != chars[b]:
            continue
        other = _OPEN if chars[a] == _CLOSE else _CLOSE
        offers = [(p, i) for i in (a, b) if (p := _offered(readings[i], other)) is not None]
        if offers:
            p, i = max(offers)
            chars[i] = other
            out[i] = (other, p)
    return out
