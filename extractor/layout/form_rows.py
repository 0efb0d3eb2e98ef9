"""Single rows of a form read on their own: labels above the table, a year cell, a form title, an indicator row."""

from __future__ import annotations

import itertools
import re

from extractor.layout.forms import ProjectDraft, project_label_row, set_field
from extractor.layout.indicators import IndicatorHeader
from extractor.layout.vocabulary import is_level1, is_level2
from extractor.textnorm import squash


def fill_from_labels(draft: ProjectDraft, labels: list[tuple[str, str, str]]) -> None:
    """Fill a form's empty fields from "项目名称：…" lines printed above its table."""
    # Only what the table itself left empty: narrative "绩效目标：…" paragraphs must not override the form.
    empty = {"name": draft.name is None, "code": draft.code is None, "unit": draft.unit is None,
             "period": draft.period is None, "goal": draft.goal is None, "midterm_goal": draft.midterm_goal is None,
             **{k: getattr(draft.budget, k) is None for k in ("total", "fiscal", "other", "carryover")}}
    for f, value, label in reversed(labels):  # the line nearest the table wins
        if empty.get(f):
            set_field(draft, f, value, label)
            empty[f] = False


_YEAR_LABEL = re.compile(r"^(预算|申报|填报|实施|绩效)?年度$|^(预算|申报|填报)年份$")


def year_label(row: list[str]) -> int | None:
    """"预算年度 | 2025" (or "2025年"): the form's year in a labelled cell."""
    filled = [t for t in row if t and t.strip()]
    for label, value in itertools.pairwise(filled):
        year = re.fullmatch(r"(20\d{2})\s*年?度?", squash(value))
        if year and _YEAR_LABEL.match(squash(label).rstrip(":：")):
            return int(year.group(1))
    return None


def form_title(row: list[str]) -> str | None:
    """A row that only prints a form's title ("项目支出绩效目标表"): the next form starts below it."""
    filled = [t for t in row if t and t.strip()]
    if len(filled) != 1:
        return None
    t = squash(filled[0])
    return t if len(t) <= 60 and "绩效" in t and re.search(r"(目标|申报)表$", t) else None


def looks_like_indicator(row: list[str], header: IndicatorHeader) -> bool:
    """Inside an indicator block a row is an indicator unless it holds a project-level label.

    A row printing a level name is an indicator whatever else it prints: "成本指标 | 租赁资金 | =100%" names a cost
    indicator, not a 资金 label with the budget beside it.
    """
    return any(t and (is_level1(t) or is_level2(t)) for t in row) or not project_label_row(row)
