"""Packed cells read under heavy photo noise: keys and level names two or three characters off, a cell cut by a
page break repaired once its halves are joined — and nothing outside a proven packed cell touched."""

from __future__ import annotations

from extractor.choose import stitched
from extractor.grid import Cell, DocumentGrid, Table
from extractor.layout.packed import parse_packed
from extractor.ocr.repair import packed_punctuation
from extractor.textnorm import edits_apart


def test_edits_apart_counts_misread_dropped_and_added_characters() -> None:
    assert edits_apart("年度推值", "年度指标值") == 2
    assert edits_apart("实施周值", "实施周期指标值") == 3
    assert edits_apart("培训人次", "培训人次") == 0
    assert edits_apart("", "ab") == 2


def test_keys_misread_two_or_three_characters_are_keys_in_a_packed_cell() -> None:
    read = ("1.1-产出指标：11-数量指标：培训农民人次：实施周朝措标值：≥500人次：年度标值:≥500人次. "
            "2.2-效益指标：22-社会效益：政策知晓率：实施周期指标值：≥90%：年度指标值：≥90%.")
    rows = parse_packed(packed_punctuation(read))
    assert [(r["name"], r["midterm_target"], r["target"]) for r in rows] == [
        ("培训农民人次", "≥500人次", "≥500人次"), ("政策知晓率", "≥90%", "≥90%")]


def test_the_long_key_keeping_its_opening_word_and_its_closing_value_is_the_key() -> None:
    read = ("1、1-产出指标；14-成本指标；公众号及设备维护成本控制；实施网值：≤0%；年度指标值：≤0%。"
            "2、1-产出指标；11-数量指标；实施方案编制数；实施周期指标值：1份；年度指标值：1份。")
    rows = parse_packed(packed_punctuation(read))
    assert [(r["name"], r["midterm_target"]) for r in rows] == [("公众号及设备维护成本控制", "≤0%"),
                                                                ("实施方案编制数", "1份")]


def test_a_speck_read_before_a_level_2_code_is_not_part_of_the_level() -> None:
    read = ("1、1-产出指标；11-数量指标；会议次数；实施周期指标值：≥4次；年度指标值：≥4次。"
            "2、2-效益指标；.22-社会效益；人力、时间资源节省；实施周期指标值：≤0%；年度指标值：≤0%。")
    rows = parse_packed(packed_punctuation(read))
    assert [(r["level2"], r["name"]) for r in rows] == [("数量指标", "会议次数"), ("社会效益", "人力、时间资源节省")]


def test_a_key_read_straight_into_its_value_still_ends_the_name() -> None:
    read = ("1、1-产出指标；13-时效指标；资金拨付及时率；实施周期指标值：100%年度措标慎100%。"
            "2、3-满意度指标；31-服务对象满意度；企业满意度；实施周期指标值：≥85%；年度指标值：≥85%。")
    rows = parse_packed(packed_punctuation(read))
    assert rows[0]["name"] == "资金拨付及时率" and rows[0]["target"] == "100%"


def test_level_names_two_characters_off_in_their_slots_are_the_names() -> None:
    read = ("1.1严出排标：12质量指标：设施完好率：实施周期指标值：≥98%：年度指标值：≥98%. "
            "2.3-满意度指标：31务对兼满意度：游客满意度：实施周期指标值：≥90%：年度指标值：≥90%.")
    rows = parse_packed(packed_punctuation(read))
    assert [(r["level1"], r["level2"], r["name"]) for r in rows] == [
        ("产出指标", "质量指标", "设施完好率"), ("满意度指标", "服务对象满意度", "游客满意度")]


def test_names_near_a_key_or_between_two_level_names_are_left_as_printed() -> None:
    read = ("1、1-产出指标；11-数量指标；实施方案完成率；实施周期指标值：100%；年度指标值：100%。"
            "2、1-产出指标；12-质量指标；年度预算执行率；实施周期指标值：≥95%；年度指标值：≥95%。"
            "3、2-效益指标；22-社态效益；带动就业；实施周期指标值：≥20人；年度指标值：≥20人。")
    repaired = packed_punctuation(read)
    assert "实施方案完成率" in repaired and "年度预算执行率" in repaired
    assert "22-社态效益" in repaired  # as near 社会效益 as 生态效益: left for a person


def test_a_cell_not_proven_packed_keeps_its_words() -> None:
    for text in ["年度目标：完成全年培训任务", "1.2 年度目标：完成全年培训；实施周朝措标值：3次", "中期目标:5个"]:
        assert packed_punctuation(text) == text


def _ocr_table(page: int, text: str, confidence: float = 0.8) -> Table:
    cells = [Cell(row=0, col=0, text="" if page > 1 else "乡村道路养护", page=page, confidence=confidence),
             Cell(row=0, col=1, text=text, page=page, confidence=confidence, open_end=True)]
    return Table(cells=cells, n_rows=1, n_cols=2, source=f"page {page}", row_pages=[page])


def test_a_packed_cell_cut_by_a_page_break_is_repaired_once_joined() -> None:
    first = "1、1-产出指标；11-数量指标；养护道路里程；实施周期指标值：≥120公里；年度指"
    rest = "标值：≥120公里. 2.1-产出指标：13时效指标：养护完成及时率：年度指标值：100%."
    assert packed_punctuation(rest) == rest  # one half alone proves nothing
    grid = stitched(DocumentGrid(blocks=[_ocr_table(1, first), _ocr_table(2, rest)], n_pages=2))
    (table,) = grid.tables
    rows = parse_packed(table.matrix()[0][1])
    assert [(r["name"], r["target"]) for r in rows] == [("养护道路里程", "≥120公里"), ("养护完成及时率", "100%")]


def test_text_layer_cells_are_never_repaired() -> None:
    printed = "1.1.产出指标：13时效指标：道路巡查及时率：实施周期指标值：≥95%：年度指标值：≥95%."
    grid = stitched(DocumentGrid(blocks=[_ocr_table(1, printed, confidence=1.0)], n_pages=1))
    assert grid.tables[0].matrix()[0][1] == printed


def test_a_key_whose_colon_was_lost_or_read_as_a_dot_is_followed_by_its_target() -> None:
    read = ("1.1户出格标：11数量指标：新建污水管网：实施周期指标值.≥12公里：年度指标值12公里. "
            "2.2-效益指标：23-生态效益：水质达标率：实施周期指标值水质持续改善：年度指标值：≥90%.")
    rows = parse_packed(packed_punctuation(read))
    assert [(r["level1"], r["name"], r["midterm_target"], r["target"]) for r in rows] == [
        ("产出指标", "新建污水管网", "≥12公里", "12公里"), ("效益指标", "水质达标率", "水质持续改善", "≥90%")]


def test_an_item_separator_read_as_dots_and_a_stray_digit_still_starts_the_next_item() -> None:
    # "。2、1-产出指标；" read as ".2.1.7产出指标：": the dash after the level-1 code became ".7"
    read = ("1、1-产出指标；11-数量指标；举办宣传活动次数；实施周期指标值：举办活动1个以上；年度指标值：1个以上"
            ".2.1.7产出指标：11-数量指标；建设示范性服务站；实施周期指标值：2个以上；年度指标值：2个以上。")
    rows = parse_packed(packed_punctuation(read))
    assert [(r["level1"], r["name"], r["target"]) for r in rows] == [("产出指标", "举办宣传活动次数", "1个以上"),
                                                                     ("产出指标", "建设示范性服务站", "2个以上")]
