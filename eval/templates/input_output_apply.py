"""财政支出项目绩效目标申报表（范本）: goals as 投入 / 产出 / 效益 targets (目标1, 目标2… rows under 时效目标,
数量目标…) with 绩效内容 | 参考标准 | 绩效目标值 columns, and last year's budget printed among the labels.

Labels as printed: 填报单位（盖章） | 单位代码; 单位名称; 项目名称 | 是否新增 是□ 否☑; 上年度预算安排资金（万元） |
项目类型 社会发展性项目□ 部门发展性项目☑; 功能科目编码 | 功能科目名称; 项目实施单位 | 项目负责人 | 联系电话;
项目起止时间; 项目资金申请（万元） over 资金总额： | 财政拨款： | 自有资金： and 事业收入： | 经营性收入： | 其他：;
单位职能概述; 项目概况; 项目立项情况 over 项目立项的依据 / 项目申报的可行性 / 项目申报的必要性; 项目总体绩效目标
（长期目标）; 项目年度绩效目标（定量目标） over 评价内容 (three columns: 投入/产出/效益, the target kind, 目标N) |
绩效内容 | 参考标准 | 绩效目标值; 单位已有的（或拟订的）保证项目实施的制度、措施; 填报人： 单位负责人： 填报日期：.
Time and cost targets sit under 投入, satisfaction under 效益; level names are read back as printed.
"""

from __future__ import annotations

import random
from typing import Any

from eval.layouts.spec import Block, Cell, TextBlock
from eval.templates.grid import Sheet, Span, bold, indicator_rows, level_keys, merge_runs, pick_break
from eval.templates.values import amount, expect_indicator, expect_project
from eval.templates.variant import Built, form_per_project

WIDTHS = [1.0, 1.5, 0.8, 2.6, 1.2, 1.5]
PEOPLE = ("王明", "李华", "张伟", "刘洋", "陈静")
STANDARDS = ("计划标准", "行业标准", "历史标准", "其他标准")
# (一级, 二级) of the gold -> the 评价内容 this form prints them under, in its order
KINDS = {("产出指标", "时效指标"): ("投入", "时效目标"), ("产出指标", "成本指标"): ("投入", "成本目标"),
         ("产出指标", "数量指标"): ("产出", "数量目标"), ("产出指标", "质量指标"): ("产出", "质量目标"),
         ("效益指标", "经济效益指标"): ("效益", "经济效益目标"), ("效益指标", "社会效益指标"): ("效益", "社会效益目标"),
         ("效益指标", "生态效益指标"): ("效益", "环境效益目标"),
         ("效益指标", "可持续影响指标"): ("效益", "可持续影响目标"),
         ("满意度指标", "服务对象满意度指标"): ("效益", "服务对象满意度目标")}
ORDER = list(dict.fromkeys(KINDS.values()))


def _printed_levels(ind: dict[str, Any]) -> tuple[str, str]:
    """The 评价内容 of an indicator on this form (a level it does not list keeps its words, 指标 read as 目标)."""
    l1, l2 = ind.get("level1") or "", ind.get("level2") or ""
    if (l1, l2) in KINDS:
        return KINDS[(l1, l2)]
    return l1.removesuffix("指标"), (l2[:-2] + "目标") if l2.endswith("指标") else l2


def _rank(levels: tuple[str, str]) -> int:
    return ORDER.index(levels) if levels in ORDER else len(ORDER)


def _head(s: Sheet, gold: dict[str, Any], p: dict[str, Any], rng: random.Random, period: str) -> None:
    dept = gold.get("department") or ""
    unit = p.get("unit") or dept
    continuing = rng.random() < 0.7
    s.row([(0, 0, bold("填报单位（盖章）")), (1, 3, dept), (4, 4, bold("单位代码")),
           (5, 5, str(rng.randint(100001, 999999)))])
    s.row([(0, 0, bold("单位名称")), (1, 5, unit)])
    s.row([(0, 0, bold("项目名称")), (1, 3, p.get("name") or ""), (4, 4, bold("是否新增")),
           (5, 5, "是□ 否☑" if continuing else "是☑ 否□")])
    total = (p.get("budget") or {}).get("total")
    last = amount(round(total * rng.uniform(0.7, 1.2), 2), "wan")[0] if continuing and total else Cell(text="——")
    s.row([(0, 0, bold("上年度预算安排资金（万元）")), (1, 3, last), (4, 4, bold("项目类型")),
           (5, 5, rng.choice(("社会发展性项目□ 部门发展性项目☑", "社会发展性项目☑ 部门发展性项目□")))])
    s.row([(0, 0, bold("功能科目编码")), (1, 3, "2040101"), (4, 4, bold("功能科目名称")), (5, 5, "行政运行")])
    s.row([(0, 0, bold("项目实施单位")), (1, 1, unit), (2, 2, bold("项目负责人")), (3, 3, rng.choice(PEOPLE)),
           (4, 4, bold("联系电话")), (5, 5, f"0{rng.randint(300, 999)}-{rng.randint(2000000, 8999999)}")])
    s.row([(0, 0, bold("项目起止时间")), (1, 5, period)])


def _money(s: Sheet, budget: dict[str, Any]) -> dict[str, float | None]:
    s.row([(0, 5, bold("项目资金申请（万元）"))])
    total, total_v = amount(budget.get("total"), "wan")
    fiscal, fiscal_v = amount(budget.get("fiscal"), "wan")
    other, other_v = amount(budget.get("other"), "wan")
    s.row([(0, 0, bold("资金总额：")), (1, 1, total), (2, 2, bold("财政拨款：")), (3, 3, fiscal),
           (4, 4, bold("自有资金：")), (5, 5, "")])
    s.row([(0, 0, bold("事业收入：")), (1, 1, ""), (2, 2, bold("经营性收入：")), (3, 3, ""), (4, 4, bold("其他：")),
           (5, 5, other)])
    return {"total": total_v, "fiscal": fiscal_v, "other": other_v, "carryover": None}


def _form(gold: dict[str, Any], p: dict[str, Any], rng: random.Random) -> tuple[list[Block], dict[str, Any]]:
    s = Sheet(6, WIDTHS)
    year = gold.get("fiscal_year")
    period = f"{year}年1月至{year}年12月" if year else "全年"
    _head(s, gold, p, rng, period)
    read = _money(s, p.get("budget") or {})
    name = p.get("name") or "本项目"
    s.row([(0, 0, bold("单位职能概述")), (1, 5, f"{gold.get('department') or '本单位'}依法履行部门职责。")])
    s.row([(0, 0, bold("项目概况")), (1, 5, f"{name}。")])
    top = s.row([(1, 1, bold("项目立项的依据")), (2, 5, "依据部门职责及年度工作安排。")])
    s.row([(1, 1, bold("项目申报的可行性")), (2, 5, "资金测算合理，实施条件具备。")])
    s.row([(1, 1, bold("项目申报的必要性")), (2, 5, f"保障{name}正常开展。")])
    s.g.set(top, 0, bold("项目立项情况"))
    s.g.merge(top, 0, top + 2, 0)
    goal = p.get("goal") or ""
    s.row([(0, 0, bold("项目总体绩效目标（长期目标）")), (1, 5, goal)])
    s.row([(0, 5, bold("项目年度绩效目标（定量目标）"))])
    s.row([(0, 2, bold("评价内容")), (3, 3, bold("绩效内容")), (4, 4, bold("参考标准")), (5, 5, bold("绩效目标值"))])
    inds = sorted(p.get("indicators") or [], key=lambda i: _rank(_printed_levels(i)))
    printed = [{**i, "level1": _printed_levels(i)[0], "level2": _printed_levels(i)[1]} for i in inds]
    numbers: list[int] = []
    for k in range(len(printed)):
        same = k and level_keys(printed, 2)[k] == level_keys(printed, 2)[k - 1]
        numbers.append(numbers[-1] + 1 if same else 1)
    standards = [rng.choice(STANDARDS) for _ in printed]
    at = {id(ind): k for k, ind in enumerate(printed)}

    def cells(ind: dict[str, Any]) -> list[Span]:
        k = at[id(ind)]
        return [(0, 0, ind["level1"]), (1, 1, ind["level2"]), (2, 2, f"目标{numbers[k]}"),
                (3, 3, ind.get("name") or ""), (4, 4, standards[k]), (5, 5, ind.get("target") or "")]

    rows = indicator_rows(s, printed, cells, 3, pick_break(rng, len(printed)))
    merge_runs(s, rows, level_keys(printed, 1), 0)
    merge_runs(s, rows, level_keys(printed, 2), 1)
    s.row([(0, 1, bold("单位已有的（或拟订的）保证项目实施的制度、措施")), (2, 5, "严格执行财务管理制度，专款专用。")])
    title = f"（{year}年度）" if year else "（    年度）"
    blocks: list[Block] = [TextBlock(text="财政支出项目绩效目标申报表", style="title"), TextBlock(text=title),
                           s.block(), TextBlock(text="填报人：        单位负责人：        填报日期：")]
    expected = [expect_indicator(i, i.get("target") or "", {"basis": standards[at[id(i)]]}) for i in printed]
    record = expect_project(p, read, expected, unit=(p.get("unit") or gold.get("department") or None),
                            period=period, midterm_goal=goal or None)
    return blocks, record


def build(gold: dict[str, Any], rng: random.Random) -> Built:
    """One 申报表 per 项目支出, each on its own page (its own sheet in Excel)."""
    return form_per_project(gold, rng, _form)
