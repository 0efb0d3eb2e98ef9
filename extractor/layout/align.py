"""Align a row's printed cells to the header's fields, surviving cells shifted by a column or two.

Real disclosures print values one column off (merged cells drawn wrong, rows typed into the
wrong cell). Instead of trusting positions, each non-empty cell is a token with a column; a
monotone alignment to the header fields minimises column distance plus a type cost (a weight
must be a number, a direction must be 正向/反向, a level name belongs in a level column).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from extractor.cells import is_unit
from extractor.layout.vocabulary import is_level1, is_level2, marked_name
from extractor.values import parse_target

INF = math.inf
UNUSED = "unused"  # a printed column no field keeps (last year's level): its cells are placed and not read
DROP_COST = 6.0  # leaving a printed cell unused
NAME_MISMATCH_COST = 3.0
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")
_NATURE = {"定性", "定量", "≥", "≤", "=", ">", "<", "＝", "≧", "≦", ">=", "<=", "＞", "＜", "大于等于", "小于等于",
           "等于", "大于", "小于"}


_AMOUNT = re.compile(r"^-?[\d,]+(\.\d+)?\s*(万元|元)?$")
_UNIT_NAME = re.compile(r"(^\d{3,}\s*[-－]?)|(委员会|部门|本级|机关|局|院|办公室|中心|学校)$")
_Cost = Callable[[str, bool, bool], float]
# Row-per-project columns: (text, looks numeric, is an indicator word) -> cost.
_PROJECT_COST: dict[str, _Cost] = {
    "unit_name": lambda t, num, word: INF if num or word else 0.0 if _UNIT_NAME.search(t) else 3.0,
    "project": lambda t, num, word: INF if num or word else 0.0,
    "total": lambda t, num, word: 0.0 if num else INF,
    "fiscal": lambda t, num, word: 0.0 if num else INF,
    "other": lambda t, num, word: 0.0 if num else INF,
    "carryover": lambda t, num, word: 0.0 if num else INF,
    "goal": lambda t, num, word: INF if num or word else 0.0,
    "packed": lambda t, num, word: INF if num or word else 0.0,
    "code": lambda t, num, word: 0.0 if re.match(r"^[0-9A-Za-z\-]{6,}$", t) else INF,
}


@dataclass(frozen=True)
class Token:
    """One printed cell of a row."""

    col: int
    text: str


@dataclass(frozen=True)
class FieldSlot:
    """One header field and the column it heads."""

    field: str
    col: int


@lru_cache(maxsize=65536)
def type_cost(field: str, text: str) -> float:
    """How badly a cell's text fits a field (0 = natural, INF = impossible)."""
    t = text.strip()
    level1, level2 = is_level1(t), is_level2(t)
    direction = t.startswith(("正向", "反向"))
    number = bool(_NUMBER.match(t))
    if field in _PROJECT_COST:
        return _PROJECT_COST[field](t, number or bool(_AMOUNT.match(t)), level1 or level2 or direction or t in _NATURE)
    if field == UNUSED:
        return INF if level1 or level2 else 0.0
    if marked_name(t):
        return 0.0 if field == "name" else INF if field in ("level1", "level2") else 3.0
    if field == "level1":
        # 成本指标 is both a 一级 (new framework) and a 二级 name: in doubt it is the 二级.
        return (1.0 if level2 else 0.0) if level1 else 3.0 if level2 else INF if number or direction else 4.0
    if field == "level2":
        return 0.0 if level2 else INF if level1 or number or direction else 4.0
    if level1 or level2:
        return INF  # a level name is never a name, target or basis
    if t in _NATURE and field not in ("nature", "target"):
        return INF
    if field == "nature":
        return 0.0 if t in _NATURE else INF
    if field == "weight":
        return 0.0 if number else INF
    if field == "direction":
        return 0.0 if direction else INF
    if field == "unit":
        if len(t) > 8 or re.search(r"\d", t) or direction:
            return INF
        return 0.0 if is_unit(t) or len(t) <= 3 else INF  # "按月发放" is a target, not a unit
    if direction:
        return INF
    if field == "name":
        return 2.0 if number else 1.5 if _reads_as_value(t) else 0.0
    return 0.0


def _reads_as_value(text: str) -> bool:
    """A comparison with a number ("接入路数不少于10000路") is a target more than a name."""
    parsed = parse_target(text)
    return parsed.value is not None and parsed.operator not in (None, "=")


REPEAT_COST = 1.0


def _repeats_level(tokens: list[Token], i: int, field: str) -> bool:
    # Forms print a level word again in the next column when the lower level has no name of its own
    # ("满意度指标 | 满意度指标", "质量指标 | 质量指标"): the copy is that column's value, as printed.
    return field in ("level2", "name") and i > 0 and tokens[i].text == tokens[i - 1].text


def align(tokens: list[Token], fields: list[FieldSlot]) -> tuple[dict[str, str], float]:
    """Best monotone assignment of tokens to fields; returns field -> text and the total cost."""
    n, m = len(tokens), len(fields)
    dp = [[INF] * (m + 1) for _ in range(n + 1)]
    move: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            cur = dp[i][j]
            if cur == INF:
                continue
            if j < m and cur < dp[i][j + 1]:
                dp[i][j + 1], move[i][j + 1] = cur, "skip"
            if i < n and cur + DROP_COST < dp[i + 1][j]:
                dp[i + 1][j], move[i + 1][j] = cur + DROP_COST, "drop"
            if i < n and j < m:
                cost = type_cost(fields[j].field, tokens[i].text)
                if cost == INF and _repeats_level(tokens, i, fields[j].field):
                    cost = REPEAT_COST
                if cost < INF:
                    cost += abs(tokens[i].col - fields[j].col) + cur
                    if cost < dp[i + 1][j + 1]:
                        dp[i + 1][j + 1], move[i + 1][j + 1] = cost, "take"
    out: dict[str, str] = {}
    i, j = n, m
    while i or j:
        step = move[i][j]
        if step == "take":
            out[fields[j - 1].field] = tokens[i - 1].text
            i, j = i - 1, j - 1
        elif step == "skip":
            j -= 1
        else:
            i -= 1
    return out, dp[n][m]


def align_blocks(tokens: list[Token], blocks: list[list[FieldSlot]]) -> tuple[list[dict[str, str]], float]:
    """Align a row against side-by-side blocks (e.g. mid-term | annual), choosing where each block starts."""
    if len(blocks) == 1:
        row, cost = align_shifted(tokens, blocks[0])
        return [row], cost
    best: tuple[list[dict[str, str]], float] = ([{} for _ in blocks], INF)
    for shift in sorted(range(-MAX_SHIFT, MAX_SHIFT + 1), key=abs):
        if abs(shift) * SHIFT_COST >= best[1]:
            break  # costs are never negative: no larger shift can win any more
        parts, cost = _split(_moved(tokens, shift), blocks)
        if cost + abs(shift) * SHIFT_COST < best[1]:
            best = (parts, cost + abs(shift) * SHIFT_COST)
    return best


def _split(tokens: list[Token], blocks: list[list[FieldSlot]]) -> tuple[list[dict[str, str]], float]:
    if len(blocks) == 1:
        row, cost = align(tokens, blocks[0])
        return [row], cost
    best: tuple[list[dict[str, str]], float] = ([{} for _ in blocks], INF)
    for split in range(len(tokens) + 1):
        first, c1 = align(tokens[:split], blocks[0])
        rest, c2 = _split(tokens[split:], blocks[1:])
        # Side-by-side blocks repeat the same indicator: two different names mean a bad split.
        names = [p["name"] for p in (first, *rest) if "name" in p]
        mismatch = NAME_MISMATCH_COST if len(set(names)) > 1 else 0.0
        if c1 + c2 + mismatch < best[1]:
            best = ([first, *rest], c1 + c2 + mismatch)
    return best


def _moved(tokens: list[Token], shift: int) -> list[Token]:
    return [Token(t.col + shift, t.text) for t in tokens]


MAX_SHIFT = 4
SHIFT_COST = 1.0  # per column, once per row: a whole row typed a few columns off is one mistake


def align_shifted(tokens: list[Token], fields: list[FieldSlot]) -> tuple[dict[str, str], float]:
    """align() allowing the whole row to sit a few columns off."""
    best: tuple[dict[str, str], float] = ({}, INF)
    for shift in sorted(range(-MAX_SHIFT, MAX_SHIFT + 1), key=abs):  # ties keep the printed columns
        if abs(shift) * SHIFT_COST >= best[1]:
            break  # costs are never negative: no larger shift can win any more
        row, cost = align(_moved(tokens, shift), fields)
        cost += abs(shift) * SHIFT_COST
        if cost < best[1]:
            best = (row, cost)
    return best
