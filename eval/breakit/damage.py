"""Damaged readings: what readers get wrong, made on purpose from a correct reading (pure, seeded).

Each damage takes a correct Document and a seeded random generator and returns the damaged copy, or None when
the reading has nothing it could damage (one project only, no budget…) or the damage would change nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from extractor.schema import Document, Project

Damage = Callable[[Document, random.Random], Document | None]
LABELS = ("项目名称", "主管部门", "实施单位", "绩效指标", "计划开始日期", "项目资金", "年度资金总额", "一级指标")
INDICATOR_LABELS = ("计划完成时间：", "实施周期：", "责任单位：", "资金总额：", "项目名称", "指标值")


def _with_projects(doc: Document, projects: list[Project]) -> Document:
    return doc.model_copy(update={"projects": projects}, deep=True)


def row_dropped(doc: Document, rng: random.Random) -> Document | None:
    """One indicator row left out."""
    ks = [k for k, p in enumerate(doc.projects) if p.indicators]
    if not ks:
        return None
    projects = [p.model_copy(deep=True) for p in doc.projects]
    k = rng.choice(ks)
    del projects[k].indicators[rng.randrange(len(projects[k].indicators))]
    return _with_projects(doc, projects)


def boundary_moved(doc: Document, rng: random.Random) -> Document | None:
    """A project boundary moved by one row: the last row of one project read as the first of the next, or back."""
    ks = [k for k in range(len(doc.projects) - 1) if doc.projects[k].indicators and doc.projects[k + 1].indicators]
    if not ks:
        return None
    projects = [p.model_copy(deep=True) for p in doc.projects]
    k = rng.choice(ks)
    if rng.random() < 0.5:
        projects[k + 1].indicators.insert(0, projects[k].indicators.pop())
    else:
        projects[k].indicators.append(projects[k + 1].indicators.pop(0))
    return _with_projects(doc, projects)


def budget_zeroed(doc: Document, rng: random.Random) -> Document | None:
    """A project's total written as 0 (a label row read as its amount)."""
    ks = [k for k, p in enumerate(doc.projects) if p.budget.total]
    if not ks:
        return None
    projects = [p.model_copy(deep=True) for p in doc.projects]
    projects[rng.choice(ks)].budget.total = 0.0
    return _with_projects(doc, projects)


def budget_wrong_row(doc: Document, rng: random.Random) -> Document | None:
    """A project's total taken from another row: another project's total or its own other part."""
    choices = []
    for k, p in enumerate(doc.projects):
        if p.budget.total is None:
            continue
        others = {q.budget.total for q in doc.projects if q.budget.total is not None}
        others |= {v for v in (p.budget.fiscal, p.budget.other, p.budget.carryover) if v is not None}
        choices += [(k, v) for v in sorted(others) if abs(v - p.budget.total) > 0.01]
    if not choices:
        return None
    k, value = rng.choice(choices)
    projects = [p.model_copy(deep=True) for p in doc.projects]
    projects[k].budget.total = value
    return _with_projects(doc, projects)


def label_as_name(doc: Document, rng: random.Random) -> Document | None:
    """A form label, a target or a level name read as a project's name."""
    if not doc.projects:
        return None
    projects = [p.model_copy(deep=True) for p in doc.projects]
    k = rng.randrange(len(projects))
    pool = list(LABELS) + [i.target for i in projects[k].indicators if i.target][:3] + ["产出指标", "满意度指标"]
    projects[k].name = rng.choice(pool)
    return _with_projects(doc, projects)


def forms_merged(doc: Document, rng: random.Random) -> Document | None:
    """Two consecutive forms read as one project."""
    if len(doc.projects) < 2:
        return None
    projects = [p.model_copy(deep=True) for p in doc.projects]
    k = rng.randrange(len(projects) - 1)
    projects[k].indicators += projects.pop(k + 1).indicators
    return _with_projects(doc, projects)


def unit_lost(doc: Document, rng: random.Random) -> Document | None:
    """Amounts not converted to 万元 (or converted twice): every budget figure off by 10000."""
    factor = 10000.0 if rng.random() < 0.5 else 1 / 10000.0
    projects = [p.model_copy(deep=True) for p in doc.projects]
    changed = False
    for p in projects:
        for part in ("total", "fiscal", "other", "carryover"):
            value = getattr(p.budget, part)
            if value:
                setattr(p.budget, part, value * factor)
                changed = True
    return _with_projects(doc, projects) if changed else None


def label_as_indicator_name(doc: Document, rng: random.Random) -> Document | None:
    """A "label：value" target split into a label and a value: the label taken for the indicator's name."""
    rows = [(k, i) for k, p in enumerate(doc.projects) for i in range(len(p.indicators))]
    if not rows:
        return None
    projects = [p.model_copy(deep=True) for p in doc.projects]
    k, i = rng.choice(rows)
    projects[k].indicators[i].name = rng.choice(INDICATOR_LABELS)
    return _with_projects(doc, projects)


def goal_as_period(doc: Document, rng: random.Random) -> Document | None:
    """A goal that starts with a label word (实施周期：…) read as the project's period."""
    goals = [k for k, p in enumerate(doc.projects) if p.goal]
    if not goals:
        return None
    projects = [p.model_copy(deep=True) for p in doc.projects]
    k = rng.choice(goals)
    projects[k].period, projects[k].goal = projects[k].goal, None
    return _with_projects(doc, projects)


DAMAGES: dict[str, Damage] = {
    "row_dropped": row_dropped, "boundary_moved": boundary_moved, "budget_zeroed": budget_zeroed,
    "budget_wrong_row": budget_wrong_row, "label_as_name": label_as_name, "forms_merged": forms_merged,
    "unit_lost": unit_lost, "label_as_indicator_name": label_as_indicator_name, "goal_as_period": goal_as_period,
}
