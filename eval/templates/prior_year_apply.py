"""部门预算项目支出绩效目标申报表 of a municipal finance bureau (大庆 附1 blank): every amount and indicator printed
beside last year's, so the reader must take only the 本年度 column.

Labels as printed: 编制单位（盖章）; 项目基本情况 caption over 项目名称, 项目负责人 | 联系电话, 项目类别
(a checklist), 项目属性 新增项目□ 延续项目☑, 项目计划实施时间, 项目申请原因（…）, 以前年度项目绩效情况;
项目资金情况 caption over 资金来源（万元） | 上年度预算安排 | 上年度实际执行 | 本年度申请金额 and rows 合计 /
财政拨款 / 政府性基金拨款 / 财政专户拨款 / 其他资金 / 上年结转 / 事业基金弥补差额; 项目支出内容及明细预算（万元）
with the same year columns, 资金测算依据及说明, a 合计 and numbered items; 绩效目标情况 caption over 预期目标
(预期提供的公共产品和服务的数量 / 预期效果 / 保障绩效目标实现的措施) and 绩效指标: 指标名称 over 一级指标 |
二级指标 | 三级指标 on a second header row, beside 上年度实际水平 | 本年度计划水平 | 指标内容/计算公式;
财政主管业务科室审核意见 at the foot.
"""

from __future__ import annotations

import random
import re
from typing import Any

from eval.layouts.spec import Block, Cell, TextBlock
from eval.templates.grid import Sheet, Span, bold, caption, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project, split_amount
from eval.templates.variant import Built, form_per_project

WIDTHS = [1.0, 1.3, 1.3, 2.4, 1.2, 1.2, 2.0]
PEOPLE = ("王明", "李华", "张伟", "刘洋", "陈静")
KINDS = ("1.重大课题（规划）", "2.网络运行维护", "3.考核奖励", "4.大型培训", "5.重大宣传活动", "6.执法办案",
         "7.大宗印刷", "11.设备购置", "19.其他")
ITEMS = ("业务工作经费", "设备购置及维护", "印刷及宣传", "培训及会议", "委托服务")
MONEY_ROWS = (("合计", "total"), ("财政拨款", "fiscal"), ("政府性基金拨款", None), ("财政专户拨款", None),
              ("其他资金", "other"), ("上年结转", "carryover"), ("事业基金弥补差额", None))
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _last_year(v: float | None, rng: random.Random, continuing: bool) -> tuple[Cell, Cell]:
    """Last year's budget and outturn beside this year's amount: numbers of a continuing project, dashes else."""
    if not continuing or v is None:
        return Cell(text="——"), Cell(text="——")
    planned = round(v * rng.uniform(0.7, 1.2), 2)
    return amount(planned, "wan")[0], amount(round(planned * rng.uniform(0.8, 1.0), 2), "wan")[0]


def _last_level(target: str, rng: random.Random) -> str:
    """Last year's actual level of an indicator: the target's number moved a little, else the target's words."""
    m = NUMBER.search(target)
    if not m:
        return target.lstrip("=≥≤><")
    v = float(m.group()) * rng.uniform(0.8, 1.0)
    text = f"{v:.0f}" if "." not in m.group() else f"{v:.2f}"
    return (target[:m.start()] + text + target[m.end():]).lstrip("=≥≤><")


def _money(s: Sheet, budget: dict[str, Any], rng: random.Random, continuing: bool) -> dict[str, float | None]:
    read: dict[str, float | None] = {}
    top = s.row([(1, 2, bold("资金来源（万元）")), (3, 3, bold("上年度预算安排")), (4, 4, bold("上年度实际执行")),
                 (5, 6, bold("本年度申请金额"))])
    for label, key in MONEY_ROWS:
        cell, value = amount(budget.get(key) if key else None, "wan")
        if key:
            read[key] = value
        planned, actual = _last_year(budget.get(key) if key else None, rng, continuing)
        s.row([(1, 2, label), (3, 3, planned), (4, 4, actual), (5, 6, cell)])
    s.g.set(top, 0, bold("项目资金情况"))
    s.g.merge(top, 0, top + len(MONEY_ROWS), 0)
    return read


def _detail(s: Sheet, total: float | None, rng: random.Random) -> None:
    """项目支出内容及明细预算: the year's total again, split into numbered items with their reasons."""
    top = s.row([(1, 2, bold("项目")), (3, 3, bold("上年度预算安排")), (4, 4, bold("上年度实际执行")),
                 (5, 5, bold("本年度申请金额")), (6, 6, bold("资金测算依据及说明"))])
    s.row([(1, 2, "合计"), (3, 3, "*"), (4, 4, "*"), (5, 5, amount(total, "wan")[0])])
    names = rng.sample(ITEMS, 2 if total is None or total < 5 else 3)
    parts: list[float | None] = [None] * len(names)
    if total is not None:
        parts = list(split_amount(total, [rng.randint(2, 6) for _ in names]))
    for k, (name, part) in enumerate(zip(names, parts, strict=True), 1):
        s.row([(1, 2, f"{k}.{name}"), (3, 3, "——"), (4, 4, "——"), (5, 5, amount(part, "wan")[0]),
               (6, 6, "按实际需要测算")])
    s.g.set(top, 0, bold("项目支出内容及明细预算（万元）"))
    s.g.merge(top, 0, len(s.g.rows) - 1, 0)


def _indicators(s: Sheet, inds: list[dict[str, Any]], rng: random.Random) -> int:
    head = s.row([(1, 3, bold("指标名称")), (4, 4, bold("上年度实际水平")), (5, 5, bold("本年度计划水平")),
                  (6, 6, bold("指标内容/计算公式"))])
    s.row([(1, 1, bold("一级指标")), (2, 2, bold("二级指标")), (3, 3, bold("三级指标"))])
    for c in (4, 5, 6):
        s.g.merge(head, c, head + 1, c)

    def cells(ind: dict[str, Any]) -> list[Span]:
        target = ind.get("target") or ""
        return [(1, 1, ind.get("level1") or ""), (2, 2, ind.get("level2") or ""), (3, 3, ind.get("name") or ""),
                (4, 4, _last_level(target, rng) if target else ""), (5, 5, target),
                (6, 6, ind.get("description") or "")]

    rows = indicator_rows(s, inds, cells, 3, pick_break(rng, len(inds)))
    merge_runs(s, rows, level_keys(inds, 1), 1)
    merge_runs(s, rows, level_keys(inds, 2), 2)
    return head


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    s = Sheet(7, WIDTHS)
    year = gold.get("fiscal_year")
    continuing = rng.random() < 0.7
    s.row([(1, 2, bold("项目名称")), (3, 6, p.get("name") or "")])
    s.row([(1, 2, bold("项目负责人")), (3, 4, rng.choice(PEOPLE)), (5, 5, bold("联系电话")),
           (6, 6, f"0459-{rng.randint(4000000, 6999999)}")])
    ticked = rng.choice(KINDS)
    s.row([(1, 2, bold("项目类别")), (3, 6, " ".join(k + ("☑" if k == ticked else "□") for k in KINDS))])
    s.row([(1, 2, bold("项目属性")), (3, 6, "新增项目□ 延续项目☑" if continuing else "新增项目☑ 延续项目□")])
    period = f"{year}年1月1日至{year}年12月31日" if year else "全年"
    s.row([(1, 2, bold("项目计划实施时间")), (3, 6, period)])
    s.row([(1, 2, bold("项目申请原因（包括设立依据、可行性及必要性）")),
           (3, 6, f"依据部门职责设立，保障{p.get('name') or '本项目'}各项工作正常开展。")])
    s.row([(1, 2, bold("以前年度项目绩效情况")),
           (3, 6, "上年度项目按计划实施，绩效目标基本完成。" if continuing else "新增项目，无以前年度绩效情况。")])
    caption(s, 0, "项目基本情况")
    read = _money(s, p.get("budget") or {}, rng, continuing)
    money = Sheet(7, WIDTHS)
    _detail(money, read.get("total"), rng)
    goals = Sheet(7, WIDTHS)
    inds = p.get("indicators") or []
    counted = "；".join(f"{i.get('name')}{i.get('target')}" for i in inds if i.get("level2") == "数量指标")
    goal = p.get("goal") or ""
    g_top = goals.row([(1, 3, bold("内容")), (4, 6, bold("部门（单位）申报"))])
    goals.row([(1, 3, bold("预期提供的公共产品和服务的数量")), (4, 6, counted or "——")])
    goals.row([(1, 3, bold("预期效果")), (4, 6, goal)])
    goals.row([(1, 3, bold("保障绩效目标实现的措施")), (4, 6, "组织机构：成立项目工作小组。管理制度：严格执行财务制度。"
                                                         "质量控制：定期检查项目进度。")])
    goals.g.set(g_top, 0, bold("预期目标"))
    goals.g.merge(g_top, 0, len(goals.g.rows) - 1, 0)
    table = Sheet(7, WIDTHS)
    head = _indicators(table, inds, rng)
    caption(table, head, "绩效指标")
    title = f"（{year}年度）" if year else "（    年度）"
    blocks: list[Block] = [TextBlock(text="部门预算项目支出绩效目标申报表", style="title"), TextBlock(text=title),
                           TextBlock(text=f"编制单位（盖章）：{gold.get('department') or ''}"), s.block(),
                           money.block(), TextBlock(text="绩效目标情况"), goals.block(), table.block(),
                           TextBlock(text="财政主管业务科室审核意见：                审核人：        日期：")]
    expected = [expect_indicator(i, i.get("target") or "", {"description": i.get("description")}) for i in inds]
    record = expect_project(p, read, expected, period=period, goal=goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One 申报表 per 项目支出, each on its own page (its own sheet in Excel)."""
    return form_per_project(gold, rng, _form)
