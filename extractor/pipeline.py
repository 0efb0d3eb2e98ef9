"""Extraction pipeline: bytes -> grid -> layout mapping -> Document, with partial failure as data."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from extractor.choose import choose_reading, stitched
from extractor.grid import DocumentGrid, Table, TextLine
from extractor.layout.header_misreads import repair_headers
from extractor.layout.label_misreads import repair_labels
from extractor.layout.mapped import Mapped
from extractor.ocr.confidence import (
    apply_row_scores,
    flag_unread_pages,
    low_confidence,
    row_scores,
    sparse_pages,
)
from extractor.ocr.document import ocr_grid, ocr_unavailable
from extractor.quality import level_notes, money_unit_printed
from extractor.readers import read_file, sniff
from extractor.readers.limits import Limits
from extractor.schema import Document, Extraction, Problem
from extractor.verdict import judge, with_review
from kernel.errors import JixiaoError, NoTextLayerError, NothingFoundError
from kernel.progress import Progress
from kernel.settings import Settings, get_settings

log = logging.getLogger(__name__)


def read_pages(data: bytes, name: str, settings: Settings,
               progress: Progress | None = None) -> tuple[DocumentGrid, list[Problem]]:
    """Read a file into its grid page by page (tables not yet joined across pages), OCR-ing scanned pages."""
    grid = read_file(data, name, Limits.from_settings(settings, name), progress=progress)
    return _ocr(grid, data, name, settings, progress)


def read_grid(data: bytes, name: str, settings: Settings,
              progress: Progress | None = None) -> tuple[DocumentGrid, list[Problem]]:
    """Read a file into its grid, OCR-ing scanned pages and images; per-page problems beside it."""
    grid, problems = read_pages(data, name, settings, progress)
    # Tables that continue on the next page become one table (text-layer and OCR'd pages alike).
    return stitched(grid), problems


def _ocr(grid: DocumentGrid, data: bytes, name: str, settings: Settings,
         progress: Progress | None) -> tuple[DocumentGrid, list[Problem]]:
    """OCR the pages (or image) with no text layer into the grid, when OCR can run; what failed as problems."""
    if not grid.needs_ocr_pages:
        _require_content(grid)
        return grid, []
    why_not = "已关闭（JIXIAO_OCR_ENABLED=false）" if not settings.ocr_enabled else ocr_unavailable()
    if why_not:
        if not grid.tables:
            raise NoTextLayerError(f"文件没有文字层（扫描件或图片），需要 OCR 才能读取，但 OCR 不可用：{why_not}")
        return grid, [Problem(page=p, message=f"该页没有文字层（扫描件），OCR 不可用：{why_not}")
                      for p in grid.needs_ocr_pages]
    run = ocr_grid(grid, data, sniff(data, name), dpi=settings.ocr_dpi, timeout_s=settings.ocr_page_timeout_s,
                   threads=settings.ocr_threads, progress=progress)
    errors = [Problem(page=page, message=message) for page, message in run.problems]
    errors += low_confidence(run.grid, settings.ocr_min_confidence)
    _require_content(run.grid)
    # a header or label name OCR misread by a character is put right where its row or form proves it (layout
    # knows the names)
    return repair_labels(repair_headers(run.grid)), errors


def _require_content(grid: DocumentGrid) -> None:
    """A file with no table cell and no line of text is reported, not stored as an empty document."""
    for block in grid.blocks:
        if isinstance(block, Table) and any(c.text.strip() for c in block.cells):
            return
        if isinstance(block, TextLine) and block.text.strip():
            return
    raise NothingFoundError("未找到任何表格或文字（文件中没有可读取的内容）")




def extract_with_grid(data: bytes, name: str, settings: Settings | None = None,
                      progress: Progress | None = None) -> tuple[Extraction, DocumentGrid | None]:
    """The rules pipeline on one file's bytes, also handing out the grid it read (the LLM stage reuses it)."""
    settings = settings or get_settings()
    started = time.perf_counter()
    sha = hashlib.sha256(data).hexdigest()
    source = Path(name).name

    def draft(mapped: Mapped) -> Document:
        return Document(source=source, sha256=sha, department=mapped.department, fiscal_year=mapped.fiscal_year,
                        projects=mapped.projects)

    try:
        pages, errors = read_pages(data, name, settings, progress)
        if progress:
            progress(pages.n_pages, pages.n_pages, "mapping")
        reading = choose_reading(pages, draft)
        grid, mapped = reading.grid, reading.mapped
        apply_row_scores(mapped.projects, row_scores(grid))
        errors += sparse_pages(mapped.projects, grid)  # an OCR'd page read empty is never silently wrong
    except JixiaoError as exc:
        return Extraction(document=None, status="failed", errors=[Problem(message=str(exc))],
                          seconds=time.perf_counter() - started), None
    except MemoryError:  # the worker's address-space cap (JIXIAO_WORKER_MAX_MEMORY_MB) was reached
        log.warning("extraction of %s ran out of memory", name)
        return Extraction(document=None, status="failed",
                          errors=[Problem(message=f"文件「{Path(name).name}」处理时内存不足，已放弃"
                                                  "（可调 JIXIAO_WORKER_MAX_MEMORY_MB）")],
                          seconds=time.perf_counter() - started), None
    except Exception as exc:  # a reader or mapper bug must not take the batch down
        log.exception("extraction of %s failed", name)
        return Extraction(document=None, status="failed",
                          errors=[Problem(message=f"内部错误，无法提取：{type(exc).__name__}: {exc}"[:500])],
                          seconds=time.perf_counter() - started), None
    unmapped = mapped.problems
    status = "partial" if errors or unmapped else "ok"
    doc = draft(mapped)
    quality, contradictions = judge(doc, grid, unmapped, mapped.unmapped_columns(), money_unit_printed(grid),
                                    settings.quality_thresholds(), mapped.level_cells, reading.contradictions)
    doc = with_review(doc, flag_unread_pages(quality, errors))
    return Extraction(document=doc, status=status, errors=errors, unmapped=unmapped, pages=grid.n_pages,
                      seconds=time.perf_counter() - started, backend="rules", quality=quality,
                      level_notes=level_notes(doc), columns=mapped.column_evidence(),
                      contradictions=contradictions), grid
