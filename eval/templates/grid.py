"""Grid pieces every template shares: spanned label rows, merged level runs, a caption column and page breaks."""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from eval.layouts.spec import Cell, GridBuilder, TableBlock

BreakMode = Literal["blank", "tail"]
Span = tuple[int, int, Cell | str]


@dataclass
class Sheet:
    """A GridBuilder plus the rows where a printed page ends inside the table."""

    n_cols: int
    widths: list[float]
    g: GridBuilder = field(init=False)
    page_breaks: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Start the empty grid."""
        self.g = GridBuilder(self.n_cols)

    def row(self, spans: Sequence[Span]) -> int:
        """Append a row of (first column, last column, cell) spans, each span merged; returns the row index."""
        r = self.g.add_row([])
        for c0, c1, cell in spans:
            self.g.set(r, c0, cell)
            self.g.merge(r, c0, r, c1)
        return r

    def block(self) -> TableBlock:
        """The finished table."""
        return TableBlock(rows=self.g.rows, merges=self.g.merges, widths=self.widths, page_breaks=self.page_breaks)


def bold(text: str) -> Cell:
    """A printed label."""
    return Cell(text=text, bold=True)


def pick_break(rng: random.Random, n: int) -> tuple[int, BreakMode] | None:
    """Where an indicator table runs onto the next page (before indicator k), and how the new page starts."""
    if n < 4 or rng.random() < 0.4:
        return None
    return rng.randint(2, n - 1), rng.choice(("blank", "tail"))


def indicator_rows(s: Sheet, inds: Sequence[dict[str, Any]], cells: Callable[[dict[str, Any]], Sequence[Span]],
                   name_col: int, brk: tuple[int, BreakMode] | None) -> list[int]:
    """One spanned row per indicator. With a break before indicator k the next page starts with an empty row
    ("blank") or with the wrapped end of the previous row's 三级指标 ("tail"), as converted printouts do."""
    rows: list[int] = []
    for i, ind in enumerate(inds):
        if brk and i == brk[0] and rows:
            prev_text = s.g.rows[rows[-1]][name_col].text
            if brk[1] == "tail" and len(prev_text) >= 4:
                cut = (len(prev_text) * 2) // 3
                s.g.set(rows[-1], name_col, Cell(text=prev_text[:cut]))
                s.page_breaks.append(s.row([(name_col, name_col, Cell(text=prev_text[cut:]))]))
            else:
                s.page_breaks.append(s.row([]))
        rows.append(s.row(cells(ind)))
    return rows


def merge_runs(s: Sheet, rows: list[int], keys: Sequence[Hashable], col: int, merge: bool = True) -> None:
    """Print equal consecutive keys once: one merged cell per run, or (merge=False) the first row only."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i < len(rows) and keys[i] == keys[start]:
            continue
        if merge:
            s.g.merge(rows[start], col, rows[i - 1], col)
        else:
            for r in rows[start + 1:i]:
                s.g.set(r, col, Cell())
        start = i


def level_keys(inds: Sequence[dict[str, Any]], depth: int) -> list[Hashable]:
    """Run keys of 一级 (depth 1) or 一级+二级 (depth 2) for merge_runs."""
    return [tuple(ind.get(k) for k in ("level1", "level2")[:depth]) for ind in inds]


def caption(s: Sheet, top: int, text: str, col: int = 0) -> None:
    """A merged caption cell (绩效指标, 项目绩效目标) down one column from `top` to the last row."""
    s.g.set(top, col, bold(text))
    s.g.merge(top, col, len(s.g.rows) - 1, col)


def level_table(s: Sheet, inds: Sequence[dict[str, Any]], value_key: str, rng: random.Random,
                name_header: str = "指标内容") -> int:
    """一级指标 | 二级指标 | <name_header> | 指标值 | 备注 from column 1 (column 0 left for a caption), levels merged
    per run, a page break drawn from rng; the value is `value_key`, else the annual target. Returns the header row."""
    head = s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 3, bold(name_header)),
                  (4, 4, bold("指标值")), (5, 5, bold("备注"))])

    def cells(ind: dict[str, Any]) -> list[Span]:
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""), (3, 3, ind.get("name") or ""),
                (4, 4, ind.get(value_key) or ind.get("target") or "")]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    return head
