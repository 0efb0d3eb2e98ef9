"""Optimistic concurrency: a save never overwrites a change its author did not see.

A save states the values it was made from. Fields nobody else changed are saved; a changed field someone else changed
since is a conflict and nothing of that record is written.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from extractor.schema import INDICATOR_FIELDS, INDICATOR_LABELS, Indicator
from extractor.values import parse_target
from kernel.errors import ConflictError, CorrectionError, FieldConflict
from retrieval.store.tables import IndicatorRow, MetaRow, RevisionRow

if TYPE_CHECKING:
    from retrieval.store.database import Store

LABELS = {**INDICATOR_LABELS, "department": "部门", "fiscal_year": "年度", "kind": "类型", "name": "名称",
          "code": "项目编码", "unit": "实施单位", "period": "项目期", "goal": "年度目标", "midterm_goal": "中期目标",
          "budget_total": "预算总额", "budget_fiscal": "财政拨款", "budget_other": "其他资金",
          "budget_carryover": "上年结转", "reviewed": "已审核", "row": "指标行"}
DERIVED = ("operator", "value", "value_max", "unit", "qualitative")


def norm(v: Any) -> Any:
    """A value as compared: blank text and NaN are empty, 15 and 15.0 are one number."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    return v


def lock_writes(s: Session) -> None:
    """Take the write lock before reading what is checked, so no other save lands between the check and the write.

    The first statement writes: SQLite then holds its write lock (other writers wait), PostgreSQL the row lock.
    """
    s.execute(update(MetaRow).where(MetaRow.key == "generation").values(value=MetaRow.value))


def locked_indicator(s: Session, indicator_id: int) -> IndicatorRow:
    """An indicator row read under the write lock (CorrectionError when someone deleted it)."""
    lock_writes(s)
    row = s.get(IndicatorRow, indicator_id)
    if row is None:
        raise CorrectionError(f"指标 {indicator_id} 不存在（可能已被他人删除）")
    return row


def last_change(s: Session, entity: str, entity_id: int, field: str) -> RevisionRow | None:
    """The newest revision of a record that changed this field."""
    revisions = s.scalars(select(RevisionRow).where(RevisionRow.entity == entity, RevisionRow.entity_id == entity_id)
                          .order_by(RevisionRow.id.desc()))
    for rev in revisions:
        if field in (rev.new or {}) and norm((rev.old or {}).get(field)) != norm(rev.new[field]):
            return rev
    return None


def conflict(s: Session, entity: str, entity_id: int, field: str, yours: Any, theirs: Any) -> FieldConflict:
    """A conflict on one field, with who changed it and when."""
    rev = last_change(s, entity, entity_id, field)
    return FieldConflict(entity, entity_id, field, LABELS.get(field, field), yours, theirs,
                         rev.who if rev else None, rev.at if rev else None)


def check_base(s: Session, entity: str, entity_id: int, stored: Mapping[str, Any], base: Mapping[str, Any] | None,
               changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes still to write; ConflictError when a changed field no longer holds its base value.

    A change someone else already made the same way is no conflict (and nothing to write). Without a base the
    caller read the stored values in this same transaction (ingest carrying corrections, scripts).
    """
    if base is None:
        return {f: v for f, v in changes.items() if norm(stored[f]) != norm(v)}
    missing = [f for f in changes if f not in base]
    if missing:
        raise CorrectionError(f"保存时缺少修改前的值：{', '.join(missing)}")
    clashes = [conflict(s, entity, entity_id, f, v, stored[f]) for f, v in changes.items()
               if norm(stored[f]) != norm(base[f]) and norm(stored[f]) != norm(v)]
    if clashes:
        raise ConflictError(clashes)
    return {f: v for f, v in changes.items() if norm(stored[f]) != norm(v)}


def check_unchanged(s: Session, entity: str, entity_id: int, stored: Mapping[str, Any],
                    base: Mapping[str, Any], yours: Any) -> None:
    """ConflictError when any field in the base differs from the stored record (before deleting it)."""
    clashes = [conflict(s, entity, entity_id, f, yours, stored[f]) for f in base
               if f in stored and norm(stored[f]) != norm(base[f])]
    if clashes:
        raise ConflictError(clashes)


def derive_from_target(changes: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """A new target re-derives the reading the person did not set themselves (same rules as extraction).

    The number, operator and range follow the new text; a unit the text does not print is kept ("≥5条" → "≥6"
    keeps 条), while a text without a number (及时) has no unit.
    """
    if "target" not in changes:
        return dict(changes)
    parsed = parse_target(str(changes["target"] or ""))
    derived = {k: getattr(parsed, k) for k in DERIVED if k not in changes}
    if "unit" in derived and derived["unit"] is None and parsed.value is not None:
        derived["unit"] = stored.get("unit")
    return {**changes, **derived}


def indicator_values(row: IndicatorRow) -> dict[str, Any]:
    """An indicator row's fields as a dict."""
    return {f: getattr(row, f) for f in INDICATOR_FIELDS}


def correct_indicator(store: Store, indicator_id: int, changes: dict[str, Any], who: str, why: str | None,
                      base: Mapping[str, Any] | None) -> Indicator:
    """Validate and apply one indicator correction made from `base`, keeping the old values as a revision."""
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise CorrectionError(f"不能修改这些字段：{', '.join(sorted(unknown))}")
    with store.session() as s:
        row = locked_indicator(s, indicator_id)
        before = indicator_values(row)
        changes = derive_from_target(check_base(s, "indicator", row.id, before, base, changes), before)
        try:
            checked = Indicator.model_validate({**before, **changes, "origin": "human", "confidence": 1.0})
        except ValidationError as exc:
            raise CorrectionError(f"校正未通过校验：{exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from exc
        after = checked.model_dump()
        if all(norm(after[k]) == norm(before[k]) for k in changes):
            return checked  # nothing the person changed differs from the record: no revision
        for f in INDICATOR_FIELDS:
            setattr(row, f, after[f])
        s.add(RevisionRow(entity="indicator", entity_id=row.id, old=before, new=after, who=who, why=why,
                          origin="human"))
        row.project.document.indexed = False
        store._bump(s)
        return checked
