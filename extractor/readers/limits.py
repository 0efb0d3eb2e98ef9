"""Resource limits checked before a reader does the work: sizes, zip contents, sheet ranges, spans, pixels, pages."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kernel.errors import ResourceLimitError

_MB = 1024 * 1024
_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")


@dataclass(frozen=True)
class Limits:
    """What one file may cost; `name` is the file the messages name."""

    name: str = "文件"
    max_file_mb: float = 50.0
    max_pages: int = 500
    max_unzipped_mb: float = 100.0
    max_zip_entries: int = 2000
    max_cells: int = 1_000_000
    max_merged_cells: int = 200_000
    max_table_rows: int = 50_000
    max_table_cols: int = 500
    max_image_pixels: int = 60_000_000

    @classmethod
    def from_settings(cls, settings: Any, name: str) -> Limits:
        """The limits configured in the settings object, for the file `name`."""
        fields = {f: getattr(settings, f) for f in cls.__dataclass_fields__ if f != "name"}
        return cls(name=printable(Path(name).name) or "文件", **fields)

    def refuse(self, headline: str, what: str, limit: str, env: str) -> ResourceLimitError:
        """The error naming the file, what it holds and the limit (with the setting that raises it)."""
        return ResourceLimitError(f"{headline}：文件「{self.name}」{what}，超过上限 {limit}（可调 {env}），已拒绝处理")

    def check_file_size(self, n_bytes: int) -> None:
        """Refuse a file over max_file_mb; call with the size from the file system or the upload, before reading."""
        if n_bytes > self.max_file_mb * _MB:
            raise self.refuse("文件过大", f"有 {n_bytes / _MB:.1f} MB", f"{self.max_file_mb:g} MB",
                              "JIXIAO_MAX_FILE_MB")

    def check_pages(self, n_pages: int) -> None:
        """Refuse a document with more pages (or image frames) than max_pages."""
        if n_pages > self.max_pages:
            raise self.refuse("页数过多", f"有 {n_pages} 页", f"{self.max_pages} 页", "JIXIAO_MAX_PAGES")

    def check_table(self, n_rows: int, n_cols: int, rowspan: int = 1, colspan: int = 1) -> None:
        """Refuse a table (or one cell's span) larger than the row, column and cell limits."""
        if n_rows > self.max_table_rows or rowspan > self.max_table_rows:
            raise self.refuse("表格过大", f"的表格有 {max(n_rows, rowspan)} 行", f"{self.max_table_rows} 行",
                              "JIXIAO_MAX_TABLE_ROWS")
        if n_cols > self.max_table_cols or colspan > self.max_table_cols:
            raise self.refuse("表格过大", f"的表格有 {max(n_cols, colspan)} 列", f"{self.max_table_cols} 列",
                              "JIXIAO_MAX_TABLE_COLS")
        if n_rows * n_cols > self.max_cells:
            raise self.refuse("表格过大", f"的表格有 {n_rows}×{n_cols} 个单元格", f"{self.max_cells} 个",
                              "JIXIAO_MAX_CELLS")

    def check_pixels(self, width: int, height: int) -> None:
        """Refuse an image larger than max_image_pixels, from its header, before decoding it."""
        if width * height > self.max_image_pixels:
            raise self.refuse("图像过大", f"的图像为 {width}×{height} 像素", f"{self.max_image_pixels} 像素",
                              "JIXIAO_MAX_IMAGE_PIXELS")

    def check_zip(self, data: bytes) -> zipfile.ZipFile:
        """Open an OOXML zip after checking its entry count and unpacked size from the central directory.

        Python's zipfile stops inflating an entry at its declared size, so the declared sizes bound the real work.
        """
        zf = zipfile.ZipFile(io.BytesIO(data))  # BadZipFile: the caller words it for its file type
        entries = zf.infolist()
        if len(entries) > self.max_zip_entries:
            raise self.refuse("压缩条目过多", f"包含 {len(entries)} 个压缩条目", f"{self.max_zip_entries} 个",
                              "JIXIAO_MAX_ZIP_ENTRIES")
        unpacked = sum(e.file_size for e in entries)
        if unpacked > self.max_unzipped_mb * _MB:
            raise self.refuse("解压后过大", f"解压后有 {unpacked / _MB:.0f} MB", f"{self.max_unzipped_mb:g} MB",
                              "JIXIAO_MAX_UNZIPPED_MB")
        return zf


def printable(text: str) -> str:
    """Text with control, separator and format characters escaped: a newline in a file name cannot forge a line."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


def column_number(letters: str) -> int:
    """Spreadsheet column letters as a 1-based number (A = 1, XFD = 16384)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell_ref(ref: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of a reference such as "B7"; None when it is not one."""
    m = _CELL_REF.fullmatch(ref.strip().upper())
    return (int(m.group(2)), column_number(m.group(1))) if m else None


def range_area(ref: str) -> int:
    """Cells a range such as "A1:C3" covers (a single reference covers one)."""
    ends = [cell_ref(p) for p in ref.split(":")]
    if not ends or any(e is None for e in ends):
        return 1
    rows = [e[0] for e in ends if e]
    cols = [e[1] for e in ends if e]
    return (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
