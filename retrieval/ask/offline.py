"""Offline answers: a plan -> the structured query (search when no record names the topic) -> text, table, citations."""

from __future__ import annotations

from collections import Counter

from retrieval.ask import markdown as render
from retrieval.ask.absent import missing_answer, threshold_none
from retrieval.ask.analyst import answer_analyst
from retrieval.ask.analyst_parse import EXAMPLES
from retrieval.ask.answers import ANALYST_INTENTS, Answer, Plan
from retrieval.ask.compose import answer_of, base_query, none, what
from retrieval.ask.explain import describe_plan
from retrieval.ask.findings import project_findings
from retrieval.ask.grouped import GROUP_NAMES, chart_for, group_label, top_per_group
from retrieval.ask.markdown import group_table, groups_of, money, number
from retrieval.ask.tools import Query, Row, aggregate, load_projects, search, select_rows
from retrieval.ask.vocabulary import Vocabulary
from retrieval.services import Services

SEMANTIC_TOP_K = 5
SEMANTIC_EXTRA = 2


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
    if plan.intent == "refuse":
        return _refuse(plan, services, load_projects(services.store, plan.departments, plan.fiscal_year))
    if plan.unknown and (plan.follow_up or not (plan.topics or plan.departments or plan.levels)):
        known = "、".join(vocab.departments) or "（尚未导入任何文档）"
        return Answer(answer=f"已导入的数据中没有找到“{'、'.join(plan.unknown)}”。已导入的部门：{known}。\n"
                             f"可以这样问：{render.examples(vocab)}", plan=plan)
    q = base_query(plan)
    projects = load_projects(services.store, plan.departments, plan.fiscal_year)
    if plan.intent == "audit":
        return _audit(plan, services, projects)
    if plan.intent == "missing":
        return missing_answer(plan, q, projects, vocab)
    if plan.intent in ANALYST_INTENTS:
        return answer_analyst(plan, projects)
    rows = select_rows(projects, q)
    note = ""
    if plan.unknown and plan.comparison is None and plan.intent == "list":
        # Words no record uses (探头, 月租) may still paraphrase one: add what the search ranks first — to a list,
        # labelled; never to a count, where a neighbour would be counted as an answer.
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
                    f"以下是语义检索最接近的 {len(rows)} 条，仅供参考，请核对。\n")
    handler = {"count": _count, "sum": _sum, "avg": _avg, "top": _top, "compare": _compare}.get(plan.intent, _list)
    answer = handler(plan, q, rows, projects)
    if note:
        answer.answer = note + answer.answer
    line = describe_plan(plan, q)
    answer.answer = f"{line}\n{answer.answer}" if line else answer.answer
    answer.chart = chart_for(plan, answer.table)
    return answer


def _list(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if not rows:
        return threshold_none(plan, q, projects) if plan.comparison else none(plan, q)
    if plan.subject == "department" and not (plan.topics or plan.levels or plan.comparison):
        groups = groups_of(rows)  # 有哪些部门: the departments themselves, with what each has
        text = [f"共 {len(groups)} 个部门：", *(f"• {d}{render.year(m[0].get('fiscal_year'))}：{len(m)} 个项目"
                                              for d, m in groups)]
        return answer_of("\n".join(text), plan, rows, table=group_table(groups, "budget_total", "部门"))
    departments = {r.get("department") for r in rows}
    head = f"找到 {len(rows)} 个{what(plan, q)}" if q.subject == "project" else f"找到 {len(rows)} 条{what(plan, q)}"
    if plan.comparison:
        head += f"（{plan.comparison.text}）"
    if len(departments) > 1:
        head += f"，涉及 {len(departments)} 个部门"
    text = [head + "：", *render.lines(rows)]
    budgets = [r["budget_total"] for r in rows if r.get("budget_total") is not None]
    if q.subject == "project" and plan.asks_budget and len(rows) > 1 and budgets:
        text.append(f"合计 {money(sum(budgets))}" + (f"（另有 {len(rows) - len(budgets)} 个项目预算未识别）"
                                                    if len(budgets) < len(rows) else ""))
    return answer_of("\n".join(text), plan, rows)


def _key(plan: Plan) -> tuple[str, str]:
    key = plan.group_by or "department"
    return key, GROUP_NAMES[key]


def _field(q: Query) -> str | None:
    """What a group table sums: project budgets; indicator targets in different units never add up."""
    return "budget_total" if q.subject == "project" else None


def _count(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if plan.count_of == "department":
        groups = groups_of(rows)
        text = [f"有 {len(groups)} 个部门有{what(plan, q)}：",
                *(f"• {d}：{len(m)} 个" for d, m in groups)]
        return answer_of("\n".join(text), plan, rows, table=group_table(groups, "budget_total", "部门"))
    unit = "条" if q.subject == "indicator" else "个"
    text = [f"共有 {len(rows)} {unit}{what(plan, q)}" + (f"（{plan.comparison.text}）" if plan.comparison else "")
            + "。"]
    key, name = _key(plan)
    groups = groups_of(rows, key)
    if len(groups) > 1 or plan.group_by:
        text += [f"• {group_label(key, k)}：{len(m)} {unit}" for k, m in groups]
    table = group_table(groups, _field(q), name) if plan.group_by else None
    return answer_of("\n".join(text), plan, rows, table=table)


def _measure(plan: Plan, q: Query) -> tuple[str, str]:
    return ("budget_total", "万元") if q.measure == "budget" else ("value", plan.comparison.unit or ""
                                                                   if plan.comparison else "")


def _sum(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if not rows:
        return none(plan, q)
    field, unit = _measure(plan, q)
    known = [r for r in rows if r.get(field) is not None]
    total = sum(r[field] for r in known)
    text = [f"{what(plan, q)}共 {len(rows)} 个，预算合计 {money(total)}。" if field == "budget_total"
            else f"{what(plan, q)}共 {len(rows)} 条，目标值合计 {number(total)}{unit}。"]
    key, name = _key(plan)
    groups = groups_of(rows, key)
    if len(groups) > 1 or plan.group_by:
        text.append(f"按{name}：")
        for k, members in groups:
            values = [m[field] for m in members if m.get(field) is not None]
            total = money(sum(values)) if values else "预算均未识别"
            text.append(f"• {group_label(key, k)}：{len(members)} 个，合计 {total}"
                        f"（{'、'.join(m['project'] for m in members[:8])}{'等' if len(members) > 8 else ''}）")
    missing = [r for r in rows if r.get(field) is None]
    if missing:
        lacking = "项目预算" if field == "budget_total" else "指标目标值"
        text.append(f"另有 {len(missing)} 个{lacking}未识别，未计入合计："
                    + "、".join(r["project"] for r in missing[:10]) + ("等" if len(missing) > 10 else ""))
    table = group_table(groups, field, name) if len(groups) > 1 or plan.group_by else None
    return answer_of("\n".join(text), plan, rows, table=table)


def _avg(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    field, unit = _measure(plan, q)
    if field == "value":  # average only comparable values: the most common unit
        common = Counter(r.get("unit") for r in rows if r.get("value") is not None).most_common(1)
        unit = (common[0][0] or "") if common else unit
        rows = [r for r in rows if r.get("value") is not None and r.get("unit") == (unit or None)]
    known = [r[field] for r in rows if r.get(field) is not None]
    if not known:
        return none(plan, q)
    avg = sum(known) / len(known)
    shown = money(avg) if field == "budget_total" else f"{number(round(avg, 2))}{unit}"
    text = [f"{what(plan, q)}平均{'预算' if field == 'budget_total' else '目标值'} {shown}（{len(known)} 个有数值）。"]
    key, _ = _key(plan)
    groups = groups_of(rows, key)
    if len(groups) > 1 or plan.group_by:
        for k, members in groups:
            values = [m[field] for m in members if m.get(field) is not None]
            if values:
                mean = sum(values) / len(values)
                shown = money(mean) if field == "budget_total" else f"{number(round(mean, 2))}{unit}"
                text.append(f"• {group_label(key, k)}：平均 {shown}（{len(values)} 个）")
    return answer_of("\n".join(text), plan, rows)


def _top(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    field, _ = _measure(plan, q)
    if plan.subject == "department":
        groups = sorted(group_table(groups_of(rows), field, "部门"), key=lambda g: g["合计"] or 0,
                        reverse=plan.descending)[:plan.top_n or 1]
        text = [f"{'最高' if plan.descending else '最低'}：",
                *(f"• {g['部门']}：{g['数量']} 个，合计 {money(g['合计'])}" for g in groups)]
        return answer_of("\n".join(text), plan, rows, table=groups)
    if plan.group_by:
        return _top_per_group(plan, q, rows, field)
    ranked = aggregate(rows, q.model_copy(update={"order_by": "budget" if field == "budget_total" else "value",
                                                  "descending": plan.descending}))["rows"]
    if not ranked:
        return none(plan, q)
    n = plan.top_n or 1
    top = ranked[:n]
    if "top_n" not in plan.stated or n == 1:  # 最高的 without a count: every row tied with the first
        top = [r for r in ranked if r[field] == top[-1][field]] if n == 1 else top
    word = "最高" if plan.descending else "最低"
    text = [f"{'预算' if field == 'budget_total' else '目标值'}{word}的{what(plan, q)}：",
            *(f"{i}. {render.describe_record(r)}（{r.get('department')}）" for i, r in enumerate(top, 1))]
    return answer_of("\n".join(text), plan, top)


def _compare(plan: Plan, q: Query, rows: list[Row], projects: list[Row]) -> Answer:
    if not rows:
        return none(plan, q)
    key, name = _key(plan)
    table = group_table(groups_of(rows, key), _field(q), name)
    text = [f"按{name}对比{what(plan, q)}："]
    for g in table:
        total = f"，合计 {money(g['合计'])}" if "合计" in g else ""
        text.append(f"• {group_label(key, g[name])}：{g['数量']} {'个' if q.subject == 'project' else '条'}{total}")
    return answer_of("\n".join(text), plan, rows, table=table)


def _top_per_group(plan: Plan, q: Query, rows: list[Row], field: str) -> Answer:
    """各部门预算最大的项目: the best record of every group, not one overall."""
    key, name = _key(plan)
    best = top_per_group(rows, key, field, plan.top_n or 1, plan.descending)
    word = ("预算" if field == "budget_total" else "目标值") + ("最高" if plan.descending else "最低")
    text = [f"各{name}{word}的{what(plan, q)}："]
    for label, members in best:
        shown = "；".join(render.describe_record(m) for m in members) or f"{word.removeprefix('预算')}未识别"
        text.append(f"• {label}：{shown}")
    return answer_of("\n".join(text), plan, [m for _, members in best for m in members])


def _audit(plan: Plan, services: Services, projects: list[Row]) -> Answer:
    """Questions the review rules answer, from the findings on the stored documents."""
    found = project_findings(services, projects, plan.rules)
    rule = "、".join(f"“{t}”" for t in found.titles)
    if not found.rows:
        return answer_of(f"按审核规则{rule}检查，没有发现问题项目。", plan, [])
    text = [f"按审核规则{rule}，以下 {len(found.rows)} 个项目有问题：",
            *(f"• {r['project']}（{r.get('department') or '部门未识别'}）：{r['matched']}" for r in found.rows[:20])]
    if len(found.rows) > 20:
        text.append(f"……共 {len(found.rows)} 个，其余见表格。")
    return answer_of("\n".join(text), plan, found.rows)


def _refuse(plan: Plan, services: Services, projects: list[Row]) -> Answer:
    """A question the plan cannot express: say so, suggest forms that work; neighbours only as labelled text."""
    text = ["这个问题目前无法按可核对的统计来回答：能计算的是项目数、指标数（可限定满意度、定量、定性）、"
            "项目预算合计和指标占比，按部门、年度、一级指标或项目比较。",
            "可以这样问：" + "／".join(EXAMPLES)]
    words = plan.topics + plan.unknown
    near = _semantic(plan.model_copy(update={"subject": "project"}), services, projects) if words else []
    if near:
        text += ["以下是语义检索最接近的结果，仅供参考，并非对问题的回答：",
                 *(f"• {r['project']}（{r.get('department')}）" for r in near)]
    return Answer(answer="\n".join(text), plan=plan)
