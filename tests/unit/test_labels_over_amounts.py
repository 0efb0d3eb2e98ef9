"""Money labels printed above their amounts, a goal printed a row per aim, a core indicator's ★, and a number
inside a sentence that is no amount: a 参考模板-style form the sample does not contain."""

from __future__ import annotations

from extractor.cells import is_amount_cell
from extractor.grid import Cell, DocumentGrid, Table
from extractor.layout.mapper import map_grid
from extractor.layout.vocabulary import strip_name_prefix


def _table(rows: list[list[str]], spans: dict[tuple[int, int], int] | None = None) -> Table:
    spans = spans or {}
    covered = {(r, c + k) for (r, c), n in spans.items() for k in range(1, n)}
    cells = [Cell(row=r, col=c, text=t, colspan=spans.get((r, c), 1)) for r, row in enumerate(rows)
             for c, t in enumerate(row) if (r, c) not in covered]
    return Table(cells=cells, n_rows=len(rows), n_cols=max(len(r) for r in rows), source="t",
                 row_pages=[1] * len(rows), row_boxes=[None] * len(rows))


def _form(caption_repeated: bool, aims: list[str]) -> DocumentGrid:
    caption = "资金情况（万元）"
    rows = [["项目名称", "", "困难群众救助补助资金", "", ""],
            ["主管部门", "", "某市民政局", "实施单位", "某市社会救助中心"],
            [caption, "年度资金总额：", "", "其中：财政拨款", "其他资金"],
            [caption if caption_repeated else "", "1,286.40", "", "1,200.00", "86.40"]]
    rows += [["总体目标" if k == 0 else "", aim, "", "", ""] for k, aim in enumerate(aims)]
    rows += [["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
             ["", "产出指标", "数量指标", "★农村低保发放人数", "≥5000人"],
             ["", "", "质量指标", "补助资金发放准确率", "100%"],
             ["", "满意度指标", "服务对象满意度指标", "☆受助群众满意度", "≥90%"]]
    spans = {(0, 2): 3, **{(4 + k, 1): 4 for k in range(len(aims))}}
    return DocumentGrid(blocks=[_table(rows, spans)], n_pages=1)


AIMS = ["目标1：按时足额发放困难群众救助资金。", "目标2：提高6类救助对象的保障水平。", "目标3：健全社会救助体系。"]


def test_a_number_inside_a_sentence_is_no_amount() -> None:
    assert is_amount_cell("1,286.40") and is_amount_cell("84.6万元") and is_amount_cell("100（万元）")
    assert not is_amount_cell("目标6：5.在重大决策前进行风险评估")
    assert not is_amount_cell("提高6类救助对象的保障水平")


def test_amounts_under_their_labels_are_the_budget_whether_the_caption_repeats_or_not() -> None:
    for repeated in (True, False):
        (project,) = map_grid(_form(repeated, AIMS)).projects
        assert (project.budget.total, project.budget.fiscal, project.budget.other) == (1286.4, 1200.0, 86.4)


def test_a_goal_printed_a_row_per_aim_is_one_goal_and_its_numbers_are_no_budget() -> None:
    (project,) = map_grid(_form(True, AIMS)).projects
    assert project.goal == "".join(AIMS)
    assert project.budget.total == 1286.4  # "目标2：提高6类…" is never read as 2 or 6 万元


def test_a_core_indicators_star_is_not_part_of_its_name() -> None:
    (project,) = map_grid(_form(False, AIMS[:1])).projects
    assert [i.name for i in project.indicators] == ["农村低保发放人数", "补助资金发放准确率", "受助群众满意度"]
    assert strip_name_prefix("★ 指标1：农村低保发放人数") == "农村低保发放人数"
