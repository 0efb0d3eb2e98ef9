"""Single rows of a form read on their own: labels above the table, a year cell, a form title, an indicator row."""

from __future__ import annotations

import itertools
import re

from extractor.layout.forms import ProjectDraft, project_label_row, set_field
from extractor.layout.indicators import IndicatorHeader
from extractor.layout.vocabulary import is_level1, is_level2
from extractor.textnorm import squash

# "某区教育局2024年度部门预算项目绩效目标": a title that names the department before the year or the form's name.
TITLE_DEPT = re.compile(r"^(?P<name>[\u4e00-\u9fff（）()]{2,30}?"
                         r"(?:委员会|局|委|院|办公室|办|厅|中心|人民政府|办事处|学校|医院))"
                         r"(?=\s*(?:20\d{2}|部门|项目|单位|预算|整体|绩效))")
LABEL_LINE = re.compile(r"^(?P<label>[^:：\s]{2,12})\s*[:：]\s*(?P<value>\S.*)$")
DEPT_LINE = re.compile(r"^(?:(?:部门|单位|预算单位|部门\(单位\)|部门（单位）)名称|填报单位|申报单位|填报部门|申报部门|"
                        r"主管部门|预算部门)[:：]\s*(?P<name>.+)$")


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


# The sign-off rows that close an application form: 审核意见 blocks (主管部门 / 财政 / 第三方机构), signatures, dates.
_SIGN_OFF = re.compile(r"^(.{0,12}审核意见|审核人|审核日期|填报人|单位负责人|负责人签字|经办人)(及联系电话)?[:：]?")


def is_sign_off(row: list[str]) -> bool:
    """A row of the sign-off block under a form: it ends the indicator table and holds nothing to read."""
    filled = [squash(t) for t in row if t]
    return bool(filled) and not any(is_level1(t) or is_level2(t) for t in filled) \
        and _SIGN_OFF.match(filled[0]) is not None
