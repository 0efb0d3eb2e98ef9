"""What the browser tests share: Debian's Chromium through Playwright, the app served over a data dir, waiting for
Streamlit to finish a run, opening a page by its heading."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import streamlit_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WAIT = 180_000
NEEDS_CHROMIUM = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by scripts/setup.sh")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (no network of its own beyond the app)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


def app_env(data: Path, **more: str) -> dict[str, str]:
    """The environment of the CLI and the app over this data dir."""
    return {**os.environ, "JIXIAO_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), **more}


def ingest(data: Path, *files: Path, timeout: int = 600) -> None:
    """Ingest these files by the CLI, as an operator would (a later version supersedes)."""
    subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--workers", "1", *map(str, files)],
                   env=app_env(data), check=True, capture_output=True, timeout=timeout)


@contextmanager
def served(data: Path) -> Iterator[str]:
    """The app over this data dir; yields its URL.

    Edited sources are not reloaded mid-test: a reloaded module's error class no longer matches its handlers.
    """
    with streamlit_app(app_env(data, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")) as url:
        yield url


def settle(page: Any, before: int = 600, after: int = 600) -> None:
    """Wait until Streamlit has finished running the script (no status widget)."""
    page.wait_for_timeout(before)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=WAIT)
    page.wait_for_timeout(after)


def open_page(browser: Any, url: str, title: str, height: int = 1400) -> Any:
    """A new zh-CN page at this URL, once its heading shows."""
    page = browser.new_page(viewport={"width": 1500, "height": height}, locale="zh-CN")
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=WAIT)
    return page
