"""Readers on the real sample files: spans, wrapped text, stitched pages, merged cells."""

from pathlib import Path

import pytest

from extractor.api import extract
from extractor.grid import Table, TextLine
from extractor.pipeline import read_grid
from extractor.readers import read_file, sniff
from kernel.errors import CorruptFileError, EmptyFileError, EncryptedFileError, UnsupportedFileError
from kernel.settings import Settings


def _read(path: Path):  # type: ignore[no-untyped-def]
    return read_file(path.read_bytes(), path.name)


def _read_stitched(path: Path):  # type: ignore[no-untyped-def]
    """What the pipeline hands to layout mapping: the reader's tables, stitched across pages."""
    return read_grid(path.read_bytes(), path.name, Settings())[0]


def test_pdf_rowspan_cells_are_anchored_and_pages_stitched(corpus: Path) -> None:
    grid = _read_stitched(corpus / "pdf" / "000.pdf")
    assert grid.n_pages == 9
    tables = grid.tables
    # three forms: the overall form continues on page 2 and is stitched into one table
    assert len(tables) == 3
    overall = tables[0]
    assert overall.page_of(0) == 1 and overall.page_of(overall.n_rows - 1) == 2
    # the 一级指标 cell 产出指标 spans several rows: one anchored cell with rowspan > 1
    spans = [c for c in overall.cells if c.text == "产出指标"]
    assert spans and spans[0].rowspan > 1
    # the page-top fragment "众对政法干警满意度" was merged into the row the page cut
    assert any(c.text.endswith("群众对政法干警满意度") for c in overall.cells)
    # every row has its page and box
    assert all(overall.bbox_of(r) is not None for r in range(overall.n_rows))


def test_pdf_wrapped_chinese_has_no_stray_spaces(corpus: Path) -> None:
    texts = [c.text for t in _read(corpus / "pdf" / "000.pdf").tables for c in t.cells]
    assert "指标1: 劳务派遣人员数量" in texts
    assert not any("劳务派遣人 员" in t for t in texts)


def test_pdf_repeated_header_dropped_when_stitching(corpus: Path) -> None:
    grid = _read_stitched(corpus / "pdf" / "002.pdf")
    first = grid.tables[0]
    headers = [r for r in first.anchors() if r[:2] == ["单位名称", "项目名称"]]
    assert len(headers) == 1
    assert first.page_of(first.n_rows - 1) > 1


def test_docx_merged_cells_collapse(corpus: Path) -> None:
    grid = _read(corpus / "docx" / "000.docx")
    overall = grid.tables[0]
    name_cells = [c for c in overall.cells if c.text == "中共宿州市委政法委员会"]
    assert len(name_cells) == 1 and name_cells[0].colspan > 1
    level = [c for c in overall.cells if c.text == "产出指标"]
    assert len(level) == 1 and level[0].rowspan > 1


def test_xlsx_sheets_and_merged_ranges(corpus: Path) -> None:
    grid = _read(corpus / "xlsx" / "002.xlsx")
    assert any(isinstance(b, TextLine) and b.text.startswith("sheet ") for b in grid.blocks)
    table = grid.tables[0]
    assert isinstance(table, Table) and table.n_rows > 100
    assert any(c.rowspan > 1 or c.colspan > 1 for c in table.cells)


def test_text_dump_styles(corpus: Path) -> None:
    tab = _read(corpus / "seeds" / "002.txt")
    assert tab.tables[0].anchors()[0][:3] == ["单位名称", "项目名称", "预算数"]
    per_line = _read(corpus / "seeds" / "001.txt")
    rows = [r for t in per_line.tables for r in t.anchors()]
    assert ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"] in [r[:6] for r in rows]
    # a multi-line cell (绩效目标 items on several lines) stays one cell
    assert any(r[0] == "绩效目标" and "2." in r[1] for r in rows)
    # [bookmark: …] noise from the dump is gone
    assert not any("bookmark" in b.text for b in per_line.blocks if isinstance(b, TextLine))


def test_sniff_by_content_not_name() -> None:
    assert sniff(b"%PDF-1.4 ...", "x.txt") == "pdf"
    assert sniff("项目名称\t绩效".encode(), "notes.pdf.txt") == "text"
    with pytest.raises(EmptyFileError):
        sniff(b"", "a.pdf")
    with pytest.raises(CorruptFileError):
        sniff(b"this is not a pdf", "a.pdf")
    with pytest.raises(UnsupportedFileError):
        sniff(b"\x00\x01\x02binary", "a.bin")


def test_corrupt_and_encrypted_office_files() -> None:
    with pytest.raises(CorruptFileError):
        read_file(b"PK\x03\x04 broken zip", "a.docx")
    with pytest.raises(EncryptedFileError):
        read_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.xlsx")


def test_pdf_level_name_cut_by_a_page_break_is_joined(corpus: Path) -> None:
    # "服务对象满意度指" ends page 10 and "标" / "满意度" open page 11: one row, not a stray fragment row.
    doc = extract(corpus / "pdf" / "002.pdf").document
    assert doc is not None
    project = next(p for p in doc.projects if p.name.startswith("信息化建设及运行维护经费"))
    last = project.indicators[-1]
    assert (last.level2, last.name) == ("服务对象满意度指标", "基层群众满意度")
    assert project.goal is not None and project.goal.endswith("做实做响政法主题宣传。")
