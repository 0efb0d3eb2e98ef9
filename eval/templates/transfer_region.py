"""专项转移支付区域绩效目标表 (财预〔2015〕163号 区域绩效目标表, and the provinces' 省对下 copies).

One form per 专项, labelled 专项名称 instead of 项目名称; money as 年度金额 with its 省级补助 and 地方资金
parts; 年度总体目标 as numbered 目标1：… lines; a 绩效指标 caption left of 一级指标 | 二级指标 | 三级指标 |
指标值, whose names may keep the blank's "指标1：" prefix.

Labels as printed: （20××年度）; 专项名称; 省级主管部门; 市（州）财政部门 | 市（州）主管部门;
资金情况（万元） 年度金额： / 其中：省级补助 / 地方资金; 年度总体目标; 绩效指标. The parts are transfers by level
of government, not the schema's 财政拨款 / 其他资金: a correct reader returns the annual amount as the total
and leaves the parts null.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project, split_amount
from eval.templates.variant import Built, form_per_project

WIDTHS = [1.2, 1.3, 1.4, 2.8, 1.8]
CITIES = ("某市财政局", "某州财政局", "某县财政局")
PROVINCE = ("省委政法委员会", "省司法厅", "省公安厅")


def _goal_lines(goal: str) -> str:
    """The annual goal as the blank asks for it: 目标1：… 目标2：… (one line per sentence)."""
    parts = [s for s in goal.replace("；", "。").split("。") if s.strip()]
    return "\n".join(f"目标{k}：{s.strip()}。" for k, s in enumerate(parts, 1)) if parts else ""


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    s = Sheet(5, WIDTHS)
    dept = gold.get("department") or ""
    s.row([(0, 0, bold("专项名称")), (1, 4, p.get("name") or "")])
    s.row([(0, 0, bold("省级主管部门")), (1, 4, rng.choice(PROVINCE))])
    s.row([(0, 0, bold("市（州）财政部门")), (1, 1, rng.choice(CITIES)), (2, 2, bold("市（州）主管部门")),
           (3, 4, dept)])
    budget = p.get("budget") or {}
    total = budget.get("total")
    parts = split_amount(total, [rng.randint(5, 9), rng.randint(1, 5)]) if total else [None, None]
    top = len(s.g.rows)
    cell, read_total = amount(total, "wan")
    s.row([(1, 1, bold("年度金额：")), (2, 4, cell)])
    s.row([(1, 1, bold("其中：省级补助")), (2, 4, amount(parts[0], "wan")[0])])
    s.row([(1, 1, bold("地方资金")), (2, 4, amount(parts[1], "wan")[0])])
    s.g.set(top, 0, bold("资金情况（万元）"))
    s.g.merge(top, 0, top + 2, 0)
    goal = p.get("goal") or ""
    printed_goal = _goal_lines(goal) if rng.random() < 0.6 else goal
    s.row([(0, 0, bold("年度总体目标")), (1, 4, printed_goal)])
    head = s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 3, bold("三级指标")), (4, 4, bold("指标值"))])
    inds = p.get("indicators") or []
    numbered = rng.random() < 0.5

    def cells(ind: dict[str, Any]) -> list[Span]:
        name = ind.get("name") or ""
        if numbered and name:
            name = f"指标{inds.index(ind) + 1}：{name}"
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""), (3, 3, name),
                (4, 4, ind.get("target") or "")]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    caption(s, head, "绩效指标")
    year = gold.get("fiscal_year")
    blocks: list[Block] = [TextBlock(text="专项转移支付区域绩效目标表", style="title"),
                           TextBlock(text=f"（{year}年度）" if year else "（    年度）"), s.block()]
    expected = [expect_indicator(i, i.get("target") or "") for i in inds]
    record = expect_project(p, {"total": read_total}, expected, goal=printed_goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One 区域绩效目标表 per 项目支出 (as one per 专项), each on its own page (its own sheet in Excel)."""
    return form_per_project(gold, rng, _form)
