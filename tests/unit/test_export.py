"""Exports keep cell text as text: no formulas in XLSX or CSV, control characters cannot break a batch."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from extractor.export import FLAT_COLUMNS, FLAT_LABELS, read_csv_cell, to_csv, to_json, to_xlsx
from extractor.schema import Document, Indicator, Project

TEXTS = ["=100%", "=112条", "+1+cmd|' /C calc'!A0", "-1+cmd|' /C calc'!A0", "=1+1+cmd|' /C calc'!A0", "@SUM(A1)",
         "\t=1", "-5", "+3", "≥90%", "高", "铃\x07声\x1b转义\x00空"]


def _document() -> Document:
    indicators = [Indicator(level1="产出指标", level2="数量指标", name=f"指标{n}", target=t, confidence=0.9,
                            basis=t) for n, t in enumerate(TEXTS)]
    return Document(source="x.pdf", sha256="0" * 64, department="=HYPERLINK(\"http://x\")", fiscal_year=2024,
                    projects=[Project(kind="project", name="@项目", indicators=indicators)])


def _xml_safe(text: str) -> str:
    return "".join("\ufffd" if ord(c) < 32 and c not in "\t\n\r" else c for c in text)


def test_xlsx_cells_are_text_and_round_trip() -> None:
    doc = _document()
    sheet = load_workbook(io.BytesIO(to_xlsx([doc]))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [FLAT_LABELS[k] for k in FLAT_COLUMNS]
    col = {k: n for n, k in enumerate(FLAT_COLUMNS)}
    assert [r[col["basis"]] for r in rows[1:]] == [_xml_safe(i.basis or "") for i in doc.projects[0].indicators]
    assert rows[1][col["department"]] == doc.department and rows[1][col["project"]] == "@项目"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert rows[1][col["project_kind"]] == "项目"


def test_csv_neutralises_formulas_and_reads_back_identical() -> None:
    doc = _document()
    rows = list(csv.reader(io.StringIO(to_csv([doc]).lstrip("\ufeff"))))
    col = {k: n for n, k in enumerate(FLAT_COLUMNS)}
    raw = [r[col["basis"]] for r in rows[1:]]
    # Nothing a spreadsheet would run: every formula-like cell starts with the ' guard; plain numbers stay numbers.
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) or c in ("-5", "+3") for c in raw)
    assert [read_csv_cell(c) for c in raw] == [i.basis for i in doc.projects[0].indicators]
    assert read_csv_cell(rows[1][col["department"]]) == doc.department


def test_json_keeps_english_field_names() -> None:
    assert '"target": "=100%"' in to_json([_document()])


def test_control_characters_are_removed_when_read() -> None:
    from extractor.api import extract

    # (A NUL byte makes a text file binary to the sniffer; PDFs and .xls carry such characters too.)
    text = ("项目名称\t社区\x0b矫正\n年度资金总额\t50\n一级指标\t二级指标\t三级指标\t指标值\n"
            "产出指标\t数量指标\t走访\x1b次数\t≥12\x07次\u202e\n")
    result = extract(text.encode(), name="ctl.txt")
    assert result.document is not None
    [project] = result.document.projects
    assert project.name == "社区矫正"
    assert [(i.name, i.target) for i in project.indicators] == [("走访次数", "≥12次")]
    to_xlsx([result.document])  # no IllegalCharacterError
