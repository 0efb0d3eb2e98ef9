"""Offline answers: a plan -> the structured query (search when no record names the topic) -> text, table, citations."""

from __future__ import annotations

from collections import Counter
from typing import Any

from retrieval.ask import render
from retrieval.ask.models import Answer, Plan
from retrieval.ask.render import group_table, groups_of, money, number
from retrieval.ask.tools import Query, Row, aggregate, load_projects, search, select_rows
from retrieval.ask.vocabulary import TOPIC_SYNONYMS, Vocabulary, level_stem
from retrieval.services import Services

SEMANTIC_TOP_K = 5
SEMANTIC_EXTRA = 2


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
                 measure="value" if subject == "indicator" and not plan.asks_budget else "budget")


def topic_label(plan: Plan) -> str:
    """“见义勇为”相关 / 满意度 / empty: what the rows are about, for the answer's first sentence."""
    words = [f"“{t}”" for t in plan.topics]
    label = ("、".join(words) + "相关") if words else ""
    return label + (level_stem(plan.level_label) if plan.level_label else "")


def _answer(text: str, plan: Plan, rows: list[Row], table: list[dict[str, Any]] | None = None,
            cited: list[Row] | None = None) -> Answer:
    scope = render.scope(plan)
    return Answer(answer=text + (f"\n{scope}" if scope else ""),
                  table=table if table is not None else [render.record_row(r) for r in rows],
                  citations=render.citations(cited if cited is not None else rows), plan=plan)


def _semantic(plan: Plan, services: Services, projects: list[Row]) -> list[Row]:
    """Projects the hybrid search ranks first, when no name contains the topic words."""
    by_id = {p["project_id"]: p for p in projects}
    hits = search(services, " ".join(plan.topics + plan.unknown), top_k=SEMANTIC_TOP_K * 3, kind="project",
                  fiscal_year=plan.fiscal_year)
    found = [by_id[h["project_id"]] for h in hits if h.get("project_id") in by_id]
    rows = [{k: v for k, v in p.items() if k not in ("indicators", "goal")} | {"matched": "语义检索"}
            for p in found[:SEMANTIC_TOP_K]]
    return rows if plan.subject != "indicator" else [i for p in found[:SEMANTIC_TOP_K]
                                                     for i in p["indicators"] if not plan.levels
                                                     or i["level1"] in plan.levels or i["level2"] in plan.levels]


def answer_offline(plan: Plan, services: Services, vocab: Vocabulary) -> Answer:
    """Answer a parsed question from the store alone."""
    if plan.unknown and (plan.follow_up or not (plan.topics or plan.departments or plan.levels)):
        known = "、".join(vocab.departments) or "（尚未导入任何文档）"
        return Answer(answer=f"已导入的数据中没有找到“{'、'.join(plan.unknown)}”。已导入的部门：{known}。\n"
                             f"可以这样问：{render.examples(vocab)}", plan=plan)
    q = base_query(plan)
    projects = load_projects(services.store, plan.departments, plan.fiscal_year)
    if plan.intent == "missing":
        return _missing(plan, q, projects, vocab)
    rows = select_rows(projects, q)
    note = ""
    if plan.unknown and plan.comparison is None and plan.intent in ("list", "count"):
        # Words no record uses (探头, 月租) may still paraphrase one: add what the search ranks first.
        seen = {r["id"] for r in rows}
        extra = [r for r in _semantic(plan, services, projects) if r["id"] not in seen][:SEMANTIC_EXTRA]
        if extra:
            rows += extra
            note = (f"（“{'、'.join(plan.unknown)}”没有出现在任何记录中；"
                    f"另按语义检索补充了 {len(extra)} 条，请核对。）\n")
    elif not rows and plan.topics and plan.comparison is None:
        rows = _semantic(plan, services, projects)
        if rows:
            note = (f"没有项目或指标名称包含{'、'.join(f'“{t}”' for t in plan.topics)}；"
                    f"以下是语义检索最接近的 {len(rows)} 条，请核对。\n")
    handler = {"count": _count, "sum": _sum, "avg": _avg, "top": _top, "compare": _compare}.get(plan.intent, _list)
    answer = handler(plan, q, rows, projects)
    if note:
        answer.answer = note + answer.answer
    return answer


def _what(plan: Plan, q: Query) -> str:
    noun = "指标" if q.subject == "indicator" else ("部门整体支出" if plan.overall else "项目")
    return f"{topic_label(plan)}{noun}"


def _none(plan: Plan, q: Query) -> Answer:
    return _answer(f"没有找到符合条件的{_what(plan, q)}。", plan, [])


def _list(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if not rows:
        return _threshold_none(plan, q, projects) if plan.comparison else _none(plan, q)
    if plan.subject == "department" and not (plan.topics or plan.levels or plan.comparison):
        groups = groups_of(rows)  # 有哪些部门: the departments themselves, with what each has
        text = [f"共 {len(groups)} 个部门：", *(f"• {d}{render.year(m[0].get('fiscal_year'))}：{len(m)} 个项目"
                                              for d, m in groups)]
        return _answer("\n".join(text), plan, rows, table=group_table(groups, "budget_total", "部门"))
    departments = {r.get("department") for r in rows}
    head = f"找到 {len(rows)} 个{_what(plan, q)}" if q.subject == "project" else f"找到 {len(rows)} 条{_what(plan, q)}"
    if plan.comparison:
        head += f"（{plan.comparison.text}）"
    if len(departments) > 1:
        head += f"，涉及 {len(departments)} 个部门"
    text = [head + "：", *render.lines(rows)]
    budgets = [r["budget_total"] for r in rows if r.get("budget_total") is not None]
    if q.subject == "project" and plan.asks_budget and len(rows) > 1 and budgets:
        text.append(f"合计 {money(sum(budgets))}" + (f"（另有 {len(rows) - len(budgets)} 个项目预算未识别）"
                                                    if len(budgets) < len(rows) else ""))
    return _answer("\n".join(text), plan, rows)


def _threshold_none(plan: Plan, q: Query, projects: list[Row]) -> Answer:
    """Nothing passes the condition: say so, with the range the compared values do span."""
    assert plan.comparison is not None
    pool = select_rows(projects, q.model_copy(update={"op": None, "value": None}))
    field = "budget_total" if plan.comparison.field == "budget" else "value"
    unit_ok = [r for r in pool if r.get(field) is not None and (field == "budget_total" or not q.unit
                                                                or (r.get("unit") or "") == q.unit)]
    text = f"没有{_what(plan, q)}的{'预算' if field == 'budget_total' else '目标值'}{plan.comparison.text}。"
    if not unit_ok:
        return _answer(text, plan, [])
    low = min(r[field] for r in unit_ok)
    lowest = [r for r in unit_ok if r[field] == low]
    high = max(r[field] for r in unit_ok)
    unit = "万元" if field == "budget_total" else (q.unit or "")
    text += (f"在 {len(unit_ok)} 条有数值的{_what(plan, q)}中，最低为 {number(low)}{unit}（{len(lowest)} 条），"
             f"最高为 {number(high)}{unit}。")
    qualitative = [r for r in pool if r.get(field) is None]
    if qualitative and field == "value":
        example = qualitative[0].get("target")
        text += f"另有 {len(qualitative)} 条为定性目标（如“{example}”），无法比较。"
    return _answer(text, plan, [], table=[], cited=lowest)


def _key(plan: Plan) -> tuple[str, str]:
    key = plan.group_by or "department"
    return key, {"department": "部门", "fiscal_year": "年度", "level1": "一级指标"}[key]


def _count(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if plan.count_of == "department":
        groups = groups_of(rows)
        text = [f"有 {len(groups)} 个部门有{_what(plan, q)}：",
                *(f"• {d}：{len(m)} 个" for d, m in groups)]
        return _answer("\n".join(text), plan, rows, table=group_table(groups, "budget_total", "部门"))
    unit = "条" if q.subject == "indicator" else "个"
    text = [f"共有 {len(rows)} {unit}{_what(plan, q)}" + (f"（{plan.comparison.text}）" if plan.comparison else "")
            + "。"]
    key, name = _key(plan)
    groups = groups_of(rows, key)
    if len(groups) > 1 or plan.group_by:
        text += [f"• {k or '未识别'}：{len(m)} {unit}" for k, m in groups]
    table = group_table(groups, "budget_total" if q.subject == "project" else "value", name) if plan.group_by else None
    return _answer("\n".join(text), plan, rows, table=table)


def _measure(plan: Plan, q: Query) -> tuple[str, str]:
    return ("budget_total", "万元") if q.measure == "budget" else ("value", plan.comparison.unit or ""
                                                                   if plan.comparison else "")


def _sum(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if not rows:
        return _none(plan, q)
    field, unit = _measure(plan, q)
    known = [r for r in rows if r.get(field) is not None]
    total = sum(r[field] for r in known)
    text = [f"{_what(plan, q)}共 {len(rows)} 个，预算合计 {money(total)}。" if field == "budget_total"
            else f"{_what(plan, q)}共 {len(rows)} 条，目标值合计 {number(total)}{unit}。"]
    key, name = _key(plan)
    groups = groups_of(rows, key)
    if len(groups) > 1 or plan.group_by:
        text.append(f"按{name}：")
        for k, members in groups:
            values = [m[field] for m in members if m.get(field) is not None]
            text.append(f"• {k or '未识别'}：{len(members)} 个，合计 {money(sum(values)) if values else '预算均未识别'}"
                        f"（{'、'.join(m['project'] for m in members[:8])}{'等' if len(members) > 8 else ''}）")
    missing = [r for r in rows if r.get(field) is None]
    if missing:
        what = "项目预算" if field == "budget_total" else "指标目标值"
        text.append(f"另有 {len(missing)} 个{what}未识别，未计入合计："
                    + "、".join(r["project"] for r in missing[:10]) + ("等" if len(missing) > 10 else ""))
    table = group_table(groups, field, name) if len(groups) > 1 or plan.group_by else None
    return _answer("\n".join(text), plan, rows, table=table)


def _avg(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    field, unit = _measure(plan, q)
    if field == "value":  # average only comparable values: the most common unit
        common = Counter(r.get("unit") for r in rows if r.get("value") is not None).most_common(1)
        unit = (common[0][0] or "") if common else unit
        rows = [r for r in rows if r.get("value") is not None and r.get("unit") == (unit or None)]
    known = [r[field] for r in rows if r.get(field) is not None]
    if not known:
        return _none(plan, q)
    avg = sum(known) / len(known)
    shown = money(avg) if field == "budget_total" else f"{number(round(avg, 2))}{unit}"
    text = [f"{_what(plan, q)}平均{'预算' if field == 'budget_total' else '目标值'} {shown}（{len(known)} 个有数值）。"]
    key, _ = _key(plan)
    groups = groups_of(rows, key)
    if len(groups) > 1 or plan.group_by:
        for k, members in groups:
            values = [m[field] for m in members if m.get(field) is not None]
            if values:
                mean = sum(values) / len(values)
                shown = money(mean) if field == "budget_total" else f"{number(round(mean, 2))}{unit}"
                text.append(f"• {k or '未识别'}：平均 {shown}（{len(values)} 个）")
    return _answer("\n".join(text), plan, rows)


def _top(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    field, _ = _measure(plan, q)
    if plan.subject == "department":
        groups = sorted(group_table(groups_of(rows), field, "部门"), key=lambda g: g["合计"] or 0,
                        reverse=plan.descending)[:plan.top_n or 1]
        text = [f"{'最高' if plan.descending else '最低'}：",
                *(f"• {g['部门']}：{g['数量']} 个，合计 {money(g['合计'])}" for g in groups)]
        return _answer("\n".join(text), plan, rows, table=groups)
    ranked = aggregate(rows, q.model_copy(update={"order_by": "budget" if field == "budget_total" else "value",
                                                  "descending": plan.descending}))["rows"]
    if not ranked:
        return _none(plan, q)
    n = plan.top_n or 1
    top = ranked[:n]
    if "top_n" not in plan.stated or n == 1:  # 最高的 without a count: every row tied with the first
        top = [r for r in ranked if r[field] == top[-1][field]] if n == 1 else top
    word = "最高" if plan.descending else "最低"
    text = [f"{'预算' if field == 'budget_total' else '目标值'}{word}的{_what(plan, q)}：",
            *(f"{i}. {render.describe_record(r)}（{r.get('department')}）" for i, r in enumerate(top, 1))]
    return _answer("\n".join(text), plan, top)


def _compare(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if not rows:
        return _none(plan, q)
    field, _ = _measure(plan, q)
    key, name = _key(plan)
    table = group_table(groups_of(rows, key), field, name)
    text = [f"按{name}对比{_what(plan, q)}："]
    for g in table:
        total = money(g["合计"]) if field == "budget_total" else number(g["合计"])
        text.append(f"• {g[name] or '未识别'}：{g['数量']} 个，合计 {total}")
    return _answer("\n".join(text), plan, rows, table=table)


def _missing(plan: Plan, q: Query, projects: list[Row], vocab: Vocabulary) -> Answer:
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
        return _answer(text, plan, [], table=[{"部门": d} for d in names], cited=[])
    rows = [r for r in candidates if r["project_id"] not in having]
    if not rows:
        which = "符合条件的" if plan.departments or plan.topics else ""
        return _answer(f"所有{which}项目都有{lacking}指标。", plan, [])
    return _answer("\n".join([f"以下 {len(rows)} 个项目没有{lacking}指标：", *render.lines(rows)]), plan, rows)
