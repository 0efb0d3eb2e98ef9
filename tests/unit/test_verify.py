"""The verifier against hand-made pages: it names what a reading says that no printed cell does, and is silent
on a correct reading. The readings here are written by hand, not produced by the readers."""

from __future__ import annotations

from extractor.grid import Cell, DocumentGrid, Table, TextLine, table_from_rows
from extractor.schema import Budget, Document, Indicator, Project
from extractor.verify import reasons, verify

# A national-template project form: the money block prints labels in one column and the amounts beside them.
FORM = [
    ["项目名称", "社区戒毒康复指导经费", "", ""],
    ["项目金额", "年度资金总额：", "1,150.00", ""],
    ["", "其中：当年财政拨款", "1,150.00", ""],
    ["", "上年结转资金", "0.00", ""],
    ["", "其他资金", "0.00", ""],
    ["年度目标", "完成全市社区戒毒康复人员帮扶指导工作", "", ""],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "帮扶指导人次", "≥1200人次"],
    ["产出指标", "质量指标", "复吸率", "≤5%"],
    ["满意度指标", "服务对象满意度指标", "戒毒人员满意度", "≥90%"],
]


def _ind(level1: str, level2: str, name: str, target: str, op: str | None, value: float | None,
         unit: str | None) -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, target=target, operator=op, value=value, unit=unit,
                     confidence=1.0)  # type: ignore[arg-type]


def _right(**budget: float | None) -> Document:
    indicators = [_ind("产出指标", "数量指标", "帮扶指导人次", "≥1200人次", ">=", 1200, "人次"),
                  _ind("产出指标", "质量指标", "复吸率", "≤5%", "<=", 5, "%"),
                  _ind("满意度指标", "服务对象满意度指标", "戒毒人员满意度", "≥90%", ">=", 90, "%")]
    money = {"total": 1150.0, "fiscal": 1150.0, "carryover": 0.0, "other": 0.0, **budget}
    return Document(source="f.xlsx", sha256="x", projects=[
        Project(kind="project", name="社区戒毒康复指导经费", budget=Budget(**money), indicators=indicators,
                goal="完成全市社区戒毒康复人员帮扶指导工作")])


def _grid(rows: list[list[str]], note: str | None = None) -> DocumentGrid:
    blocks: list[TextLine | Table] = [TextLine(text=note, page=1)] if note else []
    return DocumentGrid(blocks=[*blocks, table_from_rows(rows, page=1)])


def _kinds(doc: Document, grid: DocumentGrid) -> list[str]:
    return [c.kind for c in verify(doc, grid)]


def test_a_correct_reading_is_not_contradicted() -> None:
    assert verify(_right(), _grid(FORM)) == []


def test_a_total_no_cell_prints_as_zero_is_caught() -> None:
    found = verify(_right(total=0.0), _grid(FORM))
    assert [c.kind for c in found] == ["budget_wrong_label", "budget_parts"]
    assert "上年结转" in found[0].message or "其他资金" in found[0].message
    assert reasons(found)[0].startswith("与原文不符：")


def test_an_amount_printed_nowhere_is_caught() -> None:
    assert _kinds(_right(total=1000.0), _grid(FORM))[0] == "budget_unprinted"


def test_parts_that_do_not_add_up_are_caught() -> None:
    grid = _grid([*FORM[:4], ["", "其他资金", "50.00", ""], *FORM[5:]])
    assert _kinds(_right(other=50.0), grid) == ["budget_parts"]


def test_yuan_read_as_wanyuan_is_caught() -> None:
    rows = [[c.replace("1,150.00", "11,500,000.00") for c in r] for r in FORM]
    assert verify(_right(total=1150.0, fiscal=1150.0), _grid(rows, note="单位：元")) == []
    assert "budget_unit" in _kinds(_right(total=11500000.0, fiscal=11500000.0), _grid(rows, note="单位：元"))


def test_label_rows_read_as_projects_are_caught() -> None:
    """The Shanghai 填报表 failure: every label row became a project, the indicators went to 绩效指标."""
    doc = _right()
    wrong = doc.model_copy(update={"projects": [
        Project(kind="project", name="项目名称"), Project(kind="project", name="主管部门"),
        Project(kind="project", name="计划开始日期"),
        Project(kind="project", name="绩效指标", indicators=doc.projects[0].indicators)]})
    kinds = _kinds(wrong, _grid(FORM))
    assert kinds.count("name_not_a_name") == 4
    assert "form_unread" in kinds  # the printed 项目名称 | 社区戒毒康复指导经费 is no project of the reading


def test_a_target_taken_for_a_project_name_is_caught() -> None:
    doc = _right()
    split = doc.model_copy(update={"projects": [
        doc.projects[0].model_copy(update={"indicators": doc.projects[0].indicators[:2]}),
        Project(kind="project", name="≥90%", indicators=doc.projects[0].indicators[2:])]})
    assert "name_not_a_name" in _kinds(split, _grid(FORM))


def test_a_dropped_indicator_row_is_caught() -> None:
    doc = _right()
    dropped = doc.model_copy(update={"projects": [
        doc.projects[0].model_copy(update={"indicators": doc.projects[0].indicators[:2]})]})
    found = verify(dropped, _grid(FORM))
    assert [c.kind for c in found] == ["row_unread"]
    assert "戒毒人员满意度" in found[0].message


def test_two_forms_merged_into_one_are_caught() -> None:
    second = [["项目名称", "禁毒宣传经费", "", ""], ["项目金额", "年度资金总额：", "30.00", ""],
              ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "宣传活动场次", "≥12场"]]
    doc = _right()
    merged = doc.model_copy(update={"projects": [doc.projects[0].model_copy(update={"indicators": [
        *doc.projects[0].indicators, _ind("产出指标", "数量指标", "宣传活动场次", "≥12场", ">=", 12, "场")]})]})
    assert _kinds(merged, _grid(FORM + second)) == ["form_unread"]


def test_an_indicator_moved_to_the_wrong_project_is_caught() -> None:
    second = [["项目名称", "禁毒宣传经费", "", ""], ["项目金额", "年度资金总额：", "30.00", ""],
              ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "宣传活动场次", "≥12场"]]
    doc = _right()
    first, moved = doc.projects[0].indicators[:2], doc.projects[0].indicators[2:]
    extra = _ind("产出指标", "数量指标", "宣传活动场次", "≥12场", ">=", 12, "场")
    shifted = doc.model_copy(update={"projects": [
        doc.projects[0].model_copy(update={"indicators": first}),
        Project(kind="project", name="禁毒宣传经费", budget=Budget(total=30.0), indicators=[*moved, extra])]})
    kinds = _kinds(shifted, _grid(FORM + second))
    assert "indicator_unprinted" in kinds and "row_unread" in kinds


def test_a_printed_sum_that_disagrees_with_the_projects_is_caught() -> None:
    rows = [["项目名称", "预算数", "绩效目标"], ["合计", "30.00", ""], ["甲项目经费", "10.00", "完成甲"],
            ["乙项目经费", "20.00", "完成乙"]]
    doc = Document(source="f", sha256="x", projects=[
        Project(kind="project", name="甲项目经费", budget=Budget(total=10.0)),
        Project(kind="project", name="乙项目经费", budget=Budget(total=20.0))])
    assert verify(doc, _grid(rows)) == []
    rows[1][1] = "40.00"
    assert _kinds(doc, _grid(rows)) == ["sum_mismatch"]


def test_merged_cells_are_read_as_the_eye_reads_them() -> None:
    """一级 printed once over three rows (a vertical merge) still marks each row as an indicator row."""
    table = table_from_rows(FORM, page=2)
    table.cells = [c for c in table.cells if not (c.col == 0 and c.row in (8, 9))]
    table.cells = [Cell(row=c.row, col=c.col, text=c.text, rowspan=2 if (c.row, c.col) == (7, 0) else 1, page=2)
                   for c in table.cells]
    doc = _right()
    dropped = doc.model_copy(update={"projects": [
        doc.projects[0].model_copy(update={"indicators": doc.projects[0].indicators[:1]})]})
    kinds = _kinds(dropped, DocumentGrid(blocks=[table]))
    assert kinds.count("row_unread") == 2
