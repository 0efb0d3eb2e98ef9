"""A correction writes only the records it touched into Chroma, and a search finds the new value right after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection

from kernel.settings import Settings
from retrieval.services import Services
from retrieval.store import queries
from usecases import correct
from usecases.batch import ingest_paths


@pytest.fixture(scope="module")
def indexed(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, int]]:
    svc = Services(Settings(data_dir=tmp_path_factory.mktemp("correction-index")))
    ingest_paths(svc, [corpus / "seeds" / "002.txt"])
    yield svc, queries.documents(svc.store)[0]["id"]
    svc.store.engine.dispose()


@pytest.fixture()
def writes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every id Chroma is asked to upsert or delete (the real collections still do the work)."""
    seen: dict[str, list[str]] = {"upsert": [], "delete": []}
    for name in seen:
        real = getattr(Collection, name)

        def spy(self: Any, *args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            seen[_name].extend(kwargs.get("ids") or [])
            if kwargs.get("where") is not None:
                seen[_name].append(f"where {kwargs['where']}")
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(Collection, name, spy)
    return seen


def _first_project(svc: Services, doc_id: int) -> tuple[int, list[dict[str, Any]]]:
    pid = queries.projects(svc.store, doc_id)[0]["id"]
    return pid, queries.indicators(svc.store, pid)


def test_a_corrected_target_rewrites_that_one_record_and_the_next_search_finds_it(
        indexed: tuple[Services, int], writes: dict[str, list[str]]) -> None:
    svc, doc_id = indexed
    before = svc.index.count()
    _, rows = _first_project(svc, doc_id)
    row = rows[0]
    result = correct.correct_indicators(svc, doc_id, [row], [{**row, "target": "≥987次"}], who="测试")
    assert result.saved == [row["id"]]
    svc.writer.settle()  # the index is written on its worker thread after the save returns
    assert writes == {"upsert": [f"i{row['id']}"], "delete": []}  # not the document's other records
    assert svc.index.count() == before
    assert "≥987次" in svc.index.held(doc_id)[f"i{row['id']}"][0]
    hits = svc.searcher.search(f"{row['name']} ≥987次", top_k=5, mode="dense")  # the vectors alone, no keywords
    assert f"i{row['id']}" in [h.id for h in hits]
    drift = svc.check()
    assert drift.clean, drift


def test_a_project_change_rewrites_the_project_and_its_indicators_only(
        indexed: tuple[Services, int], writes: dict[str, list[str]]) -> None:
    svc, doc_id = indexed
    pid, rows = _first_project(svc, doc_id)
    document = queries.documents(svc.store)[0]
    from retrieval.store.edits import project_fields
    stored = project_fields(svc.store, pid)
    base = {"department": document["department"], "fiscal_year": document["fiscal_year"], **stored}
    assert correct.correct_fields(svc, doc_id, pid, {"department": document["department"],
                                                     "fiscal_year": document["fiscal_year"]},
                                  {"name": f"{stored['name']}（修订）"}, who="测试", base=base)
    svc.writer.settle()
    # the project's name is in its indicators' text and metadata too
    assert sorted(writes["upsert"]) == sorted([f"p{pid}", *(f"i{r['id']}" for r in rows)])
    assert writes["delete"] == []
    assert svc.check().clean


def test_adding_and_deleting_a_row_writes_and_removes_that_row_only(
        indexed: tuple[Services, int], writes: dict[str, list[str]]) -> None:
    svc, doc_id = indexed
    pid, rows = _first_project(svc, doc_id)
    new_id = correct.add_indicator(svc, doc_id, pid, {"level1": "产出指标", "level2": "数量指标",
                                                      "name": "新增测试指标", "target": "≥3个"},
                                   who="测试", seen=[r["id"] for r in rows])
    svc.writer.settle()
    assert writes == {"upsert": [f"i{new_id}"], "delete": []}
    added = next(r for r in queries.indicators(svc.store, pid) if r["id"] == new_id)
    correct.delete_indicator(svc, doc_id, new_id, who="测试", base=added)
    svc.writer.settle()
    assert writes == {"upsert": [f"i{new_id}"], "delete": [f"i{new_id}"]}
    assert f"i{new_id}" not in svc.index.held(doc_id)
    assert svc.check().clean


def test_check_sees_a_record_the_index_holds_with_an_old_text_and_a_refresh_mends_it(
        indexed: tuple[Services, int]) -> None:
    svc, doc_id = indexed
    _, rows = _first_project(svc, doc_id)
    rid = f"i{rows[0]['id']}"
    text, meta = svc.index.held(doc_id)[rid]
    # what a correction whose index step failed leaves (the store stays the truth)
    col = svc.index._cols["indicator"]
    vector = col.get(ids=[rid], include=["embeddings"])["embeddings"]
    col.update(ids=[rid], embeddings=vector, documents=[text + " 旧"], metadatas=[meta])
    drift = svc.check()
    assert drift.stale == [rid] and not drift.clean
    assert svc.refresh_document(doc_id) == 1
    assert svc.check().clean
