"""Headers nobody listed: a row is an indicator header when the rows under it hold indicator data.

Indicator rows are recognisable by their cells alone: the framework's level names (产出指标, 数量指标…)
in fixed columns, targets that parse, 正向/反向, weights. When a header's words are unknown, the row
above such rows is taken as the header and every column is named from evidence (its cells, and its
words where they say something): indicator columns and, in row-per-project or flat tables, the
project columns (name, code, budget, goal, unit) that repeat on or are printed once for a project's rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.cells import is_unit, parse_direction
from extractor.layout.align import UNUSED, FieldSlot
from extractor.layout.columns import header_texts, unused_columns
from extractor.layout.header_words import INDICATOR_FIELDS, PROJECT_FIELDS
from extractor.layout.indicators import IndicatorHeader
from extractor.layout.roles import NATURE_WORDS, ColumnRole, assign_roles, cell_scores
from extractor.layout.vocabulary import form_field, is_level1, is_level2, label_key
from extractor.textnorm import squash

MAX_BLOCK_ROWS = 400
_PROJECT_COLUMNS = PROJECT_FIELDS - {"packed", "fiscal", "other", "carryover"}


def is_level_cell(text: str) -> bool:
    """A cell printing a level name of the indicator framework."""
    return bool(text) and (is_level1(text) or is_level2(text))


def _data_like(text: str) -> bool:
    key = squash(text)
    return is_level_cell(text) or (parse_direction(text) is not None and len(key) <= 6) or any(
        ch.isdigit() for ch in key)


def _stops_block(row: list[str]) -> bool:
    """A project label row (项目名称 | …) or a title row ends an indicator block."""
    filled = [t for t in row if t]
    if len(filled) == 1 and "表" in filled[0]:
        return True
    return any(t and form_field(t) in ("name", "code", "total", "goal") and len(label_key(t)) <= 8
               and not is_level_cell(t) for t in row)


def block_below(rows: list[list[str]], r: int) -> list[list[str]]:
    """The rows under row r up to the next title or project label row (lone cells left out)."""
    out = []
    for row in rows[r + 1:r + 1 + MAX_BLOCK_ROWS]:
        if _stops_block(row):
            break
        if sum(1 for t in row if t) >= 2:
            out.append(row)
    return out


def _agrees_with_nature(rows: list[list[str]], nature: int, col: int) -> float:
    """Share of rows where the cell is a number after a comparison symbol, or words after 定性."""
    pairs = [(squash(r[nature]), squash(r[col])) for r in rows if max(nature, col) < len(r) and r[nature] and r[col]]
    if len(pairs) < 2:
        return 0.0
    agree = sum(1 for n, v in pairs if (n == "定性") != bool(re.match(r"^[-+]?\d", v)))
    return agree / len(pairs)


def _numbers_where_units(rows: list[list[str]], unit: int, col: int) -> float:
    """Share of rows printing a unit whose cell in `col` carries a number (a value column's mark)."""
    cells = [squash(r[col]) for r in rows if max(unit, col) < len(r) and r[unit] and r[col]]
    if len(cells) < 2:
        return 0.0
    return sum(1 for v in cells if re.search(r"\d", v) and len(v) <= 12) / len(cells)


def _mostly(values: list[str], test: Callable[[str], bool]) -> bool:
    return sum(1 for v in values if test(v)) * 2 > len(values)


def looks_like_header(row: list[str], below: list[list[str]]) -> bool:
    """Row r heads indicator data: 3+ cells of words (no data), and most of the first rows below hold level names."""
    filled = [t for t in row if t]
    if len(filled) < 3 or any(_data_like(t) for t in filled) or any(len(squash(t)) > 30 for t in filled):
        return False
    # Merged level cells print their name once for the rows they cover, so only some rows show one.
    with_levels = [any(is_level_cell(t) for t in b) for b in below]
    return any(with_levels[:2]) and sum(with_levels) >= max(1, 0.15 * len(below))


def infer_columns(texts: dict[int, str], below: list[list[str]], with_project: bool
                  ) -> tuple[IndicatorHeader, dict[str, int], list[ColumnRole]] | None:
    """Indicator header (and project columns when asked) named from the header words and the cells below."""
    columns: dict[int, list[str]] = {}
    for row in below:
        for c, t in enumerate(row):
            if t:
                columns.setdefault(c, []).append(t)
    levels = [c for c, v in columns.items() if sum(map(is_level_cell, v)) * 2 > len(v)]
    if not levels:
        return None
    # Indicator columns start at the level columns; project columns (flat and row-per-project tables) stand left.
    first = min(levels)
    # 上年度实际水平 and 目标1 / 目标2 labels: slots of their own (added below), no field's evidence
    unused = unused_columns(texts, {c: v for c, v in columns.items() if c >= first})
    right = {c: v for c, v in columns.items() if c >= first and c not in unused}
    # Where the framework puts things: the indicator's name is the first text column after the levels.
    after = [c for c in sorted(right) if c > max(levels) and not _mostly(right[c], _data_like)]
    prior: dict[int, dict[str, float]] = {after[0]: {"name": 0.15}} if after else {}
    for c in levels:  # a column of level names is a level column whatever its header says (评价内容 over three)
        ones = sum(1 for v in columns[c] if is_level1(v) and not is_level2(v))
        prior.setdefault(c, {})["level1" if ones * 2 >= len(columns[c]) else "level2"] = 0.3
    # Split targets print symbol | value | unit side by side: the value column is the one that agrees with the
    # symbols row by row (a number after ≥, words after 定性).
    for c, values in right.items():
        if _mostly(values, lambda v: squash(v) in NATURE_WORDS):
            for near in (c - 3, c - 2, c - 1, c + 1, c + 2, c + 3):
                if near in right and _agrees_with_nature(below, c, near) >= 0.8:
                    prior.setdefault(near, {})["target"] = 0.5
    # Likewise beside a unit column: where a row prints a unit, the value column prints its number.
    for c, values in right.items():
        if _mostly(values, lambda v: is_unit(squash(v))):
            for near in (c - 2, c - 1, c + 1, c + 2):
                if near in right and _numbers_where_units(below, c, near) >= 0.8:
                    prior.setdefault(near, {})["target"] = max(prior.get(near, {}).get("target", 0.0), 0.4)
    # Mid-term and annual values side by side: the annual one is printed last, as forms order them.
    scored = {c: cell_scores(v, len(below)) for c, v in right.items() if c > max(levels)}
    targets = [c for c, s in scored.items() if s.get("target", 0) >= 0.5 and s.get("weight", 0) < 0.6]
    if len(targets) > 1:
        prior.setdefault(max(targets), {})["target"] = prior.get(max(targets), {}).get("target", 0.0) + 0.1
    roles = assign_roles({c: t for c, t in texts.items() if c >= first}, right, INDICATOR_FIELDS, n_rows=len(below),
                         prior=prior)
    if with_project:
        left = {c: v for c, v in columns.items() if c < first}
        roles += assign_roles({c: t for c, t in texts.items() if c < first}, left, _PROJECT_COLUMNS,
                              n_rows=len(below))
    described = sorted((r for r in roles if r.field == "description"), key=lambda r: r.col)
    if described and not any(r.field == "name" for r in roles):
        described[0].field = "name"  # 一级 | 二级 | 绩效内容 | 指标值: with no name column, the content names it
    # Columns printed but read by no field get slots of their own, so their cells never shift into a field.
    roles += [ColumnRole(c, UNUSED, 0.0, texts.get(c, "")) for c in sorted(unused) if c in columns and c >= first]
    slots = sorted((FieldSlot(r.field, r.col) for r in roles if r.field in INDICATOR_FIELDS | {UNUSED}),
                   key=lambda s: s.col)
    named = {s.field for s in slots}
    if not named & {"level1", "level2"} or not named & {"name", "target"}:
        return None
    project = {r.field: r.col for r in roles if r.field in _PROJECT_COLUMNS}
    header = IndicatorHeader(blocks=[slots], first_col=min(s.col for s in slots), annual_block=0)
    return header, project, roles


def _words_row(row: list[str]) -> bool:
    filled = [t for t in row if t]
    return len(filled) >= 2 and not any(_data_like(t) or len(squash(t)) > 14 for t in filled)


def header_from_cells(rows: list[list[str]], r: int, with_project: bool = False,
                      spans: dict[tuple[int, int], int] | None = None
                      ) -> tuple[IndicatorHeader, dict[str, int], list[ColumnRole], int] | None:
    """Row r read as the header of the indicator rows below it (and its last header row), or None."""
    if r + 1 >= len(rows) or not any(is_level_cell(t) for t in rows[r + 1] + (rows[r + 2] if r + 2 < len(rows)
                                                                               else [])):
        return None  # cheap test first: a level name in the next two rows
    last = r
    if _words_row(rows[r + 1]) and r + 2 < len(rows) and any(is_level_cell(t) for t in rows[r + 2]):
        last = r + 1  # a second header row under merged cells (绩效指标 over three columns)
    below = block_below(rows, last)
    if not looks_like_header(rows[r], below):
        return None
    texts = header_texts(rows, spans or {}, r, last)
    found = infer_columns(texts, below, with_project)
    return (*found, last) if found else None
