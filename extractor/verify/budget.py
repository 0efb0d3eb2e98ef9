"""Budget checks: every amount a reading holds is printed in its project's rows, beside its own label, in the
unit the page states; parts add up; a printed 合计 matches the projects it sums."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from extractor.schema import Contradiction, Document, Project
from extractor.verify.locate import AmountSpot, Region, amount_spots
from extractor.verify.printed import Printed, PrintedRow, numbers_in
from extractor.verify.words import bare

FACTORS = (1.0, 10.0, 10000.0)  # 万元, 千元, 元 per 万元
PART_NAMES = {"total": "预算总额", "fiscal": "财政拨款", "other": "其他资金", "carryover": "上年结转",
              "midterm": "中期资金"}
UNIT_NAMES = {1.0: "万元", 10.0: "千元", 10000.0: "元"}
_SUM_LABELS = {"合计", "总计", "金额合计", "资金合计", "项目合计"}


def close(printed_wan: float, value: float) -> bool:
    """Equal after conversion to 万元, allowing the rounding a reader or a form applies (a 0 is only a 0)."""
    if printed_wan == 0 or value == 0:
        return printed_wan == value
    diff = abs(printed_wan - value)
    return diff <= 0.0051 + 1e-6 * abs(value) and diff <= 0.01 * abs(value)


def _factors(number: float, value: float) -> list[float]:
    return [f for f in FACTORS if close(number / f, value)]


def _contra(kind: str, message: str, k: int, row: PrintedRow | None = None) -> Contradiction:
    return Contradiction(kind=kind, message=message, project_index=k, page=row.page if row else None,
                         table_index=row.table if row else None, row_index=row.row if row else None)


def check_amount(project: Project, k: int, part: str, value: float, region: Region, spots: list[AmountSpot],
                 document_spots: Callable[[], list[AmountSpot]]) -> Contradiction | None:
    """Why one budget amount is not what the page prints, or None when a cell of the project's rows agrees."""
    label = f"项目「{project.name}」的{PART_NAMES[part]} {value:g} 万元"
    mine = [s for s in spots if _factors(s.number, value)]
    if not mine:
        anywhere = [s for s in document_spots() if _factors(s.number, value)]
        if anywhere:
            return _contra("budget_elsewhere", f"{label}印在别的项目或表格中（{anywhere[0].row.where()}），"
                                               "不在本项目的行内", k, anywhere[0].row)
        return _contra("budget_unprinted", f"{label}在文件中没有任何单元格印有此数", k, region.anchor)
    own = [s for s in mine if s.part in (None, part)]
    if not own:
        s = mine[0]
        return _contra("budget_wrong_label", f"{label}取自「{PART_NAMES.get(s.part or '', s.part)}」一栏"
                                             f"（{s.row.where()}）", k, s.row)
    stated = [s for s in own if not s.row.units or any(f in s.row.units for f in _factors(s.number, value))]
    if not stated:
        s = own[0]
        units = "、".join(UNIT_NAMES[u] for u in sorted(s.row.units))
        return _contra("budget_unit", f"{label}与印出的 {s.number:g} 不符：该处金额单位为{units}（{s.row.where()}）",
                       k, s.row)
    return None


def check_budgets(document: Document, regions: list[Region], printed: Printed) -> list[Contradiction]:
    """Every amount of every project against its printed rows, and its parts against its total."""
    out: list[Contradiction] = []
    # Every amount of the document, read once and only when an amount is missing from its project's rows.
    document_spots = cache(lambda: amount_spots(printed.rows, printed))
    for k, (project, region) in enumerate(zip(document.projects, regions, strict=True)):
        spots = amount_spots(region.rows(printed), printed)
        for part in ("total", "fiscal", "other", "carryover"):
            value = getattr(project.budget, part)
            if value is not None:
                found = check_amount(project, k, part, value, region, spots, document_spots)
                if found:
                    out.append(found)
        out += _parts_add_up(project, k)
    return out


def _parts_add_up(project: Project, k: int) -> list[Contradiction]:
    b = project.budget
    parts = [v for v in (b.fiscal, b.carryover, b.other) if v is not None]
    if b.total is None or not parts:
        return []
    total_parts = sum(parts)
    all_printed = len(parts) == 3
    if total_parts > b.total + 0.011 or (all_printed and abs(total_parts - b.total) > 0.011):
        return [_contra("budget_parts", f"项目「{project.name}」的预算构成（财政拨款、上年结转、其他资金）合计 "
                                        f"{total_parts:g} 万元，与预算总额 {b.total:g} 万元不符", k)]
    return []


def check_printed_sums(document: Document, regions: list[Region], printed: Printed) -> list[Contradiction]:
    """A 合计 row of a table that lists several projects equals the sum of those projects' totals."""
    out = []
    by_table: dict[int, list[int]] = {}
    for k, region in enumerate(regions):
        if region.anchor is not None and region.anchor.table is not None and document.projects[k].kind == "project":
            by_table.setdefault(region.anchor.table, []).append(k)
    for table in by_table:
        # A 合计 sums the rows of its table and of the tables continuing it (pages of one list).
        members = [k for t, ks in by_table.items() if t >= table for k in ks]
        totals = [document.projects[k].budget.total for k in members]
        if len(members) < 2 or any(t is None for t in totals):
            continue
        for row in printed.rows:
            if row.table != table or bare(next((c for c in row.cells if c.strip()), "")) not in _SUM_LABELS:
                continue
            numbers = [n for c in row.cells for n in numbers_in(c)]
            if not numbers:
                continue
            total = sum(t for t in totals if t is not None)
            if not any(close(numbers[0] / f, total) for f in FACTORS):
                out.append(Contradiction(kind="sum_mismatch", page=row.page, table_index=row.table,
                                         row_index=row.row,
                                         message=f"{row.where()}印出合计 {numbers[0]:g}，而读出的 {len(members)} 个"
                                                 f"项目预算之和为 {total:g} 万元"))
            break
    return out
