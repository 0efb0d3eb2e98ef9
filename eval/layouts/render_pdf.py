"""PDF rendering (reportlab platypus): a text layer in the built-in STSong-Light CID font, ruled tables with spans.

A merged cell taller than a page cannot be split by reportlab; such spans are cut into page-sized pieces, the text
staying in the first piece, as word processors print a merged cell across a page break.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from eval.layouts.paging import page_pieces
from eval.layouts.spec import LayoutSpec, Merge, TableBlock

FONT = "STSong-Light"
MARGIN = 28.0
PAGE = landscape(A4)
FRAME_W = PAGE[0] - 2 * MARGIN
FRAME_H = PAGE[1] - 2 * MARGIN - 12  # platypus frame padding
SPAN_MAX = 0.6 * FRAME_H


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return {
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, wordWrap="CJK"),
        "title": ParagraphStyle("title", fontName=FONT, fontSize=14, leading=18, alignment=1, spaceAfter=6),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=9, leading=12),
    }


def _table(block: TableBlock, merges: list[Merge], cell_style: ParagraphStyle) -> Table:
    widths = block.widths or [1.0] * block.n_cols
    col_widths = [FRAME_W * w / sum(widths) for w in widths]
    data = [[Paragraph(escape(c.text), cell_style) for c in row] for row in block.rows]
    commands: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    commands += [("SPAN", (m.col0, m.row0), (m.col1, m.row1)) for m in merges]
    return Table(data, colWidths=col_widths, style=TableStyle(commands))


def _more_cuts(heights: list[float], cuts: set[int]) -> set[int]:
    """Cuts to add so that no run of rows between cuts is taller than SPAN_MAX."""
    new: set[int] = set()
    acc = 0.0
    for r, h in enumerate(heights):
        if r in cuts:
            acc = 0.0
        elif acc and acc + h > SPAN_MAX:
            new.add(r)
            acc = 0.0
        acc += h
    return new


def _cut_spans(merges: list[Merge], cuts: list[int]) -> list[Merge]:
    """Split every span at each cut row inside it; one-cell leftovers are dropped."""
    out: list[Merge] = []
    for m in merges:
        start = m.row0
        for cut in (c for c in cuts if m.row0 < c <= m.row1):
            out.append(Merge(row0=start, col0=m.col0, row1=cut - 1, col1=m.col1))
            start = cut
        out.append(Merge(row0=start, col0=m.col0, row1=m.row1, col1=m.col1))
    return [m for m in out if (m.row0, m.col0) != (m.row1, m.col1)]


def _flowable_table(block: TableBlock, cell_style: ParagraphStyle) -> Table:
    """The table with spans cut at common row boundaries so that reportlab can always break it across pages."""
    cuts: set[int] = set()
    while True:  # cutting moves text, which changes row heights: re-measure; cuts only grow, so this ends
        table = _table(block, _cut_spans(block.merges, sorted(cuts)), cell_style)
        table.wrap(FRAME_W, 1e7)  # with the frame height reportlab stops measuring rows once a page is full
        pos = table._rowpositions  # top-down y of each row boundary, computed by wrap()
        new = _more_cuts([float(pos[i] - pos[i + 1]) for i in range(len(pos) - 1)], cuts)
        if not new:
            return table
        cuts |= new


def render_pdf(spec: LayoutSpec) -> bytes:
    """The PDF bytes; reportlab's invariant mode keeps them reproducible."""
    styles = _styles()
    story: list[Flowable] = []
    for i, section in enumerate(spec.sections):
        if i:
            story.append(PageBreak())
        for block in section.blocks:
            if isinstance(block, TableBlock):
                for n, piece in enumerate(page_pieces(block)):  # one piece unless the spec breaks the table
                    story += [PageBreak()] if n else []
                    story += [_flowable_table(piece, styles["cell"]), Spacer(1, 10)]
            else:
                story.append(Paragraph(escape(block.text), styles[block.style]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, invariant=True, title=spec.doc, author="jixiao layout generator",
                            creator="jixiao layout generator")
    doc.build(story)
    return buf.getvalue()
