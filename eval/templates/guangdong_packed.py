"""Guangdong 项目支出绩效目标表（含转移支付项目）: one row per project, every indicator packed into one cell.

Columns as printed: 项目名称（资金使用单位） | 总计 | 财政拨款 | 财政专户拨款 | 其他资金 | 绩效目标 |
绩效指标, 单位：万元 above, a 合计 row and a unit row first. An indicator reads
"1、1-产出指标；11-数量指标；name；实施周期指标值:…；年度指标值:…。"; the reader returns the levels without their
numbers and the 年度指标值 as the target.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, bold
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built

LEVEL1_NO = {"产出": 1, "效益": 2, "满意": 3}
LEVEL2_NO = {"数量": 1, "质量": 2, "时效": 3, "成本": 4, "经济": 1, "社会": 2, "生态": 3, "可持续": 4, "满意": 1}
HEADERS = ("项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")
WIDTHS = [2.0, 0.9, 0.9, 0.9, 0.9, 3.0, 6.0]


def packed(inds: list[dict[str, Any]]) -> str:
    """The 绩效指标 cell: numbered indicators with numbered levels, mid-term and annual values."""
    parts = []
    for i, ind in enumerate(inds, 1):
        l1, l2 = ind.get("level1") or "", ind.get("level2") or ""
        n1 = next((n for k, n in LEVEL1_NO.items() if k in l1), 1)
        n2 = next((n for k, n in LEVEL2_NO.items() if k in l2), 1)
        mid = ind.get("midterm_target") or ind.get("target") or ""
        parts.append(f"{i}、{n1}-{l1}；{n1}{n2}-{l2}；{ind.get('name') or ''}；实施周期指标值:{mid}；"
                     f"年度指标值:{ind.get('target') or ''}。")
    return "".join(parts)


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """The department's table and one expected record per 项目支出."""
    s = Sheet(len(HEADERS), WIDTHS)
    s.row([(i, i, bold(h)) for i, h in enumerate(HEADERS)])
    projects = [p for p in gold.get("projects", []) if p.get("kind") == "project"]
    total = round(sum((p.get("budget") or {}).get("total") or 0.0 for p in projects), 6)
    s.row([(0, 0, bold("合计")), (1, 1, amount(total, "wan")[0]), (2, 2, amount(total, "wan")[0])])
    s.row([(0, 0, gold.get("department") or ""), (1, 1, amount(total, "wan")[0]), (2, 2, amount(total, "wan")[0])])
    records = []
    for p in projects:
        budget = p.get("budget") or {}
        read: dict[str, float | None] = {"carryover": None}
        cells = []
        for key in ("total", "fiscal", None, "other"):
            cell, value = amount(budget.get(key) if key else None, "wan")
            cells.append(cell)
            if key:
                read[key] = value
        inds = p.get("indicators") or []
        s.row([(0, 0, p.get("name") or ""), *((i + 1, i + 1, c) for i, c in enumerate(cells)),
               (5, 5, p.get("goal") or ""), (6, 6, packed(inds))])
        expected = [expect_indicator(i, i.get("target") or "", {"midterm_target": i.get("midterm_target")
                                                                or i.get("target")}) for i in inds]
        records.append(expect_project(p, read, expected, goal=p.get("goal") or None))
    blocks: list[Block] = [TextBlock(text="项目支出绩效目标表（含转移支付项目）", style="title"),
                           TextBlock(text=f"部门名称：{gold.get('department') or ''}"), TextBlock(text="单位：万元"),
                           s.block()]
    out = Built()
    out.add("项目支出绩效目标表", blocks, records)
    return out
