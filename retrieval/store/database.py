"""The store: one transaction per document, revisions for every correction, supersede within a department."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from extractor.schema import INDICATOR_FIELDS, Budget, Document, Extraction, Indicator, Project, Review
from kernel.errors import CorrectionError
from kernel.settings import Settings
from retrieval.store import concurrency
from retrieval.store.lineage import same_disclosure as same_disclosure  # callers import it from here
from retrieval.store.migrations import migrate
from retrieval.store.tables import DocumentRow, IndicatorRow, MetaRow, ProjectRow, RevisionRow

log = logging.getLogger(__name__)
PROJECT_FIELDS = ("kind", "name", "code", "unit", "period", "goal", "midterm_goal", "page")


@dataclass(frozen=True)
class IngestOutcome:
    """What storing one extraction did."""

    document_id: int
    status: str  # new / duplicate / superseded / kept (stored as a non-current version)
    superseded_id: int | None = None
    carried_corrections: int = 0


def database_url(settings: Settings) -> str:
    """The configured URL, or SQLite in WAL mode under the data dir."""
    if settings.database_url:
        return settings.database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(settings.data_dir / 'jixiao.db').resolve()}"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers (the app) never block the ingest writer
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()


def _indicator_values(row: IndicatorRow) -> dict[str, Any]:
    return {f: getattr(row, f) for f in INDICATOR_FIELDS}


class Store:
    """System of record over SQLAlchemy (SQLite by default, PostgreSQL by URL)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            _sqlite_pragmas(self.engine)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """Open the configured store."""
        return cls(database_url(settings))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work commits together or not at all."""
        with self._sessions.begin() as s:
            yield s

    # ---- generation: a counter every write bumps, so caches know when to rebuild ----
    def generation(self) -> int:
        """How many writes the store has seen."""
        with self._sessions() as s:
            row = s.get(MetaRow, "generation")
            return int(row.value) if row else 0

    @staticmethod
    def _bump(s: Session) -> None:
        row = s.get(MetaRow, "generation")
        if row is None:
            s.add(MetaRow(key="generation", value="1"))
        else:
            row.value = str(int(row.value) + 1)

    # ---- ingest ----
    def add_extraction(self, extraction: Extraction, who: str = "ingest", supersede: bool = True) -> IngestOutcome:
        """Store one extracted document in a single transaction (idempotent by file hash).

        With `supersede` (the CLI's rule) it replaces the live versions of the same disclosure; without it the
        document joins that disclosure's lineage as a non-current version (the app's "作为新版本保留").
        """
        doc = extraction.document
        if doc is None:
            raise ValueError("a failed extraction has no document to store")
        try:
            return self._insert(extraction, doc, who, supersede)
        except IntegrityError:
            # The unique hash decides, not a check before the insert: another ingest may have stored these bytes
            # between any check and this insert.
            known = self.document_id_by_sha(doc.sha256)
            if known is None:
                raise
            return IngestOutcome(known, "duplicate")

    def _insert(self, extraction: Extraction, doc: Document, who: str, supersede: bool = True) -> IngestOutcome:
        with self.session() as s:
            row = DocumentRow(sha256=doc.sha256, source=doc.source, department=doc.department,
                              fiscal_year=doc.fiscal_year, status=extraction.status, backend=extraction.backend,
                              errors=[e.model_dump() for e in extraction.errors],
                              unmapped=[u.model_dump() for u in extraction.unmapped], pages=extraction.pages,
                              quality=extraction.quality.model_dump())
            made_by = {(p.project_index, p.indicator_index): p for p in getattr(extraction, "provenance", [])}
            for p_pos, project in enumerate(doc.projects):
                prow = ProjectRow(position=p_pos, **self._project_values(project))
                for i_pos, ind in enumerate(project.indicators):
                    source = made_by.get((p_pos, i_pos))
                    prow.indicators.append(IndicatorRow(position=i_pos, **ind.model_dump(),
                                                        prompt=source.prompt if source else None,
                                                        model=source.model if source else None))
                row.projects.append(prow)
            # Under the write lock: two files of one disclosure ingested at once (a process pool, Ray) would each
            # find no older version and both stay current.
            concurrency.lock_writes(s)
            s.add(row)
            s.flush()
            older = self._older_versions(s, row)
            if older and not supersede:
                # 作为新版本保留: the disclosure keeps one current version (the one a person already works on); the
                # new file joins its lineage as a version that restore can make current.
                row.superseded_by, row.status = max(o.id for o in older), "kept"
                self._bump(s)
                return IngestOutcome(row.id, "kept", None)
            carried = 0
            for old in older:
                old.superseded_by, old.status = row.id, "superseded"
                old.indexed = True  # for a superseded document: the index may still hold it (Services.drop_superseded)
                carried += self._carry_corrections(s, old, row, who)
            self._bump(s)
            return IngestOutcome(row.id, "superseded" if older else "new", older[-1].id if older else None, carried)

    @staticmethod
    def _older_versions(s: Session, row: DocumentRow) -> list[DocumentRow]:
        """Live documents this one replaces: the same department and year, and either the same file name or mostly
        the same projects (a re-issued disclosure, or the same one in another format). A file name alone never
        decides: two departments' 绩效目标表.pdf are two documents."""
        if row.department is None:
            return []
        names = {p.name for p in row.projects}
        live = s.scalars(select(DocumentRow).where(DocumentRow.id != row.id, DocumentRow.superseded_by.is_(None),
                                                   DocumentRow.department == row.department)).all()
        out = []
        for old in live:
            if old.fiscal_year != row.fiscal_year:
                continue
            if same_disclosure(old.source, {p.name for p in old.projects}, row.source, names):
                out.append(old)
        return out

    @staticmethod
    def _project_values(project: Project) -> dict[str, Any]:
        values = {f: getattr(project, f) for f in PROJECT_FIELDS}
        for key in ("total", "fiscal", "other", "carryover"):
            values[f"budget_{key}"] = getattr(project.budget, key)
        return values

    def _carry_corrections(self, s: Session, old: DocumentRow, new: DocumentRow, who: str) -> int:
        """Human corrections of the old version survive where the same project/indicator is still there."""
        new_index = {(p.name, i.name): i for p in new.projects for i in p.indicators}
        carried = 0
        for p in old.projects:
            for old_ind in p.indicators:
                if old_ind.origin != "human" or (p.name, old_ind.name) not in new_index:
                    continue
                target = new_index[(p.name, old_ind.name)]
                before = _indicator_values(target)
                for f in INDICATOR_FIELDS:
                    if f not in ("page", "bbox"):
                        setattr(target, f, getattr(old_ind, f))
                target.reviewed = old_ind.reviewed
                s.flush()
                s.add(RevisionRow(entity="indicator", entity_id=target.id, old=before, new=_indicator_values(target),
                                  who=who, why=f"沿用旧版本（文档 {old.id}）的人工校正", origin="human"))
                carried += 1
        return carried

    # ---- corrections ----
    def correct_indicator(self, indicator_id: int, changes: dict[str, Any], who: str, why: str | None = None,
                          base: dict[str, Any] | None = None) -> Indicator:
        """Validate and apply a human correction, keeping the old values as a revision.

        Made from `base`, the values the person loaded (None: the stored ones); ConflictError when someone else
        changed a field since.
        """
        return concurrency.correct_indicator(self, indicator_id, changes, who, why, base)

    def mark_reviewed(self, document_id: int, who: str, reviewed: bool = True) -> None:
        """Mark a whole document (and its indicators) reviewed, as a revision."""
        with self.session() as s:
            doc = s.get(DocumentRow, document_id)
            if doc is None:
                raise CorrectionError(f"文档 {document_id} 不存在")
            s.add(RevisionRow(entity="document", entity_id=doc.id, old={"reviewed": doc.reviewed},
                              new={"reviewed": reviewed}, who=who, why="标记为已审核", origin="human"))
            doc.reviewed = reviewed
            for p in doc.projects:
                for i in p.indicators:
                    i.reviewed = reviewed
            self._bump(s)

    def set_indexed(self, document_ids: list[int], indexed: bool = True) -> None:
        """Record that Chroma now holds (or lacks) these documents' records."""
        with self.session() as s:
            for d in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(document_ids))):
                d.indexed = indexed

    # ---- reads ----
    def document_id_by_sha(self, sha256: str) -> int | None:
        """The stored document with these bytes, if any."""
        with self._sessions() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))

    def revisions(self, entity: str, entity_id: int) -> list[RevisionRow]:
        """History of one record, oldest first."""
        with self._sessions() as s:
            return list(s.scalars(select(RevisionRow).where(RevisionRow.entity == entity,
                                                            RevisionRow.entity_id == entity_id)
                                  .order_by(RevisionRow.id)))

    def document(self, document_id: int) -> Document | None:
        """A stored document in the export format (current values)."""
        with self._sessions() as s:
            row = s.get(DocumentRow, document_id)
            return None if row is None else to_document(row)

def to_document(row: DocumentRow) -> Document:
    """ORM rows -> export-format Document."""
    stored = row.quality or {}
    review = Review(needs_review=bool(stored.get("needs_review")), reasons=list(stored.get("reasons") or []))
    return Document(source=row.source, sha256=row.sha256, department=row.department, fiscal_year=row.fiscal_year,
                    projects=[to_project(p) for p in row.projects], quality=review)


def to_project(p: ProjectRow) -> Project:
    """ORM project -> export-format Project."""
    return Project(kind=p.kind, name=p.name, code=p.code, unit=p.unit,
                   budget=Budget(total=p.budget_total, fiscal=p.budget_fiscal, other=p.budget_other,
                                 carryover=p.budget_carryover),
                   period=p.period, goal=p.goal, midterm_goal=p.midterm_goal, page=p.page,
                   indicators=[Indicator.model_validate(_indicator_values(i)) for i in p.indicators])
