"""Building blocks of offline answers (pure): the structured query of a plan, its wording, the Answer."""

from __future__ import annotations

from typing import Any

from retrieval.ask import markdown as render
from retrieval.ask.answers import Answer, Plan
from retrieval.ask.markdown import filter_label
from retrieval.ask.tools import Query, Row
from retrieval.ask.vocabulary import TOPIC_SYNONYMS, level_stem


def base_query(plan: Plan) -> Query:
    """The structured query of a plan's filters (pure)."""
    subject = "indicator" if plan.subject == "indicator" else "project"
    comparison = plan.comparison
    kind = "overall" if plan.overall else ("project" if subject == "project" else None)
    return Query(subject=subject, departments=plan.departments, fiscal_year=plan.fiscal_year, project_kind=kind,
                 levels=plan.levels, terms=plan.topics,
                 project_terms=[w for t in plan.topics for w in TOPIC_SYNONYMS.get(t, ())],
                 op=comparison.op if comparison else None, value=comparison.value if comparison else None,
                 unit=comparison.unit if comparison and comparison.field == "value" else None,
                 on=comparison.field if comparison else "value",
                 measure="value" if subject == "indicator" and not plan.asks_budget else "budget",
                 direction=plan.direction, qualitative=plan.qualitative, indicator_unit=plan.unit, rules=plan.rules,
                 per_group=plan.intent == "top" and plan.group_by is not None and plan.subject != "department")


def topic_label(plan: Plan) -> str:
    """“见义勇为”相关 / 满意度 / empty: what the rows are about, for the answer's first sentence."""
    words = [f"“{t}”" for t in plan.topics]
    label = ("、".join(words) + "相关") if words else ""
    return label + filter_label(plan) + (level_stem(plan.level_label) if plan.level_label else "")


def answer_of(text: str, plan: Plan, rows: list[Row], table: list[dict[str, Any]] | None = None,
            cited: list[Row] | None = None) -> Answer:
    """The Answer of a text and its rows (their table and citations unless given), with the scope line."""
    scope = render.scope(plan)
    return Answer(answer=text + (f"\n{scope}" if scope else ""),
                  table=table if table is not None else [render.record_row(r) for r in rows],
                  citations=render.citations(cited if cited is not None else rows), plan=plan)


def what(plan: Plan, q: Query) -> str:
    """满意度指标 / “见义勇为”相关项目 / 部门整体支出: what the rows are."""
    noun = "指标" if q.subject == "indicator" else ("部门整体支出" if plan.overall else "项目")
    return f"{topic_label(plan)}{noun}"


def none(plan: Plan, q: Query) -> Answer:
    """Nothing matched."""
    return answer_of(f"没有找到符合条件的{what(plan, q)}。", plan, [])
