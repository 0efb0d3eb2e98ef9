"""Read-side queries for the app and the question module (plain dicts, no ORM objects leak out)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from retrieval.models import DocumentRow, IndicatorRow, ProjectRow
from retrieval.store import Store


def documents(store: Store, include_superseded: bool = False) -> list[dict[str, Any]]:
    """Stored documents, newest first, with counts."""
    with store.session() as s:
        q = select(DocumentRow).order_by(DocumentRow.id.desc())
        if not include_superseded:
            q = q.where(DocumentRow.superseded_by.is_(None))
        out = []
        for d in s.scalars(q):
            n_ind = sum(len(p.indicators) for p in d.projects)
            low = sum(1 for p in d.projects for i in p.indicators if i.confidence < 0.8 and i.origin != "human")
            out.append({"id": d.id, "source": d.source, "department": d.department, "fiscal_year": d.fiscal_year,
                        "status": d.status, "reviewed": d.reviewed, "projects": len(d.projects),
                        "indicators": n_ind, "low_confidence": low, "unmapped": len(d.unmapped or []),
                        "errors": [e.get("message") for e in d.errors or []], "sha256": d.sha256,
                        "created_at": d.created_at, "needs_review": bool((d.quality or {}).get("needs_review")),
                        "review_reasons": list((d.quality or {}).get("reasons") or [])})
        return out


def review_first(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents the extractor flagged as needing review first (not yet reviewed), then the rest in order."""
    return sorted(docs, key=lambda d: 0 if d["needs_review"] and not d["reviewed"] else 1)


def projects(store: Store, document_id: int) -> list[dict[str, Any]]:
    """Projects of one document in printed order."""
    with store.session() as s:
        rows = s.scalars(select(ProjectRow).where(ProjectRow.document_id == document_id)
                         .order_by(ProjectRow.position))
        return [{"id": p.id, "name": p.name, "kind": p.kind, "budget_total": p.budget_total, "goal": p.goal,
                 "unit": p.unit, "page": p.page, "indicators": len(p.indicators)} for p in rows]


INDICATOR_COLUMNS = ("id", "level1", "level2", "name", "target", "operator", "value", "value_max", "unit",
                     "qualitative", "weight", "direction", "basis", "midterm_target", "confidence", "origin",
                     "reviewed", "page", "bbox", "prompt", "model")


def indicators(store: Store, project_id: int) -> list[dict[str, Any]]:
    """Indicators of one project in printed order."""
    with store.session() as s:
        rows = s.scalars(select(IndicatorRow).where(IndicatorRow.project_id == project_id)
                         .order_by(IndicatorRow.position))
        return [{c: getattr(i, c) for c in INDICATOR_COLUMNS} for i in rows]


def overview(store: Store) -> list[dict[str, Any]]:
    """One row per current project: department, year, budget, indicator mix."""
    with store.session() as s:
        q = (select(DocumentRow.department, DocumentRow.fiscal_year, DocumentRow.source, DocumentRow.quality,
                    ProjectRow.id, ProjectRow.name, ProjectRow.kind, ProjectRow.budget_total)
             .join(ProjectRow, ProjectRow.document_id == DocumentRow.id)
             .where(DocumentRow.superseded_by.is_(None)))
        rows = [dict(r._mapping) for r in s.execute(q)]
        counts = {pid: n for pid, n in s.execute(select(IndicatorRow.project_id, func.count())
                                                 .group_by(IndicatorRow.project_id))}
        for r in rows:
            r["indicators"] = counts.get(r["id"], 0)
            r["needs_review"] = bool((r.pop("quality") or {}).get("needs_review"))
        return rows


def indicator_mix(store: Store) -> list[dict[str, Any]]:
    """Counts of current indicators by level1/level2 and qualitative or not."""
    with store.session() as s:
        q = (select(IndicatorRow.level1, IndicatorRow.level2, IndicatorRow.qualitative, func.count())
             .join(ProjectRow, IndicatorRow.project_id == ProjectRow.id)
             .join(DocumentRow, ProjectRow.document_id == DocumentRow.id)
             .where(DocumentRow.superseded_by.is_(None))
             .group_by(IndicatorRow.level1, IndicatorRow.level2, IndicatorRow.qualitative))
        return [{"level1": a, "level2": b, "qualitative": q_, "count": n} for a, b, q_, n in s.execute(q)]


def locate(store: Store, source: str | None, project: str | None, indicator: str | None = None
           ) -> tuple[int, int | None, int | None] | None:
    """(document, project, indicator) ids of a cited record in the current documents, if it is still there."""
    with store.session() as s:
        q = (select(DocumentRow.id, ProjectRow.id).join(ProjectRow, ProjectRow.document_id == DocumentRow.id)
             .where(DocumentRow.superseded_by.is_(None), DocumentRow.source == source, ProjectRow.name == project))
        found = s.execute(q).first()
        if found is None:
            return None
        doc_id, project_id = found
        indicator_id = None
        if indicator:
            indicator_id = s.scalar(select(IndicatorRow.id).where(IndicatorRow.project_id == project_id,
                                                                  IndicatorRow.name == indicator))
        return doc_id, project_id, indicator_id
