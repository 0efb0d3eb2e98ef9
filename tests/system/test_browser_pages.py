"""Every page by its URL in a real browser, no developer chrome, and a screenshot of each (docs/screenshots).

Screenshots go to a temp folder; set JIXIAO_SCREENSHOTS_DIR=docs/screenshots (and JIXIAO_SCREENSHOTS_DATA to a data
dir with the sample corpus ingested) to refresh the ones in the repo.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.system.browser_support import NEEDS_CHROMIUM, WAIT, browser, ingest, open_page, served, settle

PAGES = {"overview": "总览", "upload": "上传文件", "review": "审核校对", "search": "检索", "ask": "问答"}
pytestmark = NEEDS_CHROMIUM
__all__ = ["browser"]  # the shared fixture


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[str]:
    given = os.environ.get("JIXIAO_SCREENSHOTS_DATA")
    data = Path(given) if given else tmp_path_factory.mktemp("browser_pages")
    if not given:
        ingest(data, corpus / "pdf" / "000.pdf", corpus / "pdf" / "004.pdf")  # two departments: 问答 has a chart
    with served(data) as url:
        yield url


def _open(browser: Any, url: str, title: str) -> Any:
    return open_page(browser, url, title, height=1100)


def _settle(page: Any) -> None:
    settle(page, before=800, after=1500)  # the screenshots wait for images and charts to draw


def test_every_page_by_url_without_developer_chrome(app_url: str, browser: Any) -> None:
    for path, title in PAGES.items():
        page = _open(browser, f"{app_url}/{path}", title)
        _settle(page)
        assert page.url.rstrip("/").endswith(path), f"/{path} stays on its page"
        body = page.locator("body").inner_text()
        assert "Page not found" not in body and "Deploy" not in body, path
        page.close()


def test_the_uploader_shows_chinese_in_place_of_its_english_chrome(app_url: str, browser: Any) -> None:
    page = _open(browser, f"{app_url}/upload", "上传文件")
    _settle(page)
    seen = page.evaluate("""() => {
        const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
        const button = zone.querySelector('button'), note = zone.querySelector(
            '[data-testid="stFileUploaderDropzoneInstructions"]');
        const size = e => getComputedStyle(e).fontSize;
        return {button: size(button), buttonAfter: getComputedStyle(button, '::after').content,
                note: size(note.querySelector('*')), noteAfter: getComputedStyle(note, '::after').content};
    }""")
    assert seen["button"] == "0px" and seen["buttonAfter"] == '"选择文件"', seen  # "Upload" not shown
    assert seen["note"] == "0px" and "每个文件不超过 50 MB" in seen["noteAfter"], seen  # "50MB per file" not shown
    page.close()


def _shot(page: Any, name: str) -> None:
    out = Path(os.environ.get("JIXIAO_SCREENSHOTS_DIR") or (Path(os.environ.get("TMPDIR", "/tmp")) / "jixiao-shots"))
    out.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside its main section: grow the window to the content so the shot holds all of it.
    height = page.evaluate("Math.max(...['stMain', 'stAppScrollToBottomContainer', 'stMainBlockContainer']"
                           ".map(id => document.querySelector(`[data-testid=\"${id}\"]`)?.scrollHeight || 0))")
    page.set_viewport_size({"width": 1500, "height": min(max(1100, int(height) + 40), 4000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(out / f"{name}.png"))


def test_screenshots_of_every_page(app_url: str, browser: Any) -> None:
    page = _open(browser, f"{app_url}/overview", "总览")
    page.get_by_role("heading", name="审核意见").wait_for(timeout=WAIT)
    _settle(page)
    _shot(page, "overview")
    page = _open(browser, f"{app_url}/upload", "上传文件")
    _settle(page)
    _shot(page, "upload")
    page = _open(browser, f"{app_url}/review", "审核校对")
    page.locator('img[src^="data:image/png"]').first.wait_for(timeout=WAIT)
    page.get_by_text("审核意见").first.wait_for(timeout=WAIT)
    _settle(page)
    _shot(page, "review")
    page = _open(browser, f"{app_url}/search", "检索")
    box = page.get_by_label("搜索项目或指标（支持同义表述，如“表彰挺身而出救人的好人”）")
    box.fill("群众满意度")
    box.press("Enter")
    page.get_by_text("指标值：").first.wait_for(timeout=WAIT)
    _settle(page)
    _shot(page, "search")
    page = _open(browser, f"{app_url}/ask", "问答")
    for question in ("各部门预算最大的项目分别是什么？", "对比各部门的项目预算合计"):
        chat = page.locator('[data-testid="stChatInputTextArea"]')
        chat.fill(question)
        chat.press("Enter")
        page.get_by_text(question).first.wait_for(timeout=WAIT)
        _settle(page)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=WAIT)
    _settle(page)
    _shot(page, "ask")
