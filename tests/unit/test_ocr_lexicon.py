"""A doubtful Chinese character that makes no word is read as the recogniser's next reading that does."""

from __future__ import annotations

import numpy as np

from extractor.ocr.engine import OcrBox, _NextReadings
from extractor.ocr.lexicon import mend_line

# word counts of a small general dictionary; single characters count too
COUNTS = {"满意": 500, "满意度": 120, "调查": 8000, "数量": 7000, "质量": 8000, "指标": 900, "宣传": 4700,
          "家传": 140, "平安": 1400, "重点": 12000, "扶持": 800, "推进": 4900,
          "请": 23000, "责": 1100, "调": 2000, "查": 1500, "数": 3000, "质": 900, "指": 800, "标": 600,
          "室": 500, "宣": 60, "传": 700, "康": 300, "重": 2000, "点": 5000, "进": 4000, "语": 900, "循": 80}
TOTAL = 60_000_000.0


def count(word: str) -> int:
    return COUNTS.get(word, 0)


def sure(text: str) -> list[tuple[tuple[str, float], ...]]:
    return [((c, 0.99),) for c in text]


def test_two_doubtful_characters_that_make_no_word_are_read_as_the_word_the_next_readings_make() -> None:
    readings = [*sure("满意度"), (("请", 0.44), ("调", 0.37), ("消", 0.12)), (("责", 0.59), ("查", 0.38))]
    text, scores = mend_line("满意度请责", readings, count, TOTAL) or ("", [])
    assert text == "满意度调查"
    assert scores[3:] == [0.37, 0.38]  # the reading chosen keeps its own low probability: still flagged


def test_a_less_probable_next_reading_is_taken_when_only_it_makes_a_word() -> None:
    readings = [*sure("扶持"), (("康", 0.52), ("廉", 0.12), ("重", 0.08)), (("点", 1.0),)]
    assert (mend_line("扶持康点", readings, count, TOTAL) or ("",))[0] == "扶持重点"


def test_a_doubtful_character_that_already_makes_a_word_is_kept() -> None:
    # 数量 and 质量 are both words: however doubtful, 数 is not re-read (the two levels are one character apart)
    readings = [(("数", 0.5), ("质", 0.45)), *sure("量指标")]
    assert mend_line("数量指标", readings, count, TOTAL) is None


def test_next_readings_much_less_probable_than_the_read_are_not_tried() -> None:
    # 进 read at 0.65, 语 at 0.04: a word made of 语 would be the dictionary speaking, not the page
    readings = [(("循", 0.25), ("微", 0.11)), (("进", 0.65), ("造", 0.08), ("语", 0.04)), *sure("平安")]
    assert mend_line("循进平安", readings, count, TOTAL) is None


def test_a_next_reading_that_makes_no_word_is_never_taken() -> None:
    readings = [*sure("平安"), (("室", 0.3), ("宝", 0.29)), *sure("会")]
    assert mend_line("平安室会", readings, count, TOTAL) is None


def test_digits_marks_and_units_are_never_re_read() -> None:
    readings = [(("≥", 0.4), ("≤", 0.39)), (("9", 0.5), ("重", 0.3)), (("5", 0.99),), (("%", 0.99),)]
    assert mend_line("≥95%", readings, count, TOTAL) is None


def test_readings_that_do_not_spell_the_line_change_nothing() -> None:
    assert mend_line("满意度请责", sure("满意度"), count, TOTAL) is None


def test_the_decoding_wrapper_keeps_each_characters_next_readings_in_reading_order() -> None:
    class Decode:
        def __init__(self) -> None:
            self.character = ["blank", "请", "调", "责", "查"]
            self.dict = {c: i for i, c in enumerate(self.character)}

        def __call__(self, preds: np.ndarray, return_word_box: bool = False, **kw: object) -> object:
            return [("请责", 0.55), ("请", 0.99)], [type("Info", (), {"confs": [0.5, 0.6]})(),
                                                   type("Info", (), {"confs": [0.99]})()]

    steps = np.array([[[0.1, 0.5, 0.4, 0.0, 0.0], [0.9, 0.05, 0.05, 0.0, 0.0], [0.1, 0.0, 0.0, 0.6, 0.3]],
                      [[0.01, 0.99, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0]]])
    recorder = _NextReadings(Decode())
    assert recorder(steps, True)[0][0] == ("请责", 0.55)  # RapidOCR's own decoding, untouched
    assert [r[:2] for r in recorder.by_text["请责"]] == [(("请", 0.5), ("调", 0.4)), (("责", 0.6), ("查", 0.3))]
    assert recorder.by_text["请"] == ((("请", 0.99),),)  # read surely: no search for next readings
    assert recorder.dict["调"] == 2


def test_a_page_s_lines_are_mended_with_the_general_dictionary_keeping_character_positions() -> None:
    from extractor.ocr.mending import mend_page

    readings = (*[((c, 0.99),) for c in "对象满意度"], (("请", 0.44), ("调", 0.37)), (("责", 0.59), ("查", 0.38)))
    chars = tuple((c, 0.9, float(10 * i), float(10 * i + 9)) for i, c in enumerate("对象满意度请责"))
    line = OcrBox(text="对象满意度请责", score=0.8, box=(0, 0, 70, 20), chars=chars)
    [mended] = mend_page([line], [readings])
    assert mended.text == "对象满意度调查"
    assert [c[0] for c in mended.chars] == list(mended.text) and mended.chars[5][2:] == (50.0, 59.0)
    assert mended.score < 0.9


def test_a_word_cut_by_a_line_wrap_is_mended_across_it() -> None:
    from extractor.ocr.mending import mend_page

    # 保洁服务 wrapped as 保洁级 | 务: 级 alone makes no word, 服务 does only with the next line
    upper = OcrBox(text="场所保洁级", score=0.9, box=(100, 100, 200, 120))
    lower = OcrBox(text="务", score=0.99, box=(101, 124, 121, 144))
    elsewhere = OcrBox(text="务", score=0.99, box=(400, 124, 420, 144))  # same height, another column
    up = (*[((c, 0.99),) for c in "场所保洁"], (("级", 0.5), ("服", 0.3)))
    out = mend_page([upper, elsewhere, lower], [up, ((("务", 0.99),),), ((("务", 0.99),),)])
    assert [b.text for b in out] == ["场所保洁服", "务", "务"]
    alone = mend_page([upper, elsewhere], [up, ((("务", 0.99),),)])
    assert alone[0].text == "场所保洁级"  # no wrap: nothing makes 服 a word


def test_a_traditional_character_printed_in_a_simplified_text_is_kept() -> None:
    # the page prints 系統: 统 is the same character in the other script, not a misreading of it
    from opencc import OpenCC

    readings = [(("系", 0.99),), (("統", 0.62), ("统", 0.18))]
    assert mend_line("系統", readings, lambda w: {"系统": 20000, "系": 900}.get(w, 0), TOTAL,
                     OpenCC("t2s").convert) is None


def test_a_page_s_own_repeated_words_mend_a_name_no_dictionary_has() -> None:
    from extractor.ocr.lexicon import PAGE_WORD_COUNT, page_words

    lines = [sure("遂宁日报"), sure("遂宁电视台"), sure("法治遂宁"), [(("遂", 0.6),), *sure("宁新闻网")]]
    own = page_words(lines)
    assert "遂宁" in own  # printed three times, read surely each time
    assert "宁新" not in own and "宁日" not in own  # once is no word of the page's
    readings = [(("通", 0.39), ("遂", 0.16), ("道", 0.13)), (("宁", 0.91),), *sure("市委")]
    counts = {"通宁": 0, "市委": 3000}
    assert mend_line("通宁市委", readings, lambda w: counts.get(w, 0), TOTAL) is None  # the dictionary lacks 遂宁
    mended = mend_line("通宁市委", readings, lambda w: counts.get(w, 0) + PAGE_WORD_COUNT * (w in own), TOTAL)
    assert mended is not None and mended[0] == "遂宁市委"


def test_a_general_word_the_page_does_not_print_yields_to_one_it_prints_everywhere() -> None:
    counts = {**COUNTS, "效法": 500, "政法": 3000, "加强": 5000, "工作": 20000}
    readings = [*sure("加强"), (("效", 0.55), ("政", 0.3)), *sure("法工作")]
    assert mend_line("加强效法工作", readings, lambda w: counts.get(w, 0), TOTAL) is None  # 效法 is a word
    own = frozenset({"政法"})
    mended = mend_line("加强效法工作", readings, lambda w: counts.get(w, 0) + 2000 * (w in own), TOTAL, str, own)
    assert mended is not None and mended[0] == "加强政法工作"


def test_a_reading_that_is_itself_a_page_word_is_never_overridden() -> None:
    # a page of 数量指标 and 质量指标 rows: a doubtful 数 in 数量 stays, though 质 makes the other page word
    own = frozenset({"数量", "质量", "指标"})
    readings = [(("数", 0.5), ("质", 0.45)), *sure("量指标")]
    assert mend_line("数量指标", readings, lambda w: COUNTS.get(w, 0) + 2000 * (w in own), TOTAL, str, own) is None


def test_an_improbable_next_reading_is_tried_when_it_makes_a_word_the_page_reads_elsewhere() -> None:
    from extractor.ocr.lexicon import seen_words

    counts = {**COUNTS, "劳务": 900, "派遣": 600, "人员": 30000, "源": 2000, "道": 9000, "派": 3000}
    lines = [[*sure("保障劳务"), (("派", 0.86),), (("遣", 0.49), ("遗", 0.33)), *sure("人员")],
             [*sure("劳务"), (("派", 0.85),), (("遣", 0.85),), *sure("人")],
             [*sure("劳务"), (("派", 0.89),), (("道", 0.81), ("遣", 0.06)), *sure("人员")]]
    seen = seen_words(lines, lambda w: counts.get(w, 0))
    assert "派遣" in seen  # read (doubtfully) in two places, and a general word
    assert "派道" not in seen  # read twice too, but no word: a repeated misreading is no evidence
    readings = [*sure("劳务"), (("源", 0.62), ("派", 0.37)), (("道", 0.84), ("适", 0.11), ("遣", 0.02)), *sure("人员")]
    assert mend_line("劳务源道人员", readings, lambda w: counts.get(w, 0), TOTAL) is None  # 遣 too improbable alone
    mended = mend_line("劳务源道人员", readings, lambda w: counts.get(w, 0), TOTAL, seen=seen)
    assert mended is not None and mended[0] == "劳务派遣人员" and mended[1][3] == 0.02


def test_the_page_s_readings_never_bring_in_a_word_it_does_not_read() -> None:
    from extractor.ocr.lexicon import seen_words

    # 进 0.65 / 语 0.04 (德语 a word, never read on the page): still not tried
    seen = seen_words([sure("推进平安"), sure("平安建设")], count)
    readings = [(("循", 0.25), ("微", 0.11), ("德", 0.02)), (("进", 0.65), ("造", 0.08), ("语", 0.04)), *sure("平安")]
    assert mend_line("循进平安", readings, count, TOTAL, seen=seen) is None


def test_a_document_s_own_words_come_from_all_its_pages_and_mend_a_page_that_prints_them_less() -> None:
    from extractor.ocr.lexicon import repeated, sure_pairs, wanted_pairs

    later = [sure("加强来穗人员"), sure("来穗人员登记"), [(("来", 0.99),), (("穗", 0.5), ("德", 0.3))]]
    first = [[*sure("来"), (("稳", 0.85), ("穗", 0.12)), *sure("工作经费")]]
    assert "来穗" not in repeated(sure_pairs(later))  # read surely twice only on this page: not its own word
    document = repeated(sure_pairs(later) + sure_pairs(sure("来穗工作") for _ in range(1)))
    assert "来穗" in document  # three sure readings over the document
    assert "来穗" in wanted_pairs(first)  # 稳's next reading 穗 could make it on the first page
    assert "来稳" in wanted_pairs(first) and "作经" not in wanted_pairs(first)  # only doubtful characters want
