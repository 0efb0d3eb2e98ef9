"""The tantivy mirror of the keyword rows: caught up from the store's journal, never stale, mended after a crash."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text

from extractor.api import extract
from extractor.schema import Extraction
from retrieval.search import keyword_rows
from retrieval.search.keyword import KeywordSearch
from retrieval.search.keyword_mirror import KeywordMirror
from retrieval.search.searcher import Filters, Searcher
from retrieval.store.database import Store
from retrieval.store.edits import delete_indicator
from retrieval.store.tables import IndicatorRow, KeywordRow


@pytest.fixture(scope="module")
def readings(corpus: Path) -> list[Extraction]:
    return [extract(corpus / "seeds" / name) for name in ("002.txt", "004.txt")]


@pytest.fixture
def store(tmp_path: Path, readings: list[Extraction]) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'kw.db'}")
    keyword_rows.install(s._sessions)
    for r in readings:
        s.add_extraction(r)
    yield s
    s.engine.dispose()


def _search(store: Store, mirror: KeywordMirror, query: str, kind: str = "indicator") -> list[str]:
    searcher = Searcher(index=None, embedder=None, keyword=KeywordSearch(store.engine, mirror=mirror))  # type: ignore[arg-type]
    return [h.id for h in searcher.search(query, top_k=5, filters=Filters(kind=kind), mode="bm25")]  # type: ignore[arg-type]


def _first_indicator(store: Store) -> IndicatorRow:
    with store.session() as s:
        target = s.scalars(select(IndicatorRow).order_by(IndicatorRow.id)).first()
        assert target is not None
        return target


def _mirror_answers(mirror: KeywordMirror, store: Store, query: str) -> list[str] | None:
    """The mirror's own answer (None: it does not hold the store as it is now)."""
    from retrieval.search.keyword import _term, tokenize

    with store.engine.connect() as conn:
        got = mirror.search(conn, [_term(t) for t in tokenize(query)], 5, "indicator")
    return None if got is None else [rid for rid, _ in got]


_OPEN: list[KeywordMirror] = []


@pytest.fixture(autouse=True)
def _close_workers() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def _mirror(path: Path) -> KeywordMirror:
    mirror = KeywordMirror(path)
    _OPEN.append(mirror)
    return mirror


def _built(path: Path, store: Store) -> KeywordMirror:
    """A mirror built as Services build it when they open the store."""
    mirror = _mirror(path)
    with store.engine.connect() as conn:
        assert mirror.catch_up(conn)
    return mirror


def _settled(mirror: KeywordMirror, store: Store, query: str) -> str:
    """The mirror's best answer once the catch-up a search asks its worker for has been made."""
    deadline = time.monotonic() + 60
    while (got := _mirror_answers(mirror, store, query)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return (got or [""])[0]


def test_a_correction_and_a_deletion_reach_the_next_search_reading_only_what_changed(store: Store,
                                                                                      tmp_path: Path) -> None:
    mirror = _built(tmp_path / "mirror", store)
    target = _first_indicator(store)
    assert f"i{target.id}" in _search(store, mirror, target.name)
    with store.engine.connect() as conn:
        assert mirror.count() == conn.scalar(text("SELECT count(*) FROM keyword_index"))
    read: list[Any] = []

    def spy(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM keyword_index WHERE id IN" in statement:
            read.append(params)

    store.correct_indicator(target.id, {"name": "龙舟竞渡观摩人次"}, who="审核员")
    assert _mirror_answers(mirror, store, "龙舟竞渡观摩人次") is None  # behind: it catches up beside the search
    assert _search(store, mirror, "龙舟竞渡观摩人次")[0] == f"i{target.id}"  # which the store answers meanwhile
    assert _settled(mirror, store, "龙舟竞渡观摩人次") == f"i{target.id}"
    store.correct_indicator(target.id, {"name": "龙舟竞渡观摩总人次"}, who="审核员")
    event.listen(store.engine, "before_cursor_execute", spy)
    try:
        with store.engine.connect() as conn:
            assert mirror.catch_up(conn)  # here, to see what it reads
    finally:
        event.remove(store.engine, "before_cursor_execute", spy)
    assert read and all(len(p) <= 4 for p in read), "the mirror read more than the rows that changed"
    assert _settled(mirror, store, "龙舟竞渡观摩总人次") == f"i{target.id}"
    delete_indicator(store, target.id, who="审核员", why="多余的行")
    assert _settled(mirror, store, "龙舟竞渡观摩人次") != f"i{target.id}"
    with store.engine.connect() as conn:
        assert mirror.count() == conn.scalar(text("SELECT count(*) FROM keyword_index"))


def test_a_crash_before_the_mirror_is_told_loses_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mirror"
    first = _built(path, store)
    target = _first_indicator(store)
    assert _search(store, first, target.name)
    store.correct_indicator(target.id, {"name": "未告知副本的新名称"}, who="审核员")  # committed; no search yet
    state = (path / "synced.json").read_text(encoding="utf-8")
    restarted = _mirror(path)  # a new process: it learns from the journal what it missed
    assert _settled(restarted, store, "未告知副本的新名称") == f"i{target.id}"
    (path / "synced.json").write_text(state, encoding="utf-8")  # tantivy committed, its watermark lost: replay
    again = _mirror(path)
    assert _settled(again, store, "未告知副本的新名称") == f"i{target.id}"  # once, not twice
    with store.engine.connect() as conn:
        assert again.count() == conn.scalar(text("SELECT count(*) FROM keyword_index"))


def test_an_unreadable_mirror_is_made_again(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mirror"
    _built(path, store)
    (path / "meta.json").write_text("{ not json", encoding="utf-8")  # as a crash mid-write might leave it
    mirror = _built(path, store)
    with store.engine.connect() as conn:
        assert mirror.count() == conn.scalar(text("SELECT count(*) FROM keyword_index"))
    assert _settled(mirror, store, _first_indicator(store).name) == f"i{_first_indicator(store).id}"


def test_a_busy_writer_sends_the_search_to_the_store(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mirror"
    mirror = _built(path, store)
    target = _first_indicator(store)
    assert _search(store, mirror, target.name)
    store.correct_indicator(target.id, {"name": "另一进程正在写入"}, who="审核员")
    other = _mirror(path)
    other._open()
    held = other._index.writer(15_000_000, 1)  # another process catching up holds tantivy's writer lock
    try:
        assert _mirror_answers(mirror, store, "另一进程正在写入") is None  # behind, and may not catch up now
        time.sleep(2)  # its worker has tried by now
        assert _mirror_answers(mirror, store, "另一进程正在写入") is None  # its catch-up found the writer taken
        assert _search(store, mirror, "另一进程正在写入")[0] == f"i{target.id}"  # the store answers: not stale
    finally:
        held.rollback()
        del held
    assert _settled(mirror, store, "另一进程正在写入") == f"i{target.id}"


def test_a_mirror_left_by_another_store_is_rebuilt(store: Store, tmp_path: Path, readings: list[Extraction]) -> None:
    path = tmp_path / "mirror"
    assert _search(store, _built(path, store), _first_indicator(store).name)
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    keyword_rows.install(other._sessions)
    other.add_extraction(readings[1])
    mirror = _mirror(path)
    with other.engine.connect() as conn:
        assert mirror.catch_up(conn)
        assert mirror.count() == conn.scalar(text("SELECT count(*) FROM keyword_index"))
        rids = set(conn.scalars(select(KeywordRow.rid)))
    target = _first_indicator(other)
    assert set(_search(other, mirror, target.name)) <= rids
    other.engine.dispose()


def test_services_build_check_and_reindex_the_mirror(tmp_path: Path, corpus: Path) -> None:
    from kernel.settings import Settings
    from retrieval.services import Services
    from usecases.batch import ingest_paths

    services = Services(Settings(data_dir=tmp_path))
    ingest_paths(services, [corpus / "seeds" / "004.txt"])
    assert services.check().clean and services.keyword.mirror is not None
    (tmp_path / "keyword_mirror" / "synced.json").write_text('{"journal": "x", "seq": 0}', encoding="utf-8")
    assert services.check().clean  # another store's watermark: rebuilt from the journal, not trusted
    services.reindex()
    assert services.check().clean
    hits = services.searcher.search("满意度", mode="bm25", top_k=3)
    assert hits and services.keyword.mirror.count() == len(services.keyword.ids())


def test_a_worker_that_reads_nothing_never_blocks_a_search(store: Store, tmp_path: Path) -> None:
    import os
    import subprocess

    mirror = _mirror(tmp_path / "mirror")
    stuck = subprocess.Popen(["sleep", "60"], stdin=subprocess.PIPE)  # a worker busy for a minute, reading nothing
    assert stuck.stdin is not None
    os.set_blocking(stuck.stdin.fileno(), False)
    mirror._worker = stuck
    started = time.monotonic()
    with store.engine.connect() as conn:
        for _ in range(70_000):  # more requests than a pipe holds
            mirror._ask(conn)
    assert mirror._worker is stuck and time.monotonic() - started < 30
    stuck.kill()
    stuck.wait()
