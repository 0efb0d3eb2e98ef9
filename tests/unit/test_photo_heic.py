"""HEIC photos straight from a phone are sniffed as images and decoded for OCR (pillow-heif)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from extractor.ocr.images import image_pages
from extractor.readers import sniff

pillow_heif = pytest.importorskip("pillow_heif")


def _heic(width: int, height: int) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (width, height), "white")
    img.paste((0, 0, 0), (10, 10, width - 10, 20))  # one dark ruling, so the pixels can be checked
    buf = io.BytesIO()
    pillow_heif.from_pillow(img).save(buf, format="HEIF", quality=90)
    return buf.getvalue()


def test_a_heic_is_an_image_whatever_its_name() -> None:
    data = _heic(120, 80)
    assert sniff(data, "IMG_0042.HEIC") == "image"
    assert sniff(data, "upload.bin") == "image"


def test_a_heic_page_decodes_to_grey_pixels() -> None:
    [page] = list(image_pages(_heic(120, 80), [1]))
    assert page.image is not None and page.image.shape == (80, 120)
    assert np.mean(page.image[12:18, 20:100]) < 60 and np.mean(page.image[40:70]) > 200
