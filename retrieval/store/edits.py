"""Corrections beyond one indicator's cells: document and project fields, adding and deleting indicator rows.

Each change is validated against the export schema and kept as a revision (old values, who, when, why), so
nothing a reviewer changes is lost: a deleted indicator's values stay in its revision.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.schema import EDITABLE_INDICATOR_FIELDS as EDITABLE
from extractor.schema import Budget, Indicator, Project
from kernel.errors import ConflictError, CorrectionError
from retrieval.store.concurrency import (
    check_base,
    check_unchanged,
    conflict,
    derive_from_target,
    indicator_values,
    lock_writes,
    locked_indicator,
    norm,
)
from retrieval.store.database import Store
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow, RevisionRow

DOCUMENT_FIELDS = ("department", "fiscal_year")
PROJECT_FIELDS = ("kind", "name", "code", "unit", "period", "goal", "midterm_goal")
BUDGET_FIELDS = ("budget_total", "budget_fiscal", "budget_other", "budget_carryover")


def _blank_to_none(v: Any) -> Any:
    return None if isinstance(v, str) and not v.strip() else v


def _revision(s: Any, entity: str, entity_id: int, old: dict[str, Any], new: dict[str, Any], who: str,
              why: str | None) -> None:
    s.add(RevisionRow(entity=entity, entity_id=entity_id, old=old, new=new, who=who, why=why, origin="human"))


def _document_changes(changes: dict[str, Any]) -> dict[str, Any]:
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
    return changes


def _made(changes: dict[str, Any], base: Mapping[str, Any] | None) -> dict[str, Any]:
    """The fields the person changed: those that differ from what they loaded (all of them without a base)."""
    return changes if base is None else {k: v for k, v in changes.items() if norm(v) != norm(base.get(k))}


def _apply_document(s: Any, document_id: int, changes: dict[str, Any], base: Mapping[str, Any] | None, who: str,
                    why: str | None) -> bool:
    doc = s.get(DocumentRow, document_id)
    if doc is None:
        raise CorrectionError(f"文档 {document_id} 不存在")
    stored = {f: getattr(doc, f) for f in DOCUMENT_FIELDS}
    changed = check_base(s, "document", doc.id, stored, base, _made(changes, base))
    if not changed:
        return False
    for f, v in changed.items():
        setattr(doc, f, v)
    _revision(s, "document", doc.id, {k: stored[k] for k in changed}, changed, who, why)
    doc.indexed = False
    return True


def _apply_project(s: Any, project_id: int, changes: dict[str, Any], base: Mapping[str, Any] | None, who: str,
                   why: str | None) -> bool:
    unknown = set(changes) - set(PROJECT_FIELDS) - set(BUDGET_FIELDS)
    if unknown:
        raise CorrectionError(f"不能修改这些字段：{', '.join(sorted(unknown))}")
    row = s.get(ProjectRow, project_id)
    if row is None:
        raise CorrectionError(f"项目 {project_id} 不存在")
    before = {f: getattr(row, f) for f in (*PROJECT_FIELDS, *BUDGET_FIELDS)}
    changed = check_base(s, "project", row.id, before, base,
                         _made({k: _blank_to_none(v) for k, v in changes.items()}, base))
    after = {**before, **changed}
    try:
        budget = Budget(**{k.removeprefix("budget_"): after[k] for k in BUDGET_FIELDS})
        Project(kind=after["kind"], name=after["name"] or "", code=after["code"], unit=after["unit"],
                budget=budget, period=after["period"], goal=after["goal"], midterm_goal=after["midterm_goal"])
    except ValidationError as exc:
        raise CorrectionError(f"校正未通过校验：{exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from exc
    if not (after["name"] or "").strip():
        raise CorrectionError("项目名称不能为空")
    if not changed:
        return False
    for f, v in changed.items():
        setattr(row, f, v)
    _revision(s, "project", row.id, {k: before[k] for k in changed}, changed, who, why)
    row.document.indexed = False
    return True


def _write(store: Store, apply: Callable[[Session], bool]) -> bool:
    """Run `apply` in one transaction under the write lock; a change bumps the store's generation."""
    with store.session() as s:
        lock_writes(s)
        changed = apply(s)
        if changed:
            store._bump(s)
    return changed


def correct_fields(store: Store, document_id: int, project_id: int, document_changes: dict[str, Any],
                   project_changes: dict[str, Any], who: str, why: str | None = None,
                   base: Mapping[str, Any] | None = None) -> bool:
    """Change a document's department/year and a project's fields and budget (万元) in one transaction.

    Made from `base` (the values the person loaded, both records' fields in one mapping); False when nothing changed.
    ConflictError when someone else changed a field this save changes: nothing of either record is written then.
    """
    document_changes = _document_changes(document_changes)
    return _write(store, lambda s: _apply_document(s, document_id, document_changes, base, who, why)
                  | _apply_project(s, project_id, project_changes, base, who, why))  # | : both records checked


def correct_document(store: Store, document_id: int, changes: dict[str, Any], who: str, why: str | None = None,
                     base: Mapping[str, Any] | None = None) -> bool:
    """Change a document's department or year; returns False when nothing changed."""
    changes = _document_changes(changes)
    return _write(store, lambda s: _apply_document(s, document_id, changes, base, who, why))


def correct_project(store: Store, project_id: int, changes: dict[str, Any], who: str, why: str | None = None,
                    base: Mapping[str, Any] | None = None) -> bool:
    """Change a project's fields or budget parts (万元), validated by the schema; False when nothing changed."""
    return _write(store, lambda s: _apply_project(s, project_id, changes, base, who, why))


def add_indicator(store: Store, project_id: int, values: dict[str, Any], who: str, why: str | None = None,
                  seen: Collection[int] | None = None) -> int:
    """Add an indicator row the extraction missed (at the end of the project); returns its id.

    `seen` are the project's rows the person had in front of them: a row of the same name added since is a
    conflict (someone else added it already).
    """
    values = derive_from_target({k: _blank_to_none(v) for k, v in values.items()}, {})
    try:
        checked = Indicator.model_validate({**values, "target": values.get("target") or "", "origin": "human",
                                            "confidence": 1.0, "name": values.get("name") or ""})
    except ValidationError as exc:
        raise CorrectionError(f"新增指标未通过校验：{exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from exc
    if not checked.name:
        raise CorrectionError("新增指标需要三级指标名称")
    with store.session() as s:
        lock_writes(s)
        project = s.get(ProjectRow, project_id)
        if project is None:
            raise CorrectionError(f"项目 {project_id} 不存在")
        if seen is not None:
            twins = [i for i in project.indicators if i.id not in seen and i.name == checked.name]
            if twins:
                raise ConflictError([conflict(s, "indicator", twins[0].id, "name", checked.name, twins[0].name)])
        position = (s.scalar(select(func.max(IndicatorRow.position)).where(IndicatorRow.project_id == project_id))
                    or 0) + 1
        row = IndicatorRow(position=position, **checked.model_dump(), reviewed=True)
        project.indicators.append(row)
        s.flush()
        _revision(s, "indicator", row.id, {}, checked.model_dump(), who, why or "新增指标")
        project.document.indexed = False
        store._bump(s)
        return row.id


def delete_indicator(store: Store, indicator_id: int, who: str, why: str | None = None,
                     base: Mapping[str, Any] | None = None) -> None:
    """Delete a wrong indicator row; its values stay in the revision.

    A row someone else changed since `base` (the values the person saw) is a conflict, and stays.
    """
    with store.session() as s:
        row = locked_indicator(s, indicator_id)
        stored = indicator_values(row)
        if base is not None:
            check_unchanged(s, "indicator", row.id, stored, {f: base[f] for f in EDITABLE if f in base}, "（删除）")
        # the row leaves the table: its revision names its project, so the project's history lists the deletion
        old = {**Indicator.model_validate(stored).model_dump(), "project_id": row.project_id}
        _revision(s, "indicator", row.id, old, {}, who, why or "删除指标")
        row.project.document.indexed = False
        s.delete(row)
        store._bump(s)


def mark_reviewed(store: Store, document_id: int, who: str, reviewed: bool, base: bool | None = None) -> None:
    """Mark a whole document (and its indicators) reviewed, or take the mark back, as a revision.

    A mark someone else changed since `base` (the mark the person saw) is a conflict.
    """
    with store.session() as s:
        lock_writes(s)
        doc = s.get(DocumentRow, document_id)
        if doc is None:
            raise CorrectionError(f"文档 {document_id} 不存在")
        if base is not None and doc.reviewed != base:
            raise ConflictError([conflict(s, "document", doc.id, "reviewed", reviewed, doc.reviewed)])
        _revision(s, "document", doc.id, {"reviewed": doc.reviewed}, {"reviewed": reviewed}, who, "标记为已审核")
        doc.reviewed = reviewed
        for p in doc.projects:
            for i in p.indicators:
                i.reviewed = reviewed
        store._bump(s)


def project_fields(store: Store, project_id: int) -> dict[str, Any]:
    """A project's editable fields as stored (for the correction form)."""
    with store.session() as s:
        row = s.get(ProjectRow, project_id)
        if row is None:
            raise CorrectionError(f"项目 {project_id} 不存在")
        return {f: getattr(row, f) for f in (*PROJECT_FIELDS, *BUDGET_FIELDS)}
