"""Page text of issue 21's smaller items: no empty separators in a document label, the warm-up note gone once results
show, Chinese in place of the uploader's English chrome."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import app_with_ingested, page
from tests.system.test_review_saves import TEXT


def test_a_document_label_has_no_empty_separators() -> None:
    from webui.review import _doc_label

    doc = {"source": "x.pdf", "department": "中共遵化市委政法委", "fiscal_year": None, "needs_review": False,
           "reviewed": False, "low_confidence": 2, "unmapped": 0, "status": "ok"}
    assert _doc_label(doc) == "x.pdf · 中共遵化市委政法委 · 有待审核"
    assert _doc_label({**doc, "fiscal_year": 2024, "low_confidence": 0}) == "x.pdf · 中共遵化市委政法委 · 2024"


@pytest.fixture()
def data_dir(tmp_path: Path) -> Iterator[Path]:
    source = tmp_path / "调解.txt"
    source.write_text(TEXT, encoding="utf-8")
    with app_with_ingested(tmp_path / "data", [source]) as data:
        yield data


def test_the_warm_up_note_goes_once_results_show(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from webui import warmup

    release = threading.Event()
    real_run = warmup.Warmup.run

    def slow_run(self: warmup.Warmup, svc: Any) -> None:
        release.wait(60)
        real_run(self, svc)

    monkeypatch.setattr(warmup.Warmup, "run", slow_run)
    warmup.start.clear()
    try:
        at = page("search_page").run()
        assert any("检索模型正在后台加载" in i.value for i in at.info)
        at.text_input(key="search_query").set_value("调解案件").run()
        assert not at.exception
        assert any("调解" in m.value for m in at.markdown), "results are shown"
        assert not any("检索模型正在后台加载" in i.value for i in at.info), "the note is gone with the results"
    finally:
        release.set()
        warmup.start().done.wait(120)
        warmup.start.clear()


def test_the_uploader_chrome_reads_chinese(data_dir: Path) -> None:
    at = page("upload").run()
    assert not at.exception
    styles = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "选择文件" in styles and "每个文件不超过 50 MB" in styles
    [uploader] = at.get("file_uploader")
    assert "每个不超过 50 MB" in uploader.proto.help and "PDF" in uploader.proto.help
