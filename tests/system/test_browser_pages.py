"""Every page by its URL in a real browser, no developer chrome, and a screenshot of each (docs/screenshots).

Screenshots go to a temp folder; set JIXIAO_SCREENSHOTS_DIR=docs/screenshots (and JIXIAO_SCREENSHOTS_DATA to a data
dir with the sample corpus ingested) to refresh the ones in the repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import streamlit_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGES = {"overview": "总览", "upload": "上传文件", "review": "审核校对", "search": "检索", "ask": "问答"}
WAIT = 180_000
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by scripts/setup.sh")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[str]:
    given = os.environ.get("JIXIAO_SCREENSHOTS_DATA")
    data = Path(given) if given else tmp_path_factory.mktemp("browser_pages")
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    if not given:
        # two departments, so 问答 has a comparison to chart
        subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(corpus / "pdf" / "000.pdf"),
                        str(corpus / "pdf" / "004.pdf")], env=env, check=True, capture_output=True, timeout=600)
    with streamlit_app(env) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


def _open(browser: Any, url: str, title: str) -> Any:
    page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=WAIT)
    return page


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished running the script (no status widget)."""
    page.wait_for_timeout(800)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=WAIT)
    page.wait_for_timeout(1500)


def test_every_page_by_url_without_developer_chrome(app_url: str, browser: Any) -> None:
    for path, title in PAGES.items():
        page = _open(browser, f"{app_url}/{path}", title)
        _settle(page)
        assert page.url.rstrip("/").endswith(path), f"/{path} stays on its page"
        body = page.locator("body").inner_text()
        assert "Page not found" not in body and "Deploy" not in body, path
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
