"""A comparison sign read as a letter before a number (≤6人 read s6人, $6人): the sign the recogniser also offered.

A target prints a sign, a number and a unit; a Latin letter or $ straight before the number, with no Latin letter
or digit before it (a line start, a Chinese character, a space or a mark), is no part of one. When that letter was
read doubtfully and a comparison sign is among its readings (s 0.49, ≤ 0.27), the sign is read, at its own
probability, so the cell stays flagged.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.ocr.lexicon import Readings, offered

_SIGNS = "≤≥<>=＜＞＝"
_NOT_A_SIGN = "$&#@§"  # symbols a photographed sign is read as, besides Latin letters


def _looks_misread(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch in _NOT_A_SIGN)


def _in_word(ch: str) -> bool:
    """A Latin letter or digit: what a letter continues when it is part of a word or code (V2.0, A4)."""
    return ch.isascii() and ch.isalnum()


def mend_signs(text: str, readings: Sequence[Readings]) -> dict[int, tuple[str, float]]:
    """Where a doubtful letter before a number was also read as a comparison sign: position -> (sign, probability)."""
    if len(readings) != len(text):
        return {}
    out: dict[int, tuple[str, float]] = {}
    for i in range(len(text) - 1):
        if not (_looks_misread(text[i]) and text[i + 1].isdigit()) or (i and _in_word(text[i - 1])):
            continue
        if sign := offered(readings[i], _SIGNS):
            out[i] = sign
    return out
