"""Sichuan 部门预算项目绩效目标申报表: one wide sheet for the whole department (2021 indicator-guidance columns).

Columns as printed: 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 |
度量单位 | 权重 | 指标方向性, 金额单位：万元 above. A unit row carries the unit's total; each project's name,
amount and goal are printed once (merged down, or on its first row only); the sheet runs over several pages.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.cells import direction_text, number_cell, target_cells
from eval.layouts.spec import Block, Cell, TextBlock
from eval.templates.grid import Sheet, Span, bold, indicator_rows, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built

HEADERS = ("单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
           "度量单位", "权重", "指标方向性")
WIDTHS = [1.6, 1.6, 0.9, 2.6, 0.9, 1.0, 2.2, 0.7, 0.9, 0.8, 0.6, 0.9]


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """The department's sheet and one expected record per 项目支出."""
    s = Sheet(len(HEADERS), WIDTHS)
    s.row([(i, i, bold(h)) for i, h in enumerate(HEADERS)])
    merged = rng.random() < 0.5
    projects = [p for p in gold.get("projects", []) if p.get("kind") == "project"]
    units: dict[str, list[dict[str, Any]]] = {}
    for p in projects:
        units.setdefault(p.get("unit") or gold.get("department") or "", []).append(p)
    lines: list[dict[str, Any]] = []  # one per printed indicator row: the project, the indicator, first or not
    records = []
    for unit, members in units.items():
        lines.append({"unit": unit, "total": sum((m.get("budget") or {}).get("total") or 0.0 for m in members)})
        for p in members:
            cell, total = amount((p.get("budget") or {}).get("total"), "wan")
            expected = []
            for k, ind in enumerate(p.get("indicators") or []):
                target_cols, target = target_cells(ind, "split3")
                lines.append({"p": p, "ind": ind, "first": k == 0, "money": cell, "cells": target_cols})
                expected.append(expect_indicator(ind, target, {"weight": ind.get("weight"),
                                                                "direction": ind.get("direction")}))
            records.append(expect_project(p, {"total": total}, expected, unit=unit, goal=p.get("goal") or None))

    def cells(line: dict[str, Any]) -> list[Span]:
        if "unit" in line:
            return [(0, 0, line["unit"]), (2, 2, amount(round(line["total"], 6), "wan")[0])]
        p, ind, c = line["p"], line["ind"], line["cells"]
        head: list[Span] = [(1, 1, p.get("name") or ""), (2, 2, line["money"]), (3, 3, p.get("goal") or "")]
        direction = Cell(text=direction_text(ind.get("direction"), True))
        return [*(head if line["first"] else []), (4, 4, ind.get("level1") or ""), (5, 5, ind.get("level2") or ""),
                (6, 6, ind.get("name") or ""), (7, 7, c["nature"]), (8, 8, c["target"]), (9, 9, c["unit"]),
                (10, 10, number_cell(ind.get("weight"))), (11, 11, direction)]

    rows = indicator_rows(s, lines, cells, 6, pick_break(rng, len(lines)))
    if merged:
        keys = [id(line.get("p")) if "p" in line else -i for i, line in enumerate(lines)]
        for col in (1, 2, 3):
            merge_runs(s, rows, keys, col)
    blocks: list[Block] = [TextBlock(text=f"部门预算项目绩效目标申报表（{gold.get('fiscal_year') or ''}年度）",
                                     style="title"), TextBlock(text="金额单位：万元"), s.block()]
    out = Built()
    out.add("项目绩效目标", blocks, records)
    return out
