"""Quotation marks around a Latin word in Chinese text (转化“FLG”邪教): what the recogniser leaves blank or reads °.

On a photo the thin quotes beside Latin letters fade: the recogniser's most probable class between the Chinese
character and the letter is the CTC blank, the quote marks together taking a fifth or more of it, or the closing
mark is read as ° — a degree sign, which follows digits, never letters. Where a Chinese character meets a Latin
letter, a quote seen there is put back facing the word (“ before it, ” after it) at the probability the recogniser
gave the quote marks, so the cell stays flagged.
"""

from __future__ import annotations

import re

import numpy as np

from extractor.ocr.lexicon import DOUBTFUL, Readings
from extractor.textnorm import is_cjk

_QUOTE_MARKS = "“”\"'‘’"
_READ_FOR_QUOTE = "°\"'“”‘’"  # what a faded quote beside a letter is read as
_SEEN = 0.15  # the least summed probability of the quote marks at a blank step for a quote to be put back
_MIXED = re.compile(r"[A-Za-z]")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def facing(before: str, after: str) -> str | None:
    """The quote a mark between `before` and `after` is: “ opening a Latin word after Chinese, ” closing it."""
    if is_cjk(before) and _latin(after):
        return "“"
    if _latin(before) and is_cjk(after):
        return "”"
    return None


def worth_checking(text: str) -> bool:
    """Whether a line mixes Chinese and Latin letters (the only lines a quote can fade from)."""
    return bool(_MIXED.search(text)) and any(is_cjk(c) for c in text)


def seen_quotes(row: np.ndarray, text: str, quote_classes: list[int]) -> dict[int, float]:
    """Text position -> the quote marks' summed probability, where a blank step before it held a quote.

    `row` is the line's CTC output (steps x classes, class 0 the blank); only gaps between a Chinese character and a
    Latin letter are looked at.
    """
    best = row.argmax(axis=1)
    keep = best != 0
    keep[1:] &= best[1:] != best[:-1]
    steps = np.flatnonzero(keep)
    if len(steps) != len(text):
        return {}
    out: dict[int, float] = {}
    for i in range(1, len(text)):
        if facing(text[i - 1], text[i]) is None:
            continue
        gap = [s for s in range(steps[i - 1] + 1, steps[i]) if best[s] == 0]
        seen = max((float(row[s, quote_classes].sum()) for s in gap), default=0.0)
        if seen >= _SEEN:
            out[i] = seen
    return out


def put_back(text: str, readings: tuple[Readings, ...],
             seen: dict[int, float]) -> tuple[str, tuple[Readings, ...], tuple[int, ...]]:
    """The line with the quotes seen put back and doubtful °/'/\" at a Chinese-Latin boundary read as quotes; and
    the positions (in the new line) of the marks put in."""
    chars, out = list(text), list(readings)
    for i in range(1, len(text) - 1):
        mark = facing(text[i - 1], text[i + 1])
        if mark and text[i] in _READ_FOR_QUOTE and readings[i] and readings[i][0][1] < DOUBTFUL:
            chars[i], out[i] = mark, ((mark, readings[i][0][1]),)
    added = [i for i in sorted(seen) if facing(text[i - 1], text[i])]
    for i in reversed(added):
        mark = facing(text[i - 1], text[i]) or ""
        chars.insert(i, mark)
        out.insert(i, ((mark, seen[i]),))
    return "".join(chars), tuple(out), tuple(i + k for k, i in enumerate(added))


def quote_classes(dictionary: dict[str, int]) -> list[int]:
    """The recogniser's classes of quote marks."""
    return [dictionary[c] for c in _QUOTE_MARKS if c in dictionary]
