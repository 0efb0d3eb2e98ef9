"""OCR punctuation repairs: only where the printed text's own shape proves which mark it was."""

from __future__ import annotations

from collections.abc import Callable

from extractor.ocr.repair import dotted_thousands, packed_punctuation
from extractor.ocr.text import ocr_text


def test_dots_read_for_thousands_commas_are_commas_again() -> None:
    assert dotted_thousands("小计 23.456.08 万元") == "小计 23,456.08 万元"
    assert dotted_thousands("7.200.310.55") == "7,200,310.55"


def test_other_dotted_numbers_are_left_as_printed() -> None:
    for text in ["3.14", "2023.06.30", "4.2.1", "12.3456.78", "1.234.5", "第1.234.56.7条", "88.888.88.1"]:
        assert dotted_thousands(text) == text


def test_a_packed_cell_gets_its_separators_back() -> None:
    read = ("1.1.产出指标：13时效指标：道路巡查及时率：实施周期指标值：≥95%：年度措标值：≥95%, 2. 3满意度指标："
            "31服务对象满意度：村民满意度：实施周期指标值：≥90%：年度指标值：≥90%.")
    assert packed_punctuation(read) == ("1、1-产出指标；13-时效指标；道路巡查及时率；实施周期指标值：≥95%；年度指标值："
                                        "≥95%。2、3-满意度指标；31-服务对象满意度；村民满意度；实施周期指标值：≥90%；"
                                        "年度指标值：≥90%。")


def test_a_cell_with_one_keyed_target_is_not_touched() -> None:
    text = "1.1.产出指标：数量：年度指标值：5次."
    assert packed_punctuation(text) == text


def test_ocr_text_applies_both() -> None:
    assert ocr_text("合计 3.210.40") == "合计 3,210.40"


def test_a_dot_between_chinese_words_is_the_enumeration_comma_printed() -> None:
    from extractor.ocr.repair import enumeration_commas

    assert enumeration_commas("以电视.报纸.网络为载体") == "以电视、报纸、网络为载体"
    assert enumeration_commas("节日防控.“FLG”教转") == "节日防控、“FLG”教转"
    for printed in ["补助标准4700元/人.年", "完成率≥95.5%", "第3.2条", "Wi-Fi.5G", "办结率."]:
        assert enumeration_commas(printed) == printed


def test_a_dot_before_a_verb_opening_a_clause_is_the_clause_comma() -> None:
    from extractor.ocr.repair import enumeration_commas

    tags = {"宣传": "vn", "持续": "vd", "执法": "v", "电视": "n", "报纸": "n", "网络": "n", "人民": "n"}

    def loaded() -> Callable[[str], str | None]:
        return tags.get

    assert enumeration_commas("加强政法工作宣传.持续维护社会稳定", loaded) == "加强政法工作宣传，持续维护社会稳定"
    assert enumeration_commas("案件评查.执法司法公信力明显提升", loaded) == "案件评查，执法司法公信力明显提升"
    assert enumeration_commas("以电视.报纸.网络为载体", loaded) == "以电视、报纸、网络为载体"  # listed nouns
    assert enumeration_commas("宣传活动.人民群众", loaded) == "宣传活动、人民群众"  # a noun after it: as before

    def never() -> Callable[[str], str | None]:
        raise AssertionError("the dictionary is loaded only for a dot between Chinese words")

    assert enumeration_commas("补助标准4700元/人.年", never) == "补助标准4700元/人.年"
