"""Two reviewers on one record, on SQLite and PostgreSQL: the later save never overwrites what it did not see."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import new_database
from tests.unit.test_concurrency import row, stale_everywhere, stored, two_sessions
from usecases import correct


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'j.db'}"
    return new_database(request.getfixturevalue("postgres_url"))


def test_two_sessions_on_one_record(url: str) -> None:
    two_sessions(url)


def test_a_stale_base_through_every_use_case(url: str) -> None:
    stale_everywhere(url)


def test_two_saves_at_once_from_one_base_write_one_and_report_the_other(url: str) -> None:
    svc, _, project_id, ids = stored(url)
    seen = row(svc.store, project_id, ids[0])
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def save(who: str, target: str) -> None:
        start.wait()
        results[who] = correct.correct_indicators(svc, None, [seen], [{**seen, "target": target}], who=who)

    threads = [threading.Thread(target=save, args=(who, t)) for who, t in (("甲", "≥6条"), ("乙", "≥7条"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    saved = [who for who, r in results.items() if r.saved]
    clashed = [who for who, r in results.items() if r.conflicts]
    assert len(saved) == 1 and len(clashed) == 1, results
    assert row(svc.store, project_id, ids[0])["target"] == ("≥6条" if saved == ["甲"] else "≥7条")
    assert len(svc.store.revisions("indicator", ids[0])) == 1
