"""部门整体支出绩效目标表 in the 部门整体 framework (一级 部门管理 / 履职效果 / 能力建设), with a budget block by
来源 and by 支出类型. Level names and "产出数量指标1-" name prefixes are expected back as printed.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.national_overall import numbered, overall_of
from eval.templates.values import amount, expect_indicator, expect_project, split_amount
from eval.templates.variant import Built

# (level1, level2, name, target, operator, value, unit) of the management and capacity rows every such form has
FIXED: tuple[tuple[str, str, str, str, str | None, float | None, str | None], ...] = (
    ("部门管理", "资金投入", "基本支出预算执行率", "≥95%", ">=", 95, "%"),
    ("部门管理", "资金投入", "项目支出预算执行率", "≥90%", ">=", 90, "%"),
    ("部门管理", "财务管理", "财务管理制度健全性", "健全", None, None, None),
    ("部门管理", "采购管理", "政府采购执行率", "100%", "=", 100, "%"),
    ("部门管理", "人员管理", "在职人员控制率", "≤100%", "<=", 100, "%"),
    ("部门管理", "资产管理", "固定资产利用率", "≥90%", ">=", 90, "%"),
    ("履职效果", "社会影响", "社会公众满意度", "≥85%", ">=", 85, "%"),
    ("能力建设", "人力资源建设", "干部职工培训覆盖率", "≥90%", ">=", 90, "%"),
    ("能力建设", "档案管理", "档案管理规范性", "规范", None, None, None),
)
# gold (level1 word, level2 word) → framework level2 and the prefix word of the three-level name
MAP = (("满意", "", "服务对象满意度", "服务对象满意度指标"), ("可持续", "", "长效管理", "可持续影响指标"),
       ("产出", "数量", "部门履职目标", "产出数量指标"), ("产出", "质量", "部门履职目标", "产出质量指标"),
       ("产出", "时效", "部门履职目标", "产出时效指标"), ("产出", "成本", "资金投入", "产出成本指标"),
       ("效益", "经济", "部门效果目标", "经济效益指标"), ("效益", "生态", "部门效果目标", "生态效益指标"),
       ("效益", "", "部门效果目标", "社会效益指标"))
LEVEL1 = {"资金投入": "部门管理", "长效管理": "能力建设"}
LEVEL2 = ("资金投入", "财务管理", "采购管理", "人员管理", "资产管理", "部门履职目标", "部门效果目标", "社会影响",
          "服务对象满意度",
          "长效管理", "人力资源建设", "档案管理")  # printed order: 部门管理, then 履职效果, then 能力建设
WIDTHS = [1.0, 1.1, 1.4, 3.2, 1.4, 1.4]


def _fixed(row: tuple[str, str, str, str, str | None, float | None, str | None]) -> dict[str, Any]:
    l1, l2, name, target, op, value, unit = row
    return {"level1": l1, "level2": l2, "name": name, "description": None, "target": target, "operator": op,
            "value": value, "value_max": None, "unit": unit, "qualitative": op is None, "weight": None,
            "direction": None, "basis": None, "midterm_target": None, "confidence": 1.0, "origin": "human"}


def reframe(inds: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """The gold indicators moved into the framework (prefixed names), plus some fixed rows, grouped by 一级."""
    counts: dict[str, int] = {}
    out = [_fixed(r) for r in FIXED if rng.random() < 0.6]
    for ind in inds:
        text = f"{ind.get('level1') or ''}|{ind.get('level2') or ''}"
        l2, word = next(((m[2], m[3]) for m in MAP if m[0] in text and m[1] in text), ("部门履职目标", "产出指标"))
        counts[word] = counts.get(word, 0) + 1
        out.append({**ind, "level1": LEVEL1.get(l2, "履职效果"), "level2": l2,
                    "name": f"{word}{counts[word]}-{ind.get('name') or ''}"})
    return sorted(out, key=lambda i: LEVEL2.index(i["level2"]))  # stable: printed order kept inside each 二级


def _budget(s: Sheet, budget: dict[str, Any], rng: random.Random) -> dict[str, float | None]:
    """收入 by source on the left, 支出 by type on the right; the reader returns 支出预算合计 and the sources."""
    total = budget.get("total")
    basic, project = split_amount(total, [rng.uniform(1, 3), rng.uniform(3, 8)]) if total is not None else (None,) * 2
    people, public = split_amount(basic, [3, 1]) if basic is not None else (None, None)
    read: dict[str, float | None] = {"total": amount(total, "wan")[1]}
    left = [("收入预算合计", "total"), ("其中：当年财政拨款", "fiscal"), ("上年结转结余", "carryover"),
            ("其他资金", "other"), None]
    right = [("支出预算合计", total), ("其中：基本支出", basic), ("　　人员经费", people), ("　　公用经费", public),
             ("项目支出", project)]
    top = len(s.g.rows)
    for lhs, (label, v) in zip(left, right, strict=True):
        spans: list[Span] = [(4, 4, label), (5, 5, amount(v, "wan")[0])]
        if lhs:
            cell, value = amount(budget.get(lhs[1]), "wan")
            read[lhs[1]] = value
            spans = [(1, 2, lhs[0]), (3, 3, cell), *spans]
        s.row(spans)
    s.g.set(top, 0, bold("部门预算（万元）"))
    s.g.merge(top, 0, top + 4, 0)
    return read


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """The department's 整体 form in the framework."""
    p = overall_of(gold, rng)
    s = Sheet(6, WIDTHS)
    name = p.get("name") or gold.get("department") or ""
    s.row([(0, 0, bold("部门（单位）名称")), (1, 5, name)])
    budget = _budget(s, p.get("budget") or {}, rng)
    goal = numbered(p.get("goal") or "", rng)
    s.row([(0, 0, bold("年度总体目标")), (1, 5, goal)])
    head = s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 3, bold("三级指标")), (4, 4, bold("指标值")),
                  (5, 5, bold("备注"))])
    inds = reframe(p.get("indicators") or [], rng)

    def cells(ind: dict[str, Any]) -> list[Span]:
        return [(1, 1, ind["level1"]), (2, 2, ind["level2"]), (3, 3, ind["name"]), (4, 4, ind.get("target") or "")]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    caption(s, head, "绩效指标")
    year = gold.get("fiscal_year")
    blocks: list[Block] = [TextBlock(text=f"{year or ''}年部门整体支出绩效目标表", style="title"),
                           TextBlock(text="金额单位：万元"), s.block()]
    expected = [expect_indicator(i, i.get("target") or "") for i in inds]
    out = Built()
    out.add("部门整体支出绩效目标", blocks,
            [expect_project({**p, "kind": "overall", "name": name}, budget, expected, unit=name, goal=goal or None)])
    return out
