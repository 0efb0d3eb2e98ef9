"""The real-form grids written as Word and PDF files and read through the readers, merges and page breaks included.

The grid tests (test_real_forms*.py) model what a reader hands the mapper; these check that the readers hand it
over that way: a Word table repeats a merged cell's text, a PDF cuts the 部门整体 table over three pages.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from extractor.api import extract
from extractor.schema import Document

from .test_real_forms import LIGHTING, LIGHTING_SPANS, TIDY, TIDY_SPANS, Spans
from .test_real_forms_more import NATIONAL, NATIONAL_SPANS, PAGE1, PAGE2, PAGE3

Form = tuple[list[list[str]], Spans]
OVERALL: list[Form] = [(PAGE1, {(3, 0): (4, 1)}), (PAGE2, {(4, 0): (3, 1), (4, 1): (2, 1)}), (PAGE3, {(3, 0): (4, 1)})]
FONT = "STSong-Light"


def as_docx(title: str, tables: list[Form]) -> bytes:
    """A Word file: the title, then each table with its cells merged."""
    document = docx.Document()
    document.add_paragraph(title)
    for rows, spans in tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        for (r, c), (rowspan, colspan) in spans.items():
            if (rowspan, colspan) != (1, 1):
                anchor = table.cell(r, c)
                anchor.merge(table.cell(r + rowspan - 1, c + colspan - 1)).text = rows[r][c]
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(title: str, tables: list[Form]) -> bytes:
    """A text-layer PDF: the title, then each table on a page of its own (a page break cuts the form)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    story: list[Flowable] = [Paragraph(escape(title), ParagraphStyle("title", fontName=FONT, fontSize=13, leading=18))]
    for i, (rows, spans) in enumerate(tables):
        width = max(len(r) for r in rows)
        commands: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, "black")]
        commands += [("SPAN", (c, r), (c + cs - 1, r + rs - 1)) for (r, c), (rs, cs) in spans.items() if rs * cs > 1]
        story.append(Table([[Paragraph(escape(t), style) for t in row] for row in rows],
                           colWidths=[(A4[0] - 60) / width] * width, style=TableStyle(commands)))
        if i < len(tables) - 1:
            story.append(PageBreak())
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=30, rightMargin=30).build(story)
    return out.getvalue()


def read_file(kind: str, title: str, tables: list[Form]) -> Document:
    data = as_docx(title, tables) if kind == "docx" else as_pdf(title, tables)
    result = extract(data, name=f"form.{kind}", backend="rules")
    assert result.document is not None
    return result.document


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_money_block_and_shanghai_form_through_the_readers(kind: str) -> None:
    [lighting] = read_file(kind, "2025年度项目支出绩效目标表", [(LIGHTING, LIGHTING_SPANS)]).projects
    assert lighting.budget.model_dump() == {"total": 1150.0, "fiscal": 1150.0, "other": 0.0, "carryover": 0.0}
    [tidy] = read_file(kind, "2025年财政项目支出绩效目标填报表", [(TIDY, TIDY_SPANS)]).projects
    assert tidy.name == "老旧小区综合整治" and len(tidy.indicators) == 5
    assert tidy.budget.model_dump() == {"total": 860.0, "fiscal": 800.0, "other": 20.0, "carryover": 40.0}
    assert tidy.midterm_goal == "三年内完成辖区内老旧小区外立面和管网改造。"
    assert tidy.goal == "完成12个小区的整治，改善居民居住环境。"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_national_and_overall_forms_through_the_readers(kind: str) -> None:
    national = read_file(kind, "项目支出绩效目标申报表（2025年度）", [(NATIONAL, NATIONAL_SPANS)])
    assert national.fiscal_year == 2025 and national.department == "某省水利厅"
    assert national.projects[0].budget.total == 800.0
    assert [i.midterm_target for i in national.projects[0].indicators] == ["30处", "100%", "≥12万人", "≥90%"]
    [overall] = read_file(kind, "2025年度部门整体支出绩效目标表", OVERALL).projects
    assert overall.kind == "overall" and len(overall.indicators) == 16
    assert [i.level1 for i in overall.indicators][::5] == ["部门管理", "部门管理", "履职效果", "能力建设"]
    assert overall.indicators[3].name == "产出数量指标2-在职人员控制率（含临聘人员）"
