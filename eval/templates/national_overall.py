"""部门（单位）整体支出绩效目标申报表: the 整体 form of 财预〔2015〕88号 (附件), as departments print it.

Labels as printed: 部门（单位）名称; 年度主要任务 with 任务名称 | 主要内容 | 预算申请（万元）
总额 / 财政拨款 / 其他资金 and a 金额合计 row; 年度总体目标 (numbered items); 年度绩效指标 with 一级指标 | 二级指标 |
三级指标 | 指标值 (some provinces add 绩效标准 or 指标值确定依据).
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.overall import synthesize_overall
from eval.layouts.spec import Block, Cell, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project, split_amount
from eval.templates.variant import Built

TASKS = (("基本支出", "保障机构正常运转和在职人员工资福利"), ("重点工作经费", "保障年度重点工作任务顺利完成"),
         ("专项业务经费", "开展专项业务工作"), ("信息化建设", "推进信息化系统建设和运行维护"))
EXTRA = (None, "绩效标准", "指标值确定依据")
WIDTHS = [1.0, 1.3, 1.3, 1.8, 1.6, 1.3, 1.6]


def overall_of(gold: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The gold's 整体支出 form, or a typical one synthesized from its projects."""
    found = [p for p in gold.get("projects", []) if p.get("kind") == "overall"]
    return found[0] if found else synthesize_overall(gold, rng)


def numbered(goal: str, rng: random.Random) -> str:
    """The 年度总体目标 as printed: the text itself, or cut at 。/； into numbered items."""
    parts = [x for x in goal.replace("；", "。").split("。") if x.strip()]
    if len(parts) < 2 or rng.random() < 0.5:
        return goal
    return "\n".join(f"{i}.{x.strip()}。" for i, x in enumerate(parts, 1))


def _tasks(s: Sheet, budget: dict[str, Any], rng: random.Random) -> dict[str, float | None]:
    """The 年度主要任务 block; returns the budget read back from its 金额合计 row."""
    top = s.row([(1, 1, bold("任务名称")), (2, 3, bold("主要内容")), (4, 6, bold("预算申请（万元）"))])
    s.row([(4, 4, bold("总额")), (5, 5, bold("财政拨款")), (6, 6, bold("其他资金"))])
    s.g.merge(top, 1, top + 1, 1)
    s.g.merge(top, 2, top + 1, 3)
    total = budget.get("total")
    n = rng.randint(2, 3)
    shares = [rng.uniform(1, 4) for _ in range(n)]
    parts = split_amount(total, shares) if total is not None else [None] * n
    fiscal = budget.get("fiscal")
    fparts = split_amount(fiscal, shares) if fiscal is not None else [None] * n
    for (name, content), v, f in zip(rng.sample(TASKS, n), parts, fparts, strict=True):
        s.row([(1, 1, name), (2, 3, content), (4, 4, amount(v, "wan")[0]), (5, 5, amount(f, "wan")[0]),
               (6, 6, Cell())])
    other_cell, other = amount(budget.get("other"), "wan")
    total_cell, read_total = amount(total, "wan")
    fiscal_cell, read_fiscal = amount(fiscal, "wan")
    s.row([(1, 3, bold("金额合计")), (4, 4, total_cell), (5, 5, fiscal_cell), (6, 6, other_cell)])
    s.g.set(top, 0, bold("年度主要任务"))
    s.g.merge(top, 0, len(s.g.rows) - 1, 0)
    return {"total": read_total, "fiscal": read_fiscal, "other": other, "carryover": None}


def build_form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    """One 整体支出 form and its expected record."""
    s = Sheet(7, WIDTHS)
    name = p.get("name") or gold.get("department") or ""
    s.row([(0, 0, bold("部门（单位）名称")), (1, 6, name)])
    budget = _tasks(s, p.get("budget") or {}, rng)
    goal = numbered(p.get("goal") or "", rng)
    s.row([(0, 0, bold("年度总体目标")), (1, 6, goal)])
    extra = rng.choice(EXTRA)
    value_cols = (5, 6) if extra is None else (5, 5)
    head = s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 4, bold("三级指标")),
                  (value_cols[0], value_cols[1], bold("指标值")), *([(6, 6, bold(extra))] if extra else [])])
    inds = p.get("indicators") or []

    def cells(ind: dict[str, Any]) -> list[Span]:
        basis = [(6, 6, ind.get("basis") or "")] if extra else []
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""), (3, 4, ind.get("name") or ""),
                (value_cols[0], value_cols[1], ind.get("target") or ""), *basis]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    caption(s, head, "年度绩效指标")
    expected = [expect_indicator(i, i.get("target") or "", {"basis": i.get("basis")} if extra else None)
                for i in inds]
    year = gold.get("fiscal_year")
    blocks: list[Block] = [TextBlock(text="部门（单位）整体支出绩效目标申报表", style="title"),
                           TextBlock(text=f"（{year}年度）" if year else "（    年度）"), s.block()]
    record = expect_project({**p, "kind": "overall", "name": name}, budget, expected, unit=name, goal=goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """The department's 整体支出 form alone (synthesized when the gold has none)."""
    blocks, record = build_form(gold, overall_of(gold, rng), rng)
    out = Built()
    out.add("整体支出绩效目标", blocks, [record])
    return out
