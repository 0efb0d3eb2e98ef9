"""项目支出绩效目标申报表 of municipal finance bureaus (a 市财政局 blank with its 填报说明): one money row with several
label pairs, a 总目标 | 本年度目标 goal pair, a 项目实施进度计划 table, then a 总目标绩效指标 table and a 本年度绩效指标
table with the same columns, and the 审核意见 block.

Labels as printed: 填报单位; 项目名称 | 项目属性 新增项目□ 延续项目☑; 主管部门 | 项目负责人 | 联系电话; 项目起止时间
年 月 至 年 月; 项目预算（万元） 资金总额 | 其中：市财政资金 | 其他资金：; 项目绩效目标描述 总目标 | 本年度目标;
项目实施进度计划 项目实施进度内容 | 开始时间 | 完成时间 | 备注; indicator tables 一级指标 | 二级指标 | 指标内容 |
指标值 | 备注; 审核意见 主管部门审核意见 / 第三方机构审核意见 / 市财政局审核意见. The overall table may list fewer
indicators than the annual one: an indicator it does not list has no mid-term target. A filled-in copy may type
the money block into one cell ("资金总额：… 其中：市财政资金：… 其他资金：…", as a 2021 county form was filled in).
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, TextBlock
from eval.templates.grid import Sheet, bold, caption, level_table
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built, form_per_project

WIDTHS = [1.3, 1.2, 1.2, 2.6, 1.5, 1.0]
PEOPLE = ("赵敏", "孙立", "周平", "吴芳", "郑凯")
STEPS = ("项目前期准备与方案论证", "组织实施", "过程监督与中期检查", "验收与绩效自评")


def _indicator_table(s: Sheet, title: str, inds: list[dict[str, Any]], key: str, rng: random.Random) -> None:
    head = level_table(s, inds, key, rng)
    caption(s, head, title)


def _overall_subset(inds: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """The indicators the 总目标 table lists: all, or most of them in the same order."""
    if len(inds) < 4 or rng.random() < 0.5:
        return list(inds)
    dropped = set(rng.sample(range(len(inds)), max(1, len(inds) // 4)))
    return [ind for k, ind in enumerate(inds) if k not in dropped]


def _head(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[Sheet, dict[str, float | None], str]:
    head = Sheet(6, WIDTHS)
    year = gold.get("fiscal_year")
    head.row([(0, 0, bold("项目名称")), (1, 3, p.get("name") or ""), (4, 4, bold("项目属性")),
              (5, 5, rng.choice(("新增项目□ 延续项目☑", "新增项目☑ 延续项目□")))])
    head.row([(0, 0, bold("主管部门")), (1, 1, gold.get("department") or ""), (2, 2, bold("项目负责人")),
              (3, 3, rng.choice(PEOPLE)), (4, 4, bold("联系电话")), (5, 5, f"1{rng.randint(3000000000, 8999999999)}")])
    period = f"{year}年1月至{year}年12月" if year else "全年"
    head.row([(0, 0, bold("项目起止时间")), (1, 5, period)])
    budget = p.get("budget") or {}
    total, total_v = amount(budget.get("total"), "wan")
    fiscal, fiscal_v = amount(budget.get("fiscal"), "wan")
    other, other_v = amount(budget.get("other"), "wan")
    split = rng.random() < 0.5  # drawn however the block is printed: later draws stay what they were before
    if random.Random(f"typed {p.get('name')}").random() < 0.3:
        # a filled-in Word form: the block typed into one cell, each amount after its label (an unknown part blank)
        typed = "  ".join(f"{label}{cell.text or ''}" for label, cell in (
            ("资金总额：", total), ("其中：市财政资金：", fiscal), ("其他资金：", other)))
        top = head.row([(1, 5, typed)])
        head.row([(1, 5, "")])
    elif split:  # the total and the city's share on one row, other funds under them
        top = head.row([(1, 1, bold("资金总额")), (2, 2, total), (3, 3, bold("其中：市财政资金")), (4, 5, fiscal)])
        head.row([(1, 1, bold("其他资金：")), (2, 5, other)])
    else:  # the total alone, both parts on the row under it
        top = head.row([(1, 1, bold("资金总额")), (2, 5, total)])
        head.row([(1, 1, bold("其中：市财政资金")), (2, 2, fiscal), (3, 3, bold("其他资金：")), (4, 5, other)])
    head.g.set(top, 0, bold("项目预算（万元）"))
    head.g.merge(top, 0, top + 1, 0)
    read = {"total": total_v, "fiscal": fiscal_v, "other": other_v, "carryover": None}
    return head, read, period


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    head, read, period = _head(gold, p, rng)
    year = gold.get("fiscal_year")
    goal = p.get("goal") or ""
    overall_goal = p.get("midterm_goal") or goal
    g_top = head.row([(1, 3, bold("总目标")), (4, 5, bold("本年度目标"))])
    head.row([(1, 3, overall_goal), (4, 5, goal)])
    head.g.set(g_top, 0, bold("项目绩效目标描述"))
    head.g.merge(g_top, 0, g_top + 1, 0)
    plan = Sheet(6, WIDTHS)
    p_top = plan.row([(1, 3, bold("项目实施进度内容")), (4, 4, bold("开始时间")), (5, 5, bold("完成时间"))])
    for k, step in enumerate(STEPS[:rng.randint(2, 4)]):
        start, end = f"{year or ''}年{1 + 3 * k}月", f"{year or ''}年{3 + 3 * k}月"
        plan.row([(1, 3, f"{k + 1}.{step}"), (4, 4, start), (5, 5, end)])
    caption(plan, p_top, "项目实施进度计划")
    inds = p.get("indicators") or []
    overall = _overall_subset(inds, rng)
    long_table, year_table = Sheet(6, WIDTHS), Sheet(6, WIDTHS)
    _indicator_table(long_table, "总目标绩效指标", overall, "midterm_target", rng)
    _indicator_table(year_table, "本年度绩效指标", inds, "target", rng)
    audit = Sheet(6, WIDTHS)
    for label in ("主管部门审核意见", "第三方机构审核意见", "市财政局审核意见"):
        audit.row([(0, 0, bold("审核意见")), (1, 1, bold(label)), (2, 5, "审核人：        日期：")])
    audit.g.merge(0, 0, len(audit.g.rows) - 1, 0)
    title = f"（{year}年度）" if year else "（    年度）"
    blocks: list[Block] = [TextBlock(text="项目支出绩效目标申报表", style="title"), TextBlock(text=title),
                           TextBlock(text=f"填报单位：{gold.get('department') or ''}"), head.block(), plan.block(),
                           long_table.block(), year_table.block(), audit.block(),
                           TextBlock(text="填报人及联系电话：        填报日期：")]
    listed = {id(ind) for ind in overall}
    expected = [expect_indicator(i, i.get("target") or "", {
        "midterm_target": (i.get("midterm_target") or i.get("target")) if id(i) in listed else None}) for i in inds]
    record = expect_project(p, read, expected, period=period, goal=goal or None,
                            midterm_goal=overall_goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One 申报表 per 项目支出, each on its own page (its own sheet in Excel)."""
    return form_per_project(gold, rng, _form)
