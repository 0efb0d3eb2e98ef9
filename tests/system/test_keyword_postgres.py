"""The retrieval eval on PostgreSQL, where the keyword index is a tsvector: its floors hold there too."""

from __future__ import annotations

from pathlib import Path

from eval.corpus import corpus_services
from eval.retrieval_eval import check_retrieval_floors, load_queries, run_retrieval_eval
from kernel.settings import Settings
from tests.conftest import new_database

ROOT = Path(__file__).resolve().parents[2]


def test_eval_search_floors_hold_on_postgres(postgres_url: str, corpus: Path) -> None:
    with corpus_services(Settings(), corpus, database_url=new_database(postgres_url)) as services:
        assert services.store.engine.dialect.name == "postgresql"
        report = run_retrieval_eval(services.searcher, load_queries(ROOT / "eval" / "retrieval" / "queries.jsonl"))
    assert check_retrieval_floors(report, ROOT / "eval" / "floors.json") == []
    assert report["modes"]["hybrid"]["recall@10"] >= 0.93 and report["modes"]["bm25"]["mrr"] >= 0.80
