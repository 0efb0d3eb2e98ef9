"""A page's OCR lines with doubtful characters mended by words: each line alone, then where a line wraps into the next.

The words are jieba's general dictionary (loaded once per process, simplified through OpenCC so a printed 系統
counts as the word it is), the page's own repeated words (a place name such as 遂宁) and the general words its lines
read in two places (派遣, so 劳务源道 elsewhere may take a reading as improbable as 遣 0.02). The choice itself is
`lexicon.mend_line`, then `commas.mend_commas` (、 between two nouns), `quotes.mend_quotes` (“ then ”) and
`operators.mend_signs` (≤ read s); this module finds the lines and the wraps, and keeps each character's place.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from extractor.ocr.commas import mend_commas
from extractor.ocr.lexicon import DOUBTFUL, PAGE_WORD_COUNT, Readings, mend_line, page_words, seen_words
from extractor.ocr.operators import mend_signs
from extractor.ocr.quotes import mend_quotes

if TYPE_CHECKING:
    from extractor.ocr.engine import OcrBox

log = logging.getLogger(__name__)

_WRAP_GAP = 0.8  # line heights: the most space between a line and the line it wraps into
_WRAP_REACH = 3  # characters each side of a wrap that the wrap may mend

_DICTIONARY: Any = None


def _dictionary() -> tuple[Any, Any, dict[str, str]]:
    """jieba's general dictionary (word -> count), a traditional-to-simplified converter and the dictionary's parts
    of speech (word -> tag), loaded once."""
    global _DICTIONARY
    if _DICTIONARY is None:
        import jieba
        import jieba.posseg
        from opencc import OpenCC

        jieba.setLogLevel(logging.WARNING)
        jieba.dt.initialize()
        _DICTIONARY = (jieba.dt, OpenCC("t2s"), jieba.posseg.dt.word_tag_tab)
    return _DICTIONARY


def _doubtful(readings: tuple[Readings, ...] | None) -> bool:
    return bool(readings) and min((r[0][1] for r in readings or () if r), default=1.0) < DOUBTFUL


def parts_of_speech() -> Callable[[str], str | None]:
    """A word's part of speech in jieba's general dictionary (its simplified form), None when it is no word."""
    _, script, tags = _dictionary()
    return lambda word: tags.get(script.convert(word))


def _general_count(word: str) -> int:
    """How often jieba's general dictionary counts a word (its simplified form), 0 when it is none."""
    words, script, _ = _dictionary()
    return int(words.FREQ.get(word, 0) or words.FREQ.get(script.convert(word), 0))


def _mend(text: str, readings: tuple[Readings, ...], own: frozenset[str],
          seen: frozenset[str]) -> tuple[str, list[float]] | None:
    """The line with doubtful characters read as words, doubtful commas between nouns as 、, quotation marks
    alternating and a letter before a number as the comparison sign also read there; None if as read."""
    words, script, _ = _dictionary()
    mended = mend_line(text, readings, lambda w: int(words.FREQ.get(w, 0)) + (PAGE_WORD_COUNT if w in own else 0),
                       float(words.total), script.convert, own, seen)
    chars, scores = (list(mended[0]), mended[1]) if mended else (list(text), [r[0][1] if r else 1.0 for r in readings])
    line = "".join(chars)
    marks = mend_commas(line, readings, parts_of_speech()) | mend_quotes(line, readings) | mend_signs(line, readings)
    for i, (c, p) in marks.items():
        chars[i], scores[i] = c, p
    return ("".join(chars), scores) if mended or marks else None


def _with_text(box: OcrBox, text: str, scores: list[float]) -> OcrBox:
    """The box reading `text` (same length, single Chinese characters replaced one for one), positions kept."""
    if text == box.text:
        return box
    log.debug("OCR line %r read as %r", box.text, text)
    solid = [(t, s) for t, s in zip(text, scores, strict=True) if t != " "]
    chars, at = [], 0
    for c in box.chars:
        n = len(c[0].replace(" ", ""))
        part = solid[at:at + n]
        at += n
        chars.append(("".join(t for t, _ in part) or c[0], min((s for _, s in part), default=c[1]), c[2], c[3]))
    return replace(box, text=text, score=sum(scores) / len(scores), chars=tuple(chars) if at == len(solid) else ())


def _wraps_into(upper: OcrBox, lower: OcrBox) -> bool:
    """Whether `lower` is the next line of the same paragraph as `upper` (just below, same left edge)."""
    height = upper.box[3] - upper.box[1]
    gap = lower.box[1] - upper.box[3]
    return -0.3 * height <= gap <= _WRAP_GAP * height and abs(lower.box[0] - upper.box[0]) <= height


def next_line(boxes: list[OcrBox], k: int, by_top: list[int], tops: list[float]) -> int | None:
    """The line box k wraps into, if any."""
    upper = boxes[k]
    height = upper.box[3] - upper.box[1]
    near = by_top[bisect_left(tops, upper.box[3] - 0.3 * height):bisect_right(tops, upper.box[3] + _WRAP_GAP * height)]
    below = [j for j in near if j != k and _wraps_into(upper, boxes[j])]
    return min(below, key=lambda i: boxes[i].box[1]) if below else None


def mend_page(boxes: list[OcrBox], readings: list[tuple[Readings, ...] | None],
              known: frozenset[str] = frozenset()) -> list[OcrBox]:
    """The page's lines with doubtful wordless characters read as words, alone and across each wrap; `known` are
    the document's own words (printed surely three times on its other pages), counted as this page's."""
    if not any(_doubtful(r) for r in readings):
        return boxes
    own = page_words(r for r in readings if r) | known
    seen = seen_words((r for r in readings if r), _general_count)
    spelt = [r if r and len(r) == len(b.text) else () for b, r in zip(boxes, readings, strict=True)]
    out = list(boxes)
    scores = [[x[0][1] if x else 1.0 for x in r] for r in spelt]
    for k, r in enumerate(spelt):
        mended = _mend(boxes[k].text, r, own, seen) if _doubtful(r) else None
        if mended is not None:
            out[k] = _with_text(boxes[k], *mended)
            scores[k] = mended[1]
    by_top = sorted(range(len(boxes)), key=lambda i: boxes[i].box[1])
    tops = [boxes[i].box[1] for i in by_top]
    for k in range(len(boxes)):
        if not spelt[k] or (j := next_line(boxes, k, by_top, tops)) is None or not spelt[j]:
            continue
        if not (_doubtful(spelt[k][-_WRAP_REACH:]) or _doubtful(spelt[j][:_WRAP_REACH])):
            continue
        mended = _mend(boxes[k].text + boxes[j].text, spelt[k] + spelt[j], own, seen)
        if mended is None:
            continue
        n = len(boxes[k].text)
        for i in range(max(0, n - _WRAP_REACH), min(len(mended[0]), n + _WRAP_REACH)):
            line, at = (k, i) if i < n else (j, i - n)
            if mended[0][i] != boxes[line].text[at]:  # the wrap made a word the line alone could not
                text = list(out[line].text)
                text[at], scores[line][at] = mended[0][i], mended[1][i]
                out[line] = _with_text(boxes[line], "".join(text), scores[line])
    return out
