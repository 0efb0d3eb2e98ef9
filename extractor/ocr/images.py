"""Page images for OCR: PDF pages rendered with pypdfium2, image files (multi-page TIFF too) decoded with Pillow."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from extractor.readers.image import open_image
from kernel.errors import CorruptFileError

log = logging.getLogger(__name__)

_MAX_RENDER_SIDE = 2400  # px: a poster-sized page is rendered smaller rather than into a huge bitmap


@dataclass
class PageImage:
    """One page as grey pixels, or why it could not be produced."""

    page: int
    image: np.ndarray | None
    unit_per_px: float  # page units per pixel: PDF points for PDFs, 1.0 for image files
    problem: str | None = None


def image_pages(data: bytes, pages: list[int]) -> Iterator[PageImage]:
    """The requested frames of an image file as grey pixels, upright per their EXIF orientation."""
    from PIL import ImageOps

    img = open_image(data)
    for page in pages:
        try:
            img.seek(page - 1)
            frame = ImageOps.exif_transpose(img.copy()) or img.copy()
            yield PageImage(page, np.asarray(frame.convert("L")), 1.0)
        except Exception as exc:  # a broken frame must not lose the others
            log.warning("image frame %d unreadable: %s", page, exc)
            yield PageImage(page, None, 1.0, problem="该页图像已损坏，无法解码")


def pdf_pages(data: bytes, pages: list[int], dpi: int) -> Iterator[PageImage]:
    """The requested PDF pages rendered to grey pixels at `dpi` (smaller for very large pages)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:
        raise CorruptFileError("PDF 页面无法渲染，无法进行 OCR（文件可能已损坏）") from exc
    try:
        for page in pages:
            try:
                pg = pdf[page - 1]
                width, height = pg.get_size()
                scale = min(dpi / 72.0, _MAX_RENDER_SIDE / max(width, height, 1.0))
                bitmap = pg.render(scale=scale, grayscale=True)
                pixels = np.array(bitmap.to_numpy(), copy=True)
                if pixels.ndim == 3:
                    pixels = pixels[:, :, 0]
                yield PageImage(page, pixels, 1.0 / scale)
            except Exception as exc:  # one bad page must not lose the document
                log.warning("page %d could not be rendered: %s", page, exc)
                yield PageImage(page, None, 1.0, problem="该页无法渲染为图像，无法 OCR")
    finally:
        pdf.close()


def page_images(data: bytes, kind: str, pages: list[int], dpi: int) -> Iterator[PageImage]:
    """Page images of a PDF or an image file, in page order."""
    if kind == "pdf":
        return pdf_pages(data, pages, dpi)
    return image_pages(data, pages)
