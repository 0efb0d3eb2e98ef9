"""A real browser: `streamlit run` on 127.0.0.1, headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import streamlit_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")



@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[str]:
    data = tmp_path_factory.mktemp("browser")
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(corpus / "pdf" / "000.pdf")], env=env,
                   check=True, capture_output=True, timeout=600)
    with streamlit_app(env) as url:
        yield url


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by scripts/setup.sh (needs root)")
def test_review_page_shows_page_image_and_grid(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(f"{app_url}/review")
        page.get_by_role("heading", name="审核校对").wait_for(timeout=120_000)
        page.locator('img[src^="data:image/png"]').first.wait_for(timeout=120_000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=60_000)
        assert grid.is_visible()
        image = page.locator('img[src^="data:image/png"]').first
        assert (image.bounding_box() or {}).get("width", 0) > 200
        page.screenshot(path=str(tmp_path / "review.png"))
        browser.close()
