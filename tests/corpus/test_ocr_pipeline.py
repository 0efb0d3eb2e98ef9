"""OCR end to end on real page images: scanned corpus, blank, upside-down, corrupt, multi-page TIFF, limits."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from eval.scorer import norm_text, score_document
from extractor.api import extract
from extractor.grid import Table
from extractor.ocr.images import pdf_pages
from extractor.ocr.worker import PageTask, PageTimeoutError, shared_worker
from extractor.pipeline import read_grid
from kernel.settings import Settings
from tests.conftest import gold

SETTINGS = Settings()


def _page(corpus: Path, rel: str, page: int) -> Image.Image:
    """One scanned corpus page as a grey image, as a scanner or phone would hand it over."""
    got = next(pdf_pages((corpus / rel).read_bytes(), [page], 150))
    assert got.image is not None
    return Image.fromarray(got.image)


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _pdf_of(parts: list[tuple[Path, int]]) -> bytes:
    """A new PDF made of the given (file, 1-based page) pages."""
    out = pdfium.PdfDocument.new()
    for path, page in parts:
        out.import_pages(pdfium.PdfDocument(path.read_bytes()), [page - 1])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_scanned_document_scores_like_its_text_pdf(corpus: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    scan = extract((corpus / "scanned" / "000.scan.pdf").read_bytes(), name="000.scan.pdf", settings=SETTINGS,
                   progress=lambda i, n, stage: calls.append((i, n, stage)))
    text = extract((corpus / "pdf" / "000.pdf").read_bytes(), name="000.pdf", settings=SETTINGS)
    assert scan.document is not None and text.document is not None
    want = gold("000")
    f1_scan = score_document(want, scan.document.model_dump()).summary()["field_f1"]
    f1_text = score_document(want, text.document.model_dump()).summary()["field_f1"]
    assert f1_scan >= 0.9 * f1_text, (f1_scan, f1_text)
    assert scan.document.department == want["department"]
    assert not any("需要 OCR" in e.message for e in scan.errors)
    inds = [i for p in scan.document.projects for i in p.indicators]
    assert all(i.page and i.bbox and 0 < i.confidence <= 1 for i in inds)
    # progress: every page read, every page OCR'd in order, then mapping
    assert [c for c in calls if c[2] == "ocr"] == [(k, 9, "ocr") for k in range(1, 10)]
    assert calls[-1] == (9, 9, "mapping") and calls[0] == (1, 9, "reading")


def test_scanned_page_grid_matches_the_text_layer(corpus: Path) -> None:
    scan, _ = read_grid(_pdf_of([(corpus / "scanned" / "002.scan.pdf", 1)]), "p1.pdf", SETTINGS)
    text, _ = read_grid(_pdf_of([(corpus / "pdf" / "002.pdf", 1)]), "p1.pdf", SETTINGS)
    got, want = scan.tables[0], text.tables[0]
    assert (got.n_rows, got.n_cols) == (want.n_rows, want.n_cols)
    want_cells = {(c.row, c.col, c.rowspan, c.colspan): norm_text(c.text) for c in want.cells if c.text}
    got_cells = {(c.row, c.col, c.rowspan, c.colspan): norm_text(c.text) for c in got.cells if c.text}
    same = sum(1 for k, v in want_cells.items() if got_cells.get(k) == v)
    assert same >= 0.9 * len(want_cells), (same, len(want_cells))
    assert all(c.bbox and c.page == 1 for c in got.cells)


def test_mixed_pdf_ocrs_only_the_scanned_page(corpus: Path) -> None:
    data = _pdf_of([(corpus / "pdf" / "000.pdf", 1), (corpus / "scanned" / "000.scan.pdf", 2)])
    grid, problems = read_grid(data, "mixed.pdf", SETTINGS)
    assert grid.needs_ocr_pages == [] and not any("需要 OCR" in p.message for p in problems)
    page2 = [c.text for t in grid.tables for c in t.cells if c.page == 2]
    assert any("法轮功" in t for t in page2)


def test_blank_page_says_so() -> None:
    result = extract(_png(Image.new("L", (1200, 1600), 250)), name="blank.png", settings=SETTINGS)
    assert result.status == "failed" and "空白页" in result.errors[0].message


def test_upside_down_page_is_turned_and_read(corpus: Path) -> None:
    img = _page(corpus, "scanned/000.scan.pdf", 1).rotate(180)
    result = extract(_png(img), name="upside-down.png", settings=SETTINGS)
    assert result.document is not None, result.errors
    assert any("上下颠倒" in e.message and e.page == 1 for e in result.errors)
    assert result.document.department == "中共宿州市委政法委员会"
    names = {norm_text(i.name) for p in result.document.projects for i in p.indicators}
    assert any("举办政法干部培训班" in n for n in names), names


def test_corrupt_images_fail_cleanly(corpus: Path) -> None:
    broken = extract(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, name="broken.png", settings=SETTINGS)
    assert broken.status == "failed" and "无法解码" in broken.errors[0].message
    buf = io.BytesIO()
    _page(corpus, "scanned/000.scan.pdf", 1).save(buf, format="JPEG")
    cut = extract(buf.getvalue()[:2000], name="cut.jpg", settings=SETTINGS)
    assert cut.status == "failed" and "Traceback" not in cut.errors[0].message


def test_multi_page_tiff_reads_every_frame(corpus: Path) -> None:
    frames = [_page(corpus, "scanned/004.scan.pdf", 1), Image.new("L", (1000, 1300), 255)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    calls: list[tuple[int, int, str]] = []
    result = extract(buf.getvalue(), name="scan.tif", settings=SETTINGS,
                     progress=lambda i, n, s: calls.append((i, n, s)))
    assert result.document is not None and result.pages == 2
    assert result.document.projects and any(p.indicators for p in result.document.projects)
    assert any(e.page == 2 and "空白页" in e.message for e in result.errors)
    assert calls == [(1, 2, "ocr"), (2, 2, "ocr"), (2, 2, "mapping")]
    box = result.document.projects[0].indicators[0].bbox
    assert box is not None and max(box) <= 1700  # image inputs report boxes in pixels


def test_page_time_limit_stops_a_slow_page(corpus: Path) -> None:
    img = _page(corpus, "scanned/002.scan.pdf", 3)
    started = time.perf_counter()
    result = extract(_png(img), name="slow.png", settings=Settings(ocr_page_timeout_s=0.2))
    assert time.perf_counter() - started < 30
    assert result.status == "failed" and "超过时间限制" in result.errors[0].message
    with pytest.raises(PageTimeoutError):
        shared_worker(SETTINGS.ocr_threads).run(PageTask(1, np.asarray(img), 1.0), 0.2)
    # the stopped worker is replaced for the next page
    again = shared_worker(SETTINGS.ocr_threads).run(PageTask(1, np.asarray(img), 1.0), 120)
    assert any(isinstance(b, Table) for b in again.blocks)


def test_ocr_switched_off_says_no_text_layer() -> None:
    result = extract(_png(Image.new("L", (300, 300), 255)), name="photo.png", settings=Settings(ocr_enabled=False))
    assert result.status == "failed" and "没有文字层" in result.errors[0].message
    assert "OCR 不可用" in result.errors[0].message


@pytest.mark.parametrize("turn", [90, 270])
def test_page_scanned_a_quarter_turn_off_is_turned_and_read(corpus: Path, turn: int) -> None:
    img = _page(corpus, "scanned/000.scan.pdf", 1).rotate(turn, expand=True)
    result = extract(_png(img), name=f"sideways-{turn}.png", settings=SETTINGS)
    assert result.document is not None, result.errors
    assert any("旋转了 90°" in e.message and e.page == 1 for e in result.errors)
    assert result.document.department == "中共宿州市委政法委员会"
    names = {norm_text(i.name) for p in result.document.projects for i in p.indicators}
    assert any("举办政法干部培训班" in n for n in names), names
