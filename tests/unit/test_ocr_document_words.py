"""A page is mended again with the document's own words when a word printed surely elsewhere could mend it."""

from __future__ import annotations

from extractor.ocr.document import _second_pass
from extractor.ocr.engine import OcrBox
from extractor.ocr.mending import mend_page
from extractor.ocr.worker import PageResult


def test_only_pages_a_word_from_the_other_pages_could_mend_are_read_again() -> None:
    results = {1: PageResult(page=1, blocks=[], sure={"工作": 5}, wants=frozenset({"来穗", "来稳"})),
               2: PageResult(page=2, blocks=[], sure={"来穗": 2, "工作": 1}, wants=frozenset({"来穗"})),
               3: PageResult(page=3, blocks=[], sure={"来穗": 1}, wants=frozenset({"政法"}))}
    again = _second_pass(results)
    # 来穗 is printed surely three times over the document; page 1 wants it and lacks it; page 2 wants it and
    # lacks it as its own (twice); page 3 wants only 政法, which no page prints three times
    assert sorted(again) == [1, 2]
    assert "来穗" in again[1] and "工作" in again[1]
    assert _second_pass({1: PageResult(page=1, blocks=[], sure={"来穗": 3}, wants=frozenset({"来穗"}))}) == {}


def test_a_page_mended_with_the_document_s_words_reads_the_name_it_prints_elsewhere() -> None:
    line = OcrBox(text="来稳工作经费", score=0.8, box=(0, 0, 120, 20))
    readings = ((("来", 0.99),), (("稳", 0.85), ("穗", 0.12)), *(((c, 0.99),) for c in "工作经费"))
    assert mend_page([line], [readings])[0].text == "来稳工作经费"  # alone, the page has no word 来穗
    assert mend_page([line], [readings], known=frozenset({"来穗"}))[0].text == "来穗工作经费"
