"""Structure checks: project names that are no names, forms split or merged, printed rows nobody read."""

from __future__ import annotations

import re

from extractor.schema import Contradiction, Document
from extractor.verify.locate import Region, is_midterm_row
from extractor.verify.printed import Printed, PrintedRow, numbers_in, squeeze, stated_unit
from extractor.verify.words import (
    AMBIGUOUS_LEVEL2,
    FORM_LABELS,
    LEVEL1_NAMES,
    bare,
    is_caption,
    is_level_name,
    what_name_is,
)

_NAME_LABELS = {"项目名称"}
_NOT_PROJECT_NAMES = ("单位", "部门", "主管", "实施", "预算单位", "任务")
_CLASSIFICATION = re.compile(r"科目|分类")  # 功能科目名称 | 行政运行: a budget classification, not a project
MAX_NAME = 40  # a longer text in a name column is a goal or a note, not a project's name
_SENTENCE = re.compile(r"[。；;，,！？]")  # so is a sentence
MAX_PERIOD = 30  # 2024年1月1日至2026年12月31日 fits; a longer "period" is a goal or a note
_CODED_UNIT = re.compile(r"^\d{3,}[-－—]")  # 208302-遂宁市第十五中学: a unit printed with its code
_SUM_WORDS = {"合计", "总计", "小计", "金额合计"}
# The project framework's 一级 names as printed inside packed cells (1-产出指标；11-数量指标；…).
_LEVEL1_WORDS = re.compile("|".join(sorted(n for n in LEVEL1_NAMES if n.endswith("指标"))))
_CJK = re.compile(r"[\u4e00-\u9fff]{2}")
_PACKED_ITEM = re.compile(r"(?:^|(?<=[。；;]))\s*(\d{1,2})[、.．]")


def check_names(document: Document, regions: list[Region]) -> list[Contradiction]:
    """A project name must be printed, must not be a label/target/amount/level/date, and must not repeat at once."""
    out = []
    for k, (project, region) in enumerate(zip(document.projects, regions, strict=True)):
        what = what_name_is(project.name)
        if what:
            out.append(Contradiction(kind="name_not_a_name", project_index=k, page=project.page,
                                     message=f"第{k + 1}个项目的名称「{project.name}」是{what}，不是项目名称"))
        elif not region.named:
            out.append(Contradiction(kind="name_unprinted", project_index=k, page=project.page,
                                     message=f"项目名称「{project.name}」在文件中找不到"))
        if k and project.name == document.projects[k - 1].name and project.kind == document.projects[k - 1].kind:
            out.append(Contradiction(kind="form_split", project_index=k, page=project.page,
                                     message=f"项目「{project.name}」被读成了相邻的两个项目（可能因分页断开）"))
    return out


def check_indicator_names(document: Document) -> list[Contradiction]:
    """An indicator named by a form label ("计划完成时间：", 项目名称) has lost its own name to the label beside it."""
    out = []
    for k, project in enumerate(document.projects):
        for i, indicator in enumerate(project.indicators):
            raw = re.sub(r"\s+", "", indicator.name or "")
            if raw and (raw.endswith((":", "：")) or bare(raw) in FORM_LABELS):
                out.append(Contradiction(kind="indicator_name_label", project_index=k, indicator_index=i,
                                         page=indicator.page,
                                         message=f"项目「{project.name}」的指标名称「{indicator.name}」是表格标签，"
                                                 "不是指标名称"))
    return out


def check_periods(document: Document) -> list[Contradiction]:
    """A project period is a span of time (2024年, 1年, 2024-2026年), never a sentence: one is a goal misread."""
    out = []
    for k, project in enumerate(document.projects):
        period = re.sub(r"\s+", "", project.period or "")
        if len(period) > MAX_PERIOD or _SENTENCE.search(period):
            out.append(Contradiction(kind="period_not_a_period", project_index=k, page=project.page,
                                     message=f"项目「{project.name}」的实施期「{period[:30]}」是一段文字，不是时间"))
    return out


def is_name_label(text: str) -> bool:
    """A label that names a project: 项目名称, 支出项目名称, 政策（项目）名称, 专项名称 — not 指标名称 or 单位名称."""
    b = re.sub(r"[（(）)]", "", bare(text))
    return (b in _NAME_LABELS or (len(b) <= 10 and b.endswith("名称") and "指标" not in b
                                  and not b.startswith(_NOT_PROJECT_NAMES) and not _CLASSIFICATION.search(b)))


def _pair_value(row: PrintedRow) -> str | None:
    """The value of a 项目名称 | X pair (or "项目名称：X" in one cell) in this row, if the row prints one."""
    for col, cell in enumerate(row.cells):
        text = squeeze(cell)
        label, sep, value = text.partition(":") if ":" in text else text.partition("：")
        if sep and value and is_name_label(label):
            return value
        if is_name_label(cell):
            right = next((c for c in row.cells[col + 1:] if c.strip() and squeeze(c) != text), None)
            if right is None or bare(right) in FORM_LABELS or "名称" in right:
                return None  # a header row (项目名称 | 预算数 | …), not a pair
            return squeeze(right)
    return None


def check_printed_forms(document: Document, printed: Printed) -> list[Contradiction]:
    """Every printed 项目名称 | X pair is a project of the reading (else two forms were merged or one was lost)."""
    names = [squeeze(p.name) for p in document.projects]
    out = []
    for row in printed.rows:
        value = None if _header_like(row) else _pair_value(row)
        if value and not any(value in n or (n and n in value) for n in names):
            out.append(Contradiction(kind="form_unread", page=row.page, table_index=row.table, row_index=row.row,
                                     message=f"{row.where()}印有项目「{value}」，但读出的项目中没有它"
                                             "（可能与上一张表合并或被漏读）"))
    return out


def is_indicator_row(row: PrintedRow) -> bool:
    """A printed row that states an indicator: a level-name cell plus something that is neither label nor level."""
    if row.table is None:
        return False
    cells = [c for c in row.cells if c.strip() and not is_caption(c)]
    levels = [bare(c) for c in cells if is_level_name(c)]
    if not levels or (all(b in AMBIGUOUS_LEVEL2 for b in levels) and not any(b in LEVEL1_NAMES for b in levels)):
        return False
    rest = [c for c in cells if not is_level_name(c) and bare(c) not in FORM_LABELS]
    # An indicator has a name in words; a budget table's 信息化建设 row prints only codes and amounts beside it.
    return len(set(map(squeeze, rest))) >= 2 and any(_CJK.search(c) for c in rest)


def check_rows_read(document: Document, held: list[list[PrintedRow | None]], printed: Printed,
                    regions: list[Region]) -> list[Contradiction]:
    """Printed indicator rows no indicator holds; indicators printed nowhere or in another project's rows."""
    out = []
    held_rows = {r.index for rows in held for r in rows if r is not None}
    heads = {squeeze(i.name)[:4] for p in document.projects for i in p.indicators if i.name}
    midterms = {squeeze(i.midterm_target) for p in document.projects for i in p.indicators if i.midterm_target}
    for printed_row in printed.rows:
        if not is_indicator_row(printed_row) or printed_row.index in held_rows:
            continue
        if is_midterm_row(printed_row) and (any(h in printed_row.joined for h in heads)
                                            or any(cell in midterms for cell in map(squeeze, printed_row.cells))):
            continue  # the mid-term counterpart of an indicator that was read (its name, or its mid-term target)
        text = "｜".join(squeeze(c) for c in printed_row.cells if c.strip())[:40]
        out.append(Contradiction(kind="row_unread", page=printed_row.page, table_index=printed_row.table,
                                 row_index=printed_row.row,
                                 message=f"{printed_row.where()}是一行指标（{text}），但没有读入任何项目"))
    for k, (project, rows) in enumerate(zip(document.projects, held, strict=True)):
        for i, (indicator, row) in enumerate(zip(project.indicators, rows, strict=True)):
            if row is None:
                label = indicator.name or indicator.target
                out.append(Contradiction(kind="indicator_unprinted", project_index=k, indicator_index=i,
                                         page=indicator.page,
                                         message=f"项目「{project.name}」的指标「{label}」"
                                                 f"（{indicator.target}）在本项目的行中找不到"))
            elif indicator.value is not None and not _value_printed(indicator.value, indicator.target):
                out.append(Contradiction(kind="value_unprinted", project_index=k, indicator_index=i, page=row.page,
                                         message=f"项目「{project.name}」的指标「{indicator.name}」数值 "
                                                 f"{indicator.value:g} 不在指标值「{indicator.target}」中"))
        out += _packed_counts(project.name, k, rows, printed)
    return out


def _value_printed(value: float, target: str) -> bool:
    if "百分之" in target or (re.search(r"[一二三四五六七八九十百千万两]", target) and not re.search(r"\d", target)):
        return True  # Chinese numerals: the verifier does not read them
    return any(abs(n - value) < 1e-9 for n in numbers_in(target))


def _levels_in(text: str) -> int:
    return len(_LEVEL1_WORDS.findall(text))


def _packed_counts(name: str, k: int, rows: list[PrintedRow | None], printed: Printed) -> list[Contradiction]:
    """A cell that numbers its indicators (1、… 2、…) holds as many as the project read from it."""
    counted: dict[int, int] = {}
    for row in rows:
        if row is not None:
            counted[row.index] = counted.get(row.index, 0) + 1
    out = []
    for index, n_read in counted.items():
        row = printed.rows[index]
        # Only a cell that names levels packs indicators; a goal numbers its sentences too.
        items = max((len(_PACKED_ITEM.findall(c)) for c in row.cells if _levels_in(c) >= 2), default=0)
        if items >= 2 and n_read < items:
            out.append(Contradiction(kind="row_unread", project_index=k, page=row.page, table_index=row.table,
                                     row_index=row.row,
                                     message=f"{row.where()}的单元格列出 {items} 个指标，"
                                             f"项目「{name}」只读到 {n_read} 个"))
    return out


def _headed_by_name(printed: Printed, regions: list[Region], key: tuple[int, int]) -> bool:
    """The column holding a project's name has 项目名称 as its header (a list of projects, not a label pair)."""
    table, col = key
    anchor = next((r.anchor for r in regions if r.anchor is not None and r.anchor.table == table), None)
    if anchor is None:
        return False
    for row in reversed(printed.rows[:anchor.index]):
        if row.table != table:
            return False
        if col < len(row.cells) and row.cells[col].strip():
            header = bare(row.cells[col])
            right = [squeeze(c) for c in row.cells[col + 1:] if c.strip()]
            return is_name_label(header) and bool(right) and bare(right[0]) in FORM_LABELS | {"预算数"}
    return False


def _header_like(row: PrintedRow) -> bool:
    """A row of column headers: three or more short cells and no number (a project's row prints its budget)."""
    cells = [squeeze(c) for c in row.cells if c.strip()]
    return len(set(cells)) >= 3 and all(len(c) <= 10 and not re.search(r"\d", c) for c in cells)


def check_name_columns(document: Document, regions: list[Region], printed: Printed) -> list[Contradiction]:
    """In a table that lists projects in one column, every other name printed in that column is a project too."""
    names = [squeeze(p.name) for p in document.projects]
    columns: dict[tuple[int, int], int] = {}
    for region, name in zip(regions, names, strict=True):
        row = region.anchor
        if row is None or row.table is None:
            continue
        for col, cell in enumerate(row.cells):
            if squeeze(cell) == name:
                left = next((c for c in reversed(row.cells[:col]) if c.strip()), "")
                if not is_name_label(left):  # a form's 项目名称 | X pair is no list of projects
                    columns[(row.table, col)] = columns.get((row.table, col), 0) + 1
                break
    listed = {key for key, n in columns.items() if n >= 2 or _headed_by_name(printed, regions, key)}
    department = squeeze(document.department or "")
    units = {squeeze(p.unit) for p in document.projects if p.unit}
    out, seen = [], set()
    first = {key: min((r.anchor.index for r in regions if r.anchor is not None and r.anchor.table == key[0]),
                      default=0) for key in listed}
    for row in printed.rows:
        if _header_like(row):
            continue
        for table, col in listed:
            if row.table != table or col >= len(row.cells) or row.index < first[(table, col)]:
                continue
            text = squeeze(row.cells[col])
            if (not _CJK.search(text) or len(text) > MAX_NAME or text.endswith("名称") or _SENTENCE.search(text)
                    or stated_unit(text) is not None or is_level_name(text)
                    or text in seen or (department and department in text) or what_name_is(text) or text in units
                    or _CODED_UNIT.match(text)
                    or bare(text) in _SUM_WORDS or any(text in n or n in text for n in names)):
                continue
            seen.add(text)
            out.append(Contradiction(kind="form_unread", page=row.page, table_index=row.table, row_index=row.row,
                                     message=f"{row.where()}在项目名称一列印有「{text}」，但读出的项目中没有它"
                                             "（可能与相邻项目合并或被漏读）"))
    return out
