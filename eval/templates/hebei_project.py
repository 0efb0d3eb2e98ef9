"""Hebei 项目绩效目标表 (budget-system print of one form per project), as county departments publish it.

Printed per project: "N.项目名称绩效目标表", the unit and 单位：万元 on their own lines; 项目编码 | X | 项目名称 | Y;
预算规模及资金用途 with 预算数 | 其中：财政资金 | 其他资金 and the use text; 资金支出计划（%） 3月底 / 6月底 / 10月底 /
12月底; 绩效目标 (numbered items); 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据, 一级/二级
printed once per block.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, Cell, TextBlock
from eval.templates.grid import Sheet, Span, bold, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built

WIDTHS = [1.1, 1.2, 2.0, 1.4, 1.6, 1.6, 1.6]
USES = "主要用于{name}相关工作的日常开支，保障各项工作任务顺利完成。"


def _form(p: dict[str, Any], n: int, unit: str, code: str, rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    s = Sheet(7, WIDTHS)
    name = p.get("name") or ""
    s.row([(0, 0, bold("项目编码")), (1, 2, code), (3, 3, bold("项目名称")), (4, 6, name)])
    budget = p.get("budget") or {}
    total_cell, total = amount(budget.get("total"), "wan")
    fiscal_cell, fiscal = amount(budget.get("fiscal"), "wan")
    other_cell, other = amount(budget.get("other"), "wan")
    top = s.row([(1, 1, bold("预算数")), (2, 2, total_cell), (3, 3, bold("其中：财政资金")), (4, 4, fiscal_cell),
                 (5, 5, bold("其他资金")), (6, 6, other_cell)])
    s.row([(1, 6, USES.format(name=name))])
    s.g.set(top, 0, bold("预算规模及资金用途"))
    s.g.merge(top, 0, top + 1, 0)
    plan = s.row([(1, 2, bold("3月底")), (3, 3, bold("6月底")), (4, 5, bold("10月底")), (6, 6, bold("12月底"))])
    s.row([(1, 2, "30%"), (3, 3, "60%"), (4, 5, "90%"), (6, 6, "100%")])
    s.g.set(plan, 0, bold("资金支出计划（%）"))
    s.g.merge(plan, 0, plan + 1, 0)
    goal = p.get("goal") or ""
    s.row([(0, 0, bold("绩效目标")), (1, 6, goal)])
    s.row([(0, 0, bold("一级指标")), (1, 1, bold("二级指标")), (2, 2, bold("三级指标")), (3, 4, bold("绩效指标描述")),
           (5, 5, bold("指标值")), (6, 6, bold("指标值确定依据"))])
    inds = p.get("indicators") or []

    def cells(ind: dict[str, Any]) -> list[Span]:
        return [(0, 0, ind.get("level1") or ""), (1, 1, ind.get("level2") or ""), (2, 2, ind.get("name") or ""),
                (3, 4, ind.get("description") or ind.get("name") or ""), (5, 5, Cell(text=ind.get("target") or "")),
                (6, 6, ind.get("basis") or "年初工作计划")]

    rows = indicator_rows(s, inds, cells, 2, pick_break(rng, len(inds)))
    merged = rng.random() < 0.5  # the budget system prints 一级/二级 once per block: merged, or left blank below
    merge_runs(s, rows, level_keys(inds, 1), 0, merged)
    merge_runs(s, rows, level_keys(inds, 2), 1, merged)
    expected = [expect_indicator(i, i.get("target") or "", {"description": i.get("description") or i.get("name"),
                                                           "basis": i.get("basis") or "年初工作计划"}) for i in inds]
    blocks: list[Block] = [TextBlock(text=f"{n}.{name}绩效目标表", style="title"), TextBlock(text=unit),
                           TextBlock(text="单位：万元"), s.block()]
    record = expect_project(p, {"total": total, "fiscal": fiscal, "other": other, "carryover": None}, expected,
                            code=code, unit=unit, goal=goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """All forms one after another in one document (one sheet in Excel), as the budget system exports them."""
    out = Built()
    blocks: list[Block] = []
    records = []
    prefix = f"1302{rng.randint(10, 99)}22P00{rng.randint(3000, 3999)}"
    for n, p in enumerate((q for q in gold.get("projects", []) if q.get("kind") == "project"), 1):
        unit = p.get("unit") or gold.get("department") or ""
        code = p.get("code") or f"{prefix}{n:04d}"
        form, record = _form(p, n, unit, code, rng)
        blocks += form
        records.append(record)
    out.add("项目绩效目标表", blocks, records)
    return out
