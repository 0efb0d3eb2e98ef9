"""Form families: label rows (项目名称, 主管部门, 年度资金总额, 年度目标) above an indicator block, per project."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from eval.layouts.blocks import WIDTH, column_titles, expected_indicator, header_rows, indicator_cells, merge_levels
from eval.layouts.cells import MONEY_NAME, money_cell, money_suffix
from eval.layouts.options import Options
from eval.layouts.spec import Block, Cell, GridBuilder, TextBlock

PROJECT_TITLES = ("{year}年度项目支出绩效目标表", "项目支出绩效目标表", "{year}年项目支出绩效目标申报表")
OVERALL_TITLES = ("{year}年度部门整体支出绩效目标表", "部门整体支出绩效目标表",
                  "{year}年部门（单位）整体支出绩效目标申报表")
MONEY_BLOCK = ("项目资金", "资金情况", "金额")
NOTE_WORDING = ("单位：{u}", "金额单位：{u}")


@dataclass
class FormContext:
    """What every form of one variant shares."""

    gold: dict[str, Any]
    opts: Options
    headers: dict[str, str]
    rng: random.Random
    expected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        """Grid width of a form."""
        return len(self.opts.columns) + (1 if self.opts.form_label_col else 0)

    def widths(self) -> list[float]:
        """Relative column widths of a form."""
        return ([WIDTH["label"]] if self.opts.form_label_col else []) + [WIDTH[c] for c in self.opts.columns]

    def title(self, project: dict[str, Any]) -> str:
        """The title printed above a form."""
        year = self.gold.get("fiscal_year")
        titles = OVERALL_TITLES if project.get("kind") == "overall" else PROJECT_TITLES
        text = titles[max(self.opts.title, 0)]
        if "{year}" in text:
            text = text.format(year=year) if year else text.replace("{year}年度", "").replace("{year}年", "")
        return text

    def notes(self) -> list[TextBlock]:
        """Lines under a title: the reporting unit and, when the money unit is stated there, 单位：元."""
        out = []
        if self.gold.get("department"):
            out.append(TextBlock(text=f"填报单位：{self.gold['department']}"))
        if self.opts.money_where == "note":
            wording = NOTE_WORDING[self.opts.money_paren]
            out.append(TextBlock(text=wording.format(u=MONEY_NAME[self.opts.money])))
        return out


def _label_row(g: GridBuilder, label: str, value: Cell | str, start: int = 0) -> int:
    cells = [*(Cell() for _ in range(start)), Cell(text=label, bold=True), value]
    r = g.add_row(cells)
    g.merge(r, start + 1, r, g.n_cols - 1)
    return r


def _budget_rows(g: GridBuilder, ctx: FormContext, budget: dict[str, Any]) -> dict[str, Any]:
    """Write the money rows; returns the budget an extractor should read (万元, only what is printed)."""
    o, h = ctx.opts, ctx.headers
    shown: dict[str, Any] = {"total": budget.get("total"), "fiscal": None, "other": None, "carryover": None}
    money = lambda v: money_cell(v, o.money, o.thousands)  # noqa: E731
    suffix = money_suffix(o.money, o.money_paren)
    subs = [("其中：财政拨款", "fiscal")] if o.fiscal_row and budget.get("fiscal") is not None else []
    if o.money_where == "label" and g.n_cols >= 3:
        if budget.get("other") is not None and subs:
            subs.append(("其他资金", "other"))
        first = _label_row(g, h["budget_total"], money(budget.get("total")), start=1)
        g.set(first, 0, Cell(text=ctx.rng.choice(MONEY_BLOCK) + suffix, bold=True))
        for label, key in subs:
            _label_row(g, label, money(budget.get(key)), start=1)
            shown[key] = budget.get(key)
        g.merge(first, 0, first + len(subs), 0)
        return shown
    _label_row(g, h["budget_total"] + (suffix if o.money_where != "note" else ""), money(budget.get("total")))
    for label, key in subs:
        _label_row(g, label + (suffix if o.money_where != "note" else ""), money(budget.get(key)))
        shown[key] = budget.get(key)
    return shown


def write_form(g: GridBuilder, ctx: FormContext, project: dict[str, Any]) -> None:
    """Append one project's form to the grid and its expected record to ctx.expected."""
    o, h = ctx.opts, ctx.headers
    overall = project.get("kind") == "overall"
    _label_row(g, h["project_unit"] if overall else h["project_name"], project.get("name") or "")
    code = project.get("code")
    if code:
        _label_row(g, h["project_code"], code)
    unit = project.get("unit") or ctx.gold.get("department")
    if not overall and unit:
        _label_row(g, h["project_unit"], unit)
    budget = _budget_rows(g, ctx, project.get("budget") or {})
    _label_row(g, h["goal"], project.get("goal") or "")
    offset = 1 if o.form_label_col else 0
    top = len(g.rows)
    group = (0, 2) if o.group_header and not o.form_label_col else None
    header_rows(g, column_titles(o.columns, h), offset, group)
    first = len(g.rows)
    indicators = []
    for ind in project.get("indicators", []):
        cells, target = indicator_cells(ind, o.columns, o.target_mode, o.long_direction)
        g.add_row([Cell() for _ in range(offset)] + cells)
        indicators.append(expected_indicator(ind, target))
    if o.level_mode == "merge":
        merge_levels(g, first, project.get("indicators", []), o.columns, offset)
    if o.form_label_col:
        g.set(top, 0, Cell(text="绩效指标", bold=True))
        g.merge(top, 0, len(g.rows) - 1, 0)
    ctx.expected.append({
        "kind": project.get("kind", "project"), "name": project.get("name") or "", "code": code or None,
        "unit": None if overall else unit, "budget": budget, "period": None, "goal": project.get("goal") or None,
        "midterm_goal": None, "indicators": indicators, "page": None})


def separate_forms(ctx: FormContext, projects: list[dict[str, Any]]) -> list[list[Block]]:
    """Each project as its own title, notes and table (one block list per project)."""
    out: list[list[Block]] = []
    for p in projects:
        g = GridBuilder(ctx.n_cols)
        write_form(g, ctx, p)
        out.append([TextBlock(text=ctx.title(p), style="title"), *ctx.notes(), g.block(ctx.widths())])
    return out


def stacked_forms(ctx: FormContext, projects: list[dict[str, Any]]) -> list[Block]:
    """All forms in one table, each opened by a merged title row (the overall form first)."""
    g = GridBuilder(ctx.n_cols)
    for p in projects:
        r = g.add_row([Cell(text=ctx.title(p), bold=True)])
        g.merge(r, 0, r, g.n_cols - 1)
        write_form(g, ctx, p)
    year = ctx.gold.get("fiscal_year")
    title = f"{year}年度部门整体支出及项目支出绩效目标表" if year else "部门整体支出及项目支出绩效目标表"
    return [TextBlock(text=title, style="title"), *ctx.notes(), g.block(ctx.widths())]
