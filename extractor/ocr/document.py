"""OCR the pages of a document that have no usable text layer and merge them into its grid."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from extractor.grid import Block, DocumentGrid, TextLine
from extractor.ocr.images import page_images
from extractor.ocr.lexicon import repeated
from extractor.ocr.worker import (
    OcrWorker,
    PageResult,
    PageTask,
    PageTimeoutError,
    WorkerError,
    WorkerStartError,
    shared_worker,
)
from kernel.errors import NothingRecognisedError, OcrUnavailableError
from kernel.progress import Progress

log = logging.getLogger(__name__)


@dataclass
class OcrRun:
    """The grid with OCR'd pages merged in, and per-page remarks for review."""

    grid: DocumentGrid
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    pages_read: int = 0


def ocr_unavailable() -> str | None:
    """Why OCR cannot run here, or None when it can (checked without loading the models)."""
    from importlib.util import find_spec

    from extractor.ocr.engine import model_paths

    # find_spec, not import: the heavy libraries load in the worker process only
    missing = [m for m in ("cv2", "onnxruntime", "rapidocr") if find_spec(m) is None]
    if missing:
        return f"未安装 OCR 组件：{', '.join(missing)}"
    try:
        model_paths()
    except OcrUnavailableError as exc:
        return str(exc)
    return None


def _page_of(block: Block) -> int:
    page = block.page if isinstance(block, TextLine) else block.page_of(0)
    return page or 0


def _run(worker: OcrWorker, task: PageTask, timeout_s: float, problems: list[tuple[int | None, str]],
         failed: list[int], *, first: bool) -> PageResult | None:
    """One page read by the worker, or None with the reason noted (OcrUnavailableError if OCR cannot start at all)."""
    try:
        return worker.run(task, timeout_s)
    except PageTimeoutError:
        problems.append((task.page, f"该页 OCR 超过时间限制（{timeout_s:g} 秒），已跳过"
                                    "（可调 JIXIAO_OCR_PAGE_TIMEOUT_S）"))
    except WorkerStartError as exc:
        if first:
            raise OcrUnavailableError(f"文件没有文字层，需要 OCR，但{exc}") from exc
        problems.append((task.page, f"该页 OCR 失败：{exc}"))
    except WorkerError as exc:
        problems.append((task.page, f"该页 OCR 失败：{exc}"))
    failed.append(task.page)
    return None


def _second_pass(results: dict[int, PageResult]) -> dict[int, frozenset[str]]:
    """Pages to mend again, each with the document's own words: those a word printed surely three times over the
    document, but not on the page itself, could mend (来穗 read 来稳 on the project list, printed surely only on the
    pages after it)."""
    document = repeated(sum((Counter(r.sure) for r in results.values()), Counter()))
    return {number: document for number, r in results.items()
            if (document - repeated(Counter(r.sure))) & r.wants}


def ocr_grid(grid: DocumentGrid, data: bytes, kind: str, *, dpi: int, timeout_s: float, threads: int = 0,
             progress: Progress | None = None) -> OcrRun:
    """OCR grid.needs_ocr_pages of this PDF or image file; other pages keep their text-layer blocks."""
    pages = list(grid.needs_ocr_pages)
    worker = shared_worker(threads)
    problems: list[tuple[int | None, str]] = []
    results: dict[int, PageResult] = {}
    failed: list[int] = []
    for k, page in enumerate(page_images(data, kind, pages, dpi), 1):
        if progress:
            progress(k, len(pages), "ocr")
        if page.image is None:
            problems.append((page.page, page.problem or "该页无法读取"))
            failed.append(page.page)
            continue
        result = _run(worker, PageTask(page.page, page.image, page.unit_per_px), timeout_s, problems, failed,
                      first=not results)
        if result is not None:
            results[page.page] = result
    again = _second_pass(results)
    if again:
        log.info("pages %s mended again with the document's own words", sorted(again))
    for page in page_images(data, kind, sorted(again), dpi) if again else ():
        if page.image is not None:  # the worker kept its reading of the lines: only the mending is done again
            second = _run(worker, PageTask(page.page, page.image, page.unit_per_px, again[page.page]), timeout_s,
                          [], [], first=False)
            results[page.page] = second or results[page.page]  # on a failure the first reading stands
    read = len(results)
    blank = sum(1 for r in results.values() if r.blank)
    for number, result in sorted(results.items()):
        problems.extend((number, note) for note in result.notes)
        if result.blank:
            problems.append((number, "该页是空白页（未识别出文字）"))
    problems.sort(key=lambda p: p[0] or 0)  # page by page, as read
    ocr_blocks = [b for _, r in sorted(results.items()) for b in r.blocks]
    if pages and not ocr_blocks and not grid.blocks:
        if blank == len(pages):
            raise NothingRecognisedError("文件没有文字层，OCR 后仍未识别出任何文字：全部为空白页")
        reasons = "；".join(f"第{p}页：{m}" for p, m in problems[:3])
        raise NothingRecognisedError(f"文件没有文字层，OCR 未能读出任何内容（{reasons}）")
    # Text-layer blocks come first per page already; OCR pages slot in by page number.
    blocks = sorted([*grid.blocks, *ocr_blocks], key=_page_of)  # stitched across pages by the pipeline
    log.info("OCR read %d of %d pages (%d blank)", read, len(pages), blank)
    return OcrRun(grid=DocumentGrid(blocks=blocks, n_pages=grid.n_pages, needs_ocr_pages=failed),
                  problems=problems, pages_read=read)
