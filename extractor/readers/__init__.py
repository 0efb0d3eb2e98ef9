"""Readers: bytes of one file in, one DocumentGrid out; the file type is sniffed, not trusted."""

from __future__ import annotations

from pathlib import Path

from extractor.grid import DocumentGrid
from extractor.readers.limits import Limits, printable
from kernel.errors import CorruptFileError, EmptyFileError, UnsupportedFileError
from kernel.progress import Progress

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")
# HEIF containers (an iPhone's HEIC photos): an ISO-BMFF "ftyp" box naming one of these brands
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


def sniff(data: bytes, name: str) -> str:
    """The file kind from its leading bytes (the name only breaks ties)."""
    if not data:
        raise EmptyFileError("文件为空（0 字节）")
    head = data[:8]
    suffix = Path(name).suffix.lower()
    if data[:5] == b"%PDF-" or (b"%PDF-" in data[:1024] and suffix == ".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4096] or suffix == ".docx":
            return "docx"
        if b"xl/" in data[:4096] or suffix in (".xlsx", ".xlsm"):
            return "xlsx"
        return "docx" if suffix == ".docx" else "xlsx" if suffix == ".xlsx" else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .doc/.xls or an encrypted Office file
    if any(head.startswith(m) for m in _IMAGE_MAGIC) or (data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS):
        return "image"
    if suffix in (".pdf", ".docx", ".xlsx"):
        raise CorruptFileError(f"文件扩展名为 {suffix}，但内容不是该格式（文件可能已损坏）")
    sample = data[:4096]
    if b"\x00" in sample:
        raise UnsupportedFileError("不支持的文件类型（二进制文件）")
    return "text"


def read_file(data: bytes, name: str, limits: Limits | None = None, progress: Progress | None = None) -> DocumentGrid:
    """Read any supported file into the grid model, refusing what would cost more than `limits` before the work."""
    limits = limits or Limits(name=printable(Path(name).name) or "文件")
    limits.check_file_size(len(data))
    kind = sniff(data, name)
    if kind == "pdf":
        from extractor.readers.pdf import read_pdf

        return read_pdf(data, limits=limits, progress=progress)
    if kind == "docx":
        from extractor.readers.docx import read_docx

        return read_docx(data, limits)
    if kind == "xlsx":
        from extractor.readers.xlsx import read_xlsx

        return read_xlsx(data, limits)
    if kind == "ole":  # a legacy .xls is read; a .doc or an encrypted Office file gets a clear message
        from extractor.readers.xls import read_xls

        return read_xls(data, limits)
    if kind == "image":
        from extractor.readers.image import image_page_count

        # Every frame of an image (each page of a multi-page TIFF) is read by OCR in the pipeline.
        n_pages = image_page_count(data, limits)
        return DocumentGrid(blocks=[], n_pages=n_pages, needs_ocr_pages=list(range(1, n_pages + 1)))
    if kind == "zip":
        raise UnsupportedFileError("不支持的压缩文件：请上传 PDF、Word、Excel 或文本文件")
    from extractor.readers.text import read_text

    return read_text(data, limits)
