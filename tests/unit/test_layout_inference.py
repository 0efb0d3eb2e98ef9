"""Layouts no sample has: column roles from evidence, table shapes from structure, and self-flagged failure."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from eval.scorer import norm_text
from extractor.api import extract
from extractor.grid import DocumentGrid, TextLine, table_from_rows
from extractor.layout.header_words import best_header_field
from extractor.layout.mapper import map_grid
from extractor.layout.roles import assign_roles, cell_scores
from extractor.schema import Project

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold"


def _map(*blocks: list[list[str]] | str) -> list[Project]:
    grid = DocumentGrid(blocks=[TextLine(b) if isinstance(b, str) else table_from_rows(b) for b in blocks])
    return map_grid(grid).projects


@pytest.mark.parametrize(("header", "field"), [
    ("考核指标值", "target"), ("计划完成值", "target"), ("目标水平（年度）", "target"), ("指标值/标准", "target"),
    ("指标比重", "weight"), ("扣分规则", "basis"), ("绩效指标名称", "name"), ("计量单位", "unit"),
    ("目标值（实施期）", "midterm_target"), ("比较符号", "nature"), ("资金规模（元）", "total"),
])
def test_header_words_name_the_field(header: str, field: str) -> None:
    assert best_header_field(header) == field


def test_cells_decide_a_column_with_an_unknown_header() -> None:
    roles = assign_roles({0: "三级指标", 1: "考核口径X", 2: "占分"},
                         {0: ["培训人次", "合格率", "满意度"], 1: ["≥300人次", "≥95%", "≥90%"], 2: ["40", "30", "30"]})
    assert {r.col: r.field for r in roles} == {0: "name", 1: "target", 2: "weight"}
    assert cell_scores(["正向", "反向", "正向"])["direction"] == 1.0


def test_form_with_decorated_headers_reads_every_target() -> None:
    [project] = _map("某某县教育局2024年度项目支出绩效目标表", [
        ["项目名称", "学生资助", "", "主管部门", "某某县教育局"],
        ["年度预算（万元）", "120.5", "", "", ""],
        ["年度绩效目标", "保障家庭经济困难学生就学", "", "", ""],
        ["一级指标", "二级指标", "绩效指标名称", "计划完成值", "计量单位", "指标比重", "扣分规则"],
        ["产出指标", "数量指标", "资助学生人数", "≥500", "人", "20", "每少10人扣1分"],
        ["产出指标", "质量指标", "资助准确率", "100", "%", "20", "未达标不得分"],
        ["效益指标", "社会效益指标", "家庭负担减轻", "明显", "", "40", "酌情扣分"],
        ["满意度指标", "服务对象满意度指标", "受助学生满意度", "≥90", "%", "20", "低于90%扣分"],
    ])
    assert project.budget.total == 120.5
    assert [(i.target, i.operator, i.value, i.unit, i.weight) for i in project.indicators] == [
        ("≥500人", ">=", 500, "人", 20), ("100%", "=", 100, "%", 20), ("明显", None, None, None, 40),
        ("≥90%", ">=", 90, "%", 20)]
    assert project.indicators[0].basis == "每少10人扣1分"


def test_value_columns_under_a_merged_header_row() -> None:
    # 指标值 spans 符号 | 数值 | 单位 on the row below; the second header row is read, not taken for data.
    table = table_from_rows([
        ["项目名称", "法律援助", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "", ""],
        ["", "", "", "符号", "数值", "单位"],
        ["产出指标", "数量指标", "援助案件数", "≥", "200", "件"],
        ["满意度指标", "服务对象满意度指标", "受援人满意度", "≥", "95", "%"],
    ])
    next(c for c in table.cells if c.text == "指标值").colspan = 3
    [project] = map_grid(DocumentGrid(blocks=[table])).projects
    assert [(i.name, i.target, i.value, i.unit) for i in project.indicators] == [
        ("援助案件数", "≥200件", 200, "件"), ("受援人满意度", "≥95%", 95, "%")]


def test_overall_form_then_project_forms_in_one_sheet() -> None:
    projects = _map([
        ["部门整体支出绩效目标表", "", "", "", ""],
        ["部门名称", "某某区司法局", "", "", ""],
        ["年度预算", "500", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "权重"],
        ["产出指标", "数量指标", "法律援助案件数", "≥200件", "50"],
        ["效益指标", "社会效益指标", "社会稳定", "有效", "50"],
        ["项目支出绩效目标表", "", "", "", ""],
        ["项目名称", "人民调解经费", "", "", ""],
        ["年度预算", "80", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "权重"],
        ["产出指标", "数量指标", "调解案件数", "≥1000件", "60"],
        ["满意度指标", "服务对象满意度指标", "当事人满意度", "≥95%", "40"],
    ])
    assert [(p.kind, p.name, p.budget.total, len(p.indicators)) for p in projects] == [
        ("overall", "某某区司法局", 500, 2), ("project", "人民调解经费", 80, 2)]


def test_level_one_printed_as_a_level_two_name_or_caption() -> None:
    [project] = _map([["项目名称", "视频联网", "", ""], ["一级指标", "二级指标", "三级指标", "指标值"],
                      ["社会效益指标", "社会效益指标", "公共安全", "提升"],
                      ["绩效指标", "经济效益指标", "降低能耗", "≤10万元"]])
    assert [i.level1 for i in project.indicators] == ["效益指标", "效益指标"]
    assert [i._printed_level1 for i in project.indicators] == ["社会效益指标", "绩效指标"]


def _flat_xlsx(gold: dict) -> bytes:
    """The flat export budget systems produce: one row per indicator, project columns repeated, money in 元."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目名称", "项目编码", "资金规模（元）", "一级指标", "二级指标", "三级指标", "指标值", "权重",
                  "指标方向"])
    for n, p in enumerate(gold["projects"]):
        total = p["budget"]["total"]
        for i in p["indicators"]:
            row = [p["name"], f"P{n:04d}", None if total is None else round(total * 10000, 2), i["level1"],
                   i["level2"], i["name"], i["target"], i["weight"],
                   {"positive": "正向", "negative": "反向"}.get(i["direction"] or "")]
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("gold_file", sorted(GOLD.glob("*.json")), ids=lambda p: p.stem)
def test_flat_export_of_each_gold_document_reads_back(gold_file: Path) -> None:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    result = extract(_flat_xlsx(gold), name=f"flat-{gold_file.stem}.xlsx")
    assert result.document is not None, result.errors
    want = [p for p in gold["projects"] if p["indicators"]]
    got = result.document.projects
    assert [(norm_text(p.name), len(p.indicators)) for p in got] == [
        (norm_text(p["name"]), len(p["indicators"])) for p in want]
    for g, p in zip(want, got, strict=True):
        assert p.budget.total == pytest.approx(g["budget"]["total"]) if g["budget"]["total"] is not None else True
        assert [norm_text(i.name) for i in p.indicators] == [norm_text(i["name"]) for i in g["indicators"]]
        assert [i.level1 for i in p.indicators] == [i["level1"] for i in g["indicators"]]


def test_empty_targets_mark_the_document_for_review() -> None:
    text = ("项目绩效目标表\n项目名称\t社区矫正\n年度资金总额\t50\n"
            "一级指标\t二级指标\t三级指标\t落实情况要求\n"
            + "".join(f"产出指标\t数量指标\t指标{i}\t按计划推进落实到位第{i}阶段工作安排\n" for i in range(6)))
    good = ("项目绩效目标表\n项目名称\t社区矫正\n年度资金总额\t50\n一级指标\t二级指标\t三级指标\t指标值\n"
            "产出指标\t数量指标\t矫正人数\t≥50人\n")
    flagged = extract(text.encode(), name="odd.txt")
    assert flagged.quality.needs_review and any("指标值" in r for r in flagged.quality.reasons)
    assert not extract(good.encode(), name="good.txt").quality.needs_review


def test_budgets_printed_in_yuan_without_a_unit_are_flagged() -> None:
    rows = "".join(f"项目{i}\t{3_000_000 + i}\t产出指标\t数量指标\t指标{i}\t≥{i + 1}次\n" for i in range(3))
    result = extract(("项目名称\t预算数\t一级指标\t二级指标\t三级指标\t指标值\n" + rows).encode(), name="yuan.txt")
    assert result.quality.money_unit == "assumed"
    assert any("元为单位" in r for r in result.quality.reasons)


def test_flat_rows_with_other_header_words_and_money_in_thousands() -> None:
    header = ["预算项目名称", "项目代码", "金额（千元）", "一级指标", "二级指标", "绩效指标", "比较符", "目标数值",
              "计量单位", "分值"]
    rows = [header,
            ["法治宣传", "511001", "73", "产出指标", "数量指标", "宣传活动次数", "≥", "5", "次", "50"],
            ["法治宣传", "511001", "73", "满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "50"],
            ["网格管理", "511002", "1200", "产出指标", "数量指标", "网格员人数", "=", "120", "人", "60"],
            ["网格管理", "511002", "1200", "效益指标", "社会效益指标", "矛盾化解", "定性", "有效", "", "40"]]
    projects = _map(rows)
    assert [(p.name, p.code, p.budget.total, len(p.indicators)) for p in projects] == [
        ("法治宣传", "511001", 7.3, 2), ("网格管理", "511002", 120, 2)]
    assert [(i.target, i.operator, i.value, i.unit, i.weight) for i in projects[1].indicators] == [
        ("=120人", "=", 120, "人", 60), ("有效", None, None, None, 40)]


def test_money_unit_label_heading_an_amounts_block_and_form_fields_for_the_document() -> None:
    grid = DocumentGrid(blocks=[TextLine("项目支出绩效目标表"), table_from_rows([
        ["项目名称", "社区矫正", "", ""],
        ["主管部门", "某某县司法局", "实施单位", "某某县社区矫正中心"],
        ["预算年度", "2025", "", ""],
        ["金额（千元）", "总额", "财政拨款", "其他资金"],
        ["", "1200", "1000", "200"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "走访次数", "≥12次"],
    ])])
    mapped = map_grid(grid)
    assert (mapped.department, mapped.fiscal_year) == ("某某县司法局", 2025)
    [project] = mapped.projects
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (120, 100, 20)


def test_a_rows_own_label_gives_the_unit_of_its_amount() -> None:
    [project] = _map([["项目名称", "社区矫正", ""], ["项目资金（元）", "年度资金总额", "1,200,000"],
                      ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "走访次数", "≥12次"]])
    assert project.budget.total == 120


def test_a_table_of_indicators_that_cannot_be_read_is_flagged() -> None:
    # Level names printed, but in a shape no rule reads (one indicator per column): the extractor says so.
    text = ("绩效目标\n产出指标\t产出指标\t产出指标\t效益指标\t满意度指标\n"
            "数量指标\t质量指标\t时效指标\t社会效益指标\t服务对象满意度指标\n人次\t合格率\t及时率\t影响\t满意度\n")
    result = extract(text.encode(), name="transposed.txt")
    assert result.quality.needs_review
    assert any("层级名称" in r for r in result.quality.reasons)


# Headers and labels in words no rule lists ("第一栏"…): the cells alone must carry the reading.
def test_form_with_labels_and_headers_nobody_listed() -> None:
    projects = _map("项目支出绩效目标表", [
        ["第一栏", "社区戒毒康复服务", "", "", "", ""],
        ["第二栏", "A310-某某区禁毒委员会办公室", "", "", "", ""],
        ["第三栏", "86.5", "", "", "", ""],
        ["第四栏", "为全区社区戒毒康复人员提供帮扶，巩固戒治成效，降低复吸率。", "", "", "", ""],
        ["第五栏", "第六栏", "第七栏", "第八栏", "第九栏", "第十栏"],
        ["产出指标", "数量指标", "帮扶人数", "≥120人", "30", "正向"],
        ["", "质量指标", "档案建档率", "100%", "20", "正向"],
        ["效益指标", "社会效益指标", "复吸率", "≤8%", "30", "反向"],
        ["满意度指标", "服务对象满意度指标", "帮扶对象满意度", "≥90%", "20", "正向"],
    ])
    [project] = projects
    assert (project.name, project.budget.total, project.code) == ("社区戒毒康复服务", 86.5, None)
    assert project.goal and project.goal.startswith("为全区社区戒毒")
    assert [(i.level1, i.name, i.target, i.weight, i.direction) for i in project.indicators] == [
        ("产出指标", "帮扶人数", "≥120人", 30, "positive"), ("产出指标", "档案建档率", "100%", 20, "positive"),
        ("效益指标", "复吸率", "≤8%", 30, "negative"), ("满意度指标", "帮扶对象满意度", "≥90%", 20, "positive")]


def test_flat_table_with_headers_nobody_listed() -> None:
    header = ["栏A", "栏B", "栏C", "栏D", "栏E", "栏F", "栏G", "栏H", "栏I"]
    rows = [header]
    publicity = [("产出指标", "数量指标", "宣传场次", "≥", "12", "场", "50"),
                 ("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "50")]
    support = [("产出指标", "数量指标", "帮扶人数", "≥", "120", "人", "40"),
               ("效益指标", "社会效益指标", "复吸率", "≤", "8", "%", "60")]
    for name, amount, inds in [("禁毒宣传", "52000", publicity), ("戒毒帮扶", "310000", support)]:
        rows += [[name, amount, *ind] for ind in inds]
    projects = _map("单位：元", rows)
    assert [(p.name, p.budget.total, len(p.indicators)) for p in projects] == [
        ("禁毒宣传", 5.2, 2), ("戒毒帮扶", 31, 2)]
    assert [(i.target, i.weight) for i in projects[1].indicators] == [("≥120人", 40), ("≤8%", 60)]
