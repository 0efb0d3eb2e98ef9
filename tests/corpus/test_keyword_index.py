"""The keyword index beside the store: written with the records, never rebuilt at search time, checked and mended."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from extractor.api import extract
from extractor.schema import Extraction
from retrieval.search import keyword_rows
from retrieval.search.keyword import KeywordSearch
from retrieval.search.searcher import Filters, Searcher
from retrieval.store.database import Store
from retrieval.store.edits import delete_indicator
from retrieval.store.tables import IndicatorRow, KeywordRow
from tests.conftest import new_database


@pytest.fixture(scope="module")
def readings(corpus: Path) -> list[Extraction]:
    return [extract(corpus / "seeds" / name) for name in ("002.txt", "004.txt")]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = (f"sqlite:///{tmp_path / 'kw.db'}" if request.param == "sqlite"
           else new_database(request.getfixturevalue("postgres_url")))
    s = Store(url)
    keyword_rows.install(s._sessions)
    yield s
    s.engine.dispose()


def _bm25(store: Store) -> Searcher:
    return Searcher(index=None, embedder=None, keyword=KeywordSearch(store.engine))  # type: ignore[arg-type]


def _rids(store: Store) -> set[str]:
    with store.session() as s:
        return set(s.scalars(select(KeywordRow.rid)))


def test_a_search_after_a_correction_reads_only_what_changed(store: Store, readings: list[Extraction],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for r in readings:
        store.add_extraction(r)
    with store.session() as s:
        total = s.scalar(select(func.count()).select_from(IndicatorRow)) or 0
        target = s.scalars(select(IndicatorRow).order_by(IndicatorRow.id)).first()
        assert target is not None
    searcher = _bm25(store)
    assert searcher.search(target.name, top_k=20, mode="bm25")  # steady state: found from the index
    loaded: list[int] = []

    def count(row: Any, _: Any) -> None:
        loaded.append(row.id)

    def full_build(*_: Any) -> None:
        raise AssertionError("the keyword index was rebuilt from every record")

    monkeypatch.setattr(keyword_rows, "rebuild", full_build)
    event.listen(IndicatorRow, "load", count)
    try:
        store.correct_indicator(target.id, {"name": "龙舟竞渡观摩人次"}, who="审核员")
        hits = searcher.search("龙舟竞渡", top_k=5, filters=Filters(kind="indicator"), mode="bm25")
    finally:
        event.remove(IndicatorRow, "load", count)
    assert hits and hits[0].id == f"i{target.id}" and hits[0].indicator == "龙舟竞渡观摩人次"
    assert total > 20 and len(loaded) < total / 4, f"{len(loaded)} of {total} indicators loaded"


def test_superseding_and_deleting_take_rows_out_in_the_same_commit(store: Store, readings: list[Extraction]) -> None:
    store.add_extraction(readings[0])
    before = _rids(store)
    assert before
    doc = readings[0].document
    assert doc is not None
    again = readings[0].model_copy(update={"document": doc.model_copy(update={"sha256": "f" * 64})})
    second = store.add_extraction(again)
    assert second.status == "superseded"
    after = _rids(store)
    assert after and not (after & before), "the superseded version's rows must go with the commit that supersedes it"
    with store.session() as s:
        gone = s.scalars(select(KeywordRow.rid).where(KeywordRow.kind == "indicator")).first()
    assert gone is not None
    delete_indicator(store, int(gone[1:]), who="审核员", why="多余的行")
    assert gone not in _rids(store)


def test_the_record_and_its_keyword_rows_commit_together(store: Store, readings: list[Extraction],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_extraction(readings[0])
    with store.session() as s:
        target = s.scalars(select(IndicatorRow).order_by(IndicatorRow.id)).first()
        assert target is not None
    before = _rids(store)

    def crash(_: str) -> str:
        raise RuntimeError("the process dies while writing the keyword rows")

    monkeypatch.setattr(keyword_rows, "fts_tokens", crash)
    with pytest.raises(RuntimeError):
        store.correct_indicator(target.id, {"name": "不应留下"}, who="审核员")
    with store.session() as s:
        assert s.get(IndicatorRow, target.id).name == target.name  # type: ignore[union-attr]
    assert _rids(store) == before
    with store.engine.connect() as conn:  # the full-text side agrees with its table
        assert conn.scalar(text("SELECT count(*) FROM keyword_index")) == len(before)


def test_check_sees_keyword_drift_and_reindex_mends_it(tmp_path: Path, corpus: Path) -> None:
    from kernel.settings import Settings
    from retrieval.services import Services
    from usecases.batch import ingest_paths

    services = Services(Settings(data_dir=tmp_path))
    ingest_paths(services, [corpus / "seeds" / "004.txt"])
    assert services.check().clean
    bare = Store(f"sqlite:///{tmp_path / 'jixiao.db'}")  # a writer without the hook (a crash, an old process)
    with bare.session() as s:
        target = s.scalars(select(IndicatorRow).order_by(IndicatorRow.id)).first()
        assert target is not None
        target.name = "未进关键词索引的新名称"
    with services.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM keyword_index WHERE rid = (SELECT max(rid) FROM keyword_index)"))
    drift = services.check()
    assert drift.keyword_stale == [f"i{target.id}"] and len(drift.keyword_missing) == 1 and not drift.clean
    services.reindex()
    assert services.check().clean
    assert services.searcher.search("未进关键词索引的新名称", mode="bm25")[0].id == f"i{target.id}"
