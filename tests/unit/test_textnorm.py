import pytest

from extractor.textnorm import clean_cell, join_wrapped, normalize_chars, squash


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("⻅义勇为", "见义勇为"),  # CJK radical supplement
        ("⼀级指标", "一级指标"),  # Kangxi radical
        ("⻔诊", "门诊"),
        ("１００％", "100%"),  # full-width digits and percent
        ("≥９０", "≥90"),
        ("其中：财政拨款", "其中：财政拨款"),  # Chinese punctuation is kept as printed
        ("a\u3000b", "a b"),
        ("x\u200by", "xy"),
    ],
)
def test_normalize_chars(raw: str, expected: str) -> None:
    assert normalize_chars(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("劳务派遣人\n员数量", "劳务派遣人员数量"),  # Chinese wraps join with no space
        ("社会效益指\n标", "社会效益指标"),
        ("依据项目合同支\n付项目款项, 提\n供", "依据项目合同支付项目款项, 提供"),
        ("Video\nNetwork", "Video Network"),  # Latin words keep one space
        ("≥95%\n满意", "≥95%满意"),
        ("  padded \n", "padded"),
    ],
)
def test_join_wrapped(raw: str, expected: str) -> None:
    assert join_wrapped(raw) == expected


def test_clean_cell_and_squash() -> None:
    assert clean_cell(None) == ""
    assert clean_cell("指标1: ⻅\n义勇为") == "指标1: 见义勇为"
    assert squash(" 年度 主要\n任务 ") == "年度主要任务"
