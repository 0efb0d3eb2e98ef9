"""Money blocks: label | amount rows under a 项目资金 caption, one column of labels per side (中期 | 年度), or
source rows under a header of years (上年度预算安排 | 上年度实际执行 | 本年度申请金额), read in this year's column.

A form prints its budget as labels each followed by its amount, often under a caption merged down the block
(项目资金（元）, 项目金额) and sometimes in two sides: the project's whole-period money and the year's. Each amount
is read only from the cell paired with its own label; each column of labels is split into groups, one per
total label (sources printed under a total belong to it), and the year's group is the budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

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


_IN_CELL = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|千元|亿元|元)?")
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")  # (其中：上级财政资金：…；本级财政：…): parts of a part
_LABEL_EDGE = re.compile(r"^[\s,，;；:：、.。]*(?:[一二三四五六七八九十\d]+[、.．])?|[\s,，;；:：、]*$")


def _own_label(words: str) -> str:
    """The label just before an amount: "其中：市财政资金：其他资金：" (a label printed with no amount) -> 其他资金."""
    parts = [label for part in re.split(r"[:：]", words) if (label := _LABEL_EDGE.sub("", part))]
    return parts[-1] if parts else ""


def in_cell_amounts(text: str) -> list[tuple[str | None, str]]:
    """(field, amount) of each amount one cell prints after its own label: "总额10606.75万元 财政拨款:6923.36万元
    （其中：…） 二、自有资金:0万元 三、其他:3683.40万元"; [] unless every number is money.

    A number is money when its label names a budget part or its unit (万元, 元) follows it; a sentence
    (完成道路12公里) is no money cell, and a cell that is only an amount is read as a paired amount, not here.
    """
    return list(_in_cell_amounts(text))


@lru_cache(maxsize=65536)  # a pure function of the text, asked up to four times for each cell of a label row
def _in_cell_amounts(text: str) -> tuple[tuple[str | None, str], ...]:
    flat = squash(_ASIDE.sub(" ", text))
    if is_amount_cell(flat):
        return ()
    out: list[tuple[str | None, str]] = []
    start = 0
    for m in _IN_CELL.finditer(flat):
        label = _own_label(flat[start:m.start()])
        f = "other" if label == "其他" else form_field(label) if label else None  # 其他 in a money cell: 其他资金
        if f not in MONEY_FIELDS and not (m.group("unit") and label and not any(ch.isdigit() for ch in label)):
            return ()
        out.append((f if f in MONEY_FIELDS else None, m.group(0)))
        start = m.end()
    if (tail := _own_label(flat[start:])) and form_field(tail) not in MONEY_FIELDS:
        return ()  # words after the last amount: a sentence about money (安排资金50万元用于维修), not a money cell
    return tuple(out) if any(f for f, _ in out) else ()


def _money_cells(row: list[str]) -> bool:
    """Money labels (at least one), amounts, dashes and short labels no field keeps; no other label or text."""
    if any(t and in_cell_amounts(t) for t in row):
        return all(not t or in_cell_amounts(t) or _other_money_label(t) or form_field(t) in MONEY_FIELDS for t in row)
    labels = [t for t in row if t and form_field(t)]
    if not labels or any(form_field(t) not in MONEY_FIELDS for t in labels):
        return False
    return all(form_field(t) or _is_amount(t) or _PLACEHOLDER.match(t.strip()) or _other_money_label(t)
               for t in row if t)


def is_money_row(row: list[str]) -> bool:
    """A row of money labels with amounts printed beside them: a money block starts or goes on here.

    A row of labels only is a sub-header (总额 | 财政拨款 | 其他资金 over a row of amounts), not a block.
    """
    return _money_cells(row) and any(_is_amount(t) or _PLACEHOLDER.match(t.strip()) or in_cell_amounts(t)
                                     for t in row if t)


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


_YEAR_HEAD = re.compile(r"(上一?年度?|去年|前一?年度?|本年度?|当年|今年)\S{0,4}(预算|申请|安排|执行|金额|资金|数)")
_LAST_YEAR = re.compile(r"上一?年|去年|前一?年")
_STAR = re.compile(r"^[*＊]+$")  # "合计 | * | * | *": the blank marks cells that are sums


def current_year_column(row: list[str]) -> int | None:
    """A header of amounts by year (资金来源 | 上年度预算安排 | 上年度实际执行 | 本年度申请金额): this year's column."""
    heads = [(c, squash(t)) for c, t in enumerate(row) if t and _YEAR_HEAD.search(squash(t))]
    this = [c for c, key in heads if not _LAST_YEAR.search(key)]
    return this[0] if len(heads) >= 2 and len(this) == 1 else None


def _by_year(row: list[str], col: int) -> bool:
    """A source row under a by-year header: a money label (or one no field keeps) and this year's cell."""
    label = next((t for t in row if t), "")
    f = form_field(label) if label else None
    cell = row[col].strip() if col < len(row) else ""
    fits = not cell or _is_amount(cell) or bool(_PLACEHOLDER.match(cell) or _STAR.match(cell))
    return fits and (f in MONEY_FIELDS or f == "sum_row" or (f is None and _other_money_label(label)))


def block_end(rows: list[list[str]], r: int) -> int:
    """The last row of the money block that starts at row r (a by-year header and its source rows, too)."""
    end = r
    if (col := current_year_column(rows[r])) is not None:
        while end + 1 < len(rows) and _by_year(rows[end + 1], col):
            end += 1
        return end
    while end + 1 < len(rows) and _goes_on(rows[end + 1]):
        end += 1
    return end


def _read_by_year(rows: list[list[str]], r: int, end: int, col: int, unit: str | None) -> dict[str, float]:
    stated = money_unit(next((t for t in rows[r] if t), "")) or unit
    out: dict[str, float] = {}
    for row in rows[r + 1:end + 1]:
        f = form_field(next((t for t in row if t), ""))
        cell = row[col] if col < len(row) else ""
        if f in ("total", "sum_row", "fiscal", "other", "carryover") and cell and _is_amount(cell):
            value = parse_amount_wan(cell, stated)
            if value is not None:
                out.setdefault("total" if f == "sum_row" else f, value)
    return out


def read_money_block(rows: list[list[str]], r: int, end: int, unit: str | None) -> dict[str, float]:
    """The budget amounts (万元) of the block in rows r..end: the year's side, else the one side printed."""
    if (col := current_year_column(rows[r])) is not None:
        return _read_by_year(rows, r, end, col, unit)
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
    out = dict(chosen.amounts) if chosen else {}
    for row in rows[r:end + 1]:  # amounts printed inside a cell after their own labels
        for t in row:
            for f, amount in in_cell_amounts(t) if t else []:
                value = parse_amount_wan(amount, money_unit(t) or stated)
                if f and value is not None:
                    out.setdefault("total" if f in _TOTALS else f, value)
    return out
