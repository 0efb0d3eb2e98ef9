"""Seeded builder of hostile input files, written into a folder at test time (no committed binaries).

Each builder writes one small file that would cost gigabytes or minutes to read naively.
"""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

SEED = 15  # issue 15
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx(path: Path, sheet_xml: Callable[[zipfile.ZipFile], None]) -> Path:
    """A minimal workbook whose one sheet is written by `sheet_xml` (streamed, so a bomb never sits in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                    '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        zf.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
                    'Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{_SHEET_NS}" xmlns:r="{_REL}">'
                    '<sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                    f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
                    'Target="worksheets/sheet1.xml"/></Relationships>')
        sheet_xml(zf)
    return path


def _plain_sheet(body: str, after: str = "") -> Callable[[zipfile.ZipFile], None]:
    def write(zf: zipfile.ZipFile) -> None:
        zf.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="{_SHEET_NS}">'
                    f"<sheetData>{body}</sheetData>{after}</worksheet>")
    return write


def xlsx_zip_bomb(folder: Path, mb: int = 1024) -> Path:
    """An .xlsx of a few MB whose sheet inflates to `mb` MB (a comment of spaces: valid XML, compresses ~1000:1)."""
    def write(zf: zipfile.ZipFile) -> None:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0"?><worksheet xmlns="{_SHEET_NS}"><sheetData><!--'.encode())
            chunk = b" " * (1 << 20)
            for _ in range(mb):
                out.write(chunk)
            out.write(b"--></sheetData></worksheet>")
    return _xlsx(folder / "bomb.xlsx", write)


def xlsx_whole_sheet_merge(folder: Path) -> Path:
    """An .xlsx with one merged range over the whole sheet (17 billion cells)."""
    return _xlsx(folder / "merged.xlsx", _plain_sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c>'
                                                        "</row>", '<mergeCells count="1">'
                                                        '<mergeCell ref="A1:XFD1048576"/></mergeCells>'))


def xlsx_far_corner(folder: Path) -> Path:
    """An .xlsx with one cell in A1 and one in the last cell of the sheet, XFD1048576."""
    return _xlsx(folder / "corner.xlsx", _plain_sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'))


def docx_huge_span(folder: Path) -> Path:
    """A .docx whose one table cell spans 2e9 grid columns."""
    path = folder / "span.docx"
    body = (f'<w:document xmlns:w="{_W_NS}"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/>'
            "</w:tcPr><w:p><w:r><w:t>项目名称</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"
            "</w:tr></w:tbl></w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", body)
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')
    return path


def png_huge(folder: Path, side: int = 20000) -> Path:
    """A 1-bit PNG of side×side pixels (a few hundred KB; 400 million pixels when decoded)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
           + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    path = folder / "huge.png"
    path.write_bytes(png)
    return path


def sparse_large(folder: Path, mb: int = 300) -> Path:
    """A `mb` MB PDF-looking file that takes no disk space (sparse): its size alone must refuse it."""
    path = folder / "large.pdf"
    with path.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(mb * 1024 * 1024)
    return path


def text_wide_row(folder: Path, cols: int = 200_000) -> Path:
    """A text dump with one row of `cols` tab-separated cells."""
    rng = random.Random(SEED)
    path = folder / "wide.txt"
    path.write_text("项目名称\t" + "\t".join(str(rng.randint(0, 9)) for _ in range(cols)) + "\n", encoding="utf-8")
    return path


def blank_docx(folder: Path) -> Path:
    """A .docx with no table and no text: only empty paragraphs."""
    path = folder / "blank.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{_W_NS}"><w:body><w:p/><w:p><w:r><w:t> </w:t>'
                    "</w:r></w:p></w:body></w:document>")
    return path


BOMBS: dict[str, Callable[[Path], Path]] = {
    "xlsx_zip_bomb": xlsx_zip_bomb, "xlsx_whole_sheet_merge": xlsx_whole_sheet_merge,
    "xlsx_far_corner": xlsx_far_corner, "docx_huge_span": docx_huge_span, "png_huge": png_huge,
    "sparse_large": sparse_large, "text_wide_row": text_wide_row,
}


BOMB_FILES = ("bomb.xlsx", "merged.xlsx", "corner.xlsx", "span.docx", "huge.png", "large.pdf", "wide.txt")


def build_all(folder: Path) -> list[Path]:
    """Every resource-bomb fixture, written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return [make(folder) for make in BOMBS.values()]
