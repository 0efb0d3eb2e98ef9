"""项目支出绩效目标申报表: the central template of 财预〔2015〕88号 (附件), as departments and provinces print it.

Labels as printed: 项目名称; 主管部门及代码 | 实施单位; 项目属性 | 项目期; 项目资金（万元） with 中期资金总额： |
年度资金总额： and 其中：财政拨款 / 其他资金 under each; 总体目标 split 中期目标 | 年度目标; a merged 绩效指标 caption
left of 一级指标 | 二级指标 | 三级指标 | 中期指标值 | 年度指标值.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built

TITLES = ("项目支出绩效目标申报表", "项目绩效目标表", "{year}年项目支出绩效目标申报表")
ATTRIBUTES = ("经常性项目", "延续性项目", "一次性项目")
WIDTHS = [1.0, 1.3, 1.3, 1.6, 1.6, 1.6, 1.6]


def _money_rows(s: Sheet, budget: dict[str, Any], years: int, style: Any) -> dict[str, float | None]:
    """The 项目资金 block: a column of labels, each amount in the next cell; returns the annual budget read back."""
    top = len(s.g.rows)
    read: dict[str, float | None] = {}
    for label, key in (("资金总额：", "total"), ("其中：财政拨款", "fiscal"), ("其他资金", "other")):
        annual, read[key] = amount(budget.get(key), style)
        mid_value = budget.get(key)
        mid, _ = amount(None if mid_value is None else mid_value * years, style)
        s.row([(1, 1, bold(("中期" if key == "total" else "") + label)), (2, 3, mid),
               (4, 4, bold(("年度" if key == "total" else "") + label)), (5, 6, annual)])
    s.g.set(top, 0, bold("项目资金（万元）"))
    s.g.merge(top, 0, top + 2, 0)
    read["carryover"] = None
    return read


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    s = Sheet(7, WIDTHS)
    year = gold.get("fiscal_year")
    dept = gold.get("department") or ""
    unit = p.get("unit") or dept
    s.row([(0, 0, bold("项目名称")), (1, 6, p.get("name") or "")])
    s.row([(0, 0, bold("主管部门及代码")), (1, 3, f"[{rng.randint(100, 699)}]{dept}"), (4, 4, bold("实施单位")),
           (5, 6, unit)])
    period = p.get("period") or (f"{year}年" if year else "1年")
    years = rng.choice((1, 1, 2, 3))
    s.row([(0, 0, bold("项目属性")), (1, 3, rng.choice(ATTRIBUTES)), (4, 4, bold("项目期")), (5, 6, period)])
    budget = _money_rows(s, p.get("budget") or {}, years, rng.choice(("wan", "wan_suffix")))
    goal = p.get("goal") or ""
    mid_goal = p.get("midterm_goal") or goal
    top = s.row([(1, 3, bold("中期目标")), (4, 6, bold("年度目标"))])
    s.row([(1, 3, mid_goal), (4, 6, goal)])
    s.g.set(top, 0, bold("总体目标"))
    s.g.merge(top, 0, top + 1, 0)
    head = s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 4, bold("三级指标")),
                  (5, 5, bold("中期指标值")), (6, 6, bold("年度指标值"))])
    inds = p.get("indicators") or []

    def cells(ind: dict[str, Any]) -> list[Span]:
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""), (3, 4, ind.get("name") or ""),
                (5, 5, ind.get("midterm_target") or ind.get("target") or ""), (6, 6, ind.get("target") or "")]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    caption(s, head, "绩效指标")
    expected = [expect_indicator(i, i.get("target") or "",
                                 {"midterm_target": i.get("midterm_target") or i.get("target")}) for i in inds]
    title = rng.choice(TITLES).format(year=year or "")
    blocks: list[Block] = [TextBlock(text=title, style="title"),
                           TextBlock(text=f"（{year}年度）" if year else "（    年度）"), s.block()]
    record = expect_project(p, budget, expected, unit=unit, period=period, goal=goal or None,
                            midterm_goal=mid_goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One form per 项目支出 of the gold, each on its own page."""
    out = Built()
    for p in (q for q in gold.get("projects", []) if q.get("kind") == "project"):
        blocks, record = _form(gold, p, rng)
        out.add(p.get("name") or "项目", blocks, [record])
    return out
