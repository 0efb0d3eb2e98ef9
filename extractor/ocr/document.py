"""OCR the pages of a document that have no usable text layer and merge them into its grid."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from extractor.grid import Block, DocumentGrid, TextLine
from extractor.ocr.images import page_images
from extractor.ocr.worker import PageTask, PageTimeoutError, WorkerError, WorkerStartError, shared_worker
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


def ocr_grid(grid: DocumentGrid, data: bytes, kind: str, *, dpi: int, timeout_s: float, threads: int = 0,
             progress: Progress | None = None) -> OcrRun:
    """OCR grid.needs_ocr_pages of this PDF or image file; other pages keep their text-layer blocks."""
    pages = list(grid.needs_ocr_pages)
    worker = shared_worker(threads)
    problems: list[tuple[int | None, str]] = []
    ocr_blocks: list[Block] = []
    failed: list[int] = []
    read = blank = 0
    for k, page in enumerate(page_images(data, kind, pages, dpi), 1):
        if progress:
            progress(k, len(pages), "ocr")
        if page.image is None:
            problems.append((page.page, page.problem or "该页无法读取"))
            failed.append(page.page)
            continue
        try:
            result = worker.run(PageTask(page.page, page.image, page.unit_per_px), timeout_s)
        except PageTimeoutError:
            problems.append((page.page, f"该页 OCR 超过时间限制（{timeout_s:g} 秒），已跳过"
                                        "（可调 JIXIAO_OCR_PAGE_TIMEOUT_S）"))
            failed.append(page.page)
            continue
        except WorkerStartError as exc:
            if read == 0:
                raise OcrUnavailableError(f"文件没有文字层，需要 OCR，但{exc}") from exc
            problems.append((page.page, f"该页 OCR 失败：{exc}"))
            failed.append(page.page)
            continue
        except WorkerError as exc:
            problems.append((page.page, f"该页 OCR 失败：{exc}"))
            failed.append(page.page)
            continue
        read += 1
        problems.extend((page.page, note) for note in result.notes)
        if result.blank:
            blank += 1
            problems.append((page.page, "该页是空白页（未识别出文字）"))
        ocr_blocks.extend(result.blocks)
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
