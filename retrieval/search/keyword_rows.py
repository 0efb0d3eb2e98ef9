"""Keyword rows written in the transaction that changes the records they index: a hook on the store's sessions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from retrieval.search import keyword_top
from retrieval.search.keyword import fts_tokens
from retrieval.search.keyword_sql import averages
from retrieval.search.records import IndexRecord, indicator_record, project_record
from retrieval.store.tables import DocumentRow, IndicatorRow, KeywordRow, ProjectRow

_PENDING = "keyword_pending"
_INSTALLED = "_jixiao_keyword_rows"
# The columns a record's text or metadata is built from (records.py); a change elsewhere (reviewed, indexed,
# confidence) leaves the keyword rows as they are.
_WATCHED: dict[type, tuple[str, ...]] = {
    DocumentRow: ("department", "fiscal_year", "source", "superseded_by"),
    ProjectRow: ("kind", "name", "unit", "goal", "budget_total", "page", "document_id"),
    IndicatorRow: ("level1", "level2", "name", "target", "description", "qualitative", "page", "project_id"),
}


def install(sessions: sessionmaker[Session]) -> None:
    """Keep the keyword index in step with every session of this store (idempotent)."""
    # The mark lives on this sessionmaker, not in SQLAlchemy's registry: `event.contains` keys class-level listeners
    # by id() of the generated Session class and keeps the key after that class is collected, so a new store whose
    # class reused the address was taken for installed and silently wrote no keyword rows.
    if not getattr(sessions, _INSTALLED, False):
        setattr(sessions, _INSTALLED, True)
        event.listen(sessions, "after_flush", _collect)
        event.listen(sessions, "before_commit", _apply)
        event.listen(sessions, "after_rollback", _forget)


def _pending(s: Session) -> dict[str, set[int]]:
    return s.info.setdefault(_PENDING, {"docs": set(), "projects": set(), "indicators": set()})


def _changed(obj: Any) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in _WATCHED[type(obj)])


def _collect(s: Session, _: Any) -> None:
    # After a flush the instances still carry their history, and deleted rows their keys.
    pending = _pending(s)
    for obj in [*s.new, *s.deleted, *(o for o in s.dirty if type(o) in _WATCHED and _changed(o))]:
        if isinstance(obj, DocumentRow):
            pending["docs"].add(obj.id)
        elif isinstance(obj, ProjectRow):
            pending["projects"].add(obj.id)
        elif isinstance(obj, IndicatorRow):
            pending["indicators"].add(obj.id)


def _forget(s: Session) -> None:
    s.info.pop(_PENDING, None)


def _apply(s: Session) -> None:
    s.flush()  # what is still unflushed is collected now, before the pending sets are read
    pending = s.info.pop(_PENDING, None)
    if pending and any(pending.values()):
        refresh(s, pending["docs"], pending["projects"], pending["indicators"])


def _row(r: IndexRecord) -> dict[str, Any]:
    m = r.metadata
    return {"rid": r.id, "kind": r.kind, "document_id": m["document_id"], "project_id": m["project_id"],
            "department": m.get("department"), "fiscal_year": m.get("fiscal_year"), "level1": m.get("level1"),
            "level2": m.get("level2"), "budget_total": m.get("budget_total"), "text": r.text,
            "tokens": fts_tokens(r.text), "meta": m}


def _write(s: Session, records: list[IndexRecord], rids: list[str]) -> None:
    if records:
        s.execute(insert(KeywordRow), [_row(r) for r in records])
        rids.extend(r.id for r in records)


def _sqlite(s: Session) -> bool:
    return s.get_bind().dialect.name == "sqlite"


def refresh(s: Session, docs: set[int], projects: set[int], indicators: set[int], rebuilding: bool = False) -> int:
    """Rewrite the keyword rows of these documents, projects (with their indicators) and indicators; rows written.

    Only current documents get rows: superseding, deleting or restoring a version moves its rows in the same commit.
    """
    doc_of = dict(s.execute(select(ProjectRow.id, ProjectRow.document_id).where(ProjectRow.id.in_(projects))).all())
    projects = {p for p in projects if doc_of.get(p) not in docs}
    ind_rows = list(s.scalars(select(IndicatorRow).where(IndicatorRow.id.in_(indicators))))
    s.execute(delete(KeywordRow).where(KeywordRow.document_id.in_(docs)))
    s.execute(delete(KeywordRow).where(KeywordRow.project_id.in_(projects)))
    s.execute(delete(KeywordRow).where(KeywordRow.rid.in_([f"i{i}" for i in indicators])))
    rids: list[str] = []  # what was written
    for doc in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(docs), DocumentRow.superseded_by.is_(None))
                         .options(selectinload(DocumentRow.projects).selectinload(ProjectRow.indicators))):
        _write(s, [r for p in doc.projects
                   for r in [project_record(doc, p), *(indicator_record(doc, p, i) for i in p.indicators)]], rids)
    loaded = select(ProjectRow).where(ProjectRow.id.in_(projects)).options(selectinload(ProjectRow.indicators))
    for p in s.scalars(loaded):
        if p.document.superseded_by is None:
            _write(s, [project_record(p.document, p), *(indicator_record(p.document, p, i) for i in p.indicators)],
                   rids)
    for i in ind_rows:
        p = i.project
        if p.id not in projects and p.document_id not in docs and p.document.superseded_by is None:
            _write(s, [indicator_record(p.document, p, i)], rids)
    if rids and _sqlite(s) and not rebuilding:
        rows = s.execute(select(KeywordRow.id, KeywordRow.kind, KeywordRow.tokens).where(KeywordRow.rid.in_(rids)))
        keyword_top.written(s, [(row_id, kind, toks) for row_id, kind, toks in rows], averages(s.connection())[1])
    return len(rids)


def rebuild(s: Session) -> int:
    """Every current document's rows from scratch (reindex, or a store that predates the index); rows written."""
    s.execute(delete(KeywordRow))
    ids = set(s.scalars(select(DocumentRow.id).where(DocumentRow.superseded_by.is_(None))))
    written = refresh(s, ids, set(), set(), rebuilding=True)
    if _sqlite(s):
        keyword_top.rebuild(s, averages(s.connection())[1])
    return written
