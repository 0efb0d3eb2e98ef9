"""Page images for the review view: render a PDF page and outline a row's box."""

from __future__ import annotations

import io
from functools import lru_cache

POINTS_PER_INCH = 72


@lru_cache(maxsize=64)
def _render(data: bytes, page: int, dpi: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[page - 1].render(scale=dpi / POINTS_PER_INCH).to_pil()
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def page_image(data: bytes, page: int, dpi: int = 110, highlight: list[float] | None = None) -> bytes:
    """PNG of one 1-based page, with an optional [x0, top, x1, bottom] box (PDF points) outlined."""
    png = _render(data, page, dpi)
    if not highlight:
        return png
    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = dpi / POINTS_PER_INCH
    x0, top, x1, bottom = (v * scale for v in highlight)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle([x0 - 2, top - 2, x1 + 2, bottom + 2], fill=(255, 196, 0, 60), outline=(220, 38, 38, 255),
                   width=3)
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
