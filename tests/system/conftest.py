"""Fixtures of the system tests: a live jixiao serve shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import CORPUS
from tests.system.api_support import SEEDS, Server, running_api


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One `jixiao serve` over the three seed files for the whole session (started by the first test that asks)."""
    with running_api(tmp_path_factory.mktemp("api"), [CORPUS / "seeds" / n for n in SEEDS]) as server:
        yield server
