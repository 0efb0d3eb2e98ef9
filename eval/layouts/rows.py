"""Row families: wide (project cells merged down beside the indicators) and flat (one row per indicator)."""

from __future__ import annotations

from typing import Any

from eval.layouts.blocks import WIDTH, column_titles, expected_indicator, header_rows, indicator_cells, merge_levels
from eval.layouts.cells import MONEY_NAME, money_cell, money_suffix
from eval.layouts.options import Options
from eval.layouts.spec import Block, Cell, GridBuilder, TextBlock

WIDE_TITLES = ("{year}年度项目支出绩效目标表", "项目绩效目标表", "{year}年部门预算项目绩效目标表")
FLAT_TITLES = ("{year}年度项目绩效目标明细表", "项目支出绩效目标表", "{year}年预算项目绩效指标导出")


def _title(options: tuple[str, ...], which: int, gold: dict[str, Any]) -> list[Block]:
    if which < 0:
        return []
    year = gold.get("fiscal_year")
    text = options[which]
    text = text.format(year=year) if year else text.replace("{year}年度", "").replace("{year}年", "")
    dept = gold.get("department")
    return [TextBlock(text=f"{dept}{text}" if dept and which == 0 else text, style="title")]


def _project_cell(col: str, p: dict[str, Any], o: Options, dept: str | None) -> Cell:
    if col == "project_name":
        return Cell(text=p.get("name") or "")
    if col == "project_code":
        return Cell(text=p.get("code") or "")
    if col == "project_unit":
        return Cell(text=p.get("unit") or dept or "")
    if col == "budget_total":
        return money_cell((p.get("budget") or {}).get("total"), o.money, o.thousands)
    return Cell(text=p.get("goal") or "")  # goal


def _expected(p: dict[str, Any], o: Options, dept: str | None, indicators: list[dict[str, Any]]) -> dict[str, Any]:
    cols = o.project_columns
    return {"kind": "project", "name": p.get("name") or "",
            "code": p.get("code") if "project_code" in cols else None,
            "unit": (p.get("unit") or dept) if "project_unit" in cols else None,
            "budget": {"total": (p.get("budget") or {}).get("total"), "fiscal": None, "other": None, "carryover": None},
            "period": None, "goal": (p.get("goal") or None) if "goal" in cols else None, "midterm_goal": None,
            "indicators": indicators, "page": None}


def _titles(o: Options, headers: dict[str, str]) -> list[str]:
    suffix = money_suffix(o.money, o.money_paren) if o.money_where != "note" else ""
    return [headers[c] + (suffix if c == "budget_total" else "") for c in o.project_columns]


def _notes(o: Options, gold: dict[str, Any]) -> list[Block]:
    return [TextBlock(text=f"单位：{MONEY_NAME[o.money]}")] if o.money_where == "note" else []


def wide_table(gold: dict[str, Any], projects: list[dict[str, Any]], o: Options, headers: dict[str, str]
               ) -> tuple[list[Block], list[dict[str, Any]]]:
    """One row per indicator; each project's own cells merged down (or printed once) over its rows."""
    dept = gold.get("department")
    n_p = len(o.project_columns)
    g = GridBuilder(n_p + len(o.columns))
    group = (n_p, n_p + 2) if o.group_header else None
    header_rows(g, _titles(o, headers) + column_titles(o.columns, headers), 0, group)
    expected = []
    for p in projects:
        first = len(g.rows)
        inds = p.get("indicators", [])
        out = []
        for i, ind in enumerate(inds or [None]):
            left = [_project_cell(c, p, o, dept) if i == 0 else Cell() for c in o.project_columns]
            cells: list[Cell] = []
            if ind is not None:
                cells, target = indicator_cells(ind, o.columns, o.target_mode, o.long_direction)
                out.append(expected_indicator(ind, target))
            g.add_row([*left, *cells])
        if o.project_merge:
            for c in range(n_p):
                g.merge(first, c, len(g.rows) - 1, c)
        if o.level_mode == "merge":
            merge_levels(g, first, inds, o.columns, n_p)
        expected.append(_expected(p, o, dept, out))
    widths = [WIDTH[c] for c in o.project_columns + o.columns]
    return [*_title(WIDE_TITLES, o.title, gold), *_notes(o, gold), g.block(widths)], expected


def flat_table(gold: dict[str, Any], projects: list[dict[str, Any]], o: Options, headers: dict[str, str]
               ) -> tuple[list[Block], list[dict[str, Any]]]:
    """The budget-system export: every row repeats the project's name, code and amount (元)."""
    dept = gold.get("department")
    seq = ["序号"] if o.seq_column else []
    g = GridBuilder(len(seq) + len(o.project_columns) + len(o.columns))
    header_rows(g, seq + _titles(o, headers) + column_titles(o.columns, headers), 0, None)
    expected = []
    n = 0
    for p in projects:
        out = []
        for ind in p.get("indicators", []):
            n += 1
            cells, target = indicator_cells(ind, o.columns, o.target_mode, o.long_direction)
            left = [_project_cell(c, p, o, dept) for c in o.project_columns]
            g.add_row([*([Cell(text=str(n), number=n)] if seq else []), *left, *cells])
            out.append(expected_indicator(ind, target))
        if out:  # a project without indicators prints no row at all
            expected.append(_expected(p, o, dept, out))
    widths = ([WIDTH["seq"]] if seq else []) + [WIDTH[c] for c in o.project_columns + o.columns]
    return [*_title(FLAT_TITLES, o.title, gold), *_notes(o, gold), g.block(widths)], expected
