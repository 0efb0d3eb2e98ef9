"""Text-layer PDFs with pdfplumber: ruled tables with spans, text outside tables, page + row boxes."""

from __future__ import annotations

import io
import logging
from typing import Any

from extractor.grid import BBox, Block, Cell, DocumentGrid, Table, TextLine
from extractor.readers.limits import Limits
from extractor.textnorm import clean_cell
from kernel.errors import CorruptFileError, EncryptedFileError
from kernel.progress import Progress

log = logging.getLogger(__name__)

_TOL = 1.5  # points: ruling lines closer than this are one line


def _boundaries(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _table(tbl: Any, page_no: int, index: int) -> Table | None:
    rows = tbl.extract()
    if not rows:
        return None
    col_x0s = _boundaries([c[0] for c in tbl.cells])
    cells: list[Cell] = []
    row_boxes: list[BBox | None] = []
    for r, row in enumerate(tbl.rows):
        texts = rows[r]
        row_box = None
        for c, box in enumerate(row.cells):
            if box is None:
                continue  # covered by a span: pdfplumber returns None here
            x0, top, x1, bottom = box
            colspan = sum(1 for x in col_x0s if x0 - _TOL <= x < x1 - _TOL)
            cells.append(Cell(row=r, col=c, text=clean_cell(texts[c]), colspan=max(1, colspan),
                              page=page_no, bbox=(x0, top, x1, bottom)))
            if row_box is None:
                row_box = (x0, top, x1, bottom)
            else:
                row_box = (min(row_box[0], x0), min(row_box[1], top), max(row_box[2], x1), max(row_box[3], bottom))
        row_boxes.append(row_box)
    # pdfplumber numbers rows by distinct tops; a rowspan counts the row boundaries it crosses.
    tops = [rb[1] if rb else None for rb in row_boxes]
    for cell in cells:
        if cell.bbox is None:
            continue
        bottom = cell.bbox[3]
        cell.rowspan = max(1, sum(1 for t in tops[cell.row:] if t is not None and t < bottom - _TOL))
    # A row's box is what its own cells cover, not the tall merged cells beside it.
    for r in range(len(row_boxes)):
        own = [c.bbox for c in cells if c.row == r and c.rowspan == 1 and c.bbox]
        if own:
            row_boxes[r] = (min(b[0] for b in own), min(b[1] for b in own), max(b[2] for b in own),
                            max(b[3] for b in own))
    n_cols = max(len(r) for r in rows)
    return Table(cells=cells, n_rows=len(rows), n_cols=n_cols, source=f"page {page_no} table {index}",
                 row_pages=[page_no] * len(rows), row_boxes=row_boxes)


def _mark_open_ends(table: Table, chars: list[dict[str, Any]]) -> None:
    """For the cells along the table's foot, whether their last text line runs to the right edge of the cell."""
    boxes = [c.bbox for c in table.cells if c.bbox]
    if not boxes:
        return
    foot = max(b[3] for b in boxes)
    for cell in table.cells:
        if cell.bbox is None or not cell.text or foot - cell.bbox[3] > _TOL:
            continue
        x0, top, x1, bottom = cell.bbox
        inside = [ch for ch in chars if ch["x0"] >= x0 - 1 and ch["x1"] <= x1 + 1 and ch["top"] >= top - 1
                  and ch["bottom"] <= bottom + 1 and ch["text"].strip()]
        if not inside:
            continue
        tops = sorted({round(ch["top"]) for ch in inside})
        gaps = [x1 - max(ch["x1"] for ch in inside if abs(ch["top"] - t) < 2) for t in tops]
        size = max(ch.get("size", 10.0) for ch in inside)
        # A line cut by the page is as full as the cell's earlier lines (line breaking leaves a little free at
        # their ends); with no earlier line, one within two characters or a quarter of the width of the edge.
        room = max(gaps[:-1]) + size if len(gaps) > 1 else max(2 * size, (x1 - x0) / 4)
        cell.open_end = gaps[-1] <= room


def _open(data: bytes) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as exc:
        raise EncryptedFileError("PDF 已加密（需要密码），无法读取") from exc
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise CorruptFileError("PDF 文件已损坏，无法打开") from exc
    except Exception as exc:
        # pdfplumber wraps pdfminer's errors: look at what it wraps
        inner = " ".join(type(a).__name__ + str(a) for a in (exc, *exc.args))
        if "password" in inner.lower() or "encrypt" in inner.lower():
            raise EncryptedFileError("PDF 已加密（需要密码），无法读取") from exc
        raise CorruptFileError(f"PDF 文件无法解析：{type(exc).__name__}") from exc


def _declared_pages(pdf: Any) -> int | None:
    """The page count the page tree declares, read without building a page object."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
        return int(count) if isinstance(count, int) else None
    except Exception:  # a broken page tree: pdfplumber's own page walk decides
        return None


def read_pdf(data: bytes, limits: Limits | None = None, progress: Progress | None = None) -> DocumentGrid:
    """Read a text-layer PDF (refused over limits.max_pages); pages with no usable text layer are listed for OCR."""
    limits = limits or Limits()
    pdf = _open(data)
    declared = _declared_pages(pdf)
    if declared is not None and declared > limits.max_pages:
        pdf.close()
        limits.check_pages(declared)
    blocks: list[Block] = []
    page_tables: list[list[Table]] = []
    needs_ocr: list[int] = []
    try:
        pages = pdf.pages
        n_pages = len(pages)
        limits.check_pages(n_pages)  # the page tree walked may hold more pages than it declared
        for i, page in enumerate(pages):
            page_no = i + 1
            if progress:
                progress(page_no, n_pages, "reading")
            try:
                chars = page.chars
                if len(chars) < 5 or _garbage(chars):
                    needs_ocr.append(page_no)
                    page_tables.append([])
                    continue
                found = page.find_tables()
                tables = [t for t in (_table(tb, page_no, k + 1) for k, tb in enumerate(found)) if t]
                for t in tables:
                    _mark_open_ends(t, chars)
                outside = page
                for tb in found:
                    outside = outside.outside_bbox(tb.bbox)
                items: list[tuple[float, Block]] = [
                    (ln["top"], TextLine(clean_cell(ln["text"]), page_no)) for ln in outside.extract_text_lines()
                ]
                items += [(tb.bbox[1], t) for tb, t in zip(found, tables, strict=False)]
                items.sort(key=lambda x: x[0])
                blocks.extend(b for _, b in items)
                page_tables.append(tables)
            except Exception as exc:  # one bad page must not lose the document
                log.warning("page %d unreadable: %s", page_no, exc)
                blocks.append(TextLine(f"[第{page_no}页无法读取]", page_no))
    finally:
        pdf.close()
    return DocumentGrid(blocks=blocks, n_pages=n_pages, needs_ocr_pages=needs_ocr)  # stitched by the pipeline


def _garbage(chars: list[dict[str, Any]]) -> bool:
    """A text layer that is mostly replacement or private-use characters is no text layer."""
    bad = sum(1 for c in chars if c["text"] == "\ufffd" or "\ue000" <= c["text"] <= "\uf8ff")
    return bad > 0.5 * len(chars)
