"""A doubtful comma between two nouns is read as 、 when the recogniser offered it; clauses keep their ，."""

from __future__ import annotations

from extractor.ocr.commas import mend_commas
from extractor.ocr.lexicon import Readings

TAGS = {"人力": "n", "时间": "n", "资源": "n", "元旦": "t", "春节": "t", "带动": "v", "加强": "v", "项目": "n",
        "保障": "v", "提高": "v", "医疗": "n", "群众": "n", "效率": "n"}


def _readings(text: str, at: int, *marks: tuple[str, float]) -> list[Readings]:
    return [marks if i == at else ((c, 0.99),) for i, c in enumerate(text)]


def test_a_comma_between_two_nouns_is_read_as_the_list_comma_the_recogniser_offered() -> None:
    text = "人力，时间资源节省"
    changes = mend_commas(text, _readings(text, 2, ("，", 0.41), (".", 0.35), ("、", 0.12)), TAGS.get)
    assert changes == {2: ("、", 0.12)}  # the reading's own low probability: the cell stays flagged
    text = "元旦。春节"
    assert mend_commas(text, _readings(text, 2, ("。", 0.5), ("、", 0.3)), TAGS.get) == {2: ("、", 0.3)}


def test_a_clause_a_sure_mark_or_a_list_comma_not_offered_is_left_as_read() -> None:
    text = "项目带动，加强"  # a verb after the mark opens a clause
    assert mend_commas(text, _readings(text, 4, ("，", 0.4), ("、", 0.3)), TAGS.get) == {}
    text = "人力，时间"
    assert mend_commas(text, _readings(text, 2, ("，", 0.95), ("、", 0.04)), TAGS.get) == {}  # read surely
    assert mend_commas(text, _readings(text, 2, ("，", 0.76), ("、", 0.04)), TAGS.get) == {}  # 19x less probable
    assert mend_commas(text, _readings(text, 2, ("，", 0.5), (".", 0.4)), TAGS.get) == {}  # 、 never offered


def test_marks_at_a_line_edge_or_beside_unknown_words_are_left_alone() -> None:
    text = "，人力"
    assert mend_commas(text, _readings(text, 0, ("，", 0.4), ("、", 0.3)), TAGS.get) == {}
    text = "教转，解脱"  # neither side a dictionary word: nothing says it is a list
    assert mend_commas(text, _readings(text, 2, ("，", 0.4), ("、", 0.3)), TAGS.get) == {}
    text = "5，10"
    assert mend_commas(text, _readings(text, 1, ("，", 0.4), ("、", 0.3)), TAGS.get) == {}


def test_a_list_comma_after_a_noun_cut_by_a_line_wrap_is_mended_across_the_wrap() -> None:
    from extractor.ocr.engine import OcrBox
    from extractor.ocr.mending import mend_page

    upper = OcrBox(text="人", score=0.99, box=(100, 100, 120, 120))
    lower = OcrBox(text="力，时间资源节", score=0.6, box=(101, 124, 241, 144))
    sure = ((("人", 0.99),),)
    doubtful = tuple(((("，", 0.41), (".", 0.35), ("、", 0.12)) if c == "，" else ((c, 0.99),)) for c in lower.text)
    assert [b.text for b in mend_page([upper, lower], [sure, doubtful])] == ["人", "力、时间资源节"]
    assert [b.text for b in mend_page([lower], [doubtful])] == ["力，时间资源节"]  # 力 alone is no noun
