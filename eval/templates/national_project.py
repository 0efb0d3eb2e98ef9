"""项目支出绩效目标申报表: the central template of 财预〔2015〕88号 (附件), as departments and provinces print it.

Labels as printed: 项目名称; 主管部门及代码 | 实施单位; 项目属性 | 项目期; 项目资金（万元） (or （元）) with
中期资金总额： | 年度资金总额： and 其中：财政拨款 / 其他资金 under each, or a single 项目金额 column of
年度资金总额： / 其中：当年财政拨款 / 上年结转资金 / 其他资金; 总体目标 split 中期目标 | 年度目标; a merged 绩效指标
caption left of 一级指标 | 二级指标 | 三级指标 | 中期指标值 | 年度指标值 and, in some provinces, one more column
(指标解释, 评分标准 or 备注).
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import MoneyStyle, amount, expect_indicator, expect_project
from eval.templates.variant import Built, form_per_project

TITLES = ("项目支出绩效目标申报表", "项目绩效目标表", "{year}年项目支出绩效目标申报表")
ATTRIBUTES = ("经常性项目", "延续性项目", "一次性项目")
EXTRA = (None, None, "指标解释", "评分标准", "备注")
SCORING = "完成目标值得满分，未完成按完成比例计分。"


def _both_sides(s: Sheet, budget: dict[str, Any], years: int, style: MoneyStyle) -> dict[str, float | None]:
    """中期 and 年度 amounts side by side, each as a column of labels with the amount in the next cell."""
    read: dict[str, float | None] = {"carryover": None}
    last = s.n_cols - 1
    for label, key in (("资金总额：", "total"), ("其中：财政拨款", "fiscal"), ("其他资金", "other")):
        annual, read[key] = amount(budget.get(key), style)
        mid_value = budget.get(key)
        mid, _ = amount(None if mid_value is None else mid_value * years, style)
        s.row([(1, 1, bold(("中期" if key == "total" else "") + label)), (2, 3, mid),
               (4, 4, bold(("年度" if key == "total" else "") + label)), (5, last, annual)])
    return read


def _annual_only(s: Sheet, budget: dict[str, Any], style: MoneyStyle) -> dict[str, float | None]:
    """One column of labels (年度资金总额：, 其中：当年财政拨款, 上年结转资金, 其他资金), amounts in the next cell."""
    read: dict[str, float | None] = {}
    for label, key in (("年度资金总额：", "total"), ("其中：当年财政拨款", "fiscal"), ("上年结转资金", "carryover"),
                       ("其他资金", "other")):
        cell, read[key] = amount(budget.get(key), style)
        s.row([(1, 2, bold(label)), (3, s.n_cols - 1, cell)])
    return read


def _money(s: Sheet, budget: dict[str, Any], years: int, rng: random.Random) -> dict[str, float | None]:
    """The 项目资金 block in 万元 or 元 (the unit in its caption); returns the annual budget read back."""
    yuan = rng.random() < 0.3
    style: MoneyStyle = "yuan" if yuan else rng.choice(("wan", "wan_suffix"))
    top = len(s.g.rows)
    if rng.random() < 0.6:
        read, head = _both_sides(s, budget, years, style), "项目资金"
    else:
        read, head = _annual_only(s, budget, style), "项目金额"
    s.g.set(top, 0, bold(head + ("（元）" if yuan else "（万元）")))
    s.g.merge(top, 0, len(s.g.rows) - 1, 0)
    return read


def _extra_cell(extra: str | None, ind: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text of the province's extra column for one indicator, and the field a reader files it under."""
    if extra == "指标解释":
        text = ind.get("description") or f"反映{ind.get('name') or ''}的情况。"
        return text, {"description": text}
    if extra == "评分标准":
        text = ind.get("basis") or SCORING
        return text, {"basis": text}
    return "", {}


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    extra = rng.choice(EXTRA)
    s = Sheet(8 if extra else 7, [1.0, 1.3, 1.3, 1.6, 1.6, 1.6, 1.6, *([1.8] if extra else [])])
    last = s.n_cols - 1
    year = gold.get("fiscal_year")
    dept = gold.get("department") or ""
    unit = p.get("unit") or dept
    s.row([(0, 0, bold("项目名称")), (1, last, p.get("name") or "")])
    s.row([(0, 0, bold("主管部门及代码")), (1, 3, f"[{rng.randint(100, 699)}]{dept}"), (4, 4, bold("实施单位")),
           (5, last, unit)])
    period = p.get("period") or (f"{year}年" if year else "1年")
    years = rng.choice((1, 1, 2, 3))
    s.row([(0, 0, bold("项目属性")), (1, 3, rng.choice(ATTRIBUTES)), (4, 4, bold("项目期")), (5, last, period)])
    budget = _money(s, p.get("budget") or {}, years, rng)
    goal = p.get("goal") or ""
    mid_goal = p.get("midterm_goal") or goal
    top = s.row([(1, 3, bold("中期目标")), (4, last, bold("年度目标"))])
    s.row([(1, 3, mid_goal), (4, last, goal)])
    s.g.set(top, 0, bold("总体目标"))
    s.g.merge(top, 0, top + 1, 0)
    head = s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 4, bold("三级指标")),
                  (5, 5, bold("中期指标值")), (6, 6, bold("年度指标值")), *([(7, 7, bold(extra))] if extra else [])])
    inds = p.get("indicators") or []

    def cells(ind: dict[str, Any]) -> list[Span]:
        more: list[Span] = [(7, 7, _extra_cell(extra, ind)[0])] if extra else []
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""), (3, 4, ind.get("name") or ""),
                (5, 5, ind.get("midterm_target") or ind.get("target") or ""), (6, 6, ind.get("target") or ""), *more]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    caption(s, head, rng.choice(("绩效指标", "绩\n效\n指\n标")))  # a narrow caption column wraps per character
    expected = [expect_indicator(i, i.get("target") or "", {
        "midterm_target": i.get("midterm_target") or i.get("target"), **_extra_cell(extra, i)[1]}) for i in inds]
    title = rng.choice(TITLES).format(year=year or "")
    blocks: list[Block] = [TextBlock(text=title, style="title"),
                           TextBlock(text=f"（{year}年度）" if year else "（    年度）"), s.block()]
    record = expect_project(p, budget, expected, unit=unit, period=period, goal=goal or None,
                            midterm_goal=mid_goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One form per 项目支出 of the gold, each on its own page."""
    return form_per_project(gold, rng, _form)
