"""Resource bombs are refused before the work, naming the file and the limit (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.api import extract
from kernel.settings import Settings
from tests.hostile import build


def _refused(message: str, name: str, env: str) -> None:
    assert name in message, message
    assert env in message, message


@pytest.mark.parametrize(("make", "env"), [
    (lambda d: build.xlsx_zip_bomb(d, mb=150), "JIXIAO_MAX_UNZIPPED_MB"),
    (build.xlsx_whole_sheet_merge, "JIXIAO_MAX_MERGED_CELLS"),
    (build.xlsx_far_corner, "JIXIAO_MAX_CELLS"),
    (build.docx_huge_span, "JIXIAO_MAX_TABLE_COLS"),
    (build.png_huge, "JIXIAO_MAX_IMAGE_PIXELS"),
    (build.text_wide_row, "JIXIAO_MAX_TABLE_COLS"),
], ids=["zip_bomb", "whole_sheet_merge", "far_corner", "huge_span", "huge_png", "wide_text_row"])
def test_bomb_is_refused_naming_file_and_limit(tmp_path: Path, make: object, env: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = extract(path.read_bytes(), name=path.name, settings=Settings(ocr_enabled=False))
    assert result.status == "failed" and result.document is None
    _refused(result.errors[0].message, path.name, env)


def test_too_many_zip_entries_are_refused(tmp_path: Path) -> None:
    path = build.docx_huge_span(tmp_path)
    result = extract(path.read_bytes(), name=path.name, settings=Settings(max_zip_entries=1))
    _refused(result.errors[0].message, "span.docx", "JIXIAO_MAX_ZIP_ENTRIES")


def test_too_many_pages_are_refused_not_truncated(corpus: Path) -> None:
    path = corpus / "pdf" / "000.pdf"
    result = extract(path.read_bytes(), name=path.name, settings=Settings(max_pages=1))
    assert result.status == "failed"
    _refused(result.errors[0].message, "000.pdf", "JIXIAO_MAX_PAGES")


def test_large_file_is_refused_from_its_size_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build.sparse_large(tmp_path)

    def never(self: Path) -> bytes:
        raise AssertionError(f"{self} was read whole before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", never)
    for result in (extract(path, backend="rules", settings=Settings()), extract(path, settings=Settings())):
        assert result.status == "failed"
        _refused(result.errors[0].message, "large.pdf", "JIXIAO_MAX_FILE_MB")
        assert "文件过大" in result.errors[0].message


def test_ordinary_files_are_within_the_default_limits(corpus: Path) -> None:
    for path in [corpus / "xlsx" / "002.xlsx", corpus / "docx" / "000.docx", corpus / "seeds" / "000.txt"]:
        assert extract(path).document is not None, path


def test_file_with_no_table_and_no_text_is_reported_not_stored(tmp_path: Path) -> None:
    path = build.blank_docx(tmp_path)
    result = extract(path.read_bytes(), name=path.name)
    assert result.document is None and result.status == "failed"
    assert "未找到任何表格或文字" in result.errors[0].message
