"""Versions of one disclosure: what a new upload would replace, every stored version, restoring an old one.

A new file of the same department and year (same file name, or mostly the same projects) is a new version
of a stored document. A disclosure has exactly one current (live) version; every other one stays in the store,
linked to its lineage by superseded_by, and can be opened, compared with the live one and made live again (the
one it replaces is kept as a version in turn).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.schema import Document
from kernel.errors import ConflictError, CorrectionError, FieldConflict
from retrieval.store.carry import CarryReport, carry_corrections
from retrieval.store.concurrency import lock_writes
from retrieval.store.database import Store, same_disclosure, to_document
from retrieval.store.history import describe, last_revision, lineage_revisions
from retrieval.store.tables import DocumentRow, RevisionRow
from retrieval.store.version_diff import FieldChange, record_changes


@dataclass(frozen=True)
class VersionDiff:
    """How a new file differs from a stored live version it would replace."""

    document_id: int
    source: str
    projects_added: list[str] = field(default_factory=list)
    projects_removed: list[str] = field(default_factory=list)
    indicators_before: int = 0
    indicators_after: int = 0
    reviewed_rows: int = 0  # rows a person corrected or marked reviewed in the stored version
    reviewed: bool = False
    had_page_images: bool = False  # the stored version is a PDF whose pages the review page can show
    has_page_images: bool = False
    changes: list[FieldChange] = field(default_factory=list)  # field by field, stored version -> new file

    @property
    def loses_page_images(self) -> bool:
        """Replacing would swap a version with page images for one without."""
        return self.had_page_images and not self.has_page_images


def _is_pdf(source: str) -> bool:
    return source.lower().endswith(".pdf")


def would_replace(store: Store, doc: Document) -> list[VersionDiff]:
    """The live versions a new document would supersede, and what differs (nothing is written)."""
    if doc.department is None:
        return []
    names = {p.name for p in doc.projects}
    out = []
    with store.session() as s:
        live = s.scalars(select(DocumentRow).where(DocumentRow.superseded_by.is_(None),
                                                   DocumentRow.department == doc.department,
                                                   DocumentRow.sha256 != doc.sha256)).all()
        for old in live:
            old_names = {p.name for p in old.projects}
            if old.fiscal_year != doc.fiscal_year or not same_disclosure(old.source, old_names, doc.source, names):
                continue
            rows = [i for p in old.projects for i in p.indicators]
            out.append(VersionDiff(
                document_id=old.id, source=old.source, projects_added=sorted(names - old_names),
                projects_removed=sorted(old_names - names), indicators_before=len(rows),
                indicators_after=sum(len(p.indicators) for p in doc.projects),
                reviewed_rows=sum(1 for i in rows if i.reviewed or i.origin == "human"), reviewed=old.reviewed,
                had_page_images=_is_pdf(old.source), has_page_images=_is_pdf(doc.source),
                changes=record_changes(to_document(old), doc)))
    return out


@dataclass(frozen=True)
class Version:
    """One stored version of a disclosure."""

    document_id: int
    source: str
    live: bool
    superseded_by: int | None
    indicators: int
    reviewed: bool
    created_at: str
    status: str = ""  # kept: stored by 作为新版本保留 and never current yet


def _lineage(s: Session, document_id: int) -> list[DocumentRow]:
    """Every stored version linked to this document (either direction), oldest first."""
    start = s.get(DocumentRow, document_id)
    seen: dict[int, DocumentRow] = {}
    todo = [start] if start is not None else []
    while todo:
        row = todo.pop()
        if row.id in seen:
            continue
        seen[row.id] = row
        if row.superseded_by is not None and (newer := s.get(DocumentRow, row.superseded_by)) is not None:
            todo.append(newer)
        todo.extend(s.scalars(select(DocumentRow).where(DocumentRow.superseded_by == row.id)).all())
    return sorted(seen.values(), key=lambda r: r.id)


def versions(store: Store, document_id: int) -> list[Version]:
    """Every stored version linked to this document (either direction), oldest first."""
    with store.session() as s:
        return [Version(r.id, r.source, r.superseded_by is None, r.superseded_by,
                        sum(len(p.indicators) for p in r.projects), r.reviewed, f"{r.created_at:%Y-%m-%d %H:%M}",
                        r.status)
                for r in _lineage(s, document_id)]


@dataclass(frozen=True)
class Restored:
    """What restoring a version did: the version it replaced, and the corrections carried over (or not)."""

    replaced: int | None
    carried: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def restore(store: Store, document_id: int, who: str) -> int | None:
    """Make a superseded version live again; the version it replaces is kept, superseded by it. Returns that id."""
    return restore_version(store, document_id, who).replaced


def lineage_base(store: Store, document_id: int) -> int:
    """What a page restoring a version of this disclosure was made from: the newest revision over its versions."""
    with store.session() as s:
        return last_revision(s, [r.id for r in _lineage(s, document_id)])


def _check_lineage(s: Session, document_id: int, base: int) -> None:
    """ConflictError when any version of the lineage changed since `base` (a correction, another restore)."""
    newer = [r for r in lineage_revisions(s, [r.id for r in _lineage(s, document_id)]) if r.id > base]
    if newer:
        rev = newer[-1]
        what = "；".join(line.text for line in describe(rev)) or rev.why or "修改"
        raise ConflictError([FieldConflict("document", document_id, "version", "版本", f"恢复文档 {document_id}",
                                           f"{len(newer)} 处新修改（最近一处：{what}）", rev.who, rev.at)])


def restore_version(store: Store, document_id: int, who: str, carry: bool = False, base: int | None = None
                    ) -> Restored:
    """Make a version current; with `carry`, the current version's human corrections are copied onto it first.

    `base` (from lineage_base when the page loaded): a correction or restore made since is a conflict, nothing is
    written then — the carried corrections would otherwise miss it, or the person restore over a change unseen.
    """
    with store.session() as s:
        lock_writes(s)  # a save landing between reading the current corrections and switching would be left behind
        row = s.get(DocumentRow, document_id)
        if row is None:
            raise CorrectionError(f"文档 {document_id} 不存在")
        if base is not None:
            _check_lineage(s, document_id, base)
        if row.superseded_by is None:
            return Restored(None)
        live = s.get(DocumentRow, row.superseded_by)
        while live is not None and live.superseded_by is not None:  # the lineage's current end
            live = s.get(DocumentRow, live.superseded_by)
        report = carry_corrections(s, live, row, who) if carry and live is not None else CarryReport()
        row.superseded_by = None
        row.status = "partial" if row.errors or row.unmapped else "ok"
        row.indexed = False  # the next sync indexes it again
        replaced = None
        if live is not None and live.id != row.id:
            live.superseded_by, live.status, live.indexed = row.id, "superseded", True
            replaced = live.id
        s.add(RevisionRow(entity="document", entity_id=row.id, old={"superseded_by": replaced},
                          new={"superseded_by": None, "carried": len(report.carried), "not_carried": report.missed},
                          who=who, why="恢复为当前版本" + ("（沿用人工校正）" if carry else ""), origin="human"))
        store._bump(s)
        return Restored(replaced, report.carried, report.missed)
