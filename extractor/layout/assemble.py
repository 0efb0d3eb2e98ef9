"""Assemble: the mapper's project drafts become projects, and the department is settled from what they print."""

from __future__ import annotations

from extractor.layout.forms import ProjectDraft, clean_department, unit_line
from extractor.layout.periods import fold_periods
from extractor.layout.rebalance import rebalance_page_breaks
from extractor.schema import Problem, Project


def assemble(drafts: list[ProjectDraft], department: str | None, title_department: str | None,
             problems: list[Problem]) -> tuple[list[Project], str | None]:
    """Projects from the drafts that are forms, and the department (read before, or from a form's unit line)."""
    for d in drafts:
        d.indicators = fold_periods(d.indicators, d.period_blocks)
    rebalance_page_breaks(drafts)
    out = []
    for d in drafts:
        if d.empty or (not d.name and not d.indicators and not d.goal):
            continue  # a budget table with a 预算数 cell is not a performance-goal form
        if d.name_from_value and not d.indicators and not d.goal:
            continue  # a value-read "name" with nothing of a form after it is a budget table's cell
        name = d.name
        kind = d.kind
        if not name:
            if d.unit and not d.has_name_label:
                name, kind = d.unit, "overall"
            elif kind == "overall" and (department or title_department):
                name = department or title_department  # 整体支出: the form is the department's
            else:
                name = "（未命名项目）"
                problems.append(Problem(page=d.page, message="表格中找不到项目名称"))
        if d.department:
            department = department or clean_department(d.department)
        if d.unit and (kind == "overall" or unit_line(d.unit)):
            # the reporting unit printed on the form is the department when nothing else names it
            department = department or clean_department(d.unit)
        out.append(Project(kind=kind, name=name, code=d.code, unit=d.unit, budget=d.budget,
                           period=d.period, goal=d.goal, midterm_goal=d.midterm_goal,
                           indicators=d.indicators, page=d.page))
    return out, department
