"""Layouts the sample corpus does not have, written the way other departments print them.

Each case is a small disclosure in a layout of its own: the vocabulary and the aligner must read it
with no code for it, including the money unit a header or a page note states.
"""

from __future__ import annotations

import io

import pytest

from extractor.api import extract
from extractor.schema import Document

VERTICAL_FORM = """2025年度项目支出绩效目标表

填报单位：某市司法局

项目名称\t社区矫正专项经费
主管部门\t某市司法局\t实施单位\t某市社区矫正管理局
项目资金（万元）\t年度资金总额\t120.50
\t其中：财政拨款\t100.50
\t其他资金\t20.00
年度绩效目标\t加强社区矫正对象监管，确保不发生重大再犯罪案件。
绩效指标\t一级指标\t二级指标\t三级指标\t指标值
\t产出指标\t数量指标\t社区矫正对象走访人次\t≥500人次
\t\t质量指标\t矫正对象再犯罪率\t≤0.2%
\t\t时效指标\t矫正档案按时建档率\t100%
\t\t成本指标\t人均监管成本\t≤2000元/人
\t效益指标\t社会效益指标\t社会治安环境改善\t持续改善
\t满意度指标\t服务对象满意度指标\t群众满意度\t≥90%
"""

ROW_PER_PROJECT = """某区教育局2024年度部门预算项目绩效目标

项目名称\t预算金额（{unit}）\t项目绩效目标\t一级指标\t二级指标\t三级指标\t指标值\t分值
学生资助经费\t{a}\t按政策足额发放资助资金\t产出指标\t数量指标\t资助学生人数\t≥1200人\t20
\t\t\t产出指标\t质量指标\t资助资金发放准确率\t100%\t20
\t\t\t效益指标\t社会效益指标\t因贫辍学学生数\t0人\t30
\t\t\t满意度指标\t服务对象满意度指标\t受助学生满意度\t≥95%\t20
校舍维修经费\t{b}\t完成5所学校校舍维修\t产出指标\t数量指标\t维修学校数量\t5所\t30
\t\t\t产出指标\t时效指标\t完工时间\t2024年10月底前\t20
\t\t\t效益指标\t可持续影响指标\t校舍安全隐患消除率\t100%\t20
\t\t\t满意度指标\t服务对象满意度指标\t师生满意度\t≥90%\t20
"""

PAGE_NOTE_IN_YUAN = """某县卫生健康局项目绩效目标表

单位：元

项目名称\t基层医疗能力提升
年度资金总额\t1,250,000.00
年度绩效目标\t提升基层医疗服务能力
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t培训基层医生人数\t≥200人
效益指标\t社会效益指标\t基层就诊率\t提高5%
"""


OVERALL_FORM = """2024年部门整体支出绩效目标表

部门名称：某市市场监督管理局

年度预算申请（万元）\t资金总额\t财政拨款\t其他资金
\t5,320.00\t5,000.00\t320.00
年度总体目标\t加强市场监管，维护公平竞争秩序，保障食品药品安全。
年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t指标值说明
\t产出指标\t数量指标\t食品安全抽检批次\t≥3000批次\t按省局下达任务
\t产出指标\t质量指标\t抽检不合格产品核查处置率\t100%\t
\t效益指标\t社会效益指标\t重大食品安全事故\t0起\t
\t满意度指标\t服务对象满意度指标\t企业群众满意度\t≥90%\t
"""

LABEL_PARAGRAPHS = """项目支出绩效目标申报表
（2023年度）
项目名称：城乡环境卫生整治
项目单位：某镇人民政府
资金总额：86.4万元
绩效目标：完成全镇环境卫生整治
一级指标\t二级指标\t三级指标\t指标性质\t指标值\t计量单位\t权重\t指标方向
产出指标\t数量指标\t清运垃圾量\t≥\t5000\t吨\t30\t正向
产出指标\t质量指标\t垃圾无害化处理率\t=\t100\t%\t20\t正向
效益指标\t生态效益指标\t村庄环境整洁度\t定性\t明显改善\t\t20\t正向
满意度指标\t服务对象满意度指标\t群众满意度\t≥\t90\t%\t20\t正向
"""


def _doc(text: str, name: str = "unseen.txt") -> Document:
    result = extract(text.encode("utf-8"), name=name)
    assert result.document is not None, result.errors
    assert not result.unmapped, result.unmapped
    return result.document


def test_vertical_form_with_filing_unit_line() -> None:
    doc = _doc(VERTICAL_FORM)
    assert (doc.department, doc.fiscal_year) == ("某市司法局", 2025)
    [project] = doc.projects
    assert project.name == "社区矫正专项经费"
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (120.5, 100.5, 20.0)
    got = [(i.level1, i.level2, i.name, i.operator, i.value, i.unit) for i in project.indicators]
    assert got == [
        ("产出指标", "数量指标", "社区矫正对象走访人次", ">=", 500, "人次"),
        ("产出指标", "质量指标", "矫正对象再犯罪率", "<=", 0.2, "%"),
        ("产出指标", "时效指标", "矫正档案按时建档率", "=", 100, "%"),
        ("产出指标", "成本指标", "人均监管成本", "<=", 2000, "元/人"),
        ("效益指标", "社会效益指标", "社会治安环境改善", None, None, None),
        ("满意度指标", "服务对象满意度指标", "群众满意度", ">=", 90, "%"),
    ]


@pytest.mark.parametrize(("unit", "a", "b"), [("万元", "350.00", "80.00"), ("元", "3500000", "800000")])
def test_row_per_project_with_unit_in_the_budget_header(unit: str, a: str, b: str) -> None:
    doc = _doc(ROW_PER_PROJECT.format(unit=unit, a=a, b=b))
    assert (doc.department, doc.fiscal_year) == ("某区教育局", 2024)  # both only in the title
    assert [(p.name, p.budget.total, len(p.indicators)) for p in doc.projects] == [
        ("学生资助经费", 350.0, 4), ("校舍维修经费", 80.0, 4)]
    assert [i.weight for p in doc.projects for i in p.indicators] == [20, 20, 30, 20, 30, 20, 20, 20]
    deadline = doc.projects[1].indicators[1]
    assert deadline.qualitative and deadline.operator is None  # a deadline is not a number (LABELLING.md)


def test_page_note_sets_the_money_unit() -> None:
    doc = _doc(PAGE_NOTE_IN_YUAN)
    [project] = doc.projects
    assert project.budget.total == 125.0
    assert [i.name for i in project.indicators] == ["培训基层医生人数", "基层就诊率"]


def test_same_form_as_a_spreadsheet_with_merged_cells() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    rows = [line.split("\t") for line in ROW_PER_PROJECT.format(unit="元", a="3500000", b="800000").splitlines()]
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text:
                ws.cell(row=r, column=c, value=float(text) if text.isdigit() else text)
    ws["G5"], ws["G5"].number_format = 1.0, "0%"  # 资助资金发放准确率 typed as a number formatted as percent
    ws["G7"], ws["G7"].number_format = 0.95, "0.0%"
    for col in ("A", "B", "C"):  # project cells merged down over their indicator rows
        ws.merge_cells(f"{col}4:{col}7")
        ws.merge_cells(f"{col}8:{col}11")
    buf = io.BytesIO()
    wb.save(buf)
    result = extract(buf.getvalue(), name="unseen.xlsx")
    assert result.document is not None and not result.unmapped
    doc = result.document
    assert [(p.name, p.budget.total, len(p.indicators)) for p in doc.projects] == [
        ("学生资助经费", 350.0, 4), ("校舍维修经费", 80.0, 4)]
    accuracy, satisfaction = doc.projects[0].indicators[1], doc.projects[0].indicators[3]
    assert (accuracy.target, accuracy.value, accuracy.unit) == ("100%", 100, "%")
    assert (satisfaction.target, satisfaction.value, satisfaction.unit) == ("95%", 95, "%")


def test_overall_form_with_a_bare_amounts_row_and_year_without_du() -> None:
    doc = _doc(OVERALL_FORM)
    assert (doc.department, doc.fiscal_year) == ("某市市场监督管理局", 2024)
    [project] = doc.projects
    assert (project.kind, project.name) == ("overall", "某市市场监督管理局")
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (5320.0, 5000.0, 320.0)
    assert project.goal == "加强市场监管，维护公平竞争秩序，保障食品药品安全。"
    assert [i.basis for i in project.indicators][:2] == ["按省局下达任务", None]
    assert project.indicators[2].unit == "起"


def test_label_paragraphs_above_the_table_fill_the_project() -> None:
    doc = _doc(LABEL_PARAGRAPHS)
    assert doc.fiscal_year == 2023
    [project] = doc.projects
    assert (project.name, project.unit, project.budget.total) == ("城乡环境卫生整治", "某镇人民政府", 86.4)
    assert project.goal == "完成全镇环境卫生整治"
    got = [(i.target, i.operator, i.value, i.unit, i.weight, i.direction) for i in project.indicators]
    assert got == [("≥5000吨", ">=", 5000, "吨", 30, "positive"), ("=100%", "=", 100, "%", 20, "positive"),
                   ("明显改善", None, None, None, 20, "positive"), ("≥90%", ">=", 90, "%", 20, "positive")]


def test_legacy_xls_workbook_with_merged_cells() -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("绩效目标", cell_overwrite_ok=True)
    rows = [line.split("\t") for line in ROW_PER_PROJECT.format(unit="万元", a="350", b="80").splitlines()]
    percent = xlwt.easyxf(num_format_str="0%")
    for r, row in enumerate(rows):
        if r in (3, 7):  # the two project rows: project cells merged down over their indicator rows
            for c in range(3):
                value = float(row[c]) if c == 1 else row[c]
                sheet.write_merge(r, r + 3, c, c, value)
            start = 3
        else:
            start = 0
        for c, text in enumerate(row[start:], start=start):
            if text and not (r in (4, 5, 6, 8, 9, 10) and c < 3):
                sheet.write(r, c, float(text) if text.isdigit() else text)
    sheet.write(4, 6, 1.0, percent)  # 资助资金发放准确率 typed as a number formatted as percent
    buf = io.BytesIO()
    book.save(buf)
    result = extract(buf.getvalue(), name="legacy.xls")
    assert result.document is not None, result.errors
    doc = result.document
    assert [(p.name, p.budget.total, len(p.indicators)) for p in doc.projects] == [
        ("学生资助经费", 350.0, 4), ("校舍维修经费", 80.0, 4)]
    accuracy = doc.projects[0].indicators[1]
    assert (accuracy.target, accuracy.value, accuracy.unit) == ("100%", 100, "%")


def test_word_form_whose_table_sits_in_a_content_control() -> None:
    import copy

    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("2025年度项目支出绩效目标表")
    document.add_paragraph("填报单位：某市司法局")
    rows = [line.split("\t") for line in VERTICAL_FORM.splitlines()[4:] if line]
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    # Templates wrap the form in a content control: <w:sdt><w:sdtContent><w:tbl>…
    tbl = table._tbl
    sdt = copy.deepcopy(tbl.makeelement(qn("w:sdt"), {}))
    content = sdt.makeelement(qn("w:sdtContent"), {})
    tbl.addprevious(sdt)
    sdt.append(content)
    content.append(tbl)
    buf = io.BytesIO()
    document.save(buf)
    result = extract(buf.getvalue(), name="template.docx")
    assert result.document is not None, result.errors
    assert result.document.department == "某市司法局"
    [project] = result.document.projects
    assert project.name == "社区矫正专项经费" and len(project.indicators) == 6 and project.budget.total == 120.5


def test_content_column_names_the_indicator_when_there_is_no_third_level() -> None:
    doc = _doc("项目绩效目标表（2025年度）\n项目名称\t农村饮水安全巩固提升\n年度资金总额\t300\n"
               "一级指标\t二级指标\t指标内容\t指标值\n产出指标\t数量指标\t新建供水工程数量\t3处\n"
               "产出指标\t质量指标\t水质达标率\t≥95%\n")
    assert [(i.name, i.value, i.unit) for i in doc.projects[0].indicators] == [
        ("新建供水工程数量", 3, "处"), ("水质达标率", 95, "%")]


@pytest.mark.parametrize("layout", ["form", "row-per-project"])
def test_value_header_split_into_period_and_annual_columns(layout: str) -> None:
    if layout == "form":
        text = ("项目支出绩效目标表（2025年度）\n项目名称\t道路养护\n年度资金总额\t88\n"
                "一级指标\t二级指标\t三级指标\t指标值\t\n\t\t\t实施期\t年度\n")
        rows = "产出指标\t数量指标\t养护道路里程\t≥50公里\t≥20公里\n产出指标\t质量指标\t道路完好率\t≥95%\t≥92%\n"
    else:
        text = ("某局2025年度项目绩效目标表\n项目名称\t预算数\t年度目标\t一级指标\t二级指标\t三级指标\t指标值\t\n"
                "\t\t\t\t\t\t实施期\t年度\n")
        rows = ("道路养护\t88\t保障道路通畅\t产出指标\t数量指标\t养护道路里程\t≥50公里\t≥20公里\n"
                "\t\t\t产出指标\t质量指标\t道路完好率\t≥95%\t≥92%\n")
    doc = _doc(text + rows)
    [project] = doc.projects
    assert (project.name, project.budget.total) == ("道路养护", 88)
    got = [(i.name, i.target, i.midterm_target, i.value) for i in project.indicators]
    assert got == [("养护道路里程", "≥20公里", "≥50公里", 20), ("道路完好率", "≥92%", "≥95%", 92)]
