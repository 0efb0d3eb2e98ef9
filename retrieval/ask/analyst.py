"""Analyst answers (pure): ranks, named comparisons, shares, totals by kind; each first says what it computed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retrieval.ask import markdown as render
from retrieval.ask.answers import Answer, Plan
from retrieval.ask.compose import topic_label
from retrieval.ask.grouped import GROUP_NAMES, group_label
from retrieval.ask.markdown import groups_of, money, number
from retrieval.ask.tools import Query, Row, select_rows
from retrieval.ask.vocabulary import TOPIC_SYNONYMS
from retrieval.store.queries import short_department

PART_TEST: dict[str, Callable[[Row], bool]] = {
    "satisfaction": lambda i: "满意度" in (i.get("level1") or "") or "满意度" in (i.get("level2") or ""),
    "quantitative": lambda i: i.get("qualitative") is False,
    "qualitative": lambda i: i.get("qualitative") is True,
}
PART_NAME = {"satisfaction": "满意度指标", "quantitative": "定量指标", "qualitative": "定性指标"}
PART_RULE = {"satisfaction": "（一级或二级指标含“满意度”）", "quantitative": "（有可计量目标值的指标）",
             "qualitative": "（目标为文字描述的指标）"}


def _part(plan: Plan, i: Row) -> bool:
    return plan.part is None or PART_TEST[plan.part](i)


def _units(plan: Plan, projects: list[Row]) -> list[Row]:
    """What is counted: 项目支出 forms, or indicators (of every form; of 项目支出 forms when ranking projects).

    Topic words and indicator filters (信息化, 反向) select rows as the record path does, so both read them alike.
    """
    kind = "project" if plan.counted == "project" or plan.group_by == "project" else None
    return select_rows(projects, Query(
        subject="project" if plan.counted == "project" else "indicator", project_kind=kind, terms=plan.topics,
        project_terms=[w for t in plan.topics for w in TOPIC_SYNONYMS.get(t, ())], direction=plan.direction,
        qualitative=plan.qualitative, indicator_unit=plan.unit))


def _figure(plan: Plan, members: list[Row]) -> tuple[float, list[Row]]:
    """A group's figure and the rows it is made of (the citations)."""
    if plan.metric == "budget":
        return round(sum(m.get("budget_total") or 0 for m in members), 2), members
    if plan.metric == "avg":
        known = [m["budget_total"] for m in members if m.get("budget_total") is not None]
        return (round(sum(known) / len(known), 2) if known else 0.0), members
    counted = [m for m in members if _part(plan, m)]
    if plan.metric == "share":
        return (round(100 * len(counted) / len(members), 1) if members else 0.0), counted
    return float(len(counted)), counted


def _shown(plan: Plan, value: float) -> str:
    if plan.metric in ("budget", "avg"):
        return money(value)
    unit = "个" if plan.counted == "project" else "条"
    return f"{number(value)}%" if plan.metric == "share" else f"{number(value)} {unit}"


def measure_words(plan: Plan) -> str:
    """满意度指标数量（一级或二级指标含“满意度”） / 项目支出预算合计: the figure, defined."""
    label = topic_label(plan)  # “信息化”相关 / 反向: the filters, so the figure is not read as all rows
    if plan.counted == "project":
        what = {"budget": "的预算合计（万元）", "avg": "的平均预算（万元）"}.get(plan.metric or "", "的项目数量")
        return f"{label}项目支出{what}"
    name = label + PART_NAME.get(plan.part or "", "绩效指标")
    rule = PART_RULE.get(plan.part or "", "（含部门整体支出表的指标）" if plan.group_by != "project" else "")
    if plan.metric == "share":
        return f"{name}占全部指标的比例{rule}"
    return f"{name}数量{rule}"


def describe(plan: Plan) -> str:
    """The plan in plain Chinese, first line of every analyst answer, so a reader can check what was computed."""
    where = f"（{'、'.join(plan.departments)}）" if plan.departments and plan.intent != "versus" else ""
    year = f"{plan.fiscal_year}年度" if plan.fiscal_year else ""
    if plan.intent == "kinds":
        return f"{year}分别统计部门整体支出与项目支出的预算{where}（两者口径不同，不相加）："
    if plan.intent == "versus":
        names = "与".join(short_department(d) for d in plan.departments)
        return f"{year}比较{names}的{measure_words(plan)}，并计算差额："
    if plan.intent == "years":
        return f"按部门、按年度统计{measure_words(plan)}{where}，与上一个存有的年度相比："
    if plan.intent == "share":
        by = "按部门" if plan.group_by == "department" else ""
        return f"{year}{by}统计{measure_words(plan)}{where}："
    group = plan.group_by or "department"
    by = "按项目（项目支出，不含部门整体支出）" if group == "project" else f"按{GROUP_NAMES[group]}"
    high = plan.metric in ("share", "budget", "avg")
    pick = ("最高" if plan.descending else "最低") if high else ("最多" if plan.descending else "最少")
    n = plan.top_n or 1
    take = f"{pick}的前 {n} 名（与第 {n} 名并列的一并列出）" if n > 1 else f"{pick}（并列者一并列出）"
    return f"{year}{by}统计{measure_words(plan)}{where}，取{take}："


def _key(plan: Plan) -> str:
    return {"project": "project_id"}.get(plan.group_by or "department", plan.group_by or "department")


def _row(plan: Plan, label: Any, value: float, members: list[Row], cited: list[Row]) -> dict[str, Any]:
    """One table row: a group's figure (for a project: a record row naming the project)."""
    if plan.group_by == "project" and plan.intent == "rank":
        return {"部门": members[0].get("department"), "项目": members[0].get("project"), "指标数": int(value)}
    name = GROUP_NAMES[plan.group_by or "department"] if plan.intent == "rank" else "部门"
    row: dict[str, Any] = {name: label, "数量": len(members)}
    if plan.metric == "budget":
        row["合计"] = value
    elif plan.metric == "avg":
        row["平均"] = value
    elif plan.metric == "share":
        row.update({"占比（%）": value, "计入": len(cited)})
    else:
        row["数量"] = int(value)
    return row


def _label(plan: Plan, key: Any, members: list[Row]) -> str:
    if plan.group_by == "project":
        return f"{members[0].get('project')}（{members[0].get('department')}）"
    return group_label(plan.group_by or "department", key)


def _groups(plan: Plan, projects: list[Row]) -> list[tuple[Any, float, list[Row], list[Row]]]:
    key = "department" if plan.intent in ("versus", "share") else _key(plan)
    out = []
    for value, members in groups_of(_units(plan, projects), key):
        figure, cited = _figure(plan, members)
        out.append((value, figure, members, cited))
    return out


def _rank(plan: Plan, projects: list[Row]) -> Answer:
    groups = sorted(_groups(plan, projects), key=lambda g: g[1], reverse=plan.descending)
    if not groups:
        return Answer(answer=describe(plan) + "\n没有可统计的记录。", plan=plan)
    n = min(plan.top_n or 1, len(groups))
    cut = groups[n - 1][1]
    best = [g for g in groups if (g[1] >= cut if plan.descending else g[1] <= cut)]
    tie = "（并列）" if len(best) > n or (n == 1 and len(best) > 1) else ""
    text = [describe(plan), *(f"{i}. {_label(plan, k, m)}：{_shown(plan, v)}{tie if v == cut else ''}"
                              for i, (k, v, m, _) in enumerate(best, 1))]
    if plan.group_by != "project" and len(groups) > len(best):
        rest = groups[len(best):]
        text.append("其余：" + "；".join(f"{_label(plan, k, m)} {_shown(plan, v)}" for k, v, m, _ in rest))
    table = [_row(plan, k, v, m, c) for k, v, m, c in best]
    return Answer(answer="\n".join(text), table=table, citations=render.citations([r for *_, c in best for r in c]),
                  plan=plan)


def _versus(plan: Plan, projects: list[Row]) -> Answer:
    by_name = {k: (v, m, c) for k, v, m, c in _groups(plan, projects)}
    figures = [(d, *by_name.get(d, (0.0, [], []))) for d in plan.departments]
    text = [describe(plan), *(f"• {d}：{_shown(plan, v)}" for d, v, _, _ in figures)]
    (a, va, _, _), (b, vb, _, _) = figures[0], figures[1]
    if va == vb:
        text.append(f"两者相同：{_shown(plan, va)}。")
    else:
        hi, lo = (a, b) if va > vb else (b, a)
        gap = round(abs(va - vb), 2)
        unit = "个百分点" if plan.metric == "share" else ""
        text.append(f"{short_department(hi)}更{'多' if plan.metric != 'share' else '高'}，"
                    f"比{short_department(lo)}{'多' if plan.metric != 'share' else '高'} "
                    f"{_shown(plan, gap) if plan.metric != 'share' else number(gap) + ' ' + unit}。")
    table = [_row(plan, d, v, m, c) for d, v, m, c in figures]
    return Answer(answer="\n".join(text), table=table, citations=render.citations([r for *_, c in figures for r in c]),
                  plan=plan)


def _share(plan: Plan, projects: list[Row]) -> Answer:
    groups = _groups(plan, projects)
    units = [u for *_, m, _ in groups for u in m]
    total, cited = _figure(plan, units)
    text = [describe(plan), f"合计：{number(total)}%（{len(cited)} / {len(units)} 条）"]
    if plan.group_by == "department" or len(groups) > 1:
        text += [f"• {group_label('department', k)}：{number(v)}%（{len(c)} / {len(m)} 条）" for k, v, m, c in groups]
    table = [_row(plan, k, v, m, c) for k, v, m, c in groups]
    return Answer(answer="\n".join(text), table=table, citations=render.citations(cited), plan=plan)


def _kinds(plan: Plan, projects: list[Row]) -> Answer:
    text = [describe(plan)]
    table = []
    for kind, name in (("overall", "部门整体支出"), ("project", "项目支出")):
        forms = [p for p in projects if p.get("kind") == kind]
        known = [p["budget_total"] for p in forms if p.get("budget_total") is not None]
        missing = f"，另有 {len(forms) - len(known)} 张预算未识别" if len(known) < len(forms) else ""
        text.append(f"• {name}：{len(forms)} 张表，预算合计 {money(round(sum(known), 2))}{missing}")
        table.append({"类别": name, "表数": len(forms), "预算合计（万元）": round(sum(known), 2)})
    return Answer(answer="\n".join(text), table=table, citations=render.citations(projects), plan=plan)


def _change(plan: Plan, before: float, after: float) -> str:
    gap = round(after - before, 2)
    sign = "+" if gap >= 0 else "−"
    rate = f"，{sign}{number(round(abs(gap) / before * 100, 1))}%" if before else ""
    return f"{sign}{_shown(plan, abs(gap))}{rate}"


def _years(plan: Plan, projects: list[Row]) -> Answer:
    """Each department's figure per stored fiscal year, and the change from its previous stored year."""
    text, table, cited_all = [describe(plan)], [], []
    compared = 0
    for department, members in groups_of(_units(plan, projects), "department"):
        if plan.departments and department not in plan.departments:
            continue
        years = sorted(groups_of(members, "fiscal_year"), key=lambda g: (g[0] is None, g[0] or 0))
        parts, previous = [], None
        for year, rows in years:
            value, cited = _figure(plan, rows)
            cited_all += cited
            change = f"（{_change(plan, previous, value)}）" if previous is not None else ""
            parts.append(f"{year or '年度不详'}年 {_shown(plan, value)}{change}")
            table.append({"部门": department, "年度": year, "数值": value,
                          "变化": _change(plan, previous, value) if previous is not None else ""})
            previous = value
        compared += len(years) > 1
        text.append(f"• {short_department(department)}：" + " → ".join(parts))
    if not table:
        text.append("没有可统计的记录。")
    elif not compared:
        text.append("每个部门只存有一个年度的文件，无法计算逐年变化；存入同一部门其他年度的公开文件后即可比较。")
    return Answer(answer="\n".join(text), table=table, citations=render.citations(cited_all), plan=plan)


def counted_rows(plan: Plan, projects: list[Row]) -> list[Row]:
    """The rows an analyst plan counts (what the LLM may cite)."""
    return [u for u in _units(plan, projects) if plan.metric in ("budget", "avg") or _part(plan, u)]


def answer_analyst(plan: Plan, projects: list[Row]) -> Answer:
    """Answer a rank / versus / share / kinds / years plan from the loaded projects."""
    handler = {"rank": _rank, "versus": _versus, "share": _share, "kinds": _kinds, "years": _years}[plan.intent]
    return handler(plan, projects)
