"""Carry a version's human corrections onto another version of its disclosure (asked for when restoring one).

Field by field: only the fields a person changed (human revisions) are copied, and only onto records the other
version still has — projects matched by name, indicators by 一级 / 二级 / 三级指标 as first read (before a person
renamed them). Rows a person added are added; what cannot be carried is listed, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.schema import INDICATOR_FIELDS, INDICATOR_LABELS
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow, RevisionRow
from retrieval.store.version_diff import PROJECT_LABELS, shown

_NOT_CARRIED = {"page", "bbox", "confidence", "origin"}  # where the row sits in its own file, and who made it
_READ_FROM_TARGET = {"operator", "value", "value_max", "qualitative"}
_PROJECT_COLUMNS = {"budget.total": "budget_total", "budget.fiscal": "budget_fiscal", "budget.other": "budget_other",
                    "budget.carryover": "budget_carryover"}
_DOCUMENT_LABEL = {"department": "部门", "fiscal_year": "年度"}  # the reviewed mark is not a correction of the text
_PROJECT_LABEL = {_PROJECT_COLUMNS.get(k, k): v for k, v in PROJECT_LABELS.items()} | {"name": "项目名称"}


@dataclass
class CarryReport:
    """What was carried (one line per record and field) and what could not be, in Chinese."""

    carried: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def _human_revisions(s: Session, entity: str, ids: list[int]) -> dict[int, list[RevisionRow]]:
    out: dict[int, list[RevisionRow]] = {}
    if not ids:
        return out
    for rev in s.scalars(select(RevisionRow).where(RevisionRow.entity == entity, RevisionRow.entity_id.in_(ids),
                                                   RevisionRow.origin == "human").order_by(RevisionRow.id)):
        out.setdefault(rev.entity_id, []).append(rev)
    return out


def _changed_fields(revisions: list[RevisionRow]) -> list[str]:
    seen: dict[str, None] = {}
    for rev in revisions:
        for k, v in rev.new.items():
            if rev.old.get(k) != v and k not in _NOT_CARRIED:
                seen[k] = None
    return list(seen)


def _indicator_label(f: str) -> str:
    return {"reviewed": "已审核"}.get(f, INDICATOR_LABELS.get(f, f))


def _values(row: IndicatorRow) -> dict[str, Any]:
    return {f: getattr(row, f) for f in INDICATOR_FIELDS}


def carry_corrections(s: Session, source: DocumentRow, target: DocumentRow, who: str) -> CarryReport:
    """Copy `source`'s human corrections onto `target` in this session, each as a revision of the target record."""
    report = CarryReport()
    why = f"恢复版本时沿用文档 {source.id} 的人工校正"
    _carry_document(s, source, target, who, why, report)
    projects = {p.name: p for p in reversed(target.projects)}  # the first of a repeated name wins
    p_revs = _human_revisions(s, "project", [p.id for p in source.projects])
    i_revs = _human_revisions(s, "indicator", [i.id for p in source.projects for i in p.indicators])
    for p in source.projects:
        revs = p_revs.get(p.id, [])
        first_name = next((r.old["name"] for r in revs if "name" in r.old), p.name)
        twin = projects.get(first_name) or projects.get(p.name)
        fields = _changed_fields(revs)
        if fields and twin is None:
            report.missed.append(f"{p.name}：该版本没有此项目（{'、'.join(_PROJECT_LABEL.get(f, f) for f in fields)}）")
        elif fields and twin is not None:
            _carry_project(s, p, twin, fields, who, why, report)
        used: set[int] = set()
        for ind in p.indicators:
            if revs_i := i_revs.get(ind.id):
                _carry_indicator(s, ind, revs_i, twin, used, who, why, report, p.name)
    return report


def _carry_document(s: Session, source: DocumentRow, target: DocumentRow, who: str, why: str,
                    report: CarryReport) -> None:
    fields = [f for f in _changed_fields(_human_revisions(s, "document", [source.id]).get(source.id, []))
              if f in _DOCUMENT_LABEL]
    old = {f: getattr(target, f) for f in fields if getattr(target, f) != getattr(source, f)}
    if not old:
        return
    for f in old:
        setattr(target, f, getattr(source, f))
    s.add(RevisionRow(entity="document", entity_id=target.id, old=old, new={f: getattr(source, f) for f in old},
                      who=who, why=why, origin="human"))
    report.carried += [f"文档：{_DOCUMENT_LABEL[f]} {shown(old[f])} → {shown(getattr(source, f))}" for f in old]


def _carry_project(s: Session, p: ProjectRow, twin: ProjectRow, fields: list[str], who: str, why: str,
                   report: CarryReport) -> None:
    old = {f: getattr(twin, f) for f in fields if getattr(twin, f) != getattr(p, f)}
    if not old:
        return
    for f in old:
        setattr(twin, f, getattr(p, f))
    s.add(RevisionRow(entity="project", entity_id=twin.id, old=old, new={f: getattr(p, f) for f in old}, who=who,
                      why=why, origin="human"))
    report.carried += [f"{p.name}：{_PROJECT_LABEL.get(f, f)} {shown(old[f], f.startswith('budget'))} → "
                       f"{shown(getattr(p, f), f.startswith('budget'))}" for f in old]


def _carry_indicator(s: Session, ind: IndicatorRow, revs: list[RevisionRow], twin: ProjectRow | None, used: set[int],
                     who: str, why: str, report: CarryReport, project: str) -> None:
    where = f"{project} / {ind.name}"
    added = any(not r.old for r in revs)
    first = next((r.old for r in revs if r.old), None) or _values(ind)
    keys = {(first.get("level1") or "", first.get("level2") or "", first.get("name")),
            (ind.level1 or "", ind.level2 or "", ind.name)}
    if twin is None:
        report.missed.append(f"{where}：该版本没有此项目")
        return
    match = next((t for t in twin.indicators if t.id not in used and (t.level1 or "", t.level2 or "", t.name) in keys),
                 None)
    if match is None and not added:
        report.missed.append(f"{where}：该版本没有此指标")
        return
    if match is None:  # a row the person added: add it here too
        match = IndicatorRow(position=len(twin.indicators), **_values(ind), reviewed=True)
        twin.indicators.append(match)
        s.flush()
        s.add(RevisionRow(entity="indicator", entity_id=match.id, old={}, new=_values(match), who=who, why=why,
                          origin="human"))
        report.carried.append(f"{where}：新增指标")
        used.add(match.id)
        return
    used.add(match.id)
    before = _values(match)
    fields = [f for f in _changed_fields(revs) if f in INDICATOR_FIELDS or f == "reviewed"]
    changed = [f for f in fields if getattr(match, f) != getattr(ind, f)]
    if not changed:
        return
    for f in changed:
        setattr(match, f, getattr(ind, f))
    match.origin, match.confidence = "human", 1.0
    s.add(RevisionRow(entity="indicator", entity_id=match.id, old=before, new=_values(match), who=who, why=why,
                      origin="human"))
    # the target's own line says what its parsed reading (operator, number) changed to
    said = [f for f in changed if not ("target" in changed and f in _READ_FROM_TARGET)]
    report.carried += [f"{where}：{_indicator_label(f)} {shown(before.get(f, ''))} → {shown(getattr(ind, f))}"
                       for f in said]
