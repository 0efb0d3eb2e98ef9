"""Corrections beyond one indicator's cells: document and project fields, adding and deleting indicator rows.

Each change is validated against the export schema and kept as a revision (old values, who, when, why), so
nothing a reviewer changes is lost: a deleted indicator's values stay in its revision.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select

from extractor.schema import Budget, Indicator, Project
from kernel.errors import CorrectionError
from retrieval.store.database import Store, with_parsed_target
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow, RevisionRow

DOCUMENT_FIELDS = ("department", "fiscal_year")
PROJECT_FIELDS = ("kind", "name", "code", "unit", "period", "goal", "midterm_goal")
BUDGET_FIELDS = ("budget_total", "budget_fiscal", "budget_other", "budget_carryover")


def _blank_to_none(v: Any) -> Any:
    return None if isinstance(v, str) and not v.strip() else v


def _revision(s: Any, entity: str, entity_id: int, old: dict[str, Any], new: dict[str, Any], who: str,
              why: str | None) -> None:
    s.add(RevisionRow(entity=entity, entity_id=entity_id, old=old, new=new, who=who, why=why, origin="human"))


def correct_document(store: Store, document_id: int, changes: dict[str, Any], who: str,
                     why: str | None = None) -> bool:
    """Change a document's department or year; returns False when nothing changed."""
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise CorrectionError(f"不能修改这些字段：{', '.join(sorted(unknown))}")
    changes = {k: _blank_to_none(v) for k, v in changes.items()}
    year = changes.get("fiscal_year")
    if year is not None:
        try:
            changes["fiscal_year"] = int(year)
        except (TypeError, ValueError) as exc:
            raise CorrectionError("年度须为四位数字，例如 2024") from exc
        if not 1990 <= changes["fiscal_year"] <= 2100:
            raise CorrectionError("年度须在 1990–2100 之间")
    with store.session() as s:
        doc = s.get(DocumentRow, document_id)
        if doc is None:
            raise CorrectionError(f"文档 {document_id} 不存在")
        before = {f: getattr(doc, f) for f in changes}
        if before == changes:
            return False
        for f, v in changes.items():
            setattr(doc, f, v)
        _revision(s, "document", doc.id, before, changes, who, why)
        doc.indexed = False
        store._bump(s)
    return True


def correct_project(store: Store, project_id: int, changes: dict[str, Any], who: str, why: str | None = None
                    ) -> bool:
    """Change a project's fields or budget parts (万元), validated by the schema; False when nothing changed."""
    unknown = set(changes) - set(PROJECT_FIELDS) - set(BUDGET_FIELDS)
    if unknown:
        raise CorrectionError(f"不能修改这些字段：{', '.join(sorted(unknown))}")
    changes = {k: _blank_to_none(v) for k, v in changes.items()}
    with store.session() as s:
        row = s.get(ProjectRow, project_id)
        if row is None:
            raise CorrectionError(f"项目 {project_id} 不存在")
        before = {f: getattr(row, f) for f in (*PROJECT_FIELDS, *BUDGET_FIELDS)}
        after = {**before, **changes}
        try:
            budget = Budget(**{k.removeprefix("budget_"): after[k] for k in BUDGET_FIELDS})
            Project(kind=after["kind"], name=after["name"] or "", code=after["code"], unit=after["unit"],
                    budget=budget, period=after["period"], goal=after["goal"], midterm_goal=after["midterm_goal"])
        except ValidationError as exc:
            raise CorrectionError(f"校正未通过校验：{exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from exc
        if not (after["name"] or "").strip():
            raise CorrectionError("项目名称不能为空")
        changed = {k: v for k, v in changes.items() if before[k] != v}
        if not changed:
            return False
        for f, v in changed.items():
            setattr(row, f, v)
        _revision(s, "project", row.id, {k: before[k] for k in changed}, changed, who, why)
        row.document.indexed = False
        store._bump(s)
    return True


def add_indicator(store: Store, project_id: int, values: dict[str, Any], who: str, why: str | None = None) -> int:
    """Add an indicator row the extraction missed (at the end of the project); returns its id."""
    values = with_parsed_target({k: _blank_to_none(v) for k, v in values.items()})
    try:
        checked = Indicator.model_validate({**values, "target": values.get("target") or "", "origin": "human",
                                            "confidence": 1.0, "name": values.get("name") or ""})
    except ValidationError as exc:
        raise CorrectionError(f"新增指标未通过校验：{exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from exc
    if not checked.name:
        raise CorrectionError("新增指标需要三级指标名称")
    with store.session() as s:
        project = s.get(ProjectRow, project_id)
        if project is None:
            raise CorrectionError(f"项目 {project_id} 不存在")
        position = (s.scalar(select(func.max(IndicatorRow.position)).where(IndicatorRow.project_id == project_id))
                    or 0) + 1
        row = IndicatorRow(position=position, **checked.model_dump(), reviewed=True)
        project.indicators.append(row)
        s.flush()
        _revision(s, "indicator", row.id, {}, checked.model_dump(), who, why or "新增指标")
        project.document.indexed = False
        store._bump(s)
        return row.id


def delete_indicator(store: Store, indicator_id: int, who: str, why: str | None = None) -> None:
    """Delete a wrong indicator row; its values stay in the revision."""
    with store.session() as s:
        row = s.get(IndicatorRow, indicator_id)
        if row is None:
            raise CorrectionError(f"指标 {indicator_id} 不存在")
        old = Indicator.model_validate({f: getattr(row, f) for f in Indicator.model_fields}).model_dump()
        _revision(s, "indicator", row.id, old, {}, who, why or "删除指标")
        row.project.document.indexed = False
        s.delete(row)
        store._bump(s)


def project_fields(store: Store, project_id: int) -> dict[str, Any]:
    """A project's editable fields as stored (for the correction form)."""
    with store.session() as s:
        row = s.get(ProjectRow, project_id)
        if row is None:
            raise CorrectionError(f"项目 {project_id} 不存在")
        return {f: getattr(row, f) for f in (*PROJECT_FIELDS, *BUDGET_FIELDS)}
