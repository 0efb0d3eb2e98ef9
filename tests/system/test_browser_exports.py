"""The review page's downloads are made when clicked: after a save they hold the stored record, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.system.browser_support import NEEDS_CHROMIUM, WAIT, browser, ingest, served, settle
from tests.system.test_browser_corrections import _open, _save
from tests.system.test_review_saves import TEXT

pytestmark = NEEDS_CHROMIUM
__all__ = ["browser"]  # the shared fixture


def _download(page: Any, label: str) -> str:
    with page.expect_download(timeout=WAIT) as got:
        page.get_by_role("button", name=label).click()
    return Path(got.value.path()).read_text(encoding="utf-8-sig")


def test_exports_after_a_save_hold_the_corrected_value(tmp_path: Path, browser: Any) -> None:
    source = tmp_path / "调解.txt"
    source.write_text(TEXT.replace("\t300\t件", "\t≥5条\t条"), encoding="utf-8")
    ingest(tmp_path / "data", source)
    with served(tmp_path / "data") as url:
        page = _open(browser, url)
        _save(page, **{"指标值（原文）": "≥64条"})
        page.get_by_text("已保存").first.wait_for(timeout=WAIT)
        settle(page)
        assert "≥64条" in _download(page, "导出 CSV")
        assert '"target": "≥64条"' in _download(page, "导出为金标准 JSON")
        opinions = _download(page, "下载审核意见表 HTML")
        assert "审核意见" in opinions and "Traceback" not in opinions
        page.close()
