"""Group-by answers (pure): the best record of each department / year / level, and the chart of a comparison."""

from __future__ import annotations

from typing import Any

from retrieval.ask.answers import Bar, Chart, Plan
from retrieval.ask.markdown import groups_of
from retrieval.ask.tools import Row
from retrieval.store.queries import short_department

GROUP_NAMES = {"department": "部门", "fiscal_year": "年度", "level1": "一级指标", "project": "项目"}
NO_YEAR = "未注明"
CHART_INTENTS = ("compare", "sum", "count", "avg", "top")


def group_label(key: str, value: Any) -> str:
    """A group's name as printed: 2023年度, 未注明 (no year), 未识别 (no department or level)."""
    if key == "fiscal_year":
        return f"{value}年度" if value else NO_YEAR
    return str(value) if value else "未识别"


def top_per_group(rows: list[Row], key: str, field: str, n: int, descending: bool) -> list[tuple[str, list[Row]]]:
    """Each group's n best rows by the field (ties with the n-th kept), groups in first-seen order."""
    out: list[tuple[str, list[Row]]] = []
    for value, members in groups_of(rows, key):
        known = sorted((m for m in members if m.get(field) is not None), key=lambda m: m[field], reverse=descending)
        if not known:
            out.append((group_label(key, value), []))
            continue
        cut = known[min(n, len(known)) - 1][field]
        best = [m for m in known if (m[field] >= cut if descending else m[field] <= cut)]
        out.append((group_label(key, value), best))
    return out


def _is_group_table(table: list[dict[str, Any]]) -> str | None:
    """The key column of a table of group totals (部门/年度/一级指标), None for record rows."""
    if len(table) < 2 or not all("数量" in row for row in table):
        return None
    return next((name for name in GROUP_NAMES.values() if name in table[0]), None)


def chart_for(plan: Plan, table: list[dict[str, Any]]) -> Chart | None:
    """A bar chart only for a comparison across groups: one bar per group, the figure the answer compares."""
    if plan.intent not in CHART_INTENTS:
        return None
    key = _is_group_table(table)
    if key is None:
        return None
    by_count = plan.intent == "count" or plan.subject == "indicator" or all(r.get("合计") is None for r in table)
    column = "数量" if by_count else ("平均" if plan.intent == "avg" else "合计")
    measure = ("指标数" if plan.subject == "indicator" else "项目数") if by_count else \
        ("平均预算（万元）" if column == "平均" else "预算合计（万元）")
    ykey = {v: k for k, v in GROUP_NAMES.items()}[key]
    bars = [Bar(label=_short(ykey, row.get(key)), full=group_label(ykey, row.get(key)),
                value=float(row.get(column) or 0)) for row in table]
    if len({b.label for b in bars}) != len(bars):
        bars = [b.model_copy(update={"label": b.full}) for b in bars]
    if len({b.label for b in bars}) != len(bars):
        return None  # two rows for one item would be summed by the chart: no chart rather than a wrong one
    if ykey == "fiscal_year":  # years in time order, the unnamed year last
        bars.sort(key=lambda b: (b.label == NO_YEAR, b.label))
    else:
        bars.sort(key=lambda b: -b.value)
    return Chart(measure=measure, bars=bars)


def _short(key: str, value: Any) -> str:
    return short_department(value) if key == "department" and value else group_label(key, value)
