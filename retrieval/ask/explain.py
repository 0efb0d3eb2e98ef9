"""The plan of a record question in plain Chinese (pure): the first line of its answer, so a reader can check it."""

from __future__ import annotations

from retrieval.ask.answers import Plan
from retrieval.ask.compose import what
from retrieval.ask.grouped import GROUP_NAMES
from retrieval.ask.tools import Query


def _by(plan: Plan) -> str:
    return f"按{GROUP_NAMES[plan.group_by]}" if plan.group_by else ""


def _field(q: Query) -> str:
    return "预算" if q.measure == "budget" else "目标值"


def describe_plan(plan: Plan, q: Query) -> str:
    """计划：按部门统计项目的预算合计 / 按预算排序项目，取最高的 3 个…; empty where the answer names its rule."""
    rows = what(plan, q)
    cond = f"（{plan.comparison.text}）" if plan.comparison else ""
    high = "最高" if plan.descending else "最低"
    if plan.intent == "count":
        text = (f"统计有{rows}{cond}的部门数量" if plan.count_of == "department"
                else f"{_by(plan)}统计{rows}{cond}的数量")
    elif plan.intent == "sum":
        text = f"{_by(plan)}统计{rows}{cond}的{_field(q)}合计"
    elif plan.intent == "avg":
        text = f"{_by(plan)}计算{rows}{cond}的平均{_field(q)}"
    elif plan.intent == "compare":
        text = f"{_by(plan) or '按部门'}对比{rows}{cond}的数量{'和预算合计' if q.subject == 'project' else ''}"
    elif plan.intent == "top" and plan.subject == "department":
        text = f"按部门统计{rows}{cond}的预算合计，取{high}"
    elif plan.intent == "top" and plan.group_by:
        text = f"在每个{GROUP_NAMES[plan.group_by]}内按{_field(q)}取{high}的{rows}{cond}"
    elif plan.intent == "top":
        n = plan.top_n or 1
        text = (f"按{_field(q)}排序{rows}{cond}，取{high}的 {n} 个" if n > 1
                else f"按{_field(q)}取{high}的{rows}{cond}（并列者一并列出）")
    elif plan.intent in ("list", "threshold", "detail"):
        text = f"列出{rows}{cond}"
    else:
        return ""  # missing / audit answers open with the rule they applied
    return f"计划：{text}。"
