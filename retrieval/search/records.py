"""What gets indexed: one text + flat metadata per project and per indicator (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow


@dataclass(frozen=True)
class IndexRecord:
    """A searchable record; `id` is stable ("p12", "i345") because it is the store's key."""

    id: str
    kind: str  # project / indicator
    text: str
    metadata: dict[str, Any]


def _clean(meta: dict[str, Any]) -> dict[str, Any]:
    # Chroma metadata values must be str/int/float/bool: drop the unknowns instead of storing None.
    return {k: v for k, v in meta.items() if v is not None}


def project_record(doc: DocumentRow, p: ProjectRow) -> IndexRecord:
    """A project: its name, unit and goal, with department/year/budget metadata."""
    text = "\n".join(t for t in (p.name, p.unit, p.goal, doc.department) if t)
    return IndexRecord(f"p{p.id}", "project", text, _clean({
        "kind": "project", "project_kind": p.kind, "department": doc.department, "fiscal_year": doc.fiscal_year,
        "budget_total": p.budget_total, "document_id": doc.id, "project_id": p.id, "source": doc.source,
        "page": p.page, "project": p.name,
    }))


def indicator_record(doc: DocumentRow, p: ProjectRow, i: IndicatorRow) -> IndexRecord:
    """An indicator: levels, name, target and its project's name."""
    text = " ".join(t for t in (i.level1, i.level2, i.name, i.target, i.description, p.name) if t)
    return IndexRecord(f"i{i.id}", "indicator", text, _clean({
        "kind": "indicator", "project_kind": p.kind, "department": doc.department, "fiscal_year": doc.fiscal_year,
        "level1": i.level1, "level2": i.level2, "budget_total": p.budget_total, "qualitative": i.qualitative,
        "document_id": doc.id, "project_id": p.id, "indicator_id": i.id, "source": doc.source, "page": i.page,
        "project": p.name, "indicator": i.name,
    }))


def document_records(doc: DocumentRow) -> list[IndexRecord]:
    """Every record of one stored document."""
    out: list[IndexRecord] = []
    for p in doc.projects:
        out.append(project_record(doc, p))
        out.extend(indicator_record(doc, p, i) for i in p.indicators)
    return out
