"""Layout mapping: a DocumentGrid in, projects with indicators out — by vocabulary, never per file."""

from __future__ import annotations

import re

from extractor.cells import money_unit
from extractor.grid import DocumentGrid, Table, TextLine
from extractor.layout import form_rows as fr
from extractor.layout.assemble import assemble
from extractor.layout.assumptions import USUAL, Assumptions
from extractor.layout.continuation import append_fragment, continues, is_fragment
from extractor.layout.form_rows import fill_from_labels, form_title, is_sign_off, looks_like_indicator, year_label
from extractor.layout.forms import (
    ProjectDraft,
    apply_labels,
    budget_columns,
    clean_department,
    continues_goal,
    has_form_labels,
    is_amounts_row,
    is_sum_row,
    project_label_row,
    read_budget_row,
    row_money_unit,
    set_field,
    unit_line,
)
from extractor.layout.indicators import (
    IndicatorHeader,
    LevelCarry,
    detect_header,
    period_subheader,
    read_row,
    refine_header,
    row_tokens,
)
from extractor.layout.inferred import header_from_cells, is_level_cell
from extractor.layout.label_cells import split_label_cells
from extractor.layout.label_values import unknown_pairs, value_field
from extractor.layout.mapped import Mapped
from extractor.layout.money import block_end, current_year_column, is_money_row, read_money_block
from extractor.layout.periods import header_period, opens_other_period
from extractor.layout.roles import ColumnRole
from extractor.layout.settle import settle_from_rows
from extractor.layout.vocabulary import form_field
from extractor.layout.wide import WideHeader, detect_wide, infer_wide, map_wide
from extractor.layout.years import budget_year_from_goals, title_year
from extractor.schema import Problem
from extractor.textnorm import squash

_ITEM_NUMBERS = re.compile(r"(?:^|(?<=[。；;]))\s*(\d{1,2})[.．、]")
_TITLE = re.compile(r"(绩效目标|申报|项目支出).*表$|表$")


class _Mapper:
    def __init__(self, assume: Assumptions) -> None:
        self.assume = assume
        self.relied_on: set[str] = set()  # an assumption the reading never used cannot be blamed for it
        self.drafts: list[ProjectDraft] = []
        self.problems: list[Problem] = []
        self.department: str | None = None
        self.fiscal_year: int | None = None
        self.title = ""
        self.title_department: str | None = None  # the last resort for the department
        self.money_unit: str | None = None  # "单位：元" above a table: what its bare amounts are in
        self.wide: tuple[WideHeader, int] | None = None
        self.table_index = -1
        self.goal_tail: tuple[ProjectDraft, int] | None = None  # a numbered goal that may go on below its table
        # "项目名称：…" paragraphs above a form's table: they belong to the project the table opens.
        self.pending_labels: list[tuple[str, str, str]] = []
        self.column_roles: list[tuple[int, list[ColumnRole]]] = []  # evidence behind each indicator header
        self.open_block: tuple[IndicatorHeader, LevelCarry] | None = None  # the last form's indicator block
        self.level_cells = 0  # cells printing level names (产出指标…): the document holds indicator tables
        self.raw_rows: list[list[str]] = []  # the table's rows as printed, before label cells are split

    def text(self, line: TextLine) -> None:
        t = squash(line.text)
        if self.goal_tail and not _TITLE.search(t) and re.match(rf"^{self.goal_tail[1]}[.．、]", t):
            # Word/PDF forms often print items 2, 3… of a numbered 绩效目标 as paragraphs under the table.
            draft, number = self.goal_tail
            draft.goal = (draft.goal or "") + line.text.strip()
            self.goal_tail = (draft, number + 1)
            return
        if self.fiscal_year is None:
            self.fiscal_year = title_year(t)
        if len(t) <= 20 and (unit := money_unit(t)):
            self.money_unit = unit
        if (m := fr.DEPT_LINE.match(t)) and not self.department:
            self.department = clean_department(m.group("name"))
        if "绩效" in t and self.title_department is None and (m := fr.TITLE_DEPT.match(t)):
            self.title_department = m.group("name")
        if (m := fr.LABEL_LINE.match(line.text.strip())) and (f := form_field(m.group("label"))) and f != "sum_row":
            self.pending_labels.append((f, m.group("value").strip(), m.group("label")))
        if "表" in t and ("绩效" in t or "目标" in t):
            self.title = t
        elif (u := unit_line(t)) and not self.department:
            self.department = clean_department(u)

    def table(self, table: Table) -> None:
        self.table_index += 1
        self.goal_tail = None
        rows = self.raw_rows = table.anchors()
        if self.assume.label_cells:
            split = [split_label_cells(row) for row in rows]  # 项目名称：… typed into one cell
            if split != rows:
                rows = split
                self.relied_on.add("label_cells")
        for row in rows[:3]:  # a title typed into the sheet's first cells
            filled = [t for t in row if t]
            if len(filled) == 1:
                self.text(TextLine(filled[0], table.page_of(0)))
        spans = {(c.row, c.col): c.colspan for c in table.cells if c.colspan > 1}
        wide = detect_wide(rows, spans)
        if wide is None and self.assume.wide_inferred and (wide := infer_wide(rows, spans)):
            self.relied_on.add("wide_inferred")
        previous = None
        opens_form = any(project_label_row(row) for row in [r for r in rows if any(r)][:3])
        if wide is None and self.wide and self.wide[1] == table.n_cols and detect_header(rows[0]) is None \
                and not opens_form:
            # a continuation printed without its header (page break in a text dump or Word file)
            wide = WideHeader(row=-1, cols=self.wide[0].cols, indicators=self.wide[0].indicators)
            previous = self.drafts[-1] if self.drafts else None
        elif wide and self.wide and self.wide[0].cols == wide.cols and self.drafts:
            previous = self.drafts[-1]  # the same table again after a page break, header repeated
        if wide:
            if wide.row >= 0 and wide.roles:
                self.column_roles.append((self.table_index, wide.roles))
            drafts, dept = map_wide(table, wide, self.problems, previous, self.table_index, self.money_unit)
            self.drafts.extend(drafts)
            self.department = self.department or dept
            self.wide = (wide, table.n_cols)
            return
        self.wide = None
        first_new = len(self.drafts)
        self._form(table, rows, spans)
        if first_new < len(self.drafts):
            fill_from_labels(self.drafts[first_new], self.pending_labels)
        self.pending_labels.clear()
        last = self.drafts[-1] if self.drafts else None
        if last is not None and last.goal and (numbers := _ITEM_NUMBERS.findall(last.goal)) and numbers[0] == "1":
            self.goal_tail = (last, int(numbers[-1]) + 1)

    def _new_draft(self, page: int | None) -> ProjectDraft:
        draft = ProjectDraft(page=page, kind="overall" if "整体" in self.title else "project",
                             money_unit=self.money_unit)
        self.drafts.append(draft)
        return draft

    def _form(self, table: Table, rows: list[list[str]], spans: dict[tuple[int, int], int]) -> None:
        has_name = any(t and form_field(t) == "name" for row in rows for t in row)
        last = self.drafts[-1] if self.drafts and not has_name else None
        # the same form goes on when it has no indicators yet, or when this table is its other period's table
        current = last if last and (not last.indicators or opens_other_period(rows, last.period_blocks)) else None
        header: IndicatorHeader | None = None
        carry = LevelCarry()
        state: dict[str, int] = {}
        budget_cols: dict[str, int] | None = None
        header_end = money_end = -1
        if not has_name and self.open_block and self.drafts and continues(rows, *self.open_block):
            # No header, title or label: the previous form's indicator block goes on over a page break.
            current, (header, carry) = self.drafts[-1], self.open_block
            first = next(r for r, row in enumerate(rows) if any(row))
            if is_fragment(rows[first], header):
                append_fragment(current.indicators[-1], rows[first], header)
                header_end = first
        # Value-read labels only where the document prints indicator levels (a form may be cut by a page break).
        levels_below = self.level_cells > 0 and self.assume.value_labels
        for r, row in enumerate(rows):
            if not any(row) or r <= header_end or r <= money_end:
                continue
            if self.fiscal_year is None and (year := year_label(row)):
                self.fiscal_year = year
                continue
            if is_sign_off(row):
                header = None  # 审核意见 / 填报人 rows close the form's indicator table
                continue
            if r > 0 and (title := form_title(row)):
                # Another form starts inside the same sheet or table (整体 form, then the project forms).
                self.title, current, header, budget_cols, state = title, None, None, None, {}
                continue
            if (h := detect_header(row)) is not None:
                header, carry = h, LevelCarry()
                header, roles, header_end = settle_from_rows(h, rows, r, spans)
                self.column_roles.append((self.table_index, roles))
                if current is None:
                    current = self._new_draft(table.page_of(r))
                current.period_blocks.append((len(current.indicators), header_period(rows, r, h.first_col)))
                continue
            if (header is None or not carry.level1) and self.assume.headers_inferred \
                    and (inferred := header_from_cells(rows, r, spans=spans)):
                # A header in words no rule knows, over rows that are indicators by their cells.
                self.relied_on.add("headers_inferred")
                header, carry, header_end = inferred[0], LevelCarry(), inferred[3]
                self.column_roles.append((self.table_index, inferred[2]))
                if current is None:
                    current = self._new_draft(table.page_of(r))
                current.period_blocks.append((len(current.indicators), header_period(rows, r, header.first_col)))
                continue
            if header is not None and not carry.level1 and (periods := period_subheader(row)):
                header = refine_header(header, periods)  # 指标值 split into 实施期 | 年度 one row down
                continue
            if header is None and (cols := budget_columns(row)):
                current = current or self._new_draft(table.page_of(r))
                current.money_unit = row_money_unit(row) or current.money_unit
                budget_cols, state["budget_cols"] = cols, 1
                continue
            if header is None and (is_money_row(row) or current_year_column(row) is not None):
                # Label | amount rows (one or two sides): each amount from its own label's cell, the year's side.
                current = current or self._new_draft(table.page_of(r))
                money_end = block_end(rows, r)
                for f, amount in read_money_block(rows, r, money_end, current.money_unit).items():
                    setattr(current.budget, f, amount)
                continue
            labelled = has_form_labels(row)
            if labelled and (header is None or not looks_like_indicator(self.raw_rows[r], header)):
                header = None
                names_row = any(t and form_field(t) == "name" for t in row)
                if current is None or (names_row and current.has_name_label):
                    current, state, budget_cols = self._new_draft(table.page_of(r)), {}, None
                apply_labels(current, rows, r, state)
                if (u := next((unit_line(t) for t in row if t and unit_line(t)), None)) and not current.unit:
                    current.unit = u
                continue
            if header is None and levels_below and (pairs := unknown_pairs(row)):
                # Labels in words nobody listed, above an indicator block: each value says what it is.
                self.relied_on.add("value_labels")
                for label, value in pairs:
                    f = value_field(value)
                    if f == "name" and current is not None and current.indicators:
                        # a name after the previous form's indicators opens the next form; before them it is
                        # another attribute of this one (the first short text names the project)
                        current, state, budget_cols = None, {}, None
                    current = current or self._new_draft(table.page_of(r))
                    if f == "total" and current.budget.total is not None:
                        continue  # an amount beside an unknown label never overrides a labelled budget
                    if f != "name" or current.name is None:
                        set_field(current, f, value, label, row_money_unit(row))
                        current.name_from_value = current.name_from_value or f == "name"
                continue
            if header is None:
                if current is not None:
                    if continues_goal(current, row, r, state):
                        continue
                    above = rows[r - 1] if r else None
                    if budget_cols and (is_sum_row(row) or is_amounts_row(row, budget_cols, above)):
                        read_budget_row(current, row, budget_cols)
                    elif u := next((unit_line(t) for t in row if t and unit_line(t)), None):
                        current.unit = current.unit or u
                elif u := next((unit_line(t) for t in row if t and unit_line(t)), None):
                    current = self._new_draft(table.page_of(r))
                    current.unit = u
                continue
            assert current is not None
            row = self.raw_rows[r]  # an indicator row as printed: "完成时间：…" in a target cell is no label
            if current.indicators and current.indicators[-1].target and is_fragment(row, header):
                append_fragment(current.indicators[-1], row, header)  # a name wrapped onto a row of its own
                continue
            res = read_row(row_tokens(row, header.first_col), header, carry, table.page_of(r), table.bbox_of(r))
            if res.indicator:
                current.indicators.append(res.indicator)
            elif res.problem:
                self.problems.append(Problem(page=table.page_of(r), message=res.problem,
                                             row_text=" | ".join(t for t in row if t)[:300],
                                             table_index=self.table_index, row_index=r))

        open_draft = header is not None and current is not None and current.indicators
        self.open_block = (header, carry) if open_draft and header is not None else None


def map_grid(grid: DocumentGrid, assume: Assumptions = USUAL) -> Mapped:
    """Projects, department, fiscal year, problems and column evidence found in a document grid."""
    mapper = _Mapper(assume)
    mapper.level_cells = sum(1 for t in grid.tables for c in t.cells if is_level_cell(c.text))
    for block in grid.blocks:
        if isinstance(block, TextLine):
            mapper.text(block)
        else:
            mapper.table(block)
    projects, department = assemble(mapper.drafts, mapper.department, mapper.title_department, mapper.problems)
    year = mapper.fiscal_year or budget_year_from_goals(p.goal for p in projects)
    return Mapped(projects, department or mapper.title_department, year, mapper.problems,
                  mapper.column_roles, mapper.level_cells, mapper.relied_on)
