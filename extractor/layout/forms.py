"""Form tables (label | value cells): one project per form, fields found by label vocabulary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.cells import is_amount_cell, money_unit, parse_amount_wan
from extractor.layout.header_words import header_scores
from extractor.layout.names import is_date
from extractor.layout.periods import Period
from extractor.layout.vocabulary import (
    FORM_LABELS,
    GOAL_PRIORITY,
    form_field,
    header_field,
    label_key,
    without_suffix,
)
from extractor.schema import Budget, Indicator
from extractor.textnorm import squash

_UNIT_LINE = re.compile(
    r"^\d{3,}\s*[-－]?\s*(\S{2,}?(委员会|委|局|院|会|办|部|厅|中心|政府|所|站|队|处|室)(本级|机关)?)$"
)
_BUDGET_HEADS = {"总额": "total", "合计": "total", "总计": "total", "金额": "total", "资金总额": "total",
                 "年度资金总额": "total", "财政拨款": "fiscal", "其他资金": "other", "上年结转": "carryover",
                 "财政资金": "fiscal"}
_GOAL_RANK = {squash(g): i for i, g in enumerate(GOAL_PRIORITY)}


@dataclass
class ProjectDraft:
    """A project being assembled from one or more tables."""

    kind: str = "project"
    name: str | None = None
    code: str | None = None
    unit: str | None = None
    budget: Budget = field(default_factory=Budget)
    period: str | None = None
    goal: str | None = None
    goal_rank: int = 99
    midterm_goal: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    page: int | None = None
    has_name_label: bool = False
    name_from_value: bool = False  # the name was read from a value beside an unknown label, not from a known label
    money_unit: str | None = None  # what bare amounts are in, when the page says (单位：元); None = 万元
    department: str | None = None  # 主管部门 / 部门名称 printed on the form
    # Goal text that arrived on a later row (after a page break), keyed by how many indicators the draft had then.
    goal_parts: list[tuple[int, str]] = field(default_factory=list)
    # Where each indicator table of the form starts in `indicators`, and the period its caption names.
    period_blocks: list[tuple[int, Period | None]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing was read into it yet."""
        return not (self.name or self.indicators or self.goal or self.budget.total is not None)


def unit_line(text: str) -> str | None:
    """"216001中共遵化市委政法委本级" -> the unit as printed, when a cell is a coded unit line."""
    m = _UNIT_LINE.match(squash(text))
    return squash(text) if m else None


def clean_department(text: str) -> str:
    """Drop budget codes (before or after the name) and (部门)/本级 suffixes from a unit name."""
    t = re.sub(r"^\d+\s*[-－]?\s*", "", squash(text))
    t = re.sub(r"[（(\[【]\s*\d{3,}\s*[)）\]】]$|(?<=\D)\d{6,}$", "", t)  # 主管部门及代码: "某省水利厅（135001）"
    t = re.sub(r"[（(](部门|本级|单位)[)）]$", "", t)
    t = re.sub(r"(本级|机关)$", "", t)
    return re.sub(r"(?<=[会委局院办厅])部门$", "", t)


def budget_columns(row: list[str]) -> dict[str, int] | None:
    """A budget sub-header (总额 | 财政拨款 | 其他资金) -> field columns; it holds labels, never amounts."""
    if any(parse_amount_wan(t) is not None for t in row if t and not form_field(t)):
        return None
    cols: dict[str, int] = {}
    for c, t in enumerate(row):
        if c == next(i for i, x in enumerate(row) if x) and money_unit(t) and len(cols) == 0:
            continue  # "金额（千元）" heading the block: it states the unit, it heads no column
        key = without_suffix(label_key(t))
        if key in _BUDGET_HEADS and _BUDGET_HEADS[key] not in cols:
            cols[_BUDGET_HEADS[key]] = c
    return cols if len(cols) >= 2 and "fiscal" in cols else None


def _right_value(row: list[str], col: int) -> str | None:
    for t in row[col + 1:]:
        if t:
            return None if form_field(t) else t
    return None


def _below_value(rows: list[list[str]], r: int, col: int) -> str | None:
    if r + 1 < len(rows) and col < len(rows[r + 1]):
        t = rows[r + 1][col]
        if t and not form_field(t) and not header_field(t):
            return t
    return None


def apply_labels(draft: ProjectDraft, rows: list[list[str]], r: int, state: dict[str, int]) -> None:
    """Read every labelled field of row r into the draft (annual amounts beat mid-term ones)."""
    row = rows[r]
    found: dict[str, list[int]] = {}
    for c, t in enumerate(row):
        f = form_field(t) if t else None
        if f:
            found.setdefault(f, []).append(c)
            if f == "total" and "年度" in t:
                state["annual_col"] = c
            if f == "midterm_total":
                state["has_midterm"] = 1
    for f, cols in found.items():
        if f in ("goal", "midterm_goal", "period"):
            for col in cols:  # 计划开始日期 | … | 计划完成日期 | …: each label its own value
                _apply(draft, rows, r, col, f, state)
            continue
        # "项目资金（元） | 资金规模 | 43530200": two labels of one field side by side; the one with a value counts.
        col = next((c for c in cols if _right_value(row, c) is not None), cols[0])
        if "annual_col" in state and f in ("fiscal", "other", "carryover", "total"):
            col = min(cols, key=lambda c: abs(c - state["annual_col"]))
            if state.get("has_midterm") and abs(col - state["annual_col"]) > 1:
                continue  # only the mid-term column printed this amount
        _apply(draft, rows, r, col, f, state)


def row_money_unit(row: list[str]) -> str | None:
    """The money unit a row's own label states ("项目资金（元）" | 年度资金总额 | 1,200,000)."""
    return next((u for t in row if t and len(t) <= 20 and not any(ch.isdigit() for ch in t)
                 and (u := money_unit(t))), None)


def _apply(draft: ProjectDraft, rows: list[list[str]], r: int, col: int, f: str, state: dict[str, int]) -> None:
    row = rows[r]
    value = _right_value(row, col)
    if f in ("goal", "midterm_goal") and value is None:
        value = _below_value(rows, r, col)
    if f == "sum_row":
        if "budget_cols" not in state and value:
            draft.budget.total = parse_amount_wan(value, row_money_unit(row) or draft.money_unit)
        return
    if value is None:
        if f == "name":
            draft.has_name_label = True
        return
    set_field(draft, f, value, row[col], row_money_unit(row))
    if f == "goal" and draft.goal == value.strip() and value in row[col + 1:]:
        state["goal_row"], state["goal_col"] = r, row.index(value, col + 1)


def continues_goal(draft: ProjectDraft, row: list[str], r: int, state: dict[str, int]) -> bool:
    """Append a row to the goal when its only cell sits under the goal's text, right after it, with no label:
    总体目标 merged down over 目标1：… / 目标2：… rows is one goal printed a row per aim."""
    filled = [c for c, t in enumerate(row) if t and t.strip()]
    if state.get("goal_row") != r - 1 or filled != [state.get("goal_col")] or draft.goal is None:
        return False
    text = row[filled[0]].strip()
    if form_field(text) or header_field(text) or is_amount_cell(text) or len(squash(text)) < 6:
        return False
    draft.goal, state["goal_row"] = draft.goal + text, r
    return True


_DEPARTMENT_LABELS = re.compile(
    r"^(主管部门|主管单位|预算部门|部门名称|部门\(单位\)名称|部门（单位）名称|填报部门|申报部门)")


def set_field(draft: ProjectDraft, f: str, value: str, label: str, unit: str | None = None) -> None:
    """Set one labelled form field on a draft (the label decides goal rank and money unit)."""
    if f == "name":
        draft.name, draft.has_name_label = squash(value) if len(value) < 60 else value.strip(), True
    elif f == "code":
        draft.code = squash(value)
    elif f == "unit":
        draft.unit = draft.unit or value.strip()
        if _DEPARTMENT_LABELS.match(label_key(label)):
            draft.department = draft.department or value.strip()
    elif f == "period":
        # A start date then an end date, each beside its own label: the period runs from one to the other.
        joined = draft.period and is_date(draft.period) and is_date(value)
        draft.period = f"{draft.period}至{value.strip()}" if joined else value.strip()
    elif f in ("total", "fiscal", "other", "carryover"):
        setattr(draft.budget, f, parse_amount_wan(value, money_unit(label) or unit or draft.money_unit))
    elif f == "goal":
        rank = _GOAL_RANK.get(label_key(label), 50)
        if len(squash(value)) <= 6 and header_scores(value):
            return  # 预期目标 | 内容 | 部门（单位）申报: a column heading beside the caption, not a goal
        if rank < draft.goal_rank:
            draft.goal, draft.goal_rank = value.strip(), rank
    elif f == "midterm_goal":
        draft.midterm_goal = value.strip()


def read_budget_row(draft: ProjectDraft, row: list[str], cols: dict[str, int]) -> None:
    """Amounts of a 合计 row under a budget sub-header."""
    for f, c in cols.items():
        if c < len(row):
            setattr(draft.budget, f, parse_amount_wan(row[c], draft.money_unit))


def is_amounts_row(row: list[str], cols: dict[str, int], above: list[str] | None = None) -> bool:
    """A row of bare amounts under a budget sub-header (no 合计 label): every printed cell is an amount, except a
    caption merged down from the row above (资金情况（万元） beside both the labels and their amounts)."""
    filled = [t for c, t in enumerate(row) if t and not (above and c < len(above) and above[c] == t)]
    return bool(filled) and all(is_amount_cell(t) and not form_field(t) for t in filled) and any(
        c < len(row) and row[c] for c in cols.values())


def is_sum_row(row: list[str]) -> bool:
    """A row labelled 合计/金额合计/总计."""
    return any(t and form_field(t) == "sum_row" for t in row)


def project_label_row(row: list[str]) -> bool:
    """A row holding a short project-level label (项目名称, 项目编码, 预算数, 年度目标, 实施单位…)."""
    return any(t and form_field(t) in ("name", "code", "total", "goal", "unit") and len(label_key(t)) <= 8
               for t in row)


def has_form_labels(row: list[str]) -> bool:
    """True when the row carries any form label."""
    return any(t and form_field(t) in FORM_LABELS and form_field(t) != "sum_row" for t in row)
