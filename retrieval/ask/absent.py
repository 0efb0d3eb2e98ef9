"""Answers about what is absent: projects lacking a kind of indicator, nothing passing a number condition."""

from __future__ import annotations

from retrieval.ask import markdown as render
from retrieval.ask.answers import Answer, Plan
from retrieval.ask.compose import answer_of, topic_label, what
from retrieval.ask.markdown import number
from retrieval.ask.tools import Query, Row, select_rows
from retrieval.ask.vocabulary import Vocabulary, level_stem


def threshold_none(plan: Plan, q: Query, projects: list[Row]) -> Answer:
    """Nothing passes the condition: say so, with the range the compared values do span."""
    assert plan.comparison is not None
    pool = select_rows(projects, q.model_copy(update={"op": None, "value": None}))
    field = "budget_total" if plan.comparison.field == "budget" else "value"
    unit_ok = [r for r in pool if r.get(field) is not None and (field == "budget_total" or not q.unit
                                                                or (r.get("unit") or "") == q.unit)]
    text = f"没有{what(plan, q)}的{'预算' if field == 'budget_total' else '目标值'}{plan.comparison.text}。"
    if not unit_ok:
        return answer_of(text, plan, [])
    low = min(r[field] for r in unit_ok)
    lowest = [r for r in unit_ok if r[field] == low]
    high = max(r[field] for r in unit_ok)
    unit = "万元" if field == "budget_total" else (q.unit or "")
    text += (f"在 {len(unit_ok)} 条有数值的{what(plan, q)}中，最低为 {number(low)}{unit}（{len(lowest)} 条），"
             f"最高为 {number(high)}{unit}。")
    qualitative = [r for r in pool if r.get(field) is None]
    if qualitative and field == "value":
        example = qualitative[0].get("target")
        text += f"另有 {len(qualitative)} 条为定性目标（如“{example}”），无法比较。"
    return answer_of(text, plan, [], table=[], cited=lowest)


def missing_answer(plan: Plan, q: Query, projects: list[Row], vocab: Vocabulary) -> Answer:
    """Projects (or departments) that lack what the question names: a level of indicators, or a topic."""
    scope = q.model_copy(update={"levels": [], "terms": [], "project_terms": [], "subject": "project"})
    if plan.levels:  # 哪些项目没有满意度指标: topics narrow the projects, levels are what is missing
        scope = scope.model_copy(update={"terms": q.terms, "project_terms": q.project_terms})
        having = {r["project_id"] for r in select_rows(projects, q.model_copy(
            update={"subject": "indicator", "terms": [], "project_terms": []}))}
        lacking = level_stem(plan.level_label or plan.levels[0])
    else:
        having = {r["project_id"] for r in select_rows(projects, q.model_copy(update={"subject": "project"}))}
        lacking = topic_label(plan)
    candidates = select_rows(projects, scope)
    if plan.subject == "department":
        with_topic = {r["department"] for r in candidates if r["project_id"] in having}
        names = [d for d in vocab.departments
                 if d not in with_topic and (not plan.departments or d in plan.departments)]
        text = (f"以下 {len(names)} 个部门没有{lacking}项目：" + "、".join(names)) if names else \
            f"所有部门都有{lacking}项目。"
        return answer_of(text, plan, [], table=[{"部门": d} for d in names], cited=[])
    rows = [r for r in candidates if r["project_id"] not in having]
    if not rows:
        which = "符合条件的" if plan.departments or plan.topics else ""
        return answer_of(f"所有{which}项目都有{lacking}指标。", plan, [])
    return answer_of("\n".join([f"以下 {len(rows)} 个项目没有{lacking}指标：", *render.lines(rows)]), plan, rows)
