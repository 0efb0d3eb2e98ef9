"""Consistency: targets that contradict their direction, weights, ranges, each other or their 时效 nature."""

from __future__ import annotations

import re
from collections import defaultdict

from audit.model import RuleSpec
from audit.registry import Context, Hit, indicator_check, project_check, weight_sum
from audit.vocab import dimension, family, is_percent, label, norm_name, num, own_name, project_label, quoted
from extractor.schema import Indicator, Project


@indicator_check("CONS-DIRECTION")
def direction(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """反向 with a lower bound (≥, >) or 正向 with an upper bound (≤, <)."""
    if ind.direction == "negative" and ind.operator in (">=", ">"):
        return (f"指标“{quoted(ind.name)}”标为反向指标（越小越好），指标值“{quoted(ind.target)}”却设定下限，"
                f"方向与比较符号矛盾。")
    if ind.direction == "positive" and ind.operator in ("<=", "<"):
        return (f"指标“{quoted(ind.name)}”标为正向指标（越大越好），指标值“{quoted(ind.target)}”却设定上限，"
                f"方向与比较符号矛盾。")
    return None


@project_check("CONS-WEIGHT-SUM")
def weights(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """Printed weights that miss rows or do not add up to the form's total (the document's common one)."""
    total = weight_sum(project)
    if total is None:
        return []
    missing = [n for n, i in enumerate(project.indicators) if i.weight is None]
    expected = [ctx.weight_total] if ctx.weight_total is not None else spec.numbers("default_totals")
    tol = spec.number("tolerance")
    if not missing and any(abs(total - e) <= tol for e in expected):
        return []
    want = "或".join(num(e) for e in expected)
    where = "本表其他项目的合计" if ctx.weight_total is not None else "通行的合计"
    gap = f"，其中{len(missing)}个指标未填权重" if missing else ""
    return [Hit(f"项目“{project_label(project)}”的指标权重合计为{num(total)}{gap}，与{where}{want}不符。", missing)]


@indicator_check("CONS-RATE-OVER-100")
def rate_over_100(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """A percentage above 100 on a rate that cannot exceed it (growth rates excepted)."""
    if not is_percent(ind) or ind.value is None:
        return None
    if any(w in own_name(ind) for w in spec.words("growth_words")):
        return None
    top = max(ind.value, ind.value_max or 0)
    if top > 100 or (top == 100 and ind.operator == ">"):
        return f"指标“{quoted(ind.name)}”为比率类指标，指标值“{quoted(ind.target)}”超过100%，不可能实现。"
    return None


@indicator_check("CONS-SATISFACTION-RANGE")
def satisfaction_range(ind: Indicator, index: int, project: Project, ctx: Context,
                       spec: RuleSpec) -> str | None:
    """A 满意度 target below `low` or at/above `high` (100% cannot be shown by a sample survey)."""
    if family(ind) != "satisfaction" or ind.value is None:
        return None
    if ind.unit not in (None, "%", "％", "分") and not is_percent(ind):
        return None
    low, high = spec.number("low"), spec.number("high")
    if ind.value < low:
        return (f"满意度指标“{quoted(ind.name)}”的指标值“{quoted(ind.target)}”低于{num(low)}%，"
                f"目标设定偏低。")
    if max(ind.value, ind.value_max or 0) >= high:
        return (f"满意度指标“{quoted(ind.name)}”的指标值“{quoted(ind.target)}”达到{num(high)}%，"
                f"无法通过抽样调查验证，目标设定不合理。")
    return None


@project_check("CONS-DUPLICATE")
def duplicates(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """The same indicator name twice in one project."""
    groups: dict[str, list[int]] = defaultdict(list)
    for n, ind in enumerate(project.indicators):
        key = norm_name(ind.name)
        if key:
            groups[key].append(n)
    hits = []
    for rows in groups.values():
        if len(rows) > 1:
            name = label(project.indicators[rows[0]], rows[0])
            hits.append(Hit(f"项目“{project_label(project)}”中指标“{quoted(name)}”重复设置了{len(rows)}次。", rows))
    return hits


@indicator_check("CONS-TIME-NO-TIME")
def time_without_time(ind: Indicator, index: int, project: Project, ctx: Context,
                      spec: RuleSpec) -> str | None:
    """A 时效 row whose name and target state no time, deadline, period or timeliness."""
    if dimension(ind) != "时效" or not ind.target.strip():
        return None
    if any(w in own_name(ind) for w in spec.words("name_words")):
        return None
    if re.search(spec.text("time_pattern"), f"{own_name(ind)} {ind.target}"):
        return None
    return (f"时效指标“{quoted(ind.name)}”的指标值“{quoted(ind.target)}”未体现完成时限或周期，"
            f"不能考核时效。")
