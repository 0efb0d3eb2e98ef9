"""Top lists of common keyword terms (SQLite): kept true on every write, and a search through them agrees with FTS5."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from extractor.api import extract
from extractor.schema import Extraction
from retrieval.search import keyword, keyword_rows, keyword_top, keyword_topk
from retrieval.search.keyword import KeywordSearch, tokenize
from retrieval.search.keyword_sql import fts, weight
from retrieval.store.database import Store
from retrieval.store.tables import KeywordRow

QUERIES = ["群众满意度", "满意度", "政法干部培训", "平安建设经费", "网格员", "社会稳定风险评估", "矛盾纠纷化解率",
           "公共安全视频监控", "宣传报道", "见义勇为奖励"]


@pytest.fixture(scope="module")
def readings(corpus: Path) -> list[Extraction]:
    return [extract(corpus / "seeds" / name) for name in ("002.txt", "004.txt", "001.txt")]


@pytest.fixture
def small_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds scaled to the sample: a term in over 4 records is common, lists keep 6, scans stop at 8 postings."""
    monkeypatch.setattr(keyword_top, "COMMON_DF", 4)
    monkeypatch.setattr(keyword_top, "LIST_SIZE", 6)
    monkeypatch.setattr(keyword, "SCAN_BUDGET", 8)


@pytest.fixture
def store(tmp_path: Path, small_lists: None) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'kw.db'}")
    keyword_rows.install(s._sessions)
    yield s
    s.engine.dispose()


def _lists_are_true(store: Store) -> int:
    """Every list holds the best records of its term by weight (its own mean length); complete ones hold them all."""
    with store.engine.connect() as conn:
        rows = [(r.id, r.kind, r.tokens.split()) for r in conn.execute(select(KeywordRow.id, KeywordRow.kind,
                                                                             KeywordRow.tokens))]
        common = conn.execute(text("SELECT term, kind, avgdl, complete FROM keyword_common")).all()
        for term, kind, avgdl, complete in common:
            listed = [r for (r,) in conn.execute(text("SELECT row_id FROM keyword_top WHERE term = :t AND kind = :k "
                                                      "ORDER BY weight DESC, row_id"), {"t": term, "k": kind})]
            having = sorted(((-weight(words.count(term), len(words), avgdl), row_id)
                             for row_id, k, words in rows if k == kind and term in words))
            assert len(listed) <= keyword_top.LIST_SIZE
            if complete:
                assert sorted(listed) == sorted(row_id for _, row_id in having), (term, kind)
            best = {row_id for _, row_id in having[: len(listed)]}
            cut = -having[len(listed) - 1][0] if listed else math.inf
            # Ties at the cut may be either record; above it the list and the best agree.
            above, down_to = {r for w, r in having if -w > cut + 1e-12}, {r for w, r in having if -w >= cut - 1e-12}
            assert above <= set(listed) <= down_to, (term, kind)
            assert len(best) == len(listed)
        return len(common)


def test_lists_stay_true_through_ingest_correction_and_supersession(store: Store, readings: list[Extraction]) -> None:
    for r in readings:
        store.add_extraction(r)
    assert _lists_are_true(store) > 10  # terms became common while documents came in, and got lists then
    with store.engine.connect() as conn:  # and some outgrew their size: partial lists are checked too
        assert conn.execute(text("SELECT count(*) FROM keyword_common WHERE NOT complete")).scalar()
    with store.session() as s:
        first = s.scalars(select(KeywordRow).where(KeywordRow.kind == "indicator").order_by(KeywordRow.id)).first()
        assert first is not None
        indicator_id = first.meta["indicator_id"]
    store.correct_indicator(indicator_id, {"name": "群众满意度满意度调查"}, who="审核员")
    _lists_are_true(store)
    store.add_extraction(readings[0])  # the same disclosure again: a new version supersedes the old one
    _lists_are_true(store)
    with store.engine.connect() as conn:
        orphans = conn.execute(text("SELECT count(*) FROM keyword_top WHERE row_id NOT IN (SELECT id FROM "
                                    "keyword_index)")).scalar()
    assert orphans == 0


def test_a_rebuild_makes_the_same_lists_as_the_writes_did(store: Store, readings: list[Extraction]) -> None:
    for r in readings:
        store.add_extraction(r)
    with store.engine.connect() as conn:
        terms_before = set(conn.execute(text("SELECT term, kind FROM keyword_common")).all())
    with store.session() as s:
        keyword_rows.rebuild(s)
    with store.engine.connect() as conn:
        assert set(conn.execute(text("SELECT term, kind FROM keyword_common")).all()) == terms_before
    _lists_are_true(store)


def test_searches_through_the_lists_find_what_fts5_ranks_first(store: Store, readings: list[Extraction],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for r in readings:
        store.add_extraction(r)
    search = KeywordSearch(store.engine)
    answered: list[bool] = []
    through_lists = keyword_topk.top

    def spy(*args: Any, **kwargs: Any) -> Any:
        got = through_lists(*args, **kwargs)
        answered.append(got is not None)
        return got

    monkeypatch.setattr(keyword_topk, "top", spy)
    checked = 0
    with store.engine.connect() as conn:
        for q in QUERIES:
            terms = [keyword._term(t) for t in tokenize(q)]
            for kind in ("project", "indicator"):
                exact = [(rid, -float(score)) for rid, score in conn.execute(fts(terms, 5, kind, {}))]
                got = search.search(q, 5, kind)
                assert [s for _, s in got[:3]] == pytest.approx([s for _, s in exact[:3]], rel=1e-6), (q, kind)
                checked += bool(exact)
    assert checked >= 12
    assert sum(answered) >= 12  # the lists answered, not the exact query


def test_an_old_store_gets_its_lists_when_opened(tmp_path: Path, readings: list[Extraction],
                                                 small_lists: None) -> None:
    from kernel.settings import Settings
    from retrieval.services import Services

    settings = Settings(data_dir=tmp_path)
    services = Services(settings)
    services.store.add_extraction(readings[0])
    with services.store.session() as s:
        s.execute(text("DELETE FROM keyword_top"))
        s.execute(text("DELETE FROM keyword_common"))
        s.execute(text("UPDATE meta SET value = '1' WHERE key = 'keyword_index'"))  # as a store of v7 left it
    services.store.engine.dispose()
    reopened = Services(settings)
    with reopened.store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM keyword_common")).scalar()
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'keyword_index'")).scalar() == "2"
    reopened.store.engine.dispose()


def test_a_store_whose_v7_had_no_vocabulary_gets_it_and_searches(tmp_path: Path, readings: list[Extraction]) -> None:
    from kernel.settings import Settings
    from retrieval.services import Services

    settings = Settings(data_dir=tmp_path)
    services = Services(settings)
    services.store.add_extraction(readings[0])
    with services.store.session() as s:  # as a store migrated by v7 before the vocabulary joined it
        s.execute(text("DROP TABLE keyword_vocab"))
        s.execute(text("UPDATE meta SET value = '9' WHERE key = 'schema_version'"))
    services.store.engine.dispose()
    reopened = Services(settings)
    assert reopened.searcher.search("满意度", mode="bm25")
    reopened.store.engine.dispose()
