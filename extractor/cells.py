"""Small cell values: a number, a budget amount in 万元 (元/千元/亿元 converted), a weight, a unit, a direction."""

from __future__ import annotations

import re
from typing import Literal

from extractor.values import UNIT_RE, first_number, fold, squash


def parse_number(text: str) -> float | None:
    """First number in text: "3,346.95", "８５", "九十", "两万", "百分之九十", "-5"; None if there is none."""
    found = first_number(fold(squash(text)))
    return found[0] if found else None


_MONEY_UNIT = re.compile(r"(?:[(（]\s*|单位[:：]\s*)(亿元|万元|千元|元)\s*[)）]?\s*$")


def money_unit(label: str) -> str | None:
    """The unit a header or note states for amounts: "预算金额（元）", "金额单位：万元" -> 元 / 万元."""
    m = _MONEY_UNIT.search(fold(squash(label)))
    return m.group(1) if m else None


def parse_amount_wan(text: str, default_unit: str | None = None) -> float | None:
    """Budget cell in 万元: "28.2万元" -> 28.2, "47000元" -> 4.7; a bare number is in `default_unit` (else 万元)."""
    s = fold(squash(text))
    found = first_number(s)
    if found is None:
        return None
    value, end = found
    rest = s[end:]
    if not rest.startswith(("亿", "千元", "元", "万")) and default_unit:
        rest = default_unit  # the header or the page said what unit bare numbers are in
    if rest.startswith("亿"):
        value *= 10_000
    elif rest.startswith("千元"):
        value /= 10
    elif rest.startswith("元"):
        value /= 10_000
    return round(value, 10)  # drop float noise from the 元 -> 万元 division


_AMOUNT_CELL = re.compile(r"[¥￥]?[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
                          r"(?:亿元|万元|千元|元|亿|万)?(?:[(（](?:亿元|万元|千元|元)[)）])?")


def is_amount_cell(text: str) -> bool:
    """The whole cell prints an amount ("1,150.00", "84.6万元", "¥300"): a number inside a sentence
    ("目标6：5.在重大决策前…") is no amount, although parse_amount_wan finds one in it."""
    return bool(_AMOUNT_CELL.fullmatch(fold(squash(text))))


def parse_weight(text: str) -> float | None:
    """权重/分值 cell: "30", "10分", "30%" -> number; "" or "正向指标" -> None."""
    return parse_number(text)


def is_unit(text: str) -> bool:
    """True when the whole text is a measure unit ("次", "元/人.年", "%")."""
    return bool(text) and bool(UNIT_RE.fullmatch(text))


def parse_direction(text: str) -> Literal["positive", "negative"] | None:
    """指标方向性: 正向(指标) -> "positive", 反向/逆向(指标) -> "negative", else None."""
    s = squash(text)
    if "正向" in s or s == "正":
        return "positive"
    if "反向" in s or "逆向" in s or s == "反":
        return "negative"
    return None
