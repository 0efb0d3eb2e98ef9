"""Printed cell text for gold values: numbers, money in a chosen unit, targets split into symbol/value/unit."""

from __future__ import annotations

from typing import Any, Literal

from eval.layouts.spec import Cell

MoneyUnit = Literal["wan", "yuan", "qian"]
TargetMode = Literal["fused", "split3", "split2"]

MONEY_FACTOR: dict[str, float] = {"wan": 1.0, "yuan": 10000.0, "qian": 10.0}  # 万元 → printed unit
MONEY_NAME = {"wan": "万元", "yuan": "元", "qian": "千元"}
SYMBOL = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
QUALITATIVE = "定性"


def fmt_number(v: float) -> str:
    """A number as a person prints it: no trailing zeros, no exponent."""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


def number_cell(v: float | None) -> Cell:
    """A numeric cell (Excel gets the number itself)."""
    if v is None:
        return Cell()
    n = int(v) if float(v).is_integer() else float(v)
    return Cell(text=fmt_number(v), number=n)


def money_cell(total_wan: float | None, unit: MoneyUnit, thousands: bool) -> Cell:
    """An amount given in 万元, printed in 万元, 元 or 千元 (元 and 千元 to two decimals)."""
    if total_wan is None:
        return Cell()
    amount = round(total_wan * MONEY_FACTOR[unit], 2 if unit != "wan" else 6)
    if unit == "wan" and round(amount, 2) != amount:
        text = fmt_number(amount)
        fmt = "0.00####"
    else:
        text = f"{amount:,.2f}" if thousands else f"{amount:.2f}"
        fmt = "#,##0.00" if thousands else "0.00"
    return Cell(text=text, number=amount, fmt=fmt)


def money_suffix(unit: MoneyUnit, style: int = 0) -> str:
    """The unit a header carries: （万元） or (元)."""
    name = MONEY_NAME[unit]
    return f"（{name}）" if style == 0 else f"({name})"


def split_target(ind: dict[str, Any]) -> tuple[str, str, str]:
    """(symbol, value, unit) as a budget system prints them in separate columns; ("", target, "") if not a plain
    comparison; ("定性", target, "") for qualitative targets."""
    target = ind.get("target") or ""
    if ind.get("qualitative"):
        return QUALITATIVE, target, ""
    op, value = ind.get("operator"), ind.get("value")
    if op in SYMBOL and value is not None:
        return SYMBOL[op], fmt_number(value), ind.get("unit") or ""
    return "", target, ""


def target_cells(ind: dict[str, Any], mode: TargetMode) -> tuple[dict[str, Cell], str]:
    """Cells for the target columns of one indicator (keys target, nature, unit) and the target the format doc says
    an extractor must return for them (the concatenation, symbol-value-unit; 定性 is dropped)."""
    target = "".join((ind.get("target") or "").split())
    if mode == "fused":
        return {"target": Cell(text=ind.get("target") or "")}, target
    symbol, value, unit = split_target(ind)
    plain = symbol not in ("", QUALITATIVE)
    if mode == "split3":
        cells = {"nature": Cell(text=symbol), "target": _value_cell(value, plain), "unit": Cell(text=unit)}
        expected = (symbol if plain else "") + value + unit
    else:  # split2: the symbol stays with the number, "=" is not printed
        shown = (symbol if plain and symbol != "=" else "") + value
        cells = {"target": _value_cell(shown, plain and symbol == "="), "unit": Cell(text=unit)}
        expected = shown + unit
    return cells, "".join(expected.split())


def _value_cell(text: str, numeric: bool) -> Cell:
    if numeric:
        v = float(text)
        return Cell(text=text, number=int(v) if v.is_integer() else v)
    return Cell(text=text)


def direction_text(direction: str | None, long: bool) -> str:
    """正向 / 反向 (or 正向指标 / 反向指标)."""
    if direction is None:
        return ""
    word = {"positive": "正向", "negative": "反向"}[direction]
    return word + ("指标" if long else "")
