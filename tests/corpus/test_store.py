"""The system of record: idempotent ingest, supersede with carried corrections, revisions, atomicity."""

from pathlib import Path

import pytest

from extractor.api import extract
from kernel.errors import CorrectionError
from retrieval.store.database import Store
from tests.conftest import new_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL: SQLite in a temp dir, or a new database on the suite's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite'}"
    return new_database(request.getfixturevalue("postgres_url"))


@pytest.fixture()
def store(database: str) -> Store:
    return Store(database)


def test_ingest_is_idempotent_by_hash(store: Store, corpus: Path) -> None:
    result = extract(corpus / "seeds" / "004.txt")
    first = store.add_extraction(result)
    again = store.add_extraction(result)
    assert first.status == "new" and again.status == "duplicate" and again.document_id == first.document_id
    doc = store.document(first.document_id)
    assert doc is not None and doc == result.document


def test_correction_keeps_a_revision_and_rederives_the_value(store: Store, corpus: Path) -> None:
    outcome = store.add_extraction(extract(corpus / "seeds" / "000.txt"))
    doc = store.document(outcome.document_id)
    assert doc is not None
    fixed = store.correct_indicator(1, {"target": "至少2场"}, who="审核员甲", why="原文为2场")
    assert (fixed.operator, fixed.value, fixed.unit, fixed.origin, fixed.confidence) == (">=", 2, "场", "human", 1.0)
    history = store.revisions("indicator", 1)
    assert len(history) == 1
    assert history[0].old["target"] == "至少1场" and history[0].new["target"] == "至少2场"
    assert history[0].who == "审核员甲" and history[0].why == "原文为2场" and history[0].origin == "human"


def test_invalid_correction_writes_nothing(store: Store, corpus: Path) -> None:
    store.add_extraction(extract(corpus / "seeds" / "000.txt"))
    gen = store.generation()
    with pytest.raises(CorrectionError):
        store.correct_indicator(1, {"operator": "about"}, who="x")
    with pytest.raises(CorrectionError):
        store.correct_indicator(1, {"level1": "  "}, who="x")
    with pytest.raises(CorrectionError):
        store.correct_indicator(1, {"sha256": "x"}, who="x")
    assert store.revisions("indicator", 1) == [] and store.generation() == gen


def test_new_version_supersedes_and_keeps_human_corrections(store: Store, corpus: Path) -> None:
    text = (corpus / "seeds" / "002.txt").read_bytes()
    v1 = store.add_extraction(extract(text, name="002.txt"))
    store.correct_indicator(2, {"weight": 15}, who="审核员", why="核对原件")
    # the same file re-issued with one more line at the end: new bytes, same name
    v2 = store.add_extraction(extract(text + b"\n", name="002.txt"))
    assert v2.status == "superseded" and v2.superseded_id == v1.document_id and v2.carried_corrections == 1
    new_doc = store.document(v2.document_id)
    assert new_doc is not None
    carried = new_doc.projects[0].indicators[1]
    assert carried.weight == 15 and carried.origin == "human"


def test_same_disclosure_in_another_format_supersedes(store: Store, corpus: Path) -> None:
    a = store.add_extraction(extract(corpus / "seeds" / "004.txt"))
    b = store.add_extraction(extract(corpus / "pdf" / "004.pdf"))
    assert b.status == "superseded" and b.superseded_id == a.document_id
    other = store.add_extraction(extract(corpus / "pdf" / "000.pdf"))
    assert other.status == "new"


def test_a_failing_ingest_leaves_no_half_document(store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = extract(corpus / "seeds" / "001.txt")
    import retrieval.store.database as mod

    def boom(*_: object, **__: object) -> list[object]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(mod.Store, "_older_versions", staticmethod(boom))
    with pytest.raises(RuntimeError):
        store.add_extraction(result)
    monkeypatch.undo()
    with store.session() as s:
        from sqlalchemy import func, select

        from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow
        assert [s.scalar(select(func.count()).select_from(t)) for t in (DocumentRow, ProjectRow, IndicatorRow)] == [
            0, 0, 0]
    assert store.add_extraction(result).status == "new"


def test_mark_reviewed(store: Store, corpus: Path) -> None:
    doc_id = store.add_extraction(extract(corpus / "seeds" / "004.txt")).document_id
    store.mark_reviewed(doc_id, who="审核员")
    assert store.revisions("document", doc_id)[0].new == {"reviewed": True}


def test_migrating_a_v1_database_adds_the_provenance_columns(database: str, corpus: Path) -> None:
    from sqlalchemy import create_engine, inspect, text

    from retrieval.store.migrations import MIGRATIONS, current_version

    url = database
    engine = create_engine(url)
    with engine.begin() as conn:  # a database made by the v1 schema
        MIGRATIONS[0][2](conn)
        conn.execute(text("ALTER TABLE indicators DROP COLUMN prompt"))
        conn.execute(text("ALTER TABLE indicators DROP COLUMN model"))
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', '1')"))
    store = Store(url)
    with store.engine.connect() as conn:
        assert current_version(conn) == len(MIGRATIONS)
        assert {"prompt", "model"} <= {c["name"] for c in inspect(conn).get_columns("indicators")}
    assert store.add_extraction(extract(corpus / "seeds" / "004.txt")).status == "new"


def test_locate_a_cited_record(store: Store, corpus: Path) -> None:
    from retrieval.store import queries

    doc_id = store.add_extraction(extract(corpus / "seeds" / "004.txt")).document_id
    found = queries.locate(store, "004.txt", "信创工作经费", None)
    assert found is not None and found[0] == doc_id and found[2] is None
    name = store.document(doc_id).projects[13].indicators[0].name  # type: ignore[union-attr]
    with_indicator = queries.locate(store, "004.txt", "信创工作经费", name)
    assert with_indicator is not None and with_indicator[2] is not None
    assert queries.locate(store, "004.txt", "不存在的项目", None) is None


def test_long_hostile_text_stores_the_same_on_every_backend(store: Store) -> None:
    from extractor.schema import Document, Extraction, Indicator, Project

    long = "很长的文字" * 1200  # 6,000 characters, 18 kB of UTF-8: past VARCHAR limits and B-tree entry caps
    indicator = Indicator(level1="产出指标", level2=long, name="'; DROP TABLE indicators; --", target="≥1" + long,
                          unit=long[:300], confidence=0.5)
    doc = Document(source="x" * 200 + ".txt", sha256="f" * 64, department=long, fiscal_year=2026,
                   projects=[Project(kind="project", name=long, code=long[:500], indicators=[indicator])])
    doc_id = store.add_extraction(Extraction(document=doc, status="ok")).document_id
    back = store.document(doc_id)
    assert back is not None and back.department == long
    stored = back.projects[0].indicators[0]
    assert stored.level2 == long and stored.unit == long[:300] and stored.name.startswith("'; DROP")
