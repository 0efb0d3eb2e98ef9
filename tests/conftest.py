"""Shared fixtures: the sample corpus beside the repo, and the gold files."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

_COST = ("unit", "corpus", "system")  # the folders under tests/, cheapest first


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test carries the marker of its folder; a test on a PostgreSQL server is a system test wherever it is."""
    for item in items:
        folder = item.path.parent.name
        if folder in _COST:
            item.add_marker(getattr(pytest.mark, folder))
        on_postgres = "postgres_url" in getattr(item, "fixturenames", ()) or "[postgresql" in item.name
        if folder != "system" and on_postgres:
            item.add_marker(pytest.mark.system)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("JIXIAO_CORPUS_DIR", ROOT.parent / "shared" / "corpus")).resolve()
GOLD = ROOT / "eval" / "gold"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The sample corpus (../shared/corpus); the suite needs it."""
    assert CORPUS.is_dir(), f"sample corpus not found at {CORPUS} (set JIXIAO_CORPUS_DIR)"
    return CORPUS


def gold(doc_id: str) -> dict[str, Any]:
    """A gold document as a dict."""
    return json.loads((GOLD / f"{doc_id}.json").read_text(encoding="utf-8"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_http(url: str, attempts: int = 300) -> bool:
    """Poll a local URL until it answers (True) or the attempts run out (False)."""
    import time
    import urllib.request

    for _ in range(attempts):
        try:
            urllib.request.urlopen(url, timeout=1)
            return True
        except OSError:
            time.sleep(0.2)
    return False


@pytest.fixture(scope="session")
def postgres_url() -> Any:
    """A SQLAlchemy URL to a throwaway PostgreSQL server the suite starts on 127.0.0.1."""
    from tests.system.servers import running_postgres, server_binaries

    if server_binaries() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL is installed by scripts/setup.sh (needs root); CI never skips this")
    with running_postgres(free_port()) as url:
        yield url


def new_database(server_url: str) -> str:
    """Create an empty database on a PostgreSQL server and return its URL."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"t{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@contextmanager
def app_pointed_at(data: Path) -> Iterator[Path]:
    """The app's settings and cached resources pointed at a data dir for the block, restored afterwards."""
    import streamlit as st

    from kernel.settings import get_settings

    old = os.environ.get("JIXIAO_DATA_DIR")
    os.environ["JIXIAO_DATA_DIR"] = str(data)
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        yield data
    finally:
        if old is None:
            os.environ.pop("JIXIAO_DATA_DIR", None)
        else:
            os.environ["JIXIAO_DATA_DIR"] = old
        get_settings.cache_clear()
        st.cache_resource.clear()
        st.cache_data.clear()


def page(name: str, timeout: int = 120) -> Any:
    """An AppTest of one page module of webui/."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_string(f"from webui import {name}\n{name}.render()\n", default_timeout=timeout)


@contextmanager
def app_with_ingested(data: Path, files: list[Path]) -> Iterator[Path]:
    """A store holding these files (ingested in process), and the app's settings and caches pointed at it."""
    from kernel.settings import Settings
    from retrieval.services import Services
    from usecases.batch import ingest_paths

    ingest_paths(Services(Settings(data_dir=data)), files)
    with app_pointed_at(data):
        yield data


@contextmanager
def streamlit_app(env: dict[str, str]) -> Iterator[str]:
    """The app served by `streamlit run` on a free localhost port; yields its URL, stops it afterwards."""
    import subprocess
    import sys

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address",
                             "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_http(f"{url}/_stcore/health"):
            pytest.fail("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture()
def app_password(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """JIXIAO_APP_PASSWORD set for one test; the settings are re-read before and after (the app reads them once)."""
    from kernel.settings import get_settings

    monkeypatch.setenv("JIXIAO_APP_PASSWORD", "绩效2026")
    get_settings.cache_clear()
    yield "绩效2026"
    monkeypatch.delenv("JIXIAO_APP_PASSWORD")
    get_settings.cache_clear()

