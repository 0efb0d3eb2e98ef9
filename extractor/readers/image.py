"""Image files (PNG, JPEG, multi-page TIFF): opened with Pillow under the limits; OCR reads every frame."""

from __future__ import annotations

import io
import warnings
from typing import Any

from extractor.readers.limits import Limits
from kernel.errors import CorruptFileError

_MAX_IMAGE_PIXELS = 200_000_000  # Pillow's decompression-bomb guard, raised for large but real scans


def _register_heif() -> None:
    """Let Pillow open HEIC photos when pillow-heif is installed (without it a HEIC is reported undecodable)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()


def open_image(data: bytes, limits: Limits | None = None) -> Any:
    """The decoded image (a TIFF keeps its frames); refused over `limits`, CorruptFileError if undecodable."""
    from PIL import Image

    if data[4:8] == b"ftyp":
        _register_heif()

    limits = limits or Limits()
    Image.MAX_IMAGE_PIXELS = _MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():  # Pillow only warns below twice its guard: the real limit is checked below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))  # reads the header only: the size is known before pixels are decoded
    except Image.DecompressionBombError as exc:
        raise limits.refuse("图像过大", "超过 Pillow 的解码保护", f"{limits.max_image_pixels} 像素",
                            "JIXIAO_MAX_IMAGE_PIXELS") from exc
    except Exception as exc:  # Pillow raises many kinds for broken or truncated files
        raise CorruptFileError("图片无法解码（文件已损坏或格式不受支持）：图片没有文字层，只能解码后 OCR 识别") from exc
    n_frames = int(getattr(img, "n_frames", 1) or 1)
    limits.check_pages(n_frames)
    for frame in range(n_frames):  # a TIFF's frames each have their own size
        if frame:
            img.seek(frame)
        limits.check_pixels(*img.size)
    try:
        img.seek(0)
        img.load()
    except Exception as exc:
        raise CorruptFileError("图片无法解码（文件已损坏或格式不受支持）：图片没有文字层，只能解码后 OCR 识别") from exc
    return img


def image_page_count(data: bytes, limits: Limits | None = None) -> int:
    """Frames in an image file (multi-page TIFF has several); refused over `limits`, CorruptFileError if undecodable."""
    return int(getattr(open_image(data, limits), "n_frames", 1) or 1)
