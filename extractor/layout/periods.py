"""Stacked period tables: one form printing a 长期 / 总目标 indicator table and a 年度 one with the same columns.

County and city 申报表 print the mid-term (长期绩效指标, 总目标绩效指标, 中期…) and the annual (年度绩效指标,
本年度…) indicators as two tables one under the other, told apart only by the caption beside or above each
header. The annual table holds the form's indicators; a mid-term row gives the target of the annual row with
the same levels and name as its `midterm_target`. A mid-term row no annual row matches is kept, its printed
target as `midterm_target` and no annual target (unknown is empty, never a copy of the mid-term value).
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Literal

from extractor.layout.indicators import detect_header
from extractor.schema import Indicator
from extractor.textnorm import squash

Period = Literal["midterm", "annual"]
# The caption of a stacked table: "长期绩效指标", "总目标绩效指标", "本年度绩效指标", "年度绩效目标" (read per
# character when a narrow caption column wraps them).
_MIDTERM = re.compile(r"^(项目)?(长期|中期|中长期|总目标|总体目标|总|整体|实施期|实施周期|项目周期|全周期)"
                      r"(绩效)?(指标|目标)")
_ANNUAL = re.compile(r"^(项目)?(本年度|年度|当年|本年)(绩效)?(指标|目标)")


def caption_period(texts: list[str]) -> Period | None:
    """The period a stacked table's caption names (mid-term or annual), from the captions printed beside or above
    its header; None when no caption names one."""
    for text in texts:
        key = squash(text)
        if _MIDTERM.match(key):
            return "midterm"
        if _ANNUAL.match(key):
            return "annual"
    return None


def header_captions(rows: list[list[str]], r: int, first_col: int) -> list[str]:
    """The cells left of an indicator header's first column, and a lone caption on the row above it."""
    out = [t for t in rows[r][:first_col] if t]
    if r > 0 and len(above := [t for t in rows[r - 1] if t]) == 1:
        out.append(above[0])
    return out


def header_period(rows: list[list[str]], r: int, first_col: int) -> Period | None:
    """The period the caption of the indicator header at row r names (beside it, or alone on the row above)."""
    return caption_period(header_captions(rows, r, first_col))


def opens_other_period(rows: list[list[str]], blocks: list[tuple[int, Period | None]]) -> bool:
    """A table that opens with an indicator header captioned with the other period than the form's last table:
    the second table of a stacked pair (printed as its own table in Word and PDF)."""
    first = next((r for r, row in enumerate(rows) if any(row)), None)
    if first is None or not blocks or (header := detect_header(rows[first])) is None:
        return False
    period = header_period(rows, first, header.first_col)
    return period is not None and blocks[-1][1] not in (None, period)


def _key(i: Indicator) -> tuple[str, str, str]:
    return squash(i.level1 or ""), squash(i.level2 or ""), squash(i.name)


def _wrapped_match(mid: Indicator, annual: list[Indicator]) -> int | None:
    """The one annual row of the same levels whose name begins with the other's (a name cut or wrapped
    differently in one of the two tables)."""
    name, levels = squash(mid.name), _key(mid)[:2]
    if len(name) < 2:
        return None
    found = [k for k, i in enumerate(annual) if _key(i)[:2] == levels and len(other := squash(i.name)) >= 2
             and (other.startswith(name) or name.startswith(other))]
    return found[0] if len(found) == 1 else None


def fold_periods(indicators: list[Indicator], blocks: list[tuple[int, Period | None]]) -> list[Indicator]:
    """A form's indicators with its mid-term table folded into the annual one (unchanged unless the form holds a
    mid-term block beside an annual or uncaptioned one)."""
    starts: list[tuple[int, Period | None]] = [(0, None), *blocks, (len(indicators), None)]
    segments = [(period, indicators[a:b]) for (a, period), (b, _) in pairwise(starts)]
    midterm = [i for period, part in segments if period == "midterm" for i in part]
    annual = [i for period, part in segments if period != "midterm" for i in part]
    if not midterm or not annual:
        return indicators
    by_key = {_key(i): k for k, i in enumerate(annual)}
    by_name: dict[str, list[int]] = {}
    for at, i in enumerate(annual):
        by_name.setdefault(squash(i.name), []).append(at)
    out = list(annual)
    for mid in midterm:
        k: int | None = by_key.get(_key(mid))
        if k is None and len(by_name.get(squash(mid.name), [])) == 1:
            k = by_name[squash(mid.name)][0]  # levels merged differently in the two tables
        if k is None:
            k = _wrapped_match(mid, annual)
        if k is not None and out[k].midterm_target is None:
            out[k] = out[k].model_copy(update={"midterm_target": mid.target or None})
        elif k is None:
            blank = {"target": "", "operator": None, "value": None, "value_max": None, "unit": None}
            out.append(Indicator.model_validate({**mid.model_dump(), **blank, "midterm_target": mid.target or None}))
    return out
