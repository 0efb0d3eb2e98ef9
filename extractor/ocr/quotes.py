"""Quotation marks read facing the wrong way: the doubtful one the recogniser also read the other way turns.

Chinese quotes alternate, “ then ”: after a closing ” no second ” can follow before a new “ opens, and after an
opening “ no second “ before it closes — whatever the line's start. A photographed “ is often read ” (” 0.54, “ 0.40:
干警”正风肃纪”活动); of two facing the same way, the one whose other reading is more probable turns. A word held by ”
and “ (”正风肃纪“) was read the wrong way round at both ends when each was also read the right way; a mark between
them (A”、“B) says they close one quote and open the next. A mark turns only when read doubtfully with the other
reading offered; it keeps its low probability, so the cell stays flagged.
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


def _one_word(text: str) -> bool:
    """Letters, digits or Chinese characters only: what one pair of quotes holds, not a mark between two quotes."""
    return bool(text) and all(c.isalnum() for c in text)


def mend_quotes(text: str, readings: Sequence[Readings]) -> dict[int, tuple[str, float]]:
    """Where a quotation mark faces the way its neighbour does: its position -> (the other mark, its probability)."""
    if len(readings) != len(text):
        return {}
    chars = list(text)
    out: dict[int, tuple[str, float]] = {}
    for a, b in pairwise(i for i, c in enumerate(text) if c in (_OPEN, _CLOSE)):
        if chars[a] == _CLOSE and chars[b] == _OPEN and _one_word(text[a + 1:b]):
            turned = [(i, mark, p) for i, mark in ((a, _OPEN), (b, _CLOSE))
                      if (p := _offered(readings[i], mark)) is not None]
            if len(turned) == 2:  # ”正风肃纪“: both read the wrong way round, both also read the right way
                for i, mark, p in turned:
                    chars[i] = mark
                    out[i] = (mark, p)
            continue
        if chars[a] != chars[b]:
            continue
        other = _OPEN if chars[a] == _CLOSE else _CLOSE
        offers = [(p, i) for i in (a, b) if (p := _offered(readings[i], other)) is not None]
        if offers:
            p, i = max(offers)
            chars[i] = other
            out[i] = (other, p)
    return out
