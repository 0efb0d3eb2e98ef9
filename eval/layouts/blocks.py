"""Table pieces every family shares: header rows (optionally grouped) and the indicator rows of one project."""

from __future__ import annotations

from typing import Any

from eval.layouts.cells import TargetMode, direction_text, number_cell, target_cells
from eval.layouts.spec import Cell, GridBuilder

TEXT_COLUMNS = ("level1", "level2", "name", "description", "basis", "midterm_target")
GROUP_LABEL = "绩效指标"


def header_rows(g: GridBuilder, titles: list[str], offset: int, group: tuple[int, int] | None) -> int:
    """Write the column titles at `offset`; with `group` (first, last column index into titles) a 绩效指标 row spans
    those columns and every other title is merged over both rows. Returns the number of header rows."""
    bold = [Cell(text=t, bold=True) for t in titles]
    if group is None:
        g.add_row([Cell() for _ in range(offset)] + bold)
        return 1
    top = g.add_row([Cell() for _ in range(offset)] + [Cell(text=GROUP_LABEL, bold=True) if i == group[0]
                                                        else (Cell() if group[0] < i <= group[1] else bold[i])
                                                        for i in range(len(titles))])
    g.add_row([Cell() for _ in range(offset)] + [bold[i] if group[0] <= i <= group[1] else Cell()
                                                 for i in range(len(titles))])
    g.merge(top, offset + group[0], top, offset + group[1])
    for i in range(len(titles)):
        if not group[0] <= i <= group[1]:
            g.merge(top, offset + i, top + 1, offset + i)
    return 2


def indicator_cells(ind: dict[str, Any], columns: list[str], mode: TargetMode, long_direction: bool
                    ) -> tuple[list[Cell], str]:
    """One indicator's cells in column order, and the target expected back for them."""
    targets, expected = target_cells(ind, mode)
    out = []
    for col in columns:
        if col in TEXT_COLUMNS:
            out.append(Cell(text=str(ind.get(col) or "")))
        elif col == "weight":
            out.append(number_cell(ind.get("weight")))
        elif col == "direction":
            out.append(Cell(text=direction_text(ind.get("direction"), long_direction)))
        elif col in targets:
            out.append(targets[col])
        else:  # remark
            out.append(Cell())
    return out, expected


def merge_levels(g: GridBuilder, first_row: int, inds: list[dict[str, Any]], columns: list[str], offset: int) -> None:
    """Merge runs of equal 一级 (and, within them, 二级) cells vertically."""
    for depth, key in enumerate(("level1", "level2")):
        if key not in columns:
            continue
        col = offset + columns.index(key)
        start = 0
        for i in range(1, len(inds) + 1):
            same = i < len(inds) and all(inds[i].get(k) == inds[start].get(k) for k in ("level1", "level2")[:depth + 1])
            if not same:
                g.merge(first_row + start, col, first_row + i - 1, col)
                start = i

WIDTH = {"level1": 1.2, "level2": 1.3, "name": 3.0, "description": 3.0, "target": 1.6, "nature": 0.8, "unit": 0.9,
         "weight": 0.8, "direction": 0.9, "basis": 2.6, "midterm_target": 1.6, "remark": 1.0, "project_name": 2.4,
         "project_code": 2.0, "project_unit": 2.0, "budget_total": 1.5, "goal": 3.5, "seq": 0.5, "label": 1.0}


def column_titles(columns: list[str], headers: dict[str, str]) -> list[str]:
    """Printed header of each indicator column."""
    return ["备注" if c == "remark" else headers[c] for c in columns]


def expected_indicator(ind: dict[str, Any], target: str) -> dict[str, Any]:
    """The gold indicator with the target this layout prints (page and box are not scored)."""
    return {**ind, "target": target, "page": None, "bbox": None}
