"""A label and its value printed in one cell ("项目名称：城区道路照明设施维护"), as Word forms type them.

Such a cell is read as the label cell followed by the value cell. The value goes into the empty slot to its right
when there is one (a merged cell's covered slot), so the row keeps its columns; otherwise it is inserted.
A money label with one amount ("资金总额：1150万元") is split like any label; a cell printing several labelled
amounts is left whole for the money block (`money.in_cell_amounts`).
"""

from __future__ import annotations

import re

from extractor.cells import is_amount_cell
from extractor.layout.money import MONEY_FIELDS
from extractor.layout.vocabulary import form_field, is_level1, is_level2

_LABEL_VALUE = re.compile(r"^\s*(?P<label>[^:：\s]{2,14})\s*[:：]\s*(?P<value>\S.*?)\s*$", re.S)


def _split(text: str) -> tuple[str, str] | None:
    m = _LABEL_VALUE.match(text)
    if m is None:
        return None
    f, value = form_field(m.group("label")), m.group("value")
    if f is None or f == "sum_row" or form_field(value) or (f in MONEY_FIELDS and not is_amount_cell(value)):
        return None  # an unknown word before a colon, a label followed by another label, several amounts
    return m.group("label") + "：", value


def _awaits_value(text: str) -> bool:
    """A label printed without its value (项目名称, 年度目标：): the cell to its right holds the value."""
    return bool(text) and _split(text) is None and form_field(text.strip().rstrip(":：")) not in (None, "sum_row")


def split_label_cells(row: list[str]) -> list[str]:
    """The row with each "label：value" cell as a label cell and a value cell (an indicator row stays as it is)."""
    if not any(t and _split(t) for t in row) or any(t and (is_level1(t) or is_level2(t)) for t in row):
        return row
    out: list[str] = []
    pending: str | None = None  # a value waiting for the empty slot right of its label
    for k, t in enumerate(row):
        if pending is not None and not t:
            out.append(pending)
            pending = None
            continue
        if pending is not None:
            out.append(pending)  # no empty slot: the value is inserted, the row grows by one
            pending = None
        # A cell right of a bare label is that label's value, whatever it starts with (年度目标 | 实施周期：…).
        parts = _split(t) if t and not (k and _awaits_value(row[k - 1])) else None
        if parts:
            out.append(parts[0])
            pending = parts[1]
        else:
            out.append(t)
    if pending is not None:
        out.append(pending)
    return out
