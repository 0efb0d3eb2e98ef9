"""A doubtful comma between two nouns read as the enumeration comma (、) when the recogniser offered one.

Chinese prints 、 between coordinate words (人力、时间资源) and ， between clauses (带动，加强). On a blurred photo the
small 、 is read as ， or 。 (， 0.41, 、 0.12); what the words on either side are decides between the recogniser's
own readings: two nouns (or time words, places) side by side are a list, and a verb after the mark opens a clause.
Only a mark read doubtfully, with 、 among its readings, is changed; it keeps its low probability.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from extractor.ocr.lexicon import Readings, offered
from extractor.textnorm import is_cjk

Tag = Callable[[str], str | None]  # a word's part of speech in a general dictionary (jieba's tags), None if no word

_LIST_COMMA = "、"
_MISREAD_AS = "，,。."  # what a photographed 、 is read as
_LONGEST = 4  # characters in the longest word looked for either side


def _nominal(tag: str | None) -> bool:
    """Nouns, names, time and place words (jieba: n, nr, ns, nt, nz, t, s) — not verbs, not numerals."""
    return tag is not None and (tag.startswith("n") or tag in ("t", "s"))


def opens_clause(tag: str | None) -> bool:
    """Verbs, adverbs, prepositions, conjunctions and pronouns (jieba: v*, d, ad, p, c, r) — not a verbal noun (vn)."""
    return tag is not None and ((tag.startswith("v") and tag != "vn") or tag in ("d", "ad", "p", "c", "r"))


def _longest_word(candidates: Iterable[str], tag: Tag) -> str | None:
    """The first candidate (longest first) of Chinese characters only that the dictionary knows."""
    return next((w for w in candidates if all(is_cjk(c) for c in w) and tag(w) is not None), None)


def _word_before(text: str, end: int, tag: Tag) -> str | None:
    """The longest dictionary word of two or more Chinese characters ending just before `end`."""
    return _longest_word((text[end - size:end] for size in range(min(_LONGEST, end), 1, -1)), tag)


def word_after(text: str, start: int, tag: Tag) -> str | None:
    """The longest dictionary word of two or more Chinese characters starting at `start`."""
    return _longest_word((text[start:start + size] for size in range(min(_LONGEST, len(text) - start), 1, -1)), tag)


def mend_commas(text: str, readings: Sequence[Readings], tag: Tag) -> dict[int, tuple[str, float]]:
    """Where a doubtful comma between two nouns is read as 、: its position -> (、, the recogniser's probability)."""
    if len(readings) != len(text):
        return {}
    out: dict[int, tuple[str, float]] = {}
    for i in range(1, len(text) - 1):
        if text[i] not in _MISREAD_AS or (list_comma := offered(readings[i], _LIST_COMMA)) is None:
            continue
        before, after = _word_before(text, i, tag), word_after(text, i + 1, tag)
        if before and after and _nominal(tag(before)) and _nominal(tag(after)):
            out[i] = list_comma
    return out
