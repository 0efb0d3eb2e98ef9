"""Printed values of the templates (money in 元 or 万元, targets as budget systems print them) and the records a
correct reader returns for them."""

from __future__ import annotations

from typing import Any, Literal

from eval.layouts.cells import SYMBOL, fmt_number, money_cell
from eval.layouts.spec import Cell

MoneyStyle = Literal["yuan", "wan", "wan_suffix"]
OPTIONAL = ("description", "weight", "direction", "basis", "midterm_target")  # null unless the form prints them


def amount(v_wan: float | None, style: MoneyStyle, thousands: bool = True) -> tuple[Cell, float | None]:
    """A printed amount and the 万元 value read back from it; a blank cell (None) when the gold has no value."""
    if v_wan is None:
        return Cell(), None
    if style == "yuan":
        yuan = round(v_wan * 10000, 2)
        text = f"{yuan:,.2f}" if thousands else f"{yuan:.2f}"
        return Cell(text=text, number=yuan, fmt="#,##0.00" if thousands else "0.00"), round(yuan / 10000, 6)
    if style == "wan_suffix":  # "84.6万元" typed into the cell as text
        return Cell(text=f"{fmt_number(round(v_wan, 6))}万元"), round(v_wan, 6)
    return money_cell(v_wan, "wan", thousands), v_wan


def cents(v: float) -> int:
    """An amount in 万元 as whole hundredths, to split totals exactly."""
    return round(v * 100)


def split_amount(total: float, shares: list[float]) -> list[float]:
    """Parts of a 万元 total in the given proportions that add up exactly to it at two decimals."""
    whole = cents(total)
    parts = [int(whole * s / sum(shares)) for s in shares[:-1]]
    return [p / 100 for p in [*parts, whole - sum(parts)]]


def system_target(ind: dict[str, Any]) -> str:
    """A target as the Shanghai budget system prints it: "≥13459.00(平方米)", "=100.00(%)"; other targets as given."""
    op, value, unit = ind.get("operator"), ind.get("value"), ind.get("unit")
    if ind.get("qualitative") or op not in SYMBOL or value is None:
        return str(ind.get("target") or "")
    return f"{SYMBOL[op]}{float(value):.2f}" + (f"({unit})" if unit else "")


def expect_indicator(ind: dict[str, Any], target: str, shown: dict[str, Any] | None = None,
                     **printed: Any) -> dict[str, Any]:
    """The gold indicator with the printed target (whitespace removed); optional columns only as printed."""
    out = {**ind, "target": "".join(target.split()), "page": None, "bbox": None}
    for f in OPTIONAL:
        out[f] = (shown or {}).get(f)
    out.update(printed)
    return out


def expect_project(project: dict[str, Any], budget: dict[str, float | None], indicators: list[dict[str, Any]],
                   **printed: Any) -> dict[str, Any]:
    """A project record: what the form prints, null for every field it does not print."""
    read = {k: budget.get(k) for k in ("total", "fiscal", "other", "carryover")}
    out: dict[str, Any] = {"kind": project.get("kind", "project"), "name": project.get("name") or "", "code": None,
                           "unit": None, "budget": read, "period": None, "goal": None, "midterm_goal": None,
                           "indicators": indicators, "page": None}
    out.update(printed)
    return out
