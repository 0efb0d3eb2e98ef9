"""Turn an edited grid of indicators into validated corrections (no Streamlit here)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from extractor.schema import EDITABLE_INDICATOR_FIELDS, Document
from kernel.errors import ConflictError, CorrectionError, FieldConflict
from retrieval.store.database import Store

EDITABLE = EDITABLE_INDICATOR_FIELDS


@dataclass
class EditResult:
    """What saving an edited grid did."""

    saved: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    conflicts: dict[int, list[FieldConflict]] = field(default_factory=dict)  # rows someone else changed meanwhile


def _norm(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str) and not v.strip():
        return None
    return v


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Editable fields whose value differs (blank cells and NaN count as empty)."""
    out = {}
    for f in EDITABLE:
        if f in after and _norm(after[f]) != _norm(before.get(f)):
            out[f] = _norm(after[f])
    if "level1" in out and out["level1"] is None:
        out["level1"] = ""  # let validation say that a level1 is required
    if "name" in out and out["name"] is None:
        out["name"] = ""
    return out


def save_edits(store: Store, before: list[dict[str, Any]], after: list[dict[str, Any]], who: str,
               why: str | None = None) -> EditResult:
    """Apply each changed row as its own validated correction, made from its `before` values (what was loaded).

    Invalid rows and rows someone else changed meanwhile are reported, nothing of them written.
    """
    result = EditResult()
    by_id = {row["id"]: row for row in before}
    for row in after:
        original = by_id.get(row.get("id"))
        if original is None:
            continue
        changes = changed_fields(original, row)
        if not changes:
            continue
        try:
            store.correct_indicator(int(row["id"]), changes, who=who, why=why, base=original)
            result.saved.append(int(row["id"]))
        except ConflictError as exc:
            result.conflicts[int(row["id"])] = exc.conflicts
        except CorrectionError as exc:
            result.errors[int(row["id"])] = str(exc)
    return result


def as_gold(doc: Document) -> Document:
    """A reviewed document as an eval gold file: every value vouched for by a person."""
    gold = doc.model_copy(deep=True)
    for p in gold.projects:
        for i in p.indicators:
            i.origin, i.confidence, i.bbox = "human", 1.0, None
    return gold
