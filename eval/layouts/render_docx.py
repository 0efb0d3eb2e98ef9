"""Word rendering (python-docx): sections split by page breaks, ruled tables with merged cells."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from eval.layouts.paging import page_pieces
from eval.layouts.spec import LayoutSpec, TableBlock
from eval.layouts.stable import FIXED_TIME

_USABLE_CM = 25.7  # landscape A4 less margins


def _add_table(doc: DocxDocument, table: TableBlock) -> None:
    n_cols = table.n_cols
    t = doc.add_table(rows=len(table.rows), cols=n_cols)
    t.style = "Table Grid"
    t.autofit = False
    widths = table.widths or [1.0] * n_cols
    scale = _USABLE_CM / sum(widths)
    cells = t._cells  # all cells row-major, computed once (Table.cell() recomputes them on every call)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            dc = cells[r * n_cols + c]
            dc.width = Cm(widths[c] * scale)
            if cell.text:
                run = dc.paragraphs[0].add_run(cell.text)
                run.bold = cell.bold or None
    for m in table.merges:
        cells[m.row0 * n_cols + m.col0].merge(cells[m.row1 * n_cols + m.col1])


def render_docx(spec: LayoutSpec) -> bytes:
    """The document bytes (members not yet timestamp-normalised)."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, margin, Cm(2.0))
    doc.styles["Normal"].font.size = Pt(9)
    for i, section in enumerate(spec.sections):
        if i:
            doc.add_page_break()
        previous_table = False
        for block in section.blocks:
            if isinstance(block, TableBlock):
                if previous_table:
                    doc.add_paragraph()  # Word would fuse two adjacent tables
                for n, piece in enumerate(page_pieces(block)):  # a broken table prints as one table per page
                    if n:
                        doc.add_page_break()
                    _add_table(doc, piece)
                previous_table = True
                continue
            previous_table = False
            p = doc.add_paragraph()
            run = p.add_run(block.text)
            if block.style == "title":
                run.bold = True
                run.font.size = Pt(15)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    props = doc.core_properties
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.author = props.last_modified_by = "jixiao layout generator"
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
