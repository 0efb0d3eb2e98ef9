"""Reading and correcting stored records one field at a time: what a program calling `jixiao serve` does.

The pages edit whole forms; a service caller changes one field and proves, with the values it read, that nobody
changed them since (the store's field-by-field check then still guards the write itself).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from sqlalchemy import select

from audit.engine import audit_documents
from audit.rules import load_rules
from extractor.schema import INDICATOR_FIELDS, Document
from kernel.errors import CorrectionError
from retrieval.ask.answers import Citation
from retrieval.services import Services
from retrieval.store import edits, queries
from retrieval.store.concurrency import indicator_values
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow

AuditFormat = Literal["json", "xlsx", "html"]
PROJECT_EDITABLE = (*edits.PROJECT_FIELDS, *edits.BUDGET_FIELDS)


def list_documents(services: Services, department: str | None = None, year: int | None = None,
                   needs_review: bool | None = None) -> list[dict[str, Any]]:
    """Current documents, newest first; department matches its full name or a part of it (遂宁)."""
    out = []
    for d in queries.documents(services.store):
        if department and department not in (d["department"] or ""):
            continue
        if year is not None and d["fiscal_year"] != year:
            continue
        if needs_review is not None and d["needs_review"] != needs_review:
            continue
        out.append(d)
    return out


def document(services: Services, document_id: int) -> Document | None:
    """A stored document (any version) with its corrections, in the export format."""
    return services.store.document(document_id)


def version_tag(values: dict[str, Any]) -> str:
    """A strong validator of a record's values: it changes whenever any of them does."""
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def project(services: Services, project_id: int) -> dict[str, Any] | None:
    """A project's editable fields, its document and its indicators' ids and names."""
    with services.store.session() as s:
        row = s.get(ProjectRow, project_id)
        if row is None:
            return None
        fields = {f: getattr(row, f) for f in PROJECT_EDITABLE}
        return {"id": row.id, "document_id": row.document_id, "fields": fields,
                "indicators": [{"id": i.id, "name": i.name, "level1": i.level1, "level2": i.level2}
                               for i in row.indicators]}


def indicator(services: Services, indicator_id: int) -> dict[str, Any] | None:
    """An indicator's fields with its project and document."""
    with services.store.session() as s:
        row = s.get(IndicatorRow, indicator_id)
        if row is None:
            return None
        return {"id": row.id, "project_id": row.project_id, "document_id": row.project.document_id,
                "fields": indicator_values(row)}


def correct_project_field(services: Services, project_id: int, field: str, value: Any, who: str, why: str,
                          base: dict[str, Any]) -> bool:
    """Change one project field made from `base` (the fields the caller read); False when nothing changed.

    ConflictError when someone changed it since, CorrectionError when the value does not validate.
    """
    if field not in PROJECT_EDITABLE:
        raise CorrectionError(f"不能修改这个字段：{field}")
    changed = edits.correct_project(services.store, project_id, {field: value}, who=who, why=why, base=base)
    if changed:
        record = project(services, project_id)
        if record is not None:
            services.refresh_later(record["document_id"])
    return changed


def correct_indicator_field(services: Services, indicator_id: int, field: str, value: Any, who: str, why: str,
                            base: dict[str, Any]) -> dict[str, Any]:
    """Change one indicator field made from `base`; the stored values afterwards (target re-reads its number)."""
    if field not in INDICATOR_FIELDS or field in ("page", "bbox", "origin", "confidence"):
        raise CorrectionError(f"不能修改这个字段：{field}")
    checked = services.store.correct_indicator(indicator_id, {field: value}, who=who, why=why, base=base)
    record = indicator(services, indicator_id)
    if record is not None:
        services.refresh_later(record["document_id"])
    return checked.model_dump()


def resolve_citations(services: Services, citations: list[Citation]) -> list[dict[str, Any]]:
    """Each citation with the ids of the current record it names (None where the record is gone).

    Two queries for all of them (an answer cites dozens of rows; one lookup each was most of what the API added).
    """
    sources = {c.source for c in citations if c.source}
    with services.store.session() as s:
        projects: dict[tuple[str | None, str | None], tuple[int, int]] = {}
        for doc_id, src, pid, name in s.execute(
                select(DocumentRow.id, DocumentRow.source, ProjectRow.id, ProjectRow.name)
                .join(ProjectRow, ProjectRow.document_id == DocumentRow.id)
                .where(DocumentRow.superseded_by.is_(None), DocumentRow.source.in_(sources)).order_by(ProjectRow.id)):
            projects.setdefault((src, name), (doc_id, pid))
        wanted = {projects[(c.source, c.project)][1] for c in citations if (c.source, c.project) in projects}
        indicators: dict[tuple[int, str], int] = {}
        for iid, pid, name in s.execute(select(IndicatorRow.id, IndicatorRow.project_id, IndicatorRow.name)
                                        .where(IndicatorRow.project_id.in_(wanted)).order_by(IndicatorRow.id)):
            indicators.setdefault((pid, name), iid)  # the first of a repeated name, as a lookup by name finds
    out = []
    for c in citations:
        found = projects.get((c.source, c.project))
        ids: dict[str, int | None] = {"document_id": None, "project_id": None, "indicator_id": None}
        if found is not None:
            ids["document_id"], ids["project_id"] = found
            ids["indicator_id"] = indicators.get((found[1], c.indicator)) if c.indicator else None
        out.append({**c.model_dump(), **ids})
    return out


def audit_report(services: Services, document_ids: list[int], fmt: AuditFormat = "json") -> str | bytes:
    """The 审核意见表 of stored documents (with their corrections): JSON, XLSX bytes or printable HTML."""
    from audit.html import to_html
    from audit.report import to_json, to_xlsx

    rules = load_rules(services.settings.audit_rules)
    docs = [d for i in document_ids if (d := services.store.document(i)) is not None]
    reports = audit_documents(docs, rules)
    if fmt == "xlsx":
        return to_xlsx(reports, rules.version)
    return to_html(reports, rules.version) if fmt == "html" else to_json(reports)
