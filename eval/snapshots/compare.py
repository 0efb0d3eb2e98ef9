"""Short human diffs of two snapshot dicts: which project, indicator or field changed, old → new; pure functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import Any

MAX_LINES = 20
_PROJECT_FIELDS = ("kind", "code", "unit", "period", "goal", "midterm_goal", "page")
_INDICATOR_KEY = ("level1", "level2", "name")  # what names an indicator row; the other fields are its values


def diff(old: dict[str, Any] | None, new: dict[str, Any], limit: int = MAX_LINES) -> list[str]:
    """What changed from the stored snapshot to the new reading, at most `limit` lines (empty when equal)."""
    if old == new:
        return []
    if old is None:
        return ["没有快照（新文件）"]
    lines = _changed("status", old.get("status"), new.get("status"))
    lines += _document(old.get("document"), new.get("document"))
    lines += _contradictions(old.get("contradictions", []), new.get("contradictions", []))
    if not lines:  # equal in every field this diff names, different in some other one
        lines = ["内容有变化（请查看快照文件的 git diff）"]
    if len(lines) > limit:
        lines = [*lines[:limit - 1], f"……另有 {len(lines) - limit + 1} 处不同"]
    return lines


def structure(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The fields a scan's reading must keep between runs: status, department, year, projects, counts, budgets."""
    doc = snapshot.get("document") or {}
    return {
        "status": snapshot.get("status"),
        "document": {
            "department": doc.get("department"),
            "fiscal_year": doc.get("fiscal_year"),
            "projects": [{"kind": p["kind"], "name": p["name"], "budget": p.get("budget"),
                          "indicators": [{} for _ in p.get("indicators", [])]}  # how many, not what OCR read
                         for p in doc.get("projects", [])],
        } if snapshot.get("document") else None,
        "contradictions": [],
    }


def _short(value: Any, width: int = 40) -> str:
    return _cut(repr(value), width)  # quoted, so "" and None and "None" stay apart


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _changed(where: str, old: Any, new: Any) -> list[str]:
    return [] if old == new else [f"{where}: {_short(old)} → {_short(new)}"]


def _document(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    if old is None or new is None:
        return [] if old == new else [f"document: {'无' if old is None else '有'} → {'无' if new is None else '有'}"]
    lines: list[str] = []
    for field in ("source", "sha256", "department", "fiscal_year"):
        lines += _changed(field, old.get(field), new.get(field))
    for field in ("needs_review", "reasons"):
        lines += _changed(f"quality.{field}", old.get("quality", {}).get(field), new.get("quality", {}).get(field))
    lines += _aligned(old.get("projects", []), new.get("projects", []), lambda p: p.get("name"),
                      lambda p: f"项目「{p.get('name')}」（{len(p.get('indicators', []))} 个指标）", _project)
    return lines


def _project(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    where = f"项目「{new.get('name')}」"
    lines = _changed(f"{where} name", old.get("name"), new.get("name"))
    for field in _PROJECT_FIELDS:
        lines += _changed(f"{where} {field}", old.get(field), new.get(field))
    for part in sorted(set(old.get("budget") or {}) | set(new.get("budget") or {})):
        lines += _changed(f"{where} budget.{part}", (old.get("budget") or {}).get(part),
                          (new.get("budget") or {}).get(part))
    return lines + [f"{where} {line}" for line in _aligned(
        old.get("indicators", []), new.get("indicators", []), lambda i: tuple(i.get(k) for k in _INDICATOR_KEY),
        lambda i: f"指标「{i.get('name')}」（{i.get('level1')}/{i.get('level2')}，{i.get('target')}）", _indicator)]


def _indicator(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    where = f"指标「{new.get('name') or old.get('name')}」"
    return [line for field in sorted(set(old) | set(new)) for line in
            _changed(f"{where} {field}", old.get(field), new.get(field))]


def _aligned(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], Any],
             label: Callable[[dict[str, Any]], str],
             inner: Callable[[dict[str, Any], dict[str, Any]], list[str]]) -> list[str]:
    """Records paired by key in order (a replaced run of equal length pairs up: a renamed record), then compared."""
    lines: list[str] = []
    matcher = SequenceMatcher(a=[_hashable(key(r)) for r in old], b=[_hashable(key(r)) for r in new],
                              autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                lines += inner(a, b)
            continue
        lines += [f"- {label(r)}" for r in old[i1:i2]]
        lines += [f"+ {label(r)}" for r in new[j1:j2]]
    return lines


def _contradictions(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    before = Counter((c.get("kind"), c.get("message")) for c in old)
    after = Counter((c.get("kind"), c.get("message")) for c in new)
    gone = [f"- 矛盾 {kind}：{_cut(str(msg), 60)}" for kind, msg in sorted((before - after).elements())]
    came = [f"+ 矛盾 {kind}：{_cut(str(msg), 60)}" for kind, msg in sorted((after - before).elements())]
    return gone + came


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
