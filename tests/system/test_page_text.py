"""Page text of issue 21's smaller items: no empty separators in a document label, Chinese in place of the uploader's
English chrome (the warm-up note gone once results show: tests/system/test_app_pages.py)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import page
from tests.system.test_review_history import data_dir

__all__ = ["data_dir"]  # the shared fixture


def test_a_document_label_has_no_empty_separators() -> None:
    from webui.review import _doc_label

    doc = {"source": "x.pdf", "department": "中共遵化市委政法委", "fiscal_year": None, "needs_review": False,
           "reviewed": False, "low_confidence": 2, "unmapped": 0, "status": "ok"}
    assert _doc_label(doc) == "x.pdf · 中共遵化市委政法委 · 有待审核"
    assert _doc_label({**doc, "fiscal_year": 2024, "low_confidence": 0}) == "x.pdf · 中共遵化市委政法委 · 2024"


def test_the_uploader_chrome_reads_chinese(data_dir: Path) -> None:
    at = page("upload").run()
    assert not at.exception
    styles = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "选择文件" in styles and "每个文件不超过 50 MB" in styles
    [uploader] = at.get("file_uploader")
    assert "每个不超过 50 MB" in uploader.proto.help and "PDF" in uploader.proto.help
