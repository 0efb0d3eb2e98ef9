"""OCR confidence after mapping: indicator confidence takes the row's OCR score; weak cells are flagged."""

from __future__ import annotations

from extractor.grid import Cell, DocumentGrid, Table
from extractor.schema import Problem, Project, Quality

_MAX_FLAGS_PER_PAGE = 10  # beyond this a page gets one summary line: review the whole page instead

RowKey = tuple[int | None, tuple[float, ...]]


def _cells_by_row(table: Table) -> dict[int, list[Cell]]:
    """The cells with text covering each row (a merged cell counts for every row it spans), in one pass."""
    out: dict[int, list[Cell]] = {}
    for c in table.cells:
        if c.text:
            for r in range(c.row, min(c.row + c.rowspan, table.n_rows)):
                out.setdefault(r, []).append(c)
    return out


def row_scores(grid: DocumentGrid) -> dict[RowKey, float]:
    """Lowest OCR score of the cells covering each table row (merged cells count for every row they span)."""
    out: dict[RowKey, float] = {}
    for table in grid.tables:
        for r, cells in _cells_by_row(table).items():
            box = table.bbox_of(r)
            score = min(c.confidence for c in cells)
            if box is not None and score < 1.0:
                out[(table.page_of(r), tuple(box))] = score
    return out


def apply_row_scores(projects: list[Project], scores: dict[RowKey, float]) -> None:
    """Scale each indicator's confidence by the OCR score of the row it was read from."""
    if not scores:
        return
    for project in projects:
        for ind in project.indicators:
            if ind.bbox is None:
                continue
            score = scores.get((ind.page, tuple(ind.bbox)))
            if score is not None:
                ind.confidence = round(max(0.05, min(1.0, ind.confidence * score)), 3)


def low_confidence(grid: DocumentGrid, threshold: float) -> list[Problem]:
    """One review problem per OCR cell scored below threshold (a summary past a few per page)."""
    by_page: dict[int | None, list[tuple[int, int, int, str, float]]] = {}
    for t_index, table in enumerate(b for b in grid.blocks if isinstance(b, Table)):
        for cell in table.cells:
            if cell.text and cell.confidence < threshold:
                by_page.setdefault(cell.page, []).append((t_index, cell.row, cell.col, cell.text, cell.confidence))
    problems: list[Problem] = []
    for page, cells in by_page.items():
        for t_index, row, _col, text, score in cells[:_MAX_FLAGS_PER_PAGE]:
            problems.append(Problem(page=page, message=f"OCR 识别置信度低（{score:.2f}），请核对：{text[:60]}",
                                    row_text=text[:300], table_index=t_index, row_index=row))
        if len(cells) > _MAX_FLAGS_PER_PAGE:
            problems.append(Problem(page=page, message=f"另有 {len(cells) - _MAX_FLAGS_PER_PAGE} 个单元格 OCR "
                                                       "置信度低，请对照原图核对整页"))
    return problems


_SPARSE_SHARE = 0.25  # indicators per printed row below which an OCR'd page was not read (flat scans: >= 0.3)
_SPARSE_ROWS = 4  # rows a page must print before the share is judged (a short page may be mostly headers)


def _printed_rows(grid: DocumentGrid) -> dict[int, tuple[int, int]]:
    """Per OCR'd page: table rows with two or more filled cells, and how many of them name an indicator level."""
    out: dict[int, tuple[int, int]] = {}
    for table in grid.tables:
        for r, covering in _cells_by_row(table).items():
            page = table.page_of(r)
            cells = [c for c in covering if c.text.strip()]
            # a text layer's cells score 1.0; only a page OCR read is judged here
            if page is None or len(cells) < 2 or all(c.confidence >= 1.0 for c in cells):
                continue
            rows, levelled = out.get(page, (0, 0))
            out[page] = (rows + 1, levelled + any("指标" in c.text for c in cells))
    return out


def sparse_pages(projects: list[Project], grid: DocumentGrid) -> list[Problem]:
    """A review problem per OCR'd page that prints indicator rows but gave (almost) no indicators.

    Such a page was not read (a table cut apart, a packed cell not split, numbering misread), and nothing else
    may say so: the rows that were read can look right on their own.
    """
    read: dict[int, int] = {}
    for project in projects:
        for ind in project.indicators:
            if ind.page is not None:
                read[ind.page] = read.get(ind.page, 0) + 1
    problems = []
    for page, (rows, levelled) in sorted(_printed_rows(grid).items()):
        got = read.get(page, 0)
        if (got == 0 and levelled) or (rows >= _SPARSE_ROWS and got < _SPARSE_SHARE * rows):
            message = f"{UNREAD}（印有 {rows} 行表格，读出 {got} 个指标），请对照原图核对"
            problems.append(Problem(page=page, message=message))
    return problems


PHOTO_FLAG = "该页疑似拍照图像"  # the start of every OCR note about a photographed page read with doubt
FRAME_NOT_FOUND = f"{PHOTO_FLAG}，未找到表格外框，表格可能读取不全，请对照原图核对"
LOW_SCORE = f"{PHOTO_FLAG}，文字识别置信度低"
UNREAD = "该页 OCR 后几乎未读出指标"  # any OCR'd page, photographed or not
OCCLUDED = f"{PHOTO_FLAG}，页边有遮挡（如手指），被遮挡处无法读取，请对照原图核对"


def flag_unread_pages(quality: Quality, problems: list[Problem]) -> Quality:
    """Make the reading needs_review, naming the page, when OCR doubted a photographed page or read one empty."""
    reasons = [f"第{p.page}页：{p.message}" for p in problems if p.message.startswith((PHOTO_FLAG, UNREAD))]
    if reasons:
        quality.reasons = [*quality.reasons, *reasons]
        quality.needs_review = True
    return quality
