"""Where a reading's records are printed: each project's anchor row and region, each indicator's row."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractor.schema import Document, Indicator, Project
from extractor.verify.printed import Printed, PrintedRow, labelled_numbers, numbers_in, squeeze
from extractor.verify.words import part_of_label

_SPLIT_NUMBERS = re.compile(r"(-?\d+(?:\.\d+)?)")
GOAL_ABOVE_NAME = 4  # rows a form's goal may print above its name (a page break between them)
_UNIT_HEAD = re.compile(r"^\s*(?:万元|千元|亿元|元)")
_COLON = re.compile(r"[:：]")
_WORDS = re.compile(r"[\u4e00-\u9fff]{2}")  # a label of its own, not just the unit of the number before
_MONEY_AFTER = re.compile(r"\d\s*(?:万元|元|千元)(?!/)")
_PURE_AMOUNT = re.compile(r"^-?[\d,]+(?:\.\d+)?$")
_YEAR_COLUMN = re.compile(r"上一?年|本年|当年|今年|去年|前一?年")  # 上年度预算安排 | 本年度申请金额: years, not parts
_FILLER = re.compile(r"^[-—–/／*＊]*$")


@dataclass
class Region:
    """A project's printed rows: from the row that names it up to the row that names the next project."""

    anchor: PrintedRow | None  # the row where the form starts (None: nothing of it is printed)
    start: int
    end: int  # exclusive
    named: bool = True  # its name is printed somewhere

    def rows(self, printed: Printed) -> list[PrintedRow]:
        """The rows of this region."""
        return printed.rows[self.start:self.end]


def _name_in(row: PrintedRow, name: str) -> bool:
    needle = squeeze(name)
    return any(needle in squeeze(c) for c in row.cells) or (len(needle) >= 8 and needle in row.joined)


def _starts_here(row: PrintedRow, project: Project) -> bool:
    """The row prints the project's name or the opening of its goal (a goal may print just above the name)."""
    if _name_in(row, project.name):
        return True
    goal = squeeze(project.goal or "")[:16]
    return len(goal) >= 12 and goal in row.joined


def project_regions(document: Document, printed: Printed) -> list[Region]:
    """One region per project, in order; a project whose name is printed nowhere gets its neighbours' gap."""
    anchors: list[PrintedRow | None] = []
    named_flags: list[bool] = []
    cursor = 0
    for project in document.projects:
        named = next((r for r in printed.rows[cursor:] if _name_in(r, project.name)), None)
        if named is None:  # printed out of order, or not at all
            named = next((r for r in printed.rows if _name_in(r, project.name)), None)
        # Where the form starts: the first row from the cursor that prints its name, code or goal, not after its name.
        if named is not None and named.index >= cursor:
            begin, stop = max(cursor, named.index - GOAL_ABOVE_NAME), named.index + 1
        else:
            begin, stop = cursor, len(printed.rows)
        found = next((r for r in printed.rows[begin:stop] if _starts_here(r, project)), named)
        anchors.append(found)
        named_flags.append(named is not None)
        if found is not None and found.index >= cursor:
            cursor = found.index + 1 if project.kind == "overall" else found.index
    regions = []
    n = len(printed.rows)
    for k, anchor in enumerate(anchors):
        prev = max((a.index for a in anchors[:k] if a is not None), default=-1)
        start = anchor.index if anchor is not None else prev + 1
        nxt = min((a.index for a in anchors[k + 1:] if a is not None and a.index > start), default=n)
        regions.append(Region(anchor=anchor, start=start, end=nxt, named=named_flags[k]))
    return regions


def _tokens(target: str) -> list[str]:
    return [t for t in _SPLIT_NUMBERS.split(squeeze(target)) if t]


def indicator_printed_in(row: PrintedRow, indicator: Indicator) -> bool:
    """True when the row prints the indicator's name (if any) and every piece of its target."""
    joined = row.joined
    name = squeeze(indicator.name)
    if name and name not in joined:
        return False
    target = squeeze(indicator.target)
    if not target or target in joined:
        return bool(name or target)
    return all(t in joined for t in _tokens(target))


def indicator_rows(document: Document, printed: Printed, regions: list[Region]) -> list[list[PrintedRow | None]]:
    """For every indicator, the row that prints it: searched in its project's region first, in order.

    Rows below the previous project's last row and above this project's first may belong to this project (a page
    break prints a row above the name it belongs to) — only when the weights prove it: with them, this project's
    weights add up to the total most projects of the document add up to.
    """
    out: list[list[PrintedRow | None]] = []
    taken: set[int] = set()
    last_held = -1
    sums = [_weight_sum(p) for p in document.projects]
    usual = Counter(s for s in sums if s is not None).most_common(1)
    for project, region in zip(document.projects, regions, strict=True):
        rows: list[PrintedRow | None] = []
        cursor = region.start
        whole = bool(usual) and _weight_sum(project) == usual[0][0] and usual[0][1] >= 2
        tail = printed.rows[last_held + 1:region.start] if whole else []
        for indicator in project.indicators:
            found = (_first(printed.rows[cursor:region.end], indicator, taken)
                     or _first(printed.rows[region.start:region.end], indicator, taken)
                     or _first(tail, indicator, taken)
                     or _first(printed.rows[region.start:region.end], indicator, set()))  # packed rows repeat
            if found is not None:
                # A cell that packs several indicators holds them all: it is not used up by the first.
                if not _packs_many(found):
                    taken.add(found.index)
                cursor = max(cursor, found.index)
                last_held = max(last_held, found.index)
            rows.append(found)
        out.append(rows)
    return out


def _weight_sum(project: Project) -> float | None:
    weights = [i.weight for i in project.indicators]
    if not weights or any(w is None for w in weights):
        return None
    return round(sum(w or 0.0 for w in weights), 2)


def _packs_many(row: PrintedRow) -> bool:
    return any(len(re.findall(r"(?:^|[。；;])\s*\d{1,2}[、.．]", c)) >= 2 for c in row.cells)


def _apart(row: PrintedRow, indicator: Indicator) -> bool:
    """The name printed as a cell of its own (a numbering or ★ before it allowed), as an indicator row prints it,
    not only inside a sentence such as 预期提供的公共产品和服务的数量：…."""
    name = squeeze(indicator.name)
    return not name or any(c.endswith(name) and len(c) <= len(name) + 6 for c in map(squeeze, row.cells))


def _first(rows: list[PrintedRow], indicator: Indicator, taken: set[int]) -> PrintedRow | None:
    """The first free row printing the indicator (a row printing it in its own cells before a sentence that merely
    mentions it, such as 预期提供的公共产品和服务的数量); a cell wrapped onto the next row (a page break) is joined."""
    own = next((row for row in rows if row.index not in taken and not is_midterm_row(row)
                and indicator_printed_in(row, indicator) and _apart(row, indicator)), None)
    if own is not None:
        return own
    for k, row in enumerate(rows):
        if row.index in taken or is_midterm_row(row):
            continue
        if indicator_printed_in(row, indicator):
            return row
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        head = squeeze(indicator.name)[:2]
        if (nxt is not None and nxt.table is not None and nxt.index not in taken and head and head in row.joined
                and not indicator_printed_in(nxt, indicator)):
            joined = PrintedRow(index=row.index, cells=[a + b for a, b in zip(row.cells, nxt.cells, strict=False)],
                                page=row.page, table=row.table, row=row.row)
            if len(nxt.cells) == len(row.cells) and indicator_printed_in(joined, indicator):
                taken.add(nxt.index)  # the fragment row is this indicator's too
                return row
    return None


def is_midterm_row(row: PrintedRow) -> bool:
    """A row of a 长期/中期/实施周期 indicator block: its targets are no annual targets."""
    return row.midterm


@dataclass
class AmountSpot:
    """A printed number and the label that says what it is."""

    row: PrintedRow
    number: float
    part: str | None  # which budget part its label names (total, fiscal, other, carryover, midterm) or None


def amount_spots(rows: list[PrintedRow], printed: Printed) -> list[AmountSpot]:
    """Every amount printed in these rows with the part its left label or column header names.

    A number inside text is an amount only when its own words call it one ("年度资金总额：1150", "50万元"): the 0 of
    a target "≤0%" or the 3 of "3次" is not money.
    """
    out = []
    for row in rows:
        for col, text in enumerate(row.cells):
            flat = squeeze(text)
            if _PURE_AMOUNT.match(flat):
                out += [AmountSpot(row=row, number=n, part=_label_part(row, col, printed)) for n in numbers_in(text)]
                continue
            # "总额100万元 财政拨款:80万元 其他:20万元": each number is what the words just before it call it
            spots = labelled_numbers(flat)
            first = part_of_label(spots[0][0]) if spots and spots[0][0] else None
            money = bool(_MONEY_AFTER.search(flat))
            for k, (words, number) in enumerate(spots):
                part = first
                if k:
                    words = _UNIT_HEAD.sub("", words)  # the unit of the number before (100万元，其中…)
                    # "其中：财政拨款：其他资金：20": a label printed with no amount, then the one this number has
                    words = next((w for w in reversed(_COLON.split(words)) if _WORDS.search(w)), "")
                    part = part_of_label(words) if words else first
                if part or money:
                    out.append(AmountSpot(row=row, number=number, part=part))
    return out


def _label_part(row: PrintedRow, col: int, printed: Printed) -> str | None:
    left = next((c for c in reversed(row.cells[:col]) if c.strip()), "")
    if left and not _PURE_AMOUNT.match(squeeze(left)):  # the label of a label|value pair
        part = part_of_label(left)
        if part:
            return part
    if row.table is None:
        return None
    for above in reversed(printed.rows[max(0, row.index - 12):row.index]):  # the column's header
        if above.table != row.table or col >= len(above.cells):
            continue
        cell = above.cells[col]
        if cell.strip() and not _PURE_AMOUNT.match(squeeze(cell)):
            if _YEAR_COLUMN.search(squeeze(cell)):
                # Columns by year, rows by source (财政拨款 | 上年 | 上年实际 | 本年): the row's label names the part.
                label = next((c for c in row.cells[:col] if not _FILLER.match(squeeze(c))
                              and not _PURE_AMOUNT.match(squeeze(c))), "")
                return part_of_label(label) if label else None
            return part_of_label(cell)
    return None
