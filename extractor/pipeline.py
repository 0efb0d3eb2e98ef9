"""Extraction pipeline: bytes -> grid -> layout mapping -> Document, with partial failure as data."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from extractor.errors import FileTooLargeError, JixiaoError, NoTextLayerError
from extractor.layout.mapper import map_grid
from extractor.readers import read_file
from extractor.schema import Document, Extraction, Problem
from extractor.settings import Settings, get_settings

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


def extract_bytes(data: bytes, name: str, settings: Settings | None = None,
                  progress: Progress | None = None) -> Extraction:
    """Extract one file's bytes; never raises for bad input — the Extraction says what went wrong."""
    settings = settings or get_settings()
    started = time.perf_counter()
    sha = hashlib.sha256(data).hexdigest()
    try:
        if len(data) > settings.max_file_mb * 1024 * 1024:
            size_mb = len(data) / 1024 / 1024
            raise FileTooLargeError(
                f"文件过大（{size_mb:.1f} MB），上限为 {settings.max_file_mb:g} MB（JIXIAO_MAX_FILE_MB）"
            )
        grid = read_file(data, name, max_pages=settings.max_pages, progress=progress)
        errors = [Problem(page=p, message="该页没有文字层（扫描件），需要 OCR 才能读取") for p in grid.needs_ocr_pages]
        if grid.needs_ocr_pages and not grid.tables:
            raise NoTextLayerError("文件没有文字层（扫描件或图片），目前无法读取：需要 OCR")
        if progress:
            progress(grid.n_pages, grid.n_pages, "mapping")
        projects, department, year, unmapped = map_grid(grid)
    except JixiaoError as exc:
        return Extraction(document=None, status="failed", errors=[Problem(message=str(exc))],
                          seconds=time.perf_counter() - started)
    except Exception as exc:  # a reader or mapper bug must not take the batch down
        log.exception("extraction of %s failed", name)
        return Extraction(document=None, status="failed",
                          errors=[Problem(message=f"内部错误，无法提取：{type(exc).__name__}: {exc}"[:500])],
                          seconds=time.perf_counter() - started)
    doc = Document(source=Path(name).name, sha256=sha, department=department, fiscal_year=year, projects=projects)
    status = "partial" if errors or unmapped else "ok"
    return Extraction(document=doc, status=status, errors=errors, unmapped=unmapped, pages=grid.n_pages,
                      seconds=time.perf_counter() - started, backend="rules")


def extract_path(path: Path, settings: Settings | None = None, progress: Progress | None = None) -> Extraction:
    """Extract one file from disk (unreadable paths become a failed Extraction)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Extraction(document=None, status="failed", errors=[Problem(message=f"无法读取文件：{exc.strerror}")])
    return extract_bytes(data, path.name, settings, progress)
