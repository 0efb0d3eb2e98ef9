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

from extractor.ocr.lexicon import Readings, offered

_OPEN, _CLOSE = "“", "”"


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
            turned = [(i, turn) for i, mark in ((a, _OPEN), (b, _CLOSE)) if (turn := offered(readings[i], mark))]
            if len(turned) == 2:  # ”正风肃纪“: both read the wrong way round, both also read the right way
                for i, turn in turned:
                    chars[i] = turn[0]
                    out[i] = turn
            continue
        if chars[a] != chars[b]:
            continue
        other = _OPEN if chars[a] == _CLOSE else _CLOSE
        offers = [(turn[1], i) for i in (a, b) if (turn := offered(readings[i], other))]
        if offers:
            p, i = max(offers)
            chars[i] = other
            out[i] = (other, p)
    return out
