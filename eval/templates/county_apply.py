"""财政支出项目绩效目标申报表 of county finance bureaus (Shaanxi 佳县 2016 blank, Hunan 宁乡 2021 filled form):
a long label block, then a 长期绩效指标 table and a 年度绩效指标 table with the same columns.

Labels as printed: 填报单位（盖章）; 项目名称 | 项目属性 新增项目□ 延续项目☑; 主管部门 | 主管部门编码; 项目实施单位 |
项目负责人 | 联系电话; 项目起止时间; 项目资金申请（万元） 资金总额： / 财政拨款： / 自有资金： / 其他：; 项目概况;
项目绩效目标 长期目标 | 年度目标; tables 一级指标 | 二级指标 | 指标内容 | 指标值 | 备注. Only the 年度 table gives the
annual targets; the 长期 one gives the mid-term targets.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, bold, caption, level_table
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built, form_per_project

WIDTHS = [1.2, 1.2, 1.4, 2.6, 1.5, 1.0]
PEOPLE = ("王明", "李华", "张伟", "刘洋", "陈静")


def _indicator_table(s: Sheet, title: str, inds: list[dict[str, Any]], key: str, rng: random.Random) -> None:
    head = level_table(s, inds, key, rng)
    caption(s, head, title if rng.random() < 0.5 else "\n".join(title))  # narrow caption columns wrap per character


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    head = Sheet(6, WIDTHS)
    year = gold.get("fiscal_year")
    unit = p.get("unit") or gold.get("department") or ""
    head.row([(0, 0, bold("项目名称")), (1, 3, p.get("name") or ""), (4, 4, bold("项目属性")),
              (5, 5, rng.choice(("新增项目□ 延续项目☑", "新增项目☑ 延续项目□")))])
    head.row([(0, 0, bold("主管部门")), (1, 3, gold.get("department") or ""), (4, 4, bold("主管部门编码")),
              (5, 5, str(rng.randint(100001, 999999)))])
    head.row([(0, 0, bold("项目实施单位")), (1, 1, unit), (2, 2, bold("项目负责人")), (3, 3, rng.choice(PEOPLE)),
              (4, 4, bold("联系电话")), (5, 5, f"0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}")])
    period = f"{year}年1月至{year}年12月" if year else "全年"
    head.row([(0, 0, bold("项目起止时间")), (1, 5, period)])
    budget = p.get("budget") or {}
    top = len(head.g.rows)
    read: dict[str, float | None] = {"carryover": None}
    for label, key in (("资金总额：", "total"), ("财政拨款：", "fiscal"), ("自有资金：", None), ("其他：", "other")):
        cell, value = amount(budget.get(key) if key else None, "wan")
        if key:
            read[key] = value
        head.row([(1, 2, bold(label)), (3, 5, cell)])
    head.g.set(top, 0, bold("项目资金申请（万元）"))
    head.g.merge(top, 0, top + 3, 0)
    goal = p.get("goal") or ""
    long_goal = p.get("midterm_goal") or goal
    head.row([(0, 0, bold("项目概况")), (1, 5, f"{p.get('name') or ''}。")])
    g_top = head.row([(1, 3, bold("长期目标")), (4, 5, bold("年度目标"))])
    head.row([(1, 3, long_goal), (4, 5, goal)])
    head.g.set(g_top, 0, bold("项目绩效目标"))
    head.g.merge(g_top, 0, g_top + 1, 0)
    inds = p.get("indicators") or []
    long_table, year_table = Sheet(6, WIDTHS), Sheet(6, WIDTHS)
    _indicator_table(long_table, "长期绩效指标", inds, "midterm_target", rng)
    _indicator_table(year_table, "年度绩效指标", inds, "target", rng)
    title = f"（{year}年度）" if year else "（    年度）"
    blocks: list[Block] = [TextBlock(text="财政支出项目绩效目标申报表", style="title"), TextBlock(text=title),
                           TextBlock(text=f"填报单位（盖章）：{gold.get('department') or ''}"), head.block(),
                           long_table.block(), year_table.block(),
                           TextBlock(text="填报人：        单位负责人：        填报日期：")]
    expected = [expect_indicator(i, i.get("target") or "",
                                 {"midterm_target": i.get("midterm_target") or i.get("target")}) for i in inds]
    record = expect_project(p, read, expected, unit=unit, period=period, goal=goal or None,
                            midterm_goal=long_goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One 申报表 per 项目支出, each on its own page (its own sheet in Excel)."""
    return form_per_project(gold, rng, _form)
