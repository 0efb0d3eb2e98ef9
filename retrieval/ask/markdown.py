"""How answers print: numbers, table rows, citations and the scope line (pure)."""

from __future__ import annotations

from typing import Any

from retrieval.ask.answers import Answer, Citation, Plan
from retrieval.ask.tools import Row, citation
from retrieval.ask.vocabulary import Vocabulary

MAX_LINES = 20  # the text lists this many rows; the table holds them all


def money(x: float | None) -> str:
    """A budget in 万元 as printed (2 decimals), or 预算未识别."""
    return "预算未识别" if x is None else f"{x:.2f} 万元"


def number(x: float | None) -> str:
    """A target value without trailing zeros (80, 84.6, 0.87)."""
    if x is None:
        return "—"
    return f"{x:.4f}".rstrip("0").rstrip(".")


def year(y: int | None) -> str:
    """（2023年） or nothing."""
    return f"（{y}年）" if y else ""


def project_row(r: Row) -> dict[str, Any]:
    """A project as a table row."""
    return {"部门": r.get("department"), "年度": r.get("fiscal_year"), "项目": r.get("project"),
            "预算（万元）": r.get("budget_total"), "依据": r.get("matched") or None, "来源": r.get("source"),
            "页码": r.get("page")}


def indicator_row(r: Row) -> dict[str, Any]:
    """An indicator as a table row."""
    return {"部门": r.get("department"), "年度": r.get("fiscal_year"), "项目": r.get("project"),
            "一级指标": r.get("level1"), "二级指标": r.get("level2"), "指标": r.get("indicator"),
            "目标值": r.get("target"), "数值": r.get("value"), "单位": r.get("unit"), "来源": r.get("source"),
            "页码": r.get("page")}


def record_row(r: Row) -> dict[str, Any]:
    """A project or an indicator row, whichever the tool row is."""
    return indicator_row(r) if r["id"].startswith("i") else project_row(r)


def citations(rows: list[Row]) -> list[Citation]:
    """One citation per distinct record, in order."""
    seen: dict[tuple[Any, ...], Citation] = {}
    for r in rows:
        c = citation(r)
        seen.setdefault((c.source, c.project, c.indicator, c.page), c)
    return list(seen.values())


def describe_record(r: Row) -> str:
    """One line for a project (with its budget) or an indicator (with its target)."""
    if r["id"].startswith("i"):
        return f"{r['project']}：{r['indicator'] or '（无名称）'}，目标 {r['target']}"
    return f"{r['project']}（{money(r.get('budget_total'))}）"


def lines(rows: list[Row], by_department: bool = True) -> list[str]:
    """Bullet lines, grouped under their department, cut at MAX_LINES."""
    out: list[str] = []
    shown = rows[:MAX_LINES]
    if by_department:
        groups: dict[str, list[Row]] = {}
        for r in shown:
            groups.setdefault(r.get("department") or "（部门未识别）", []).append(r)
        for dept, members in groups.items():
            if all(m["id"].startswith("p") for m in members):
                out.append(f"• {dept}{year(members[0].get('fiscal_year'))}："
                           + "；".join(describe_record(m) for m in members))
            else:
                out.append(f"• {dept}{year(members[0].get('fiscal_year'))}：")
                out.extend(f"  - {describe_record(m)}" for m in members)
    else:
        out.extend(f"{n}. {describe_record(r)}（{r.get('department') or '部门未识别'}）"
                   for n, r in enumerate(shown, 1))
    if len(rows) > MAX_LINES:
        out.append(f"……共 {len(rows)} 条，其余见表格。")
    return out


def groups_of(rows: list[Row], key: str = "department") -> list[tuple[Any, list[Row]]]:
    """Rows grouped by a key, in first-seen order."""
    groups: dict[Any, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.get(key), []).append(r)
    return list(groups.items())


def group_table(groups: list[tuple[Any, list[Row]]], field: str | None, key_name: str) -> list[dict[str, Any]]:
    """One table row per group: how many, the sum and mean of the field (if any), and its projects."""
    table = []
    for key, members in groups:
        row: dict[str, Any] = {key_name: key, "数量": len(members)}
        if field is not None:
            values = [m[field] for m in members if m.get(field) is not None]
            row.update({"合计": round(sum(values), 6) if values else None,
                        "平均": round(sum(values) / len(values), 6) if values else None,
                        "未识别数值": len(members) - len(values)})
        table.append(row | {"项目": "、".join(dict.fromkeys(m["project"] for m in members))})
    return table


def filter_label(plan: Plan) -> str:
    """反向 / 定性 / 单位为“人次”的: the indicator field filters of a plan, for the answer's wording."""
    parts = [{"negative": "反向", "positive": "正向"}.get(plan.direction or "", ""),
             {True: "定性", False: "定量"}.get(plan.qualitative, "") if plan.qualitative is not None else "",
             f"单位为“{plan.unit}”的" if plan.unit else ""]
    return "".join(parts)


def examples(vocab: Vocabulary) -> str:
    """Questions the offline parser understands, worded with this store's own department names."""
    short = min((a for a, names in vocab.aliases.items() if len(names) == 1), key=len, default="")
    return "／".join([f"{short}有多少个项目？" if short else "有哪些部门？", "各部门项目预算合计",
                     "哪些项目没有满意度指标？", "预算最高的三个项目"])


def scope(plan: Plan) -> str:
    """The filters the question was read with, so the user can see how it was understood."""
    parts = []
    if plan.departments:
        parts.append("部门：" + "、".join(plan.departments))
    if plan.fiscal_year:
        parts.append(f"年度：{plan.fiscal_year}")
    if plan.levels:
        parts.append(f"指标类别：{plan.level_label or '、'.join(plan.levels)}")
    if plan.topics:
        parts.append("主题：" + "、".join(plan.topics))
    if plan.comparison:
        parts.append(f"条件：{plan.comparison.text}")
    if filter_label(plan):
        parts.append(f"指标：{filter_label(plan).removesuffix('的')}")
    return "（" + "；".join(parts) + "）" if parts else ""


def as_text(answer: Answer, max_rows: int = MAX_LINES) -> str:
    """The answer for a terminal: text, the table (cut at max_rows) and the citations (`jixiao ask --format text`)."""
    out = [answer.answer]
    if answer.table:
        columns = list(dict.fromkeys(k for row in answer.table[:max_rows] for k in row))
        out += ["", "\t".join(columns)]
        out += ["\t".join("" if row.get(c) is None else str(row.get(c)) for c in columns)
                for row in answer.table[:max_rows]]
        if len(answer.table) > max_rows:
            out.append(f"……共 {len(answer.table)} 行（--format json 查看全部）")
    if answer.citations:
        out += ["", "依据："]
        out += [f"[{n}] {c.source or '?'} 第{c.page if c.page is not None else '?'}页 · {c.department or ''} · "
                f"{c.project or ''}" + (f" · {c.indicator}" if c.indicator else "")
                for n, c in enumerate(answer.citations, 1)]
    return "\n".join(out)


def display_rows(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Answer rows as people read them: empty text cells blank (never None), years as 2023年度 / 未注明."""
    numeric = {k for row in table for k, v in row.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    out = []
    for row in table:
        shown = {k: ("" if v is None and k not in numeric else v) for k, v in row.items()}
        if "年度" in row:
            shown["年度"] = f"{row['年度']}年度" if row["年度"] else "未注明"
        out.append(shown)
    return out
