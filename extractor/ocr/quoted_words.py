"""Quotation marks the recogniser leaves blank on a photo (转化FLG°邪教, 法轮功人员): put back where it saw them.

On a photo the thin quotes fade: the recogniser's most probable class at the mark is the CTC blank, the quote marks
together taking a fifth or more of that step, or a closing mark beside a letter is read as ° — a degree sign, which
follows digits, never letters. Which way a quote faces is not what the recogniser says (it reads a closing 功“人 as
“ 0.37): where a Chinese character meets a Latin letter the word decides (“ before it, ” after it); between two
Chinese characters, the quotes around it on the line, or the line it wraps from, do (a quote left open closes). A
line that starts with a Latin word and closes a quote straight after it opened one at its start: there a fainter
trace is enough. Every mark put back keeps the recogniser's low probability, so the cell stays flagged.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate
from typing import TYPE_CHECKING

import numpy as np

from extractor.ocr.lexicon import DOUBTFUL, Readings
from extractor.ocr.mending import next_line
from extractor.textnorm import is_cjk

if TYPE_CHECKING:
    from extractor.ocr.engine import Char, OcrBox

_OPEN, _CLOSE = "“", "”"
_QUOTE_MARKS = "“”\"'‘’"
_READ_FOR_QUOTE = "°\"'“”‘’"  # what a faded quote beside a letter is read as
_SEEN = 0.15  # the least summed probability of the quote marks at a blank step beside a Latin word
_SEEN_BETWEEN = 0.3  # ... between two Chinese characters, where nothing but the pairing says it is a quote
_FAINT = 0.05  # ... at the start of a line that closes a quote straight after its first word: the close says it opened
_LATIN = re.compile(r"[A-Za-z]")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def facing(before: str, after: str) -> str | None:
    """The quote a mark between `before` and `after` is: “ opening a Latin word after Chinese, ” closing it."""
    if is_cjk(before) and _latin(after):
        return _OPEN
    if _latin(before) and is_cjk(after):
        return _CLOSE
    return None


def worth_checking(text: str) -> bool:
    """Whether a line has Chinese characters (the only lines a quote is looked for in)."""
    return any(is_cjk(c) for c in text)


def _emitted(row: np.ndarray) -> np.ndarray:
    """The steps at which a CTC line emits a character (not the blank, not a repeat of the step before)."""
    best = row.argmax(axis=1)
    keep = best != 0
    keep[1:] &= best[1:] != best[:-1]
    return np.flatnonzero(keep)


def seen_quotes(row: np.ndarray, text: str, quote_classes: list[int],
                steps: Sequence[int] | None = None) -> dict[int, float]:
    """Text position -> the quote marks' summed probability, where a step just before it (emitting nothing) held one.

    `row` is the line's CTC output (steps x classes, class 0 the blank); `steps` where each character was emitted
    (the decoder's, else found again). Gaps between a Chinese character and a Latin letter, between two Chinese
    characters, and the line's start when a Latin letter opens it are looked at.
    """
    at = list(steps) if steps is not None and len(steps) == len(text) else list(_emitted(row))
    if len(at) != len(text):
        return {}
    gaps = [(0, 0, at[0], _FAINT)] if text and _latin(text[0]) else []
    for i in range(1, len(text)):
        if facing(text[i - 1], text[i]):
            gaps.append((i, at[i - 1] + 1, at[i], _SEEN))
        elif is_cjk(text[i - 1]) and is_cjk(text[i]):
            gaps.append((i, at[i - 1] + 1, at[i], _SEEN_BETWEEN))
    gaps = [g for g in gaps if g[1] < g[2]]
    if not gaps:
        return {}
    quotes = row[:, quote_classes].sum(axis=1)  # six columns of the line, not an argmax over every class
    out: dict[int, float] = {}
    for i, first, last, least in gaps:
        seen = float(quotes[first:last].max())
        if seen >= least:
            out[i] = seen
    return out


def _between(chars: list[str], at: int, opened: bool) -> str | None:
    """The quote a mark put in before chars[at] (between Chinese characters) is: ” if a quote is open there, “ if the
    next quote on the line closes one, None if the line does not say."""
    state = opened
    for c in chars[:at]:
        state = {_OPEN: True, _CLOSE: False}.get(c, state)
    if state:
        return _CLOSE
    after = next((c for c in chars[at:] if c in (_OPEN, _CLOSE)), None)
    return _OPEN if after == _CLOSE else None


def _closes_unopened(chars: list[str]) -> bool:
    """Whether a line starting with a Latin word closes a quote straight after it (FLG”邪教): it opened at the start."""
    word = next((k for k, c in enumerate(chars) if not _latin(c)), len(chars))
    return 0 < word < len(chars) and chars[word] == _CLOSE


def put_back(text: str, readings: tuple[Readings, ...], seen: dict[int, float],
             opened: bool = False) -> tuple[str, tuple[Readings, ...], tuple[int, ...]]:
    """The line with the quotes seen put back and doubtful °/'/\" beside a Latin word read as quotes; and the
    positions (in the new line) of the marks put in. `opened`: the line it wraps from leaves a quote open."""
    chars, out = list(text), list(readings)
    for i in range(1, len(text) - 1):
        mark = facing(text[i - 1], text[i + 1])
        if mark and text[i] in _READ_FOR_QUOTE and readings[i] and readings[i][0][1] < DOUBTFUL:
            chars[i], out[i] = mark, ((mark, readings[i][0][1]),)
    added: list[int] = []
    for i in sorted(k for k in seen if k):  # left to right: each mark put in is a quote the next one pairs with
        at = i + len(added)
        mark = facing(text[i - 1], text[i]) or _between(chars, at, opened)
        if mark:
            chars.insert(at, mark)
            out.insert(at, ((mark, seen[i]),))
            added.append(at)
    if 0 in seen and _closes_unopened(chars):
        chars.insert(0, _OPEN)
        out.insert(0, ((_OPEN, seen[0]),))
        added = [0, *(i + 1 for i in added)]
    return "".join(chars), tuple(out), tuple(added)


def _wrapped_from(boxes: list[OcrBox], by_top: list[int]) -> dict[int, int]:
    """Line -> the line it continues (the one just above, same left edge), where there is one."""
    tops = [boxes[i].box[1] for i in by_top]
    return {j: k for k in range(len(boxes)) if (j := next_line(boxes, k, by_top, tops)) is not None}


def quote_lines(boxes: list[OcrBox], readings: list[tuple[Readings, ...] | None], seen: dict[str, dict[int, float]]
                ) -> tuple[list[OcrBox], list[tuple[Readings, ...] | None]]:
    """The lines with the quote marks put back (`seen`: by line text), positions kept where they can be."""
    by_top = sorted(range(len(boxes)), key=lambda i: boxes[i].box[1])
    above = _wrapped_from(boxes, by_top) if seen else {}
    out_boxes, out_readings = list(boxes), list(readings)
    for k in by_top:  # top down: a line above is done first
        box, r = boxes[k], readings[k]
        if r is None or len(r) != len(box.text) or not worth_checking(box.text):
            continue
        if box.text not in seen and not _LATIN.search(box.text):
            continue  # no quote seen, and no letter beside which a ° could be one
        prior = out_boxes[above[k]].text if k in above else ""
        opened = next((c == _OPEN for c in reversed(prior) if c in (_OPEN, _CLOSE)), False)
        text, out_readings[k], added = put_back(box.text, r, seen.get(box.text, {}), opened)
        if text != box.text:
            out_boxes[k] = replace(box, text=text, chars=_with_marks(box.chars, text, added))
    return out_boxes, out_readings


def _with_marks(chars: tuple[Char, ...], text: str, added: tuple[int, ...]) -> tuple[Char, ...]:
    """Character positions for a line with marks turned or put in (`added`, ascending): each mark put in an empty
    span at the end of the character before it; () when a mark falls inside one span (a Latin word's)."""
    kept = "".join(c for i, c in enumerate(text) if i not in added)
    if " " in text or not chars or sum(len(c[0]) for c in chars) != len(kept):
        return ()
    out: list[Char] = []
    for c in chars:
        at = sum(len(o[0]) for o in out)
        out.append((kept[at:at + len(c[0])], c[1], c[2], c[3]))
    for i in added:
        ends = [0, *accumulate(len(c[0]) for c in out)]
        k = bisect_left(ends, i)
        if k == len(ends) or ends[k] != i:
            return ()
        x = out[k - 1][3] if k else out[0][2]
        out.insert(k, (text[i], out[k - 1][1] if k else out[0][1], x, x))
    return tuple(out)


def quote_classes(dictionary: dict[str, int]) -> list[int]:
    """The recogniser's classes of quote marks."""
    return [dictionary[c] for c in _QUOTE_MARKS if c in dictionary]
