"""绩效目标申报表（参考模板）: the reference form ministries attach to their guidance for a fund (the 困难群众救助
example): core indicators marked ★, money labels printed above their amounts, 总体目标 as one row per 目标N.

Labels as printed: 绩效目标申报表, （20××年度）; 项目名称; 项目负责人及电话; 主管部门 | 实施单位; 资金情况（万元）
caption over a row of labels 年度资金总额： | 其中：财政拨款 | 其他资金 and the row of amounts under it; 总体目标
caption over 目标1：…, 目标2：… rows; 年度绩效指标 caption (narrow, one character a line) left of 一级指标 | 二级指标 |
三级指标 | 指标值. The first indicator of each 二级 group may carry the ★ of a core indicator (not part of its name).
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built, form_per_project

WIDTHS = [0.8, 1.3, 1.4, 2.8, 1.8]
PEOPLE = ("王明 0551-62001234", "李华 13905510000", "张伟 0557-3021234")


def _goal_rows(goal: str) -> list[str]:
    """The goal as 目标1：…, 目标2：… one sentence a row (a goal of one sentence is 目标1 alone)."""
    parts = [s.strip() for s in goal.replace("；", "。").split("。") if s.strip()]
    return [f"目标{k}：{s}。" for k, s in enumerate(parts, 1)]


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    s = Sheet(5, WIDTHS)
    dept = gold.get("department") or ""
    unit = p.get("unit") or dept
    s.row([(0, 1, bold("项目名称")), (2, 4, p.get("name") or "")])
    s.row([(0, 1, bold("项目负责人及电话")), (2, 4, rng.choice(PEOPLE))])
    s.row([(0, 1, bold("主管部门")), (2, 2, dept), (3, 3, bold("实施单位")), (4, 4, unit)])
    budget = p.get("budget") or {}
    total, total_v = amount(budget.get("total"), "wan")
    fiscal, fiscal_v = amount(budget.get("fiscal"), "wan")
    other, other_v = amount(budget.get("other"), "wan")
    top = s.row([(1, 2, bold("年度资金总额：")), (3, 3, bold("其中：财政拨款")), (4, 4, bold("其他资金"))])
    s.row([(1, 2, total), (3, 3, fiscal), (4, 4, other)])
    s.g.set(top, 0, bold("资金情况（万元）"))
    s.g.merge(top, 0, top + 1, 0)
    goal = p.get("goal") or ""
    lines = _goal_rows(goal) or [""]
    g_top = len(s.g.rows)
    for line in lines:
        s.row([(1, 4, line)])
    s.g.set(g_top, 0, bold("总体目标"))
    s.g.merge(g_top, 0, g_top + len(lines) - 1, 0)
    head = s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 3, bold("三级指标")), (4, 4, bold("指标值"))])
    inds = p.get("indicators") or []
    starred = {id(ind) for k, ind in enumerate(inds)
               if rng.random() < 0.7 and (k == 0 or inds[k - 1].get("level2") != ind.get("level2"))}

    def cells(ind: dict[str, Any]) -> list[Span]:
        name = ind.get("name") or ""
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""),
                (3, 3, f"★{name}" if id(ind) in starred and name else name), (4, 4, ind.get("target") or "")]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    caption(s, head, "\n".join("年度绩效指标"))
    year = gold.get("fiscal_year")
    blocks: list[Block] = [TextBlock(text="绩效目标申报表", style="title"),
                           TextBlock(text=f"（{year}年度）" if year else "（    年度）"), s.block()]
    expected = [expect_indicator(i, i.get("target") or "") for i in inds]
    read = {"total": total_v, "fiscal": fiscal_v, "other": other_v, "carryover": None}
    record = expect_project(p, read, expected, unit=unit or None, goal="".join(lines) or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One 申报表 per 项目支出, each on its own page (its own sheet in Excel)."""
    return form_per_project(gold, rng, _form)
