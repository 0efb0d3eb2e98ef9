"""Column roles from evidence: the header's words and the cells under it, assigned jointly.

Each column gets a score per field from its header (header_words.py) and from its cells (targets
that parse, 正向/反向, small weights adding to a round total, level names, units, long text). Columns
are then matched to fields one-to-one for the best total score (Hungarian assignment), so an
unknown header over cells that read as targets becomes the target column, and a known header whose
cells contradict it loses to the field its cells fit. The evidence is kept for review.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.cells import is_unit, parse_amount_wan, parse_direction, parse_number
from extractor.layout.header_words import INDICATOR_FIELDS, PROJECT_FIELDS, header_scores
from extractor.layout.vocabulary import is_junk, is_level1, is_level2, strip_name_prefix
from extractor.values import parse_target

NATURE_WORDS = {"定性", "定量", "≥", "≤", "=", ">", "<", "＝", "≧", "≦", ">=", "<=", "＞", "＜", "大于等于", "小于等于",
                "等于", "大于", "小于", "不低于", "不高于", "不少于", "不超过", "≈", "约等于"}
_QUALITATIVE = re.compile(
    r"^(高|低|好|良好|优|优秀|较好|较高|显著|明显|有效|及时|合格|达标|完成|提升|提高|改善|增强|稳定|保障|规范|满意|"
    r"准确|安全|可控|持续|长期|逐步|基本|全部|全面|按时|按期|按规定|符合|是|否|无|有|中|差).{0,12}$")
# A project code has a letter in it or is long; a bare number of up to nine digits is an amount.
_CODE = re.compile(r"^(?=.*[A-Za-z])[0-9A-Za-z][0-9A-Za-z\-_.]{5,}$|^\d{10,}$")
_ORGANISATION = re.compile(r"(委员会|委|局|院|办|中心|部|厅|政府|学校|所|站|队|处|室)(本级|机关|部门)?$")
HEADER_WEIGHT = 0.6
CELL_WEIGHT = 0.4
ASSIGN_FLOOR = 0.2
_NO_FIELD = re.compile(r"^(序号|编号|行次|行号|No\.?|NO\.?|备注|说明备注)$")


_ROW_NUMBER = re.compile(r"[（(]?\d{1,4}[)）.、．]?")


_ITEM_LABEL = re.compile(r"(目标|指标|子目标|任务)\s*\d{1,3}[:：.、]?")


def item_labels(values: list[str]) -> bool:
    """目标1, 目标2, 目标1, …: a blank's numbered rows (restarting per group), not names or values."""
    filled = [v.strip() for v in values if v.strip()]
    labels = sum(1 for v in filled if _ITEM_LABEL.fullmatch(v))
    return labels >= 3 and labels >= 0.8 * len(filled)  # a closing row's text may sit in the column too


def _counts_up(values: list[str]) -> bool:
    """1, 2, 3, …: row numbers, not weights or values."""
    # only bare numbers: "指标1：宣传活动次数", "指标2：…" number names, not rows
    nums = [parse_number(v) if _ROW_NUMBER.fullmatch(v.strip()) else None for v in values if v.strip()]
    if len(nums) < 3 or any(n is None for n in nums):
        return False
    return all(b == a + 1 for a, b in itertools.pairwise(n for n in nums if n is not None))


# Fields whose cells look like another field's: only a header can name them.
_HEADER_ONLY = {"midterm_target", "fiscal", "other", "carryover"}  # below this total a column is left unassigned


@dataclass
class ColumnRole:
    """The field chosen for one column and why."""

    col: int
    field: str
    score: float
    header: str
    evidence: dict[str, float] = dataclasses.field(default_factory=dict)


def _share(values: list[str], test: Callable[[str], object]) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _is_number(t: str) -> bool:
    return parse_number(t) is not None and re.fullmatch(r"[+-]?\d+(?:\.\d+)?\s*(%|分)?", t.strip()) is not None


def _target_like(t: str) -> bool:
    if is_level1(t) or is_level2(t) or (parse_direction(t) and len(t) <= 6) or t in NATURE_WORDS:
        return False
    parsed = parse_target(t)
    if parsed.value is not None:
        return parsed.operator not in (None, "=") or parsed.unit is not None
    return len(t) <= 12 and bool(_QUALITATIVE.match(t))


def _weights_add_up(values: list[str]) -> bool:
    nums = [parse_number(v) for v in values]
    if not nums or any(n is None for n in nums):
        return False
    total = sum(n for n in nums if n is not None)
    return all(0 < (n or 0) <= 100 for n in nums) and total > 0 and (
        total % 10 < 0.01 or total % 10 > 9.99) and total >= 10


def cell_scores(values: list[str], n_rows: int | None = None) -> dict[str, float]:
    """How well a column's cells fit each field, 0..1 (empty columns fit nothing and contradict nothing).

    With `n_rows` (the rows of the block) a column's spread counts too: indicator fields change row by row,
    project fields (name, budget, goal) repeat on every row of a project or are printed once for it.
    """
    # "指标1：宣传活动次数": the blank's numbering is no number of the cell
    vals = [strip_name_prefix(v) for v in values if v and v.strip() and not is_junk(v)]
    if not vals:
        return {}
    numbers = _share(vals, _is_number)
    rows = max(n_rows or len(vals), len(vals))
    spread = len(set(vals)) / rows if rows >= 3 else 1.0
    # Indicator names differ row by row; a column repeating one text (a project or task column) names none.
    distinct = 0.2 + 0.8 * spread
    once = min(1.0, 1.2 - spread) if n_rows and rows >= 3 else 1.0  # repeated or printed once per project
    lengths = sum(len(v) for v in vals) / len(vals)
    targets = _share(vals, _target_like)
    text = _share(vals, lambda v: not _is_number(v) and not is_level1(v) and not is_level2(v)
                  and not (parse_direction(v) and len(v) <= 6))
    out = {
        "level1": _share(vals, is_level1),
        "level2": _share(vals, is_level2),
        "direction": _share(vals, lambda v: bool(parse_direction(v)) and len(v) <= 6),
        "nature": _share(vals, lambda v: v in NATURE_WORDS),
        "unit": _share(vals, lambda v: len(v) <= 8 and is_unit(v)),
        # a weight column is numbers through and through; words among them make it a value column
        "weight": numbers * (1.0 if _weights_add_up(vals) else 0.7) * (1.0 if numbers >= 0.9 else 0.3),
        "target": min(1.0, targets + 0.8 * numbers),  # split layouts print the bare number in the value column
        "midterm_target": min(1.0, targets + 0.8 * numbers),
        "name": text * (1.0 if 3 <= lengths <= 30 else 0.6) * (0.5 if targets > 0.6 else 1.0) * distinct,
        "description": text * (1.0 if lengths > 12 else 0.5) * (1 - 0.8 * targets),
        "basis": text * (1.0 if lengths > 10 else 0.5) * (1 - 0.8 * targets),
        # project columns of row-per-project and flat tables
        "project": text * (1.0 if 3 <= lengths <= 60 else 0.5) * (0.5 if targets > 0.6 else 1.0) * once,
        "code": _share(vals, lambda v: bool(_CODE.match(v))) * once,
        "unit_name": text * once * (1.0 if _share(vals, lambda v: bool(_ORGANISATION.search(v))) > 0.8 else 0.3),
        "total": _share(vals, lambda v: parse_amount_wan(v) is not None and not re.search(r"[%％]", v)) * once,
        "goal": text * (1.0 if lengths > 15 else 0.3) * once,
        "packed": _share(vals, lambda v: "；" in v or ";" in v) * (1.0 if lengths > 30 else 0.3),
    }
    for f in ("fiscal", "other", "carryover"):
        out[f] = out["total"]
    if out["direction"] > 0.5 or out["nature"] > 0.5 or out["level1"] + out["level2"] > 0.5:
        for f in ("name", "description", "basis", "project", "goal", "unit_name", "target", "midterm_target"):
            out[f] *= 0.2  # a column of 正向, ≥ or level words is not free text
    return out


def _hungarian(score: list[list[float]]) -> list[int]:
    """Column index chosen for each row maximising the total score (rows <= columns)."""
    n, m = len(score), len(score[0]) if score else 0
    cost = [[-s for s in row] for row in score]
    u, v, p, way = [0.0] * (n + 1), [0.0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [math.inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], math.inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def combined_score(header: dict[str, float], cells: dict[str, float], f: str, n_cells: int,
                   blind: bool = False) -> float:
    """One column's score for one field from both kinds of evidence (`blind`: the table's header says little)."""
    h, c = header.get(f, 0.0), cells.get(f, 0.0)
    if not cells:  # no cells under it: the header alone speaks
        return h
    if not header and blind:  # a header in words nobody listed: the cells alone speak
        return 0.0 if f in _HEADER_ONLY else 0.8 * c
    if not h:
        if f in _HEADER_ONLY:
            return 0.0
        if max(header.values(), default=0.0) >= 0.8:
            c *= 0.3  # the header names another field: its cells alone rarely overrule it
    score = HEADER_WEIGHT * h + CELL_WEIGHT * c
    if h and c < 0.2 and n_cells >= 3:
        score -= 0.35  # a header its cells contradict is questioned
    return score


def assign_roles(headers: dict[int, str], columns: dict[int, list[str]],
                 fields: frozenset[str] = INDICATOR_FIELDS | PROJECT_FIELDS,
                 n_rows: int | None = None, prior: dict[int, dict[str, float]] | None = None) -> list[ColumnRole]:
    """Fields for columns (one field per column, best total score); unassigned columns are left out."""
    cols = sorted(set(headers) | {c for c, v in columns.items() if any(t.strip() for t in v)})
    names = sorted(fields)
    if not cols:
        return []
    hs = {c: header_scores(headers.get(c, "")) for c in cols}
    cs = {c: cell_scores(columns.get(c, []), n_rows) for c in cols}
    counts = {c: sum(1 for t in columns.get(c, []) if t.strip()) for c in cols}
    any_cells = any(counts.values())
    # A header row most of whose words say nothing known: then the cells carry the decision.
    blind = sum(1 for c in cols if not hs[c]) * 2 > len(cols)
    for c in cols:
        if _NO_FIELD.match(headers.get(c, "").strip()) or _counts_up(columns.get(c, [])) or item_labels(
                columns.get(c, [])):
            hs[c], cs[c] = {}, {}  # 序号 / row numbers: a column that belongs to no field
    matrix = []
    for c in cols:
        row = [combined_score(hs[c], cs[c], f, counts[c], blind) + (prior or {}).get(c, {}).get(f, 0.0)
               for f in names]
        if any_cells and not counts[c]:
            row = [s * 0.15 for s in row]  # a header over no cells where others have some: a form's label column
        row += [ASSIGN_FLOOR] * len(cols)  # one "none" option per column
        matrix.append(row)
    chosen = _hungarian(matrix)
    out = []
    for c, j in zip(cols, chosen, strict=True):
        if 0 <= j < len(names) and matrix[cols.index(c)][j] > ASSIGN_FLOOR:
            f = names[j]
            evidence = {"header": round(hs[c].get(f, 0.0), 2), "cells": round(cs[c].get(f, 0.0), 2)}
            out.append(ColumnRole(c, f, round(matrix[cols.index(c)][j], 3), headers.get(c, ""), evidence))
    return out
