"""What differs between two versions of a disclosure, record by record and field by field, in words a person reads.

Projects match by name, indicators by 一级 / 二级 / 三级指标 within their project (the n-th of a repeated key with the
n-th); a record only one side has is listed as added or removed. Fields derived from the target (operator, value,
qualitative) are left out: the target's own change says it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extractor.schema import INDICATOR_LABELS, Document, Indicator, Project

PROJECT_LABELS = {"kind": "类型", "code": "项目编码", "unit": "实施单位", "period": "实施周期", "goal": "年度目标",
                  "midterm_goal": "中期目标", "budget.total": "预算", "budget.fiscal": "财政拨款",
                  "budget.other": "其他资金", "budget.carryover": "结转资金"}
INDICATOR_COMPARED = ("target", "unit", "weight", "direction", "basis", "description", "midterm_target")
_WORDS = {"positive": "正向", "negative": "反向", "overall": "整体", "project": "项目"}


@dataclass(frozen=True)
class FieldChange:
    """One difference: a field of a project or indicator (old → new), or a record only one version has."""

    project: str
    indicator: str | None  # None: the project itself
    field: str  # the field's Chinese name; "" for a whole record added or removed
    old: str
    new: str

    @property
    def record(self) -> str:
        """项目 or 项目 / 指标."""
        return self.project + (f" / {self.indicator}" if self.indicator else "")

    def line(self) -> str:
        """项目 / 指标：字段 旧 → 新 (or 新增 / 删除 for a whole record)."""
        if not self.field:
            return f"{self.record}：{'新增' if self.new else '删除'}"
        return f"{self.record}：{self.field} {self.old or '（空）'} → {self.new or '（空）'}"


def shown(value: Any, money: bool = False) -> str:
    """A value as printed: amounts with thousands separators and two decimals, codes in words, empty as ''."""
    if value is None or value == "":
        return ""
    if money and isinstance(value, int | float):
        return f"{value:,.2f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _WORDS.get(value, str(value)) if isinstance(value, str) else str(value)


def _project_values(p: Project) -> dict[str, Any]:
    values: dict[str, Any] = {k: getattr(p, k) for k in PROJECT_LABELS if "." not in k}
    for part in ("total", "fiscal", "other", "carryover"):
        values[f"budget.{part}"] = getattr(p.budget, part)
    return values


def indicator_key(i: Indicator) -> tuple[str, str, str]:
    """How an indicator is recognised in another version of its project."""
    return (i.level1 or "", i.level2 or "", i.name)


def _pairs(old: list[Any], new: list[Any], key: Any) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Matched (old, new) pairs by key in order, then what only the old and only the new side has."""
    pool: dict[Any, list[Any]] = {}
    for item in new:
        pool.setdefault(key(item), []).append(item)
    pairs, gone = [], []
    for item in old:
        same = pool.get(key(item))
        if same:
            pairs.append((item, same.pop(0)))
        else:
            gone.append(item)
    matched = {id(b) for _, b in pairs}
    return pairs, gone, [item for item in new if id(item) not in matched]


def record_changes(old: Document, new: Document) -> list[FieldChange]:
    """Every difference from `old` to `new`, in the new version's printed order (removed records last)."""
    out: list[FieldChange] = []
    pairs, gone, _ = _pairs(old.projects, new.projects, lambda p: p.name)
    by_new = {id(b): a for a, b in pairs}
    for p in new.projects:
        a = by_new.get(id(p))
        if a is None:
            out.append(FieldChange(p.name, None, "", "", f"{len(p.indicators)} 个指标"))
            continue
        before, after = _project_values(a), _project_values(p)
        out += [FieldChange(p.name, None, label, shown(before[k], k.startswith("budget")),
                            shown(after[k], k.startswith("budget")))
                for k, label in PROJECT_LABELS.items() if before[k] != after[k]]
        out += _indicator_changes(p.name, a.indicators, p.indicators)
    out += [FieldChange(p.name, None, "", f"{len(p.indicators)} 个指标", "") for p in gone]
    return out


def _indicator_changes(project: str, old: list[Indicator], new: list[Indicator]) -> list[FieldChange]:
    pairs, gone, added = _pairs(old, new, indicator_key)
    out = []
    for a, b in pairs:
        out += [FieldChange(project, b.name, INDICATOR_LABELS[f], shown(getattr(a, f)), shown(getattr(b, f)))
                for f in INDICATOR_COMPARED if getattr(a, f) != getattr(b, f)]
    out += [FieldChange(project, i.name, "", "", i.target or "新增") for i in added]
    out += [FieldChange(project, i.name, "", i.target or "删除", "") for i in gone]
    return out
