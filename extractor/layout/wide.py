"""Row-per-project tables: 项目名称 | 预算数 | 年度目标 | indicator columns (or one packed cell)."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.cells import money_unit, parse_amount_wan
from extractor.grid import Table
from extractor.layout.align import FieldSlot, align_shifted
from extractor.layout.columns import header_texts, is_subheader, settle_header
from extractor.layout.form_rows import is_sign_off
from extractor.layout.forms import ProjectDraft, clean_department
from extractor.layout.header_words import INDICATOR_FIELDS, PROJECT_FIELDS, header_scores
from extractor.layout.indicators import (
    IndicatorHeader,
    LevelCarry,
    RowResult,
    detect_header,
    period_subheader,
    read_fields,
    refine_header,
    row_tokens,
)
from extractor.layout.inferred import header_from_cells
from extractor.layout.names import never_a_name
from extractor.layout.packed import parse_packed
from extractor.layout.roles import ColumnRole
from extractor.layout.vocabulary import header_field, wide_field
from extractor.schema import Problem
from extractor.textnorm import squash

_TOTAL_NAMES = {"合计", "总计", "小计", "总合计"}
MAX_EVIDENCE_ROWS = 300


@dataclass
class WideHeader:
    """Columns of a row-per-project table."""

    row: int
    cols: dict[str, int]
    indicators: IndicatorHeader | None
    roles: list[ColumnRole] = field(default_factory=list)  # the evidence behind the indicator columns


def _project_column(text: str) -> str | None:
    """The project column a header names ("资金规模（元）" -> total), unless it reads as an indicator column."""
    if header_field(text):
        return None
    if f := wide_field(text):
        return f
    scores = header_scores(text)
    project = {f: s for f, s in scores.items() if f in PROJECT_FIELDS}
    if not project:
        return None
    f, s = max(project.items(), key=lambda kv: kv[1])
    indicator = max((s2 for f2, s2 in scores.items() if f2 in INDICATOR_FIELDS), default=0.0)
    if f == "goal":  # 总体目标 / 项目年度目标 (a text column); 目标值 / 目标 alone are the indicator's value
        return f if "值" not in text and squash(text) != "目标" else None
    return f if s >= 0.7 and s > indicator else None


def detect_wide(rows: list[list[str]], spans: dict[tuple[int, int], int] | None = None) -> WideHeader | None:
    """A header row that has 项目名称 and either indicator columns or a packed 绩效指标 column."""
    for r, row in enumerate(rows[:12]):
        cols: dict[str, int] = {}
        for c, t in enumerate(row):
            f = _project_column(t) if t else None
            if f and f not in cols:
                cols[f] = c
        if "project" not in cols:
            continue
        # A second header row under merged cells (绩效指标 over 一级 | 二级 | 三级) completes this one.
        filled = [t for t in row if t]
        header_like = len(filled) >= 3 and sum(1 for t in filled if header_scores(t)) * 2 >= len(filled)
        last = r + 1 if header_like and r + 1 < len(rows) and is_subheader(rows[r + 1]) \
            and not period_subheader(rows[r + 1]) else r
        words = header_texts(rows, spans or {}, r, last)
        combined = [words.get(c, "") for c in range(len(row))]
        taken = set(cols.values())
        ind = detect_header(_without(combined, taken), min_fields=3)
        if ind or "packed" in cols:
            if ind:
                cols.pop("packed", None)
                taken = set(cols.values())
                # Settle the indicator columns by their cells too (project columns left out of the evidence).
                data = [_without(d, taken) for d in rows[last + 1:last + 1 + MAX_EVIDENCE_ROWS]]
                texts = {c: t for c, t in enumerate(_without(combined, taken)) if t}
                ind, roles = settle_header(ind, texts, data)
                return WideHeader(row=last, cols=cols, indicators=ind, roles=roles)
            return WideHeader(row=last, cols=cols, indicators=ind)
    return None


def infer_wide(rows: list[list[str]], spans: dict[tuple[int, int], int] | None = None) -> WideHeader | None:
    """A row-per-project or flat table whose header words are unknown: its columns named by their cells.

    The project columns (a name repeated on or printed once for each project's rows, its budget, goal, code)
    stand left of the indicator columns, as every such table prints them.
    """
    for r in range(min(12, len(rows))):
        found = header_from_cells(rows, r, with_project=True, spans=spans)
        if found is None:
            continue
        indicators, project, roles, last = found
        levels = [s.col for s in indicators.blocks[0] if s.field in ("level1", "level2")]
        names = [row[project["project"]] for row in rows[last + 1:] if "project" in project
                 and project["project"] < len(row) and row[project["project"]] and not is_sign_off(row)]
        if names and all(never_a_name(t) for t in names):
            return None  # a caption merged down the indicator rows (绩效指标) names no project
        if "project" in project and project["project"] < min(levels, default=0):
            return WideHeader(row=last, cols=project, indicators=indicators, roles=roles)
        return None
    return None


def _without(row: list[str], cols: set[int]) -> list[str]:
    return ["" if c in cols else t for c, t in enumerate(row)]


def map_wide(table: Table, header: WideHeader, problems: list[Problem],
             previous: ProjectDraft | None = None, table_index: int | None = None, money: str | None = None,
             ) -> tuple[list[ProjectDraft], str | None]:
    """Projects of a row-per-project table, plus the department named in a unit row, if any.

    header.row is -1 when the table continues an earlier one (its header printed only there);
    rows before the first project name then belong to `previous`.
    """
    rows = table.anchors()
    indicators = header.indicators
    skip = -1
    if indicators and 0 <= header.row + 1 < len(rows) and (periods := period_subheader(rows[header.row + 1])):
        indicators, skip = refine_header(indicators, periods), header.row + 1  # 指标值 split into 实施期 | 年度
    header_key = squash("".join(rows[header.row])) if header.row >= 0 else ""
    cols = header.cols
    # "预算金额（元）": a header's own unit beats the page's "单位：…" line for that column.
    units = {f: money_unit(rows[header.row][c]) or money for f, c in cols.items()} if header.row >= 0 else {}
    drafts: list[ProjectDraft] = [previous] if previous is not None else []
    carry = LevelCarry()
    department: str | None = None
    unit: str | None = None
    by_key: dict[tuple[str, str], ProjectDraft] = {}

    slots = sorted([FieldSlot(k, c) for k, c in cols.items()]
                   + (indicators.blocks[0] if indicators else []), key=lambda f: f.col)
    split = bool(indicators) and any(f.field == "nature" for f in slots)
    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        if r == skip or not any(row) or squash("".join(row)) == header_key or detect_header(row):
            continue  # blank, or the header repeated on a later page
        # Rows are aligned as a whole: whole blocks of cells are often printed a column or three off.
        tokens = row_tokens(row)
        fields, cost = align_shifted(tokens, slots)
        if "project" in fields and indicators:
            # A row of indicator cells pushed left into the project columns is still an indicator row.
            as_indicator, ind_cost = align_shifted(tokens, indicators.blocks[0])
            if ind_cost <= cost:
                fields, cost = as_indicator, ind_cost
        name, goal, unit_cell = fields.pop("project", ""), fields.pop("goal", ""), fields.pop("unit_name", "")
        if name and squash(name) not in _TOTAL_NAMES and never_a_name(name):
            name = ""  # a label, caption, target or date printed where names stand names no project
        packed = fields.pop("packed", "")
        amounts = {k: fields.pop(k, "") for k in ("total", "fiscal", "other", "carryover")}
        code = fields.pop("code", "")
        if unit_cell:
            unit = unit_cell
            department = department or clean_department(unit_cell)
        has_content = bool(goal or packed or fields)
        key = (squash(name), squash(code))
        if name and key in by_key and has_content:
            # One row per indicator (flat exports): the project's columns repeat on every row; one project per
            # distinct name and code, its budget taken once.
            current_draft = by_key[key]
            if current_draft is not drafts[-1]:
                drafts.remove(current_draft)
                drafts.append(current_draft)
            for k, text in amounts.items():
                if getattr(current_draft.budget, k) is None:
                    setattr(current_draft.budget, k, parse_amount_wan(text, units.get(k, money)))
            if goal and not current_draft.goal:
                current_draft.goal = goal
            carry = LevelCarry()
        elif name and squash(name) not in _TOTAL_NAMES and has_content:
            draft = ProjectDraft(name=squash(name) if len(name) < 60 else name, unit=unit, page=table.page_of(r),
                                 money_unit=money)
            draft.code = code or None
            for k, text in amounts.items():
                setattr(draft.budget, k, parse_amount_wan(text, units.get(k, money)))
            draft.goal = goal or None
            drafts.append(draft)
            by_key[key] = draft
            carry = LevelCarry()
        elif name:
            if squash(name) not in _TOTAL_NAMES:
                unit = name  # a unit subtotal row heads the projects below it
                department = department or clean_department(name)
            continue
        elif goal and drafts:
            drafts[-1].goal = (drafts[-1].goal or "") + goal  # goal text continued after a page break
            drafts[-1].goal_parts.append((len(drafts[-1].indicators), goal))
        if not drafts:
            if fields or packed:
                problems.append(Problem(page=table.page_of(r), message="指标行出现在任何项目之前",
                                        row_text=" | ".join(t for t in row if t), table_index=table_index,
                                        row_index=r))
            continue
        current = drafts[-1]
        if packed:
            for packed_fields in parse_packed(packed):
                res = read_fields(packed_fields, carry, table.page_of(r), table.bbox_of(r))
                _collect(res, current, problems, Problem(page=table.page_of(r), message="", row_text=packed[:300],
                                                         table_index=table_index, row_index=r))
        elif fields:
            res = read_fields(fields, carry, table.page_of(r), table.bbox_of(r), cost, split)
            _collect(res, current, problems, Problem(page=table.page_of(r), message="",
                                                     row_text=" | ".join(t for t in row if t)[:300],
                                                     table_index=table_index, row_index=r))
    return (drafts[1:] if previous is not None else drafts), department


def _collect(res: RowResult, draft: ProjectDraft, problems: list[Problem], where: Problem) -> None:
    if res.indicator:
        draft.indicators.append(res.indicator)
    elif res.problem:
        problems.append(where.model_copy(update={"message": res.problem}))
