"""Every revision of a document and its projects in words a person reads: fields, rows added and deleted, restores.

An indicator's own field edits are listed with that indicator; this is the rest — the document's and project's
fields (budget parts included), rows added or deleted, the reviewed mark and version restores — each with the old
values a single-field restore would write back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from retrieval.store.concurrency import LABELS, norm
from retrieval.store.database import Store
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow, RevisionRow
from retrieval.store.version_diff import shown

RESTORABLE = {"document": ("department", "fiscal_year"),
              "project": ("kind", "name", "code", "unit", "period", "goal", "midterm_goal", "budget_total",
                          "budget_fiscal", "budget_other", "budget_carryover")}
ROW = "row"  # the field of a deleted row's line: its old values add it again
_SHORT = {"budget_total": "预算"}  # the line a reviewer scans: 预算 1,150.00 → 1,200.00


@dataclass(frozen=True)
class FieldLine:
    """One changed field of a revision: the line shown and, when it can be restored, the value to write back."""

    text: str
    field: str | None = None  # None: nothing to restore (a row added, a mark, a restore); ROW: a deleted row
    old: Any = None


@dataclass(frozen=True)
class Change:
    """One revision as the history lists it."""

    revision_id: int
    at: datetime
    who: str
    why: str | None
    entity: str  # document / project / indicator
    entity_id: int
    lines: list[FieldLine] = field(default_factory=list)


def _value(f: str, v: Any) -> str:
    return shown(v, money=f.startswith("budget")) or "（空）"


def _row(values: dict[str, Any]) -> str:
    path = " / ".join(v for v in (values.get("level1"), values.get("level2")) if v)
    target = f"（{values['target']}）" if values.get("target") else ""
    return f"{values.get('name') or '（无名称）'}{target}" + (f" · {path}" if path else "")


def describe(rev: RevisionRow) -> list[FieldLine]:
    """A revision's changes as lines (restorable fields carry their old value)."""
    old, new = rev.old or {}, rev.new or {}
    if rev.entity == "indicator":
        if not old:
            return [FieldLine(f"新增指标 {_row(new)}")]
        values = {k: v for k, v in old.items() if k != "project_id"}
        return [FieldLine(f"删除指标 {_row(old)}", ROW, values)]
    if "superseded_by" in new:
        kept = f"，沿用 {new['carried']} 处人工校正" if new.get("carried") else ""
        return [FieldLine(f"恢复为当前版本{kept}")]
    out = []
    for f, v in new.items():
        if norm(old.get(f)) == norm(v):
            continue
        label = _SHORT.get(f, LABELS.get(f, f))
        if f == "reviewed":
            out.append(FieldLine(f"{label}：{'是' if old.get(f) else '否'} → {'是' if v else '否'}"))
        else:
            restorable = f in RESTORABLE.get(rev.entity, ())
            out.append(FieldLine(f"{label} {_value(f, old.get(f))} → {_value(f, v)}", f if restorable else None,
                                 old.get(f)))
    return out


def lineage_revisions(s: Session, document_ids: Iterable[int]) -> list[RevisionRow]:
    """Every revision of these documents, their projects, their rows and the rows deleted from them."""
    doc_ids = list(document_ids)
    project_ids = list(s.scalars(select(ProjectRow.id).where(ProjectRow.document_id.in_(doc_ids))))
    row_ids = select(IndicatorRow.id).where(IndicatorRow.project_id.in_(project_ids))
    revs = s.scalars(select(RevisionRow).where(or_(
        (RevisionRow.entity == "document") & RevisionRow.entity_id.in_(doc_ids),
        (RevisionRow.entity == "project") & RevisionRow.entity_id.in_(project_ids),
        (RevisionRow.entity == "indicator") & RevisionRow.entity_id.in_(row_ids),
        # a deleted row is gone from the table: its revision names the project it was deleted from
        (RevisionRow.entity == "indicator") & RevisionRow.entity_id.not_in(select(IndicatorRow.id)),
    )).order_by(RevisionRow.id)).all()
    existing = set(s.scalars(row_ids))
    return [r for r in revs if r.entity != "indicator" or r.entity_id in existing
            or (r.old or {}).get("project_id") in project_ids]


def last_revision(s: Session, document_ids: Iterable[int]) -> int:
    """The newest revision id over these documents (0 when none): a page's base for a restore."""
    revs = lineage_revisions(s, document_ids)
    return max((r.id for r in revs), default=0)


def project_history(store: Store, document_id: int, project_id: int) -> list[Change]:
    """The document's and this project's revisions (fields, rows added and deleted, marks, restores), newest first."""
    with store.session() as s:
        if s.get(DocumentRow, document_id) is None:
            return []
        out = []
        for rev in reversed(lineage_revisions(s, [document_id])):
            if rev.entity == "project" and rev.entity_id != project_id:
                continue
            if rev.entity == "indicator":
                if rev.old and rev.new:  # a row's own edits are listed with the row
                    continue
                parent = (rev.old or {}).get("project_id") if rev.old else s.scalar(
                    select(IndicatorRow.project_id).where(IndicatorRow.id == rev.entity_id))
                if parent != project_id:
                    continue
            if lines := describe(rev):
                out.append(Change(rev.id, rev.at, rev.who, rev.why, rev.entity, rev.entity_id, lines))
        return out

