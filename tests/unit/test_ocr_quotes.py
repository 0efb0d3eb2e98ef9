"""Quotation marks alternate: of two in a row facing the same way, the doubtful one also read the other way turns."""

from __future__ import annotations

from extractor.ocr.lexicon import Readings
from extractor.ocr.quotes import mend_quotes


def _readings(text: str, marks: dict[int, tuple[tuple[str, float], ...]]) -> list[Readings]:
    return [marks.get(i, ((c, 0.99),)) for i, c in enumerate(text)]


def test_an_opening_quote_read_as_a_closing_one_turns_when_the_recogniser_offered_it() -> None:
    text = "干警”正风肃纪”活动"
    marks = {2: (("”", 0.54), ("“", 0.40)), 7: (("”", 0.74), ('"', 0.14), ("“", 0.11))}
    assert mend_quotes(text, _readings(text, marks)) == {2: ("“", 0.40)}  # the likelier turn, at its own probability


def test_a_closing_quote_read_as_an_opening_one_turns() -> None:
    text = "确保“法轮功“人员"
    marks = {6: (("“", 0.6), ("”", 0.3))}
    assert mend_quotes(text, _readings(text, marks)) == {6: ("”", 0.3)}


def test_alternating_quotes_sure_marks_and_unoffered_turns_are_left_as_read() -> None:
    text = "“十条标准”为抓手，“人来登记”"
    assert mend_quotes(text, _readings(text, {0: (("“", 0.5), ("”", 0.4))})) == {}  # they alternate already
    text = "纪”活动”"  # two closing quotes, both read surely: nothing says which is wrong
    assert mend_quotes(text, _readings(text, {})) == {}
    text = "干警”正风”"
    assert mend_quotes(text, _readings(text, {2: (("”", 0.6), ("°", 0.3))})) == {}  # “ never offered
    assert mend_quotes(text, _readings(text, {2: (("”", 0.8), ("“", 0.03))})) == {}  # far less probable


def test_readings_that_do_not_spell_the_line_change_nothing() -> None:
    assert mend_quotes("”a”", [(("”", 0.5), ("“", 0.4))]) == {}


def test_a_word_held_by_quotes_read_the_wrong_way_round_turns_at_both_ends() -> None:
    text = "干警”正风肃纪“活动"
    marks = {2: (("”", 0.6), ("“", 0.3)), 7: (("“", 0.55), ("”", 0.35))}
    assert mend_quotes(text, _readings(text, marks)) == {2: ("“", 0.3), 7: ("”", 0.35)}
    assert mend_quotes(text, _readings(text, {2: marks[2]})) == {}  # one end read surely: nothing says which is wrong
    text = "“甲”、“乙”"
    close_open = {2: (("”", 0.6), ("“", 0.3)), 4: (("“", 0.55), ("”", 0.35))}
    assert mend_quotes(text, _readings(text, close_open)) == {}  # a mark between: one quote closes, the next opens
