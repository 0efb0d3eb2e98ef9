"""The row aligner: shifted cells land in the field a careful reader would put them in."""

from extractor.layout.align import FieldSlot, Token, align_blocks, align_shifted, type_cost
from extractor.layout.indicators import detect_header
from extractor.layout.packed import looks_packed, parse_packed

SPLIT = ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
         "度量单位", "权重", "指标方向性"]


def _tokens(row: list[str]) -> list[Token]:
    return [Token(c, t) for c, t in enumerate(row) if t]


def test_type_costs() -> None:
    assert type_cost("weight", "30") == 0
    assert type_cost("weight", "正向指标") == float("inf")
    assert type_cost("direction", "反向指标") == 0
    assert type_cost("unit", "30") == float("inf")
    assert type_cost("level2", "社会效益指标") == 0
    assert type_cost("name", "社会效益指标") == float("inf")
    assert type_cost("name", "指标3: 赴省差旅费标准") == 0
    assert type_cost("level1", "指标3: 赴省差旅费标准") == float("inf")


def test_weight_printed_in_unit_column() -> None:
    header = detect_header(SPLIT)
    assert header is not None
    row = ["", "", "", "", "效益指标", "社会效益指标", "维护社会稳定", "定性", "高中低", "30", "正向指标", ""]
    parts, _ = align_blocks(_tokens(row)[0:], header.blocks)
    fields = parts[0]
    assert fields["weight"] == "30" and fields["direction"] == "正向指标" and "unit" not in fields
    assert fields["target"] == "高中低"


def test_whole_row_shifted_left() -> None:
    header = detect_header(SPLIT)
    assert header is not None
    row = ["产出指标", "数量指标", "心理辅导", "≥", "200", "人次", "15", "正向指标", "", "", "", ""]
    fields, cost = align_shifted(_tokens(row), header.blocks[0])
    assert fields == {"level1": "产出指标", "level2": "数量指标", "name": "心理辅导", "nature": "≥",
                      "target": "200", "unit": "人次", "weight": "15", "direction": "正向指标"}
    assert cost == 4  # one shift of four columns


def test_side_by_side_blocks_take_annual_from_the_right() -> None:
    header = detect_header(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"])
    assert header is not None and len(header.blocks) == 2
    row = ["", "产出指标", "数量指标", "指标1: 劳务派遣人员数量", "≤6人", "数量指标", "指标1: 劳务派遣人员数量", "≤5人"]
    parts, _ = align_blocks(_tokens(row), header.blocks)
    assert parts[0]["target"] == "≤6人" and parts[1]["target"] == "≤5人"
    # a row whose name sits under 指标值 and whose only value is far right
    row = ["", "", "", "", "指标2: 产品质量保证", "", "", "已完成免费质保。"]
    parts, _ = align_blocks(_tokens(row), header.blocks)
    assert parts[0].get("name") == "指标2: 产品质量保证"
    assert parts[1].get("target") == "已完成免费质保。"


def test_exact_positions_cost_nothing() -> None:
    fields = [FieldSlot("name", 0), FieldSlot("description", 1), FieldSlot("target", 2), FieldSlot("basis", 3)]
    row, cost = align_shifted([Token(0, "稿件自采自编率"), Token(2, "≥90稿件自采自编率大于等于百分之九十"),
                               Token(3, "年初工作计划")], fields)
    assert cost == 0 and row["target"].startswith("≥90") and "description" not in row


def test_packed_cell() -> None:
    text = ("1、1-产出指标；11-数量指标；医疗定点报销比例%；实施周期指标值:100%；年度指标值:100%。"
            "2、2-效益指标；24-可持续影响；通过提高医疗保障，提高效率；实施周期指标值:提高医疗保障；年度指标值:提高。")
    assert looks_packed(text)
    rows = parse_packed(text)
    assert rows == [
        {"level1": "产出指标", "level2": "数量指标", "name": "医疗定点报销比例%", "midterm_target": "100%",
         "target": "100%"},
        {"level1": "效益指标", "level2": "可持续影响", "name": "通过提高医疗保障，提高效率",
         "midterm_target": "提高医疗保障", "target": "提高"},
    ]


def test_a_repeated_level_word_fills_the_next_column_as_printed() -> None:
    header = detect_header(SPLIT)
    assert header is not None
    row = ["", "", "", "", "满意度指标", "满意度指标", "市县两级政法委干部满意度", "定性", "高", "", "10", ""]
    fields, _ = align_shifted(_tokens(row), header.blocks[0])
    assert fields["level1"] == fields["level2"] == "满意度指标" and fields["name"] == "市县两级政法委干部满意度"
    row = ["工读学校管理专项", "9.00", "目标", "产出指标", "质量指标", "质量指标", "定性", "优良中低差", "项", "20",
           "正向指标", ""]
    fields, _ = align_shifted(_tokens(row)[3:], header.blocks[0])
    assert fields["level2"] == fields["name"] == "质量指标" and fields["weight"] == "20"


def test_cells_clipped_into_the_last_column_are_split_back() -> None:
    from extractor.layout.indicators import row_tokens, split_fused

    assert split_fused("30正向指标") == ["30", "正向指标"]
    assert split_fused("次20") == ["次", "20"]
    assert split_fused("万元 15") == ["万元", "15"]
    for whole in ("≥90", "第2", "100%", "正向指标", "完成率95", "年度300"):
        assert split_fused(whole) == [whole]
    header = detect_header(SPLIT)
    assert header is not None
    row = ["", "维护社会稳定工作经费", "7.80", "目标", "效益指标", "社会效益指标", "社会和谐稳定程度", "定性", "高中低",
           "", "", "30正向指标"]
    fields, _ = align_shifted(row_tokens(row, 4), header.blocks[0])
    assert fields["weight"] == "30" and fields["direction"] == "正向指标"
