"""Money blocks: label | amount rows under a 项目资金 caption, one column of labels per side (中期 | 年度).

A form prints its budget as labels each followed by its amount, often under a caption merged down the block
(项目资金（元）, 项目金额) and sometimes in two sides: the project's whole-period money and the year's. Each amount
is read only from the cell paired with its own label; each column of labels is split into groups, one per
total label (sources printed under a total belong to it), and the year's group is the budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.cells import is_amount_cell, money_unit, parse_amount_wan
from extractor.layout.vocabulary import form_field
from extractor.textnorm import squash

MONEY_FIELDS = frozenset({"total", "midterm_total", "fiscal", "other", "carryover"})
_TOTALS = {"total", "midterm_total"}
_ANNUAL = re.compile(r"年度|当年|本年")
_MIDTERM = re.compile(r"中期|实施期|实施周期|项目周期|全周期")


@dataclass(eq=False)  # each group is itself: two empty groups are not one
class _Group:
    """The amounts printed under one total label (or a column of labels with no total)."""

    period: str  # "annual", "midterm" or "plain"
    amounts: dict[str, float] = field(default_factory=dict)


_PLACEHOLDER = re.compile(r"^[-—–/／\\无]+$")  # a dash or 无 in an amount cell: printed as nothing


def _is_amount(text: str) -> bool:
    return is_amount_cell(text) and form_field(text) is None  # a sentence holding a number is no amount


def _money_cells(row: list[str]) -> bool:
    """Money labels (at least one), amounts, dashes and short labels no field keeps; no other label or text."""
    labels = [t for t in row if t and form_field(t)]
    if not labels or any(form_field(t) not in MONEY_FIELDS for t in labels):
        return False
    return all(form_field(t) or _is_amount(t) or _PLACEHOLDER.match(t.strip()) or _other_money_label(t)
               for t in row if t)


def is_money_row(row: list[str]) -> bool:
    """A row of money labels with amounts printed beside them: a money block starts or goes on here.

    A row of labels only is a sub-header (总额 | 财政拨款 | 其他资金 over a row of amounts), not a block.
    """
    return _money_cells(row) and any(_is_amount(t) or _PLACEHOLDER.match(t.strip()) for t in row if t)


def _goes_on(row: list[str]) -> bool:
    """Inside a block, one money label printed with an empty amount cell ("其他资金 | ") still belongs to it."""
    return is_money_row(row) or (_money_cells(row) and sum(1 for t in row if t and form_field(t)) == 1)


def _other_money_label(text: str) -> bool:
    """A short label the budget does not keep (其中：基本支出, 人员经费): its amount belongs to no field."""
    key = squash(text)
    return 0 < len(key) <= 12 and not any(ch.isdigit() for ch in key) and form_field(text) is None


def _paired_amount(row: list[str], col: int) -> str | None:
    """The amount printed right of a label, before any other label; None when the label has none."""
    for t in row[col + 1:]:
        if t:
            return t if _is_amount(t) else None
    return None


def _period(label: str, f: str) -> str:
    if f == "midterm_total" or _MIDTERM.search(label):
        return "midterm"
    return "annual" if _ANNUAL.search(label) else "plain"


def block_end(rows: list[list[str]], r: int) -> int:
    """The last row of the money block that starts at row r."""
    end = r
    while end + 1 < len(rows) and _goes_on(rows[end + 1]):
        end += 1
    return end


def read_money_block(rows: list[list[str]], r: int, end: int, unit: str | None) -> dict[str, float]:
    """The budget amounts (万元) of the block in rows r..end: the year's side, else the one side printed."""
    stated = next((u for row in rows[r:end + 1] for t in row if t and (u := money_unit(t))), None) or unit
    groups: list[_Group] = []
    column: dict[int, _Group] = {}  # the total each column of labels is under
    for row in rows[r:end + 1]:
        left: _Group | None = None  # the last total printed to the left in this row
        for c, t in enumerate(row):
            f = form_field(t) if t else None
            if f not in MONEY_FIELDS or f is None:
                continue
            if f in _TOTALS:
                group = left = column[c] = _Group(_period(t, f))
                groups.append(group)
            elif c in column or left is None:
                # A source under a total in its column (中期 | 年度 sides), else beside one in its row.
                group = column.get(c) or column.setdefault(c, _Group("plain"))
                if group not in groups:
                    groups.append(group)
            else:
                group = left  # 预算数 | 55.00 | 其中：财政资金 | 55.00 on one row
            amount = _paired_amount(row, c)
            if amount is None:
                continue  # a caption, or a label printed with an empty cell: nothing is known
            value = parse_amount_wan(amount, money_unit(t) or stated)
            if value is not None:
                group.amounts.setdefault("total" if f in _TOTALS else f, value)
    printed = [g for g in groups if g.amounts]
    chosen = next((g for g in printed if g.period == "annual"), None) or next(
        (g for g in printed if g.period == "plain"), None)
    return dict(chosen.amounts) if chosen else {}
