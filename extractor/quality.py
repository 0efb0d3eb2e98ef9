"""Does an extraction look complete? Shares of filled fields, money units, unread columns -> needs_review + reasons.

Pure functions over the document and what the mapper reported; the thresholds come from the settings.
"""

from __future__ import annotations

import re
from statistics import median

from extractor.cells import money_unit
from extractor.grid import DocumentGrid, Table
from extractor.schema import Document, LevelNote, Problem, Quality
from kernel.settings import Thresholds

_DIGIT = re.compile(r"\d|百分之")
# Dates and deadlines print numbers that are no value ("12月底前完成"): they do not count against with_value.
_DATE_LIKE = re.compile(r"\d{1,4}\s*(年|月|日|号)|[：:]\d{2}")

REVIEW_BELOW_CONFIDENCE = 0.8  # a rules or LLM reading less sure than this waits for a person


def money_unit_printed(grid: DocumentGrid) -> bool:
    """True when any short line or cell states a money unit (单位：万元, 金额（元）, 预算数（千元）)."""
    for block in grid.blocks:
        texts = [c.text for c in block.cells] if isinstance(block, Table) else [block.text]
        if any(len(t) <= 40 and money_unit(t) for t in texts if t):
            return True
    return False


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def assess(document: Document | None, unmapped: list[Problem], unmapped_columns: list[str],
           money_printed: bool, limits: Thresholds | None = None, levels_printed: int = 0) -> Quality:
    """Shares of filled fields and the reasons (in Chinese) a person must look at this document."""
    limits = limits or Thresholds()
    if document is None:
        return Quality()
    indicators = [i for p in document.projects for i in p.indicators]
    n = len(indicators)
    numeric = [i for i in indicators if _DIGIT.search(i.target) and not _DATE_LIKE.search(i.target)]
    forms = [p for p in document.projects if p.indicators or p.goal]
    budgets = [p.budget.total for p in forms if p.budget.total is not None]
    any_amount = any(p.budget.total is not None or p.budget.fiscal is not None for p in document.projects)
    quality = Quality(
        indicators=n,
        with_target=sum(1 for i in indicators if i.target) / n if n else 1.0,
        with_levels=sum(1 for i in indicators if i.level2) / n if n else 1.0,
        with_value=sum(1 for i in numeric if i.value is not None) / len(numeric) if numeric else 1.0,
        budgets_found=len(budgets) / len(forms) if forms else 1.0,
        money_unit="printed" if money_printed else "assumed" if any_amount else "none",
        unmapped_columns=unmapped_columns,
        unmapped_rows=len(unmapped),
    )
    reasons = []
    if not n and levels_printed >= 8:  # a real indicator table prints many; a budget note may name a few
        reasons.append(f"文件中有 {levels_printed} 处绩效指标层级名称（产出指标、数量指标等），但未能识别出任何指标")
    elif document.projects and not n:
        reasons.append(f"找到 {len(document.projects)} 个项目，但没有读到任何绩效指标")
    if n and quality.with_target < limits.min_target:
        reasons.append(f"{_pct(1 - quality.with_target)} 的指标没有读到指标值（指标值列的表头可能无法识别）")
    if n and quality.with_levels < limits.min_levels:
        reasons.append(f"{_pct(1 - quality.with_levels)} 的指标缺少二级指标")
    if numeric and quality.with_value < limits.min_value:
        reasons.append(f"{_pct(1 - quality.with_value)} 含数字的指标值未能读出数值")
    if len(forms) >= 2 and quality.budgets_found < limits.min_budget:
        reasons.append(f"{_pct(1 - quality.budgets_found)} 的项目没有读到预算金额")
    if quality.money_unit == "assumed" and budgets and median(budgets) > limits.large_budget_wan:
        reasons.append(f"金额未注明单位，已按万元读取，但项目预算中位数为 {median(budgets):,.0f} 万元，可能以元为单位")
    if unmapped_columns:
        reasons.append(f"{len(unmapped_columns)} 列有内容但未能识别：{'、'.join(unmapped_columns[:5])}")
    if n and len(unmapped) > limits.max_unmapped_rows * n:
        reasons.append(f"{len(unmapped)} 行无法映射到指标")
    quality.reasons = reasons
    quality.needs_review = bool(reasons)
    return quality


def level_notes(document: Document) -> list[LevelNote]:
    """Indicators whose 一级 name was read as the framework's, with the text as printed."""
    return [LevelNote(project_index=p, indicator_index=i, printed=ind._printed_level1, read_as=ind.level1)
            for p, project in enumerate(document.projects) for i, ind in enumerate(project.indicators)
            if ind._printed_level1]
