"""Shanghai 财政项目支出绩效目标申报表 (填报表), as the district budget disclosures print it (amounts in 元).

Labels as printed: 项目名称 | X | 项目性质 | Y | 项目类别 | Z on one row; 主管部门 | 实施单位; 计划开始日期 |
计划完成日期; 项目资金（元） with two sides (项目资金总额 / 其中：财政资金 / 其他资金 | 年度资金申请总额 /
其中：当年财政拨款 / 上年结转资金 / 其他资金); a merged 项目绩效目标 column over 项目总目标 | 年度总体目标 and over
一级指标 | 二级指标 | 三级指标 | 年度(/项目)指标值, targets like "≥90.00(%)".
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, Cell, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project, system_target
from eval.templates.variant import Built, form_per_project

NATURE = (("经常性项目", 1), ("阶段性项目", 2), ("阶段性项目", 3))
CATEGORY = ("特定目标类", "其他运转类", "公用经费类")
WIDTHS = [0.7, 1.4, 1.3, 2.2, 1.5, 1.3, 1.2, 1.6]


def _money(s: Sheet, budget: dict[str, Any], years: int, thousands: bool) -> dict[str, float | None]:
    """Both money sides; the annual side (年度资金申请总额) is what the reader returns."""
    top = len(s.g.rows)
    read: dict[str, float | None] = {}
    whole = {k: (None if budget.get(k) is None else budget[k] * years) for k in ("total", "fiscal", "other")}
    left = [("项目资金总额", whole["total"]), ("其中：财政资金", whole["fiscal"]), None, ("其他资金", whole["other"])]
    right = [("年度资金申请总额", "total"), ("其中：当年财政拨款", "fiscal"), ("上年结转资金", "carryover"),
             ("其他资金", "other")]
    for lhs, (label, key) in zip(left, right, strict=True):
        cell, read[key] = amount(budget.get(key), "yuan", thousands)
        spans: list[Span] = [(5, 6, label), (7, 7, cell)]
        if lhs:
            spans = [(2, 3, lhs[0]), (4, 4, amount(lhs[1], "yuan", thousands)[0]), *spans]
        s.row(spans)
    s.g.set(top, 0, bold("项目资金\n（元）"))
    s.g.merge(top, 0, top + 3, 1)
    return read


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    s = Sheet(8, WIDTHS)
    year = gold.get("fiscal_year") or 2024
    in_table = rng.random() < 0.5  # the title rows are often part of the ruled table itself
    if in_table:
        s.row([(0, 7, bold("财政项目支出绩效目标申报表"))])
        s.row([(0, 7, f"（{year}年度）")])
    nature, years = rng.choice(NATURE)
    unit = p.get("unit") or gold.get("department") or ""
    s.row([(0, 1, bold("项目名称")), (2, 3, p.get("name") or ""), (4, 4, bold("项目性质")), (5, 5, nature),
           (6, 6, bold("项目类别")), (7, 7, rng.choice(CATEGORY))])
    s.row([(0, 1, bold("主管部门")), (2, 3, gold.get("department") or ""), (4, 4, bold("实施单位")), (5, 7, unit)])
    s.row([(0, 1, bold("计划开始日期")), (2, 3, f"{year}/1/1"), (4, 4, bold("计划完成日期")),
           (5, 7, f"{year + years - 1}/12/31")])
    budget = _money(s, p.get("budget") or {}, years, rng.random() < 0.8)
    goal = p.get("goal") or ""
    whole_goal = p.get("midterm_goal") or goal
    top = s.row([(1, 4, bold("项目总目标")), (5, 7, bold("年度总体目标"))])
    s.row([(1, 4, whole_goal), (5, 7, goal)])
    s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 5, bold("三级指标")),
           (6, 7, bold("年度(/项目)指标值"))])
    inds = p.get("indicators") or []

    def cells(ind: dict[str, Any]) -> list[Span]:
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""), (3, 5, ind.get("name") or ""),
                (6, 7, Cell(text=system_target(ind)))]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    caption(s, top, "项目\n绩效\n目标")
    blocks: list[Block] = [] if in_table else [TextBlock(text="财政项目支出绩效目标申报表", style="title"),
                                               TextBlock(text=f"（{year}年度）")]
    blocks.append(s.block())
    expected = [expect_indicator(i, system_target(i)) for i in inds]
    record = expect_project(p, budget, expected, unit=unit, goal=goal or None, midterm_goal=whole_goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One 申报表 per 项目支出, each starting a new page (a sheet of its own in Excel)."""
    return form_per_project(gold, rng, _form)
