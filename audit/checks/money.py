"""Money: cost targets against the project budget, budget parts against their total, projects against the whole."""

from __future__ import annotations

import re

from audit.model import RuleSpec
from audit.registry import Context, Hit, document_check, indicator_check, project_check
from audit.vocab import is_cost, num, own_name, project_label, quoted
from extractor.schema import Document, Indicator, Project

_CURRENCY = re.compile(r"^(亿元|万元|千元|元)(?:/(年|月|季度|季))?$")
_TO_WAN = {"亿元": 10000.0, "万元": 1.0, "千元": 0.1, "元": 0.0001}
_PER_YEAR = {None: 1.0, "年": 1.0, "月": 12.0, "季": 4.0, "季度": 4.0}


def annual_wan(value: float, unit: str | None) -> tuple[float, bool] | None:
    """An amount in 万元 per year and whether a period was scaled (元/月 × 12), or None when not money per project."""
    if unit is None:
        return None
    m = _CURRENCY.match(unit.replace(" ", "").replace("／", "/"))
    if m is None:
        return None  # 元/人, 元/天…: a unit cost, not comparable with the project total
    return value * _TO_WAN[m.group(1)] * _PER_YEAR[m.group(2)], m.group(2) in ("月", "季", "季度")


@indicator_check("MONEY-COST-OVER-BUDGET")
def cost_over_budget(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """A cost amount (units converted to 万元 a year) above the project's annual total."""
    budget = project.budget.total
    if budget is None or budget <= 0 or ind.value is None:
        return None
    if not (is_cost(ind) or any(w in own_name(ind) for w in spec.words("spending_words"))):
        return None
    if any(w in own_name(ind) for w in spec.words("per_unit_words")):
        return None
    amount = annual_wan(ind.value, ind.unit)
    if amount is None:
        return None
    wan, scaled = amount
    if wan <= budget * (1 + spec.number("tolerance")):
        return None
    how = f"，折合全年{num(wan)}万元" if scaled or ind.unit not in ("万元", "万元/年") else ""
    return (f"指标“{quoted(ind.name)}”的金额“{quoted(ind.target)}”{how}，超过项目年度资金总额{num(budget)}万元，"
            f"成本目标与预算不一致。")


@project_check("MONEY-BUDGET-PARTS")
def budget_parts(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """财政拨款 + 其他资金 + 上年结转 (those printed) differ from the printed total."""
    b = project.budget
    parts = {"财政拨款": b.fiscal, "其他资金": b.other, "上年结转": b.carryover}
    printed = {k: v for k, v in parts.items() if v is not None}
    if b.total is None or not printed:
        return []
    total = sum(printed.values())
    if abs(total - b.total) <= spec.number("tolerance"):
        return []
    terms = " + ".join(f"{k}{num(v)}" for k, v in printed.items())
    return [Hit(f"项目“{project_label(project)}”的资金来源（{terms}）合计{num(total)}万元，"
                f"与年度资金总额{num(b.total)}万元不符。")]


@document_check("MONEY-PROJECTS-OVER-OVERALL")
def projects_over_overall(document: Document, ctx: Context, spec: RuleSpec) -> list[tuple[int, Hit]]:
    """The project forms' annual totals add up to more than the one 整体支出 form's total."""
    overall = [(n, p.budget.total) for n, p in enumerate(document.projects)
               if p.kind == "overall" and p.budget.total]
    if len(overall) != 1:
        return []  # several units' overall forms: which projects belong to which is not printed
    index, whole = overall[0]
    projects = [(p.name, p.budget.total) for p in document.projects
                if p.kind == "project" and p.budget.total is not None]
    total = sum(t for _, t in projects)
    if not projects or total <= whole + spec.number("tolerance"):
        return []
    name, largest = max(projects, key=lambda p: p[1])
    return [(index, Hit(f"本表{len(projects)}个项目的年度资金合计{num(total)}万元，超过整体支出金额合计"
                        f"{num(whole)}万元（其中“{quoted(name)}”{num(largest)}万元）。"))]
