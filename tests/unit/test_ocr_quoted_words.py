"""Quotes around a Latin word in Chinese text, faded on a photo, are put back where the recogniser saw them."""

from __future__ import annotations

import numpy as np
import pytest

from extractor.ocr.engine import OcrBox
from extractor.ocr.quoted_words import facing, put_back, quote_lines, seen_quotes, worth_checking

CLASSES = ["<blank>", "化", "F", "L", "G", "°", "邪", "“", "”", '"', "'", "功", "人"]
QUOTES = [7, 8, 9, 10]


def _row(steps: list[dict[int, float]]) -> np.ndarray:
    """A CTC output: each step's probabilities by class, the rest of the step the blank."""
    row = np.zeros((len(steps), len(CLASSES)))
    for t, probs in enumerate(steps):
        for k, p in probs.items():
            row[t, k] = p
        row[t, 0] = 1.0 - sum(probs.values())
    return row


def test_a_quote_left_blank_between_a_chinese_character_and_a_latin_word_is_seen() -> None:
    # 化 _ F L G ° 邪: the blank step before F holds ' 0.13, " 0.04, “ 0.03 (0.20 in all)
    row = _row([{1: 0.99}, {10: 0.13, 9: 0.04, 7: 0.03}, {2: 0.9}, {3: 0.9}, {4: 0.9}, {5: 0.5, 7: 0.06}, {6: 0.6}])
    assert seen_quotes(row, "化FLG°邪", QUOTES) == {1: pytest.approx(0.2)}
    faint = _row([{1: 0.99}, {10: 0.05}, {2: 0.9}, {3: 0.9}, {4: 0.9}, {6: 0.9}])
    assert seen_quotes(faint, "化FLG邪", QUOTES) == {}  # a flat scan's blank: no quote there
    between = _row([{1: 0.99}, {10: 0.2}, {6: 0.9}])
    assert seen_quotes(between, "化邪", QUOTES) == {}  # between Chinese characters only a stronger trace counts


def test_the_quotes_put_back_face_the_word_and_keep_the_low_probability() -> None:
    readings = (*tuple(((c, 0.95),) for c in "化FLG"), (("°", 0.5), ("“", 0.06)), (("邪", 0.56),))
    text, read, added = put_back("化FLG°邪", readings, {1: 0.2})
    assert text == "化“FLG”邪" and added == (1,)
    assert read[1] == (("“", 0.2),) and read[5] == (("”", 0.5),)  # ° after a letter is the closing quote
    assert facing("G", "邪") == "”" and facing("化", "F") == "“" and facing("5", "邪") is None


def test_a_degree_sign_after_a_digit_or_read_surely_stays() -> None:
    readings = (*tuple(((c, 0.95),) for c in "温度"), (("5", 0.99),), (("°", 0.6),), (("C", 0.99),))
    assert put_back("温度5°C", readings, {})[0] == "温度5°C"
    sure = tuple(((c, 0.99),) for c in "化FLG°邪")
    assert put_back("化FLG°邪", sure, {})[0] == "化FLG°邪"
    assert worth_checking("人员转化") and not worth_checking("FLG 2.0")


def test_a_line_with_a_mark_put_back_keeps_its_character_positions() -> None:
    box = OcrBox("化FLG°邪", 0.8, (0, 0, 70, 10), (("化", 0.99, 0, 10), ("FLG", 0.9, 14, 40), ("°", 0.5, 41, 48),
                                                    ("邪", 0.56, 50, 60)))
    readings = (((("化", 0.99),), (("F", 0.9),), (("L", 0.9),), (("G", 0.9),), (("°", 0.5),), (("邪", 0.56),)))
    (out,), (read,) = quote_lines([box], [readings], {"化FLG°邪": {1: 0.2}})
    assert out.text == "化“FLG”邪" and read is not None and len(read) == len(out.text)
    assert [c[0] for c in out.chars] == ["化", "“", "FLG", "”", "邪"] and out.chars[1][2:] == (10, 10)


def test_a_quote_opening_the_line_is_put_back_only_when_the_line_closes_it_after_its_first_word() -> None:
    # _ F L G _ 邪: the steps before F hold " 0.07; the closing quote is seen after G
    row = _row([{9: 0.07}, {2: 0.9}, {3: 0.9}, {4: 0.9}, {8: 0.11, 9: 0.17, 7: 0.09}, {6: 0.9}])
    seen = seen_quotes(row, "FLG邪", QUOTES)
    assert set(seen) == {0, 3}
    readings = tuple(((c, 0.95),) for c in "FLG邪")
    assert put_back("FLG邪", readings, seen)[:3:2] == ("“FLG”邪", (0, 4))
    assert put_back("FLG邪", readings, {0: 0.07})[0] == "FLG邪"  # no closing quote: nothing says one opened
    faint = _row([{9: 0.02}, {2: 0.9}, {3: 0.9}, {4: 0.9}, {8: 0.3}, {6: 0.9}])
    assert set(seen_quotes(faint, "FLG邪", QUOTES)) == {3}


def test_a_quote_between_chinese_characters_faces_the_way_the_pairing_says() -> None:
    row = _row([{11: 0.99}, {7: 0.37, 8: 0.04}, {12: 0.99}])  # 功 _ 人: the recogniser says “, the pairing ”
    assert seen_quotes(row, "功人", QUOTES) == {1: pytest.approx(0.41)}
    readings = (((("功", 0.99),), (("人", 0.99),)))
    assert put_back("功人", readings, {1: 0.41}, opened=True)[0] == "功”人"  # the line above left “ open
    assert put_back("功人", readings, {1: 0.41})[0] == "功人"  # nothing says which way: left out
    text = "警正风纪”动"
    assert put_back(text, tuple(((c, 0.99),) for c in text), {1: 0.35})[0] == "警“正风纪”动"  # the next quote closes


def test_the_line_above_decides_a_quote_at_the_start_of_the_next() -> None:
    upper = OcrBox("确保“法轮", 0.99, (0, 0, 50, 10))
    lower = OcrBox("功人员", 0.99, (0, 13, 30, 23))
    read = [tuple(((c, 0.99),) for c in b.text) for b in (upper, lower)]
    boxes, _ = quote_lines([lower, upper], [read[1], read[0]], {"功人员": {1: 0.41}})
    assert [b.text for b in boxes] == ["功”人员", "确保“法轮"]
    boxes, _ = quote_lines([lower], [read[1]], {"功人员": {1: 0.41}})
    assert boxes[0].text == "功人员"  # alone, nothing says it closes a quote
