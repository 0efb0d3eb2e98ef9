"""Stacked mid-term / annual indicator tables, the sign-off block under a form, and a stitcher that leaves the
page-by-page grid as it was read (the other readings are made from it)."""

from __future__ import annotations

from extractor.grid import Cell, DocumentGrid, Table
from extractor.layout.form_rows import is_sign_off
from extractor.layout.indicators import detect_header
from extractor.layout.mapper import map_grid
from extractor.layout.periods import caption_period, fold_periods
from extractor.layout.stitch import stitch_grid
from extractor.schema import Indicator

HEADER = ["一级指标", "二级指标", "指标内容", "指标值", "备注"]


def _ind(name: str, target: str, level2: str = "数量指标") -> Indicator:
    return Indicator(level1="产出指标", level2=level2, name=name, target=target, confidence=0.9, origin="rules")


def _table(rows: list[list[str]], page: int = 1, spans: dict[tuple[int, int], int] | None = None) -> Table:
    """A table whose cells listed in `spans` are merged over that many columns (the ones they cover are left out)."""
    spans = spans or {}
    covered = {(r, c + k) for (r, c), n in spans.items() for k in range(1, n)}
    cells = [Cell(row=r, col=c, text=t, colspan=spans.get((r, c), 1)) for r, row in enumerate(rows)
             for c, t in enumerate(row) if (r, c) not in covered]
    return Table(cells=cells, n_rows=len(rows), n_cols=max(len(r) for r in rows), source="t",
                 row_pages=[page] * len(rows), row_boxes=[None] * len(rows))


def _form(long_caption: str, year_caption: str, split: bool) -> DocumentGrid:
    head = [["项目名称", "社区矫正经费", "", "", "项目属性", "延续项目"],
            ["主管部门", "某县司法局", "项目负责人", "王明", "", ""],
            ["项目资金申请（万元）", "资金总额：", "", "12.50", "", ""]]
    long_rows = [[long_caption, *HEADER], ["", "产出指标", "数量指标", "矫正对象人数", "≥300人", ""],
                 ["", "", "质量指标", "重新犯罪率", "≤0.2%", ""]]
    year_rows = [[year_caption, *HEADER], ["", "产出指标", "数量指标", "矫正对象人数", "≥100人", ""],
                 ["", "", "质量指标", "重新犯罪率", "≤0.3%", ""], ["", "", "时效指标", "报到及时率", "100%", ""]]
    sign = [["审核意见", "主管部门审核意见", "审核人：  日期：", "", "", ""]]
    spans = {(0, 1): 3, (1, 3): 3, (2, 1): 2, (2, 3): 3}
    if split:  # Word and PDF print each block as its own table
        return DocumentGrid(blocks=[_table(head, spans=spans), _table(long_rows), _table(year_rows), _table(sign)],
                            n_pages=1)
    return DocumentGrid(blocks=[_table(head + long_rows + year_rows + sign, spans=spans)], n_pages=1)


def test_captions_name_the_period() -> None:
    assert caption_period(["长期绩效指标"]) == "midterm"
    assert caption_period(["总目标绩效指标"]) == "midterm"
    assert caption_period(["中\n期\n绩\n效\n指\n标"]) == "midterm"  # a narrow caption column wraps per character
    assert caption_period(["本年度绩效指标"]) == "annual"
    assert caption_period(["绩效指标"]) is None
    assert caption_period(["项目绩效目标"]) is None


def test_a_caption_left_of_the_levels_is_no_name_column() -> None:
    header = detect_header(["本年度绩效指标", *HEADER])
    assert header is not None and header.first_col == 1
    assert {s.field: s.col for s in header.blocks[0]}["name"] == 3


def test_the_annual_table_holds_the_indicators_and_the_midterm_one_their_midterm_targets() -> None:
    for long_caption in ("长期绩效指标", "总目标绩效指标", "中期绩效指标"):
        for split in (False, True):
            projects = map_grid(_form(long_caption, "年度绩效指标", split)).projects
            assert [p.name for p in projects] == ["社区矫正经费"], (long_caption, split)
            got = [(i.name, i.target, i.midterm_target) for i in projects[0].indicators]
            assert got == [("矫正对象人数", "≥100人", "≥300人"), ("重新犯罪率", "≤0.3%", "≤0.2%"),
                           ("报到及时率", "100%", None)], (long_caption, split)


def test_a_midterm_row_no_annual_row_matches_is_kept_without_an_annual_target() -> None:
    annual = [_ind("矫正对象人数", "≥100人")]
    midterm = [_ind("矫正对象人数", "≥300人"), _ind("帮扶基地建成数", "≥3个", "质量指标")]
    out = fold_periods(midterm + annual, [(0, "midterm"), (2, "annual")])
    assert [(i.name, i.target, i.midterm_target, i.value) for i in out] == [
        ("矫正对象人数", "≥100人", "≥300人", None), ("帮扶基地建成数", "", "≥3个", None)]


def test_names_cut_differently_in_the_two_tables_still_pair() -> None:
    out = fold_periods([_ind("教转对象", "≥80%"), _ind("教转对象满意度", "≥85%")], [(0, "midterm"), (1, None)])
    assert [(i.name, i.target, i.midterm_target) for i in out] == [("教转对象满意度", "≥85%", "≥80%")]


def test_without_a_midterm_caption_nothing_is_folded() -> None:
    rows = [_ind("a", "1个"), _ind("a", "2个")]
    assert fold_periods(rows, [(0, None), (1, "annual")]) == rows
    assert fold_periods(rows, []) == rows


def test_sign_off_rows_end_the_form() -> None:
    assert is_sign_off(["审核意见", "主管部门审核意见", "审核人：  日期："])
    assert is_sign_off(["", "财政局审核意见", ""])
    assert is_sign_off(["填报人及联系电话：", "填报日期："])
    assert not is_sign_off(["", "满意度指标", "服务对象满意度指标", "审核意见采纳率", "100%"])
    assert not is_sign_off(["项目名称", "审核意见督办经费"])


def test_stitching_leaves_the_page_by_page_grid_as_read() -> None:
    first = _table([HEADER, ["产出指标", "数量指标", "完成办公场所", "100%", ""]], page=1)
    second = _table([["", "", "保洁服务", "", ""], ["", "质量指标", "验收合格率", "100%", ""]], page=2)
    pages = DocumentGrid(blocks=[first, second], n_pages=2)
    before = [(c.row, c.col, c.text) for t in (first, second) for c in t.cells]
    stitched = stitch_grid(pages)
    assert len(stitched.blocks) == 1
    assert [(c.row, c.col, c.text) for t in (first, second) for c in t.cells] == before


def test_a_data_row_equal_to_the_first_rows_of_the_table_before_is_no_repeated_header() -> None:
    overall = _table([HEADER, ["产出指标", "数量指标", "补助覆盖率", "≥90%", ""]], page=1)
    annual = _table([["本年度" + HEADER[0], *HEADER[1:]], ["产出指标", "数量指标", "补助覆盖率", "≥90%", ""]], page=2)
    stitched = stitch_grid(DocumentGrid(blocks=[overall, annual], n_pages=2))
    rows = [r for b in stitched.blocks if isinstance(b, Table) for r in b.anchors()]
    assert sum(1 for r in rows if "补助覆盖率" in r) == 2
