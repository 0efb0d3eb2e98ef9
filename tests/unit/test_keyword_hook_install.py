"""Every store gets its keyword hook, even one whose session class reuses a collected store's address."""

from __future__ import annotations

import gc

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from retrieval.search import keyword_rows


def test_each_new_sessionmaker_gets_the_hook_after_old_ones_are_collected() -> None:
    engine = create_engine("sqlite://")
    # SQLAlchemy reuses freed addresses; asking its registry would call most of these installed already.
    for _ in range(100):
        sessions = sessionmaker(engine)
        keyword_rows.install(sessions)
        with sessions() as s:
            assert keyword_rows._collect in list(s.dispatch.after_flush)
        del sessions
        gc.collect()


def test_installing_twice_registers_once() -> None:
    sessions = sessionmaker(create_engine("sqlite://"))
    keyword_rows.install(sessions)
    keyword_rows.install(sessions)
    with sessions() as s:
        assert list(s.dispatch.after_flush).count(keyword_rows._collect) == 1
