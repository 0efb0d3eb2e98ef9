"""Versioned schema migrations: each step runs once, in order, recorded in meta.schema_version."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine

from retrieval.store.lineage import same_disclosure
from retrieval.store.tables import Base

log = logging.getLogger(__name__)


def _v1_initial(conn: Connection) -> None:
    Base.metadata.create_all(conn)


def _v2_provenance(conn: Connection) -> None:
    # v1 databases lack the columns; a fresh v1 step already created them from the current models.
    have = {c["name"] for c in inspect(conn).get_columns("indicators")}
    for column in ("prompt", "model"):
        if column not in have:
            conn.execute(text(f"ALTER TABLE indicators ADD COLUMN {column} VARCHAR(200)"))


# Columns holding text read from files: unbounded on every backend (SQLite never enforced the old lengths).
_FREE_TEXT = {"documents": ("source", "department"), "projects": ("code",),
              "indicators": ("level1", "level2", "unit", "prompt", "model"), "revisions": ("who",)}


def _v3_unbounded_text(conn: Connection) -> None:
    # B-tree entries are capped near 2.7 kB on PostgreSQL, so free-text columns carry no index; filters on them run
    # in the search index, and the store's own lookups go by hash, id and source.
    for index in ("ix_documents_department", "ix_indicators_level1", "ix_indicators_level2"):
        conn.execute(text(f"DROP INDEX IF EXISTS {index}"))
    if conn.dialect.name == "postgresql":
        for table, columns in _FREE_TEXT.items():
            for column in columns:
                conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT"))


def _v4_quality(conn: Connection) -> None:
    if "quality" not in {c["name"] for c in inspect(conn).get_columns("documents")}:
        conn.execute(text("ALTER TABLE documents ADD COLUMN quality JSON"))


def _v5_vector_cache(conn: Connection) -> None:
    from retrieval.store.tables import VectorRow

    VectorRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


def _v6_one_current_version(conn: Connection) -> None:
    # Before v6 "作为新版本保留" stored a second current document of one disclosure: the newest of each such group
    # stays current and the others become its versions (indexed=True so the next sync drops them from the index).
    live = conn.execute(text("SELECT id, source, department, fiscal_year FROM documents "
                             "WHERE superseded_by IS NULL AND department IS NOT NULL ORDER BY id DESC")).all()
    names: dict[int, set[str]] = {}
    for doc_id, name in conn.execute(text("SELECT document_id, name FROM projects")):
        names.setdefault(doc_id, set()).add(name)
    linked: set[int] = set()
    for newest in live:
        if newest.id in linked:
            continue
        for older in live:
            if older.id >= newest.id or older.id in linked or (older.department, older.fiscal_year) != (
                    newest.department, newest.fiscal_year):
                continue
            if same_disclosure(older.source, names.get(older.id, set()), newest.source, names.get(newest.id, set())):
                conn.execute(text("UPDATE documents SET superseded_by = :new, status = 'superseded', indexed = :t "
                                  "WHERE id = :old"), {"new": newest.id, "old": older.id, "t": True})
                linked.add(older.id)


def _v7_keyword_index(conn: Connection) -> None:
    # The keyword index lives beside the records so one transaction writes both. SQLite: an external-content FTS5
    # table kept in step by triggers; PostgreSQL: a generated tsvector under a GIN index. Tokens are jieba's, joined
    # by spaces and made of letters and digits only, so both engines split them exactly there. Rows are filled by
    # the search layer (it owns the tokenizer) on its first open: Services.ensure_keyword_index.
    from retrieval.store.tables import KeywordRow

    KeywordRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    if conn.dialect.name == "sqlite":
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS keyword_fts USING fts5(tokens, content='keyword_index', "
                          "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"))
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS keyword_vocab USING fts5vocab(keyword_fts, 'row')"))
        conn.execute(text("CREATE TRIGGER IF NOT EXISTS keyword_ai AFTER INSERT ON keyword_index BEGIN "
                          "INSERT INTO keyword_fts(rowid, tokens) VALUES (new.id, new.tokens); END"))
        conn.execute(text("CREATE TRIGGER IF NOT EXISTS keyword_ad AFTER DELETE ON keyword_index BEGIN "
                          "INSERT INTO keyword_fts(keyword_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
                          "END"))
        conn.execute(text("CREATE TRIGGER IF NOT EXISTS keyword_au AFTER UPDATE ON keyword_index BEGIN "
                          "INSERT INTO keyword_fts(keyword_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
                          "INSERT INTO keyword_fts(rowid, tokens) VALUES (new.id, new.tokens); END"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE keyword_index ADD COLUMN IF NOT EXISTS tsv tsvector "
                          "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_keyword_index_tsv ON keyword_index USING GIN (tsv)"))


def _v8_api_tokens(conn: Connection) -> None:
    from retrieval.store.tables import ApiTokenRow

    ApiTokenRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


def _v9_keyword_top_lists(conn: Connection) -> None:
    # SQLite only: each common term's best records per kind (retrieval/search/keyword_top.py), so a query of common
    # terms need not have FTS5 score every record they match. A deleted keyword row leaves its lists by trigger, in
    # the same statement; the lists are filled by the search layer (it owns the weights), as the rows of v7 are.
    if conn.dialect.name != "sqlite":
        return
    conn.execute(text("CREATE TABLE IF NOT EXISTS keyword_common (term TEXT NOT NULL, kind TEXT NOT NULL, "
                      "avgdl REAL NOT NULL, complete BOOLEAN NOT NULL, PRIMARY KEY (term, kind))"))
    conn.execute(text("CREATE TABLE IF NOT EXISTS keyword_top (term TEXT NOT NULL, kind TEXT NOT NULL, "
                      "row_id INTEGER NOT NULL, weight REAL NOT NULL)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_keyword_top_list "
                      "ON keyword_top (term, kind, weight DESC, row_id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_keyword_top_row ON keyword_top (row_id)"))
    conn.execute(text("CREATE TRIGGER IF NOT EXISTS keyword_top_ad AFTER DELETE ON keyword_index BEGIN "
                      "DELETE FROM keyword_top WHERE row_id = old.id; END"))


def _v10_keyword_vocab(conn: Connection) -> None:
    # The vocabulary table every SQLite keyword search reads (document frequencies) was added to v7 after v7 had
    # migrated stores: those stores lack it and their searches failed with "no such table: keyword_vocab".
    if conn.dialect.name == "sqlite":
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS keyword_vocab USING fts5vocab(keyword_fts, 'row')"))


def _v11_keyword_journal(conn: Connection) -> None:
    # SQLite only: every insert and delete of a keyword row, in the statement that makes it, so a copy of the rows
    # kept elsewhere (retrieval/search/keyword_mirror.py, tantivy) can catch up by reading what changed, never every
    # row. Rows already there are journalled once; the journal's id tells one store's journal from another's.
    if conn.dialect.name != "sqlite":
        return
    import uuid

    conn.execute(text("CREATE TABLE IF NOT EXISTS keyword_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                      "row_id INTEGER NOT NULL)"))
    conn.execute(text("CREATE TRIGGER IF NOT EXISTS keyword_journal_ai AFTER INSERT ON keyword_index BEGIN "
                      "INSERT INTO keyword_journal(row_id) VALUES (new.id); END"))
    conn.execute(text("CREATE TRIGGER IF NOT EXISTS keyword_journal_ad AFTER DELETE ON keyword_index BEGIN "
                      "INSERT INTO keyword_journal(row_id) VALUES (old.id); END"))
    conn.execute(text("CREATE TRIGGER IF NOT EXISTS keyword_journal_au AFTER UPDATE ON keyword_index BEGIN "
                      "INSERT INTO keyword_journal(row_id) VALUES (old.id); INSERT INTO keyword_journal(row_id) "
                      "VALUES (new.id); END"))
    conn.execute(text("INSERT INTO keyword_journal(row_id) SELECT id FROM keyword_index ORDER BY id"))
    conn.execute(text("INSERT OR IGNORE INTO meta(key, value) VALUES ('keyword_journal', :v)"), {"v": uuid.uuid4().hex})


def _v12_generation_row(conn: Connection) -> None:
    # The write counter's row exists from the start, so the write lock (concurrency.lock_writes, an update of it)
    # locks from the first write on: two ingests into a fresh store both inserted it, and the second failed.
    conn.execute(text("INSERT INTO meta (key, value) SELECT 'generation', '0' "
                      "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'generation')"))


# Append new steps; never edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema", _v1_initial),
    (2, "prompt version and model on each indicator", _v2_provenance),
    (3, "unbounded text for what files print", _v3_unbounded_text),
    (4, "the extractor's quality summary on each document", _v4_quality),
    (5, "embeddings cached by model and text hash", _v5_vector_cache),
    (6, "one current version per disclosure", _v6_one_current_version),
    (7, "keyword index beside the records (FTS5 / tsvector)", _v7_keyword_index),
    (8, "hashed API tokens of jixiao serve", _v8_api_tokens),
    (9, "top lists of common keyword terms (SQLite)", _v9_keyword_top_lists),
    (10, "the keyword vocabulary for stores whose v7 predates it (SQLite)", _v10_keyword_vocab),
    (11, "a journal of keyword row changes for the tantivy mirror (SQLite)", _v11_keyword_journal),
    (12, "the write counter's row, so the write lock holds from the first write", _v12_generation_row),
]


def current_version(conn: Connection) -> int:
    """The schema version a database is at (0 = empty)."""
    if not inspect(conn).has_table("meta"):
        return 0
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else 0


_PG_LOCK_KEY = zlib.crc32(b"jixiao schema migrations")  # one advisory lock id shared by every process


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock file beside a SQLite database (SQLite runs DDL outside transactions, so it cannot lock it)."""
    db = engine.url.database
    if engine.dialect.name != "sqlite" or not db or db == ":memory:" or db.startswith("file:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no second ingest to race with in practice
        yield
        return
    with Path(db + ".migrate.lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def migrate(engine: Engine) -> int:
    """Bring a database to the newest schema under a lock (two ingests on a fresh data dir); the version reached."""
    with _file_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # held until this transaction ends; PostgreSQL DDL is transactional
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        version = current_version(conn)
        for number, title, step in MIGRATIONS:
            if number <= version:
                continue
            log.info("migrating store to v%d: %s", number, title)
            step(conn)
            conn.execute(text("DELETE FROM meta WHERE key = 'schema_version'"))
            conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": str(number)})
            version = number
    return version
