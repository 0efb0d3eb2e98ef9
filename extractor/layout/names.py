"""What a project's name can never be: a form label, a table caption, a target, an amount, a level name or a date.

A cell read as a name by its position (the first column of a row-per-project table, the value beside an
unknown label) is checked here: forms print these in the same places names stand, and reading one as a name
opens a project that does not exist.
"""

from __future__ import annotations

import re

from extractor.cells import parse_amount_wan
from extractor.layout.indicators import CAPTIONS
from extractor.layout.vocabulary import is_label, is_level1, is_level2
from extractor.textnorm import squash

_DATE = re.compile(r"^20\d{2}\s*(?:[-./年]\s*\d{1,2}\s*(?:[-./月]\s*\d{1,2}\s*日?|月)?|年)$")
_TARGET = re.compile(r"^[≥≤<>=＝≦≧]|^[-+]?\d[\d,.]*\s*(%|％|‰)?$|^[-+]?\d[\d,.]*\s*[(（][^)）]{1,8}[)）]$")


def is_date(text: str) -> bool:
    """"2025-01-01", "2025年3月", "2025年": a date, never a name or a code."""
    return bool(_DATE.match(squash(text)))


def is_caption(text: str) -> bool:
    """A table caption or a column header's words (绩效指标, 项目名称, 一级指标)."""
    key = squash(text).rstrip(":：")
    return key in CAPTIONS or is_label(text)


def never_a_name(text: str) -> bool:
    """True for a cell that cannot be a project's name, whatever column it stands in."""
    key = squash(text)
    if not key:
        return True
    return (is_caption(text) or is_date(text) or is_level1(text) or is_level2(text) or bool(_TARGET.match(key))
            or (parse_amount_wan(key) is not None and bool(re.fullmatch(r"[-+]?[\d,.]+\s*(万元|元|千元|亿元)?", key))))
