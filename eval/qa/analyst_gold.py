"""The figures analyst questions expect, computed from eval/gold (pure reads of the gold files)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHORT = ("宿州", "遵化", "遂宁", "白云")
PARTS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "satisfaction": lambda i: "满意度" in (i.get("level1") or "") or "满意度" in (i.get("level2") or ""),
    "quantitative": lambda i: i.get("qualitative") is False,
    "qualitative": lambda i: i.get("qualitative") is True,
}


def _gold() -> list[dict[str, Any]]:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "eval" / "gold").glob("*.json"))]
    return [{**p, "dept": next(s for s in SHORT if s in d["department"]), "year": d.get("fiscal_year")}
            for d in docs for p in d["projects"]]


FORMS = _gold()


def _indicators(dept: str | None = None, part: str | None = None) -> list[dict[str, Any]]:
    return [i for p in FORMS if dept in (None, p["dept"]) for i in p["indicators"] if not part or PARTS[part](i)]


def _projects(dept: str | None = None, kind: str = "project") -> list[dict[str, Any]]:
    return [p for p in FORMS if dept in (None, p["dept"]) and p["kind"] == kind]


def value(metric: str, counted: str, part: str | None, dept: str | None) -> float:
    """One department's (or all's) figure: a count, a budget total (万元) or a share (percent)."""
    if metric == "budget":
        return round(sum(p["budget"]["total"] or 0 for p in _projects(dept)), 2)
    if metric == "share":
        return round(100 * len(_indicators(dept, part)) / len(_indicators(dept)), 1)
    if counted == "project":
        return len(_projects(dept))
    return len(_indicators(dept, part))


def rank(metric: str, counted: str, part: str | None = None, descending: bool = True, n: int = 1,
         among: tuple[str, ...] = SHORT) -> dict[str, Any]:
    """Top n departments by the figure, ties with the n-th kept."""
    figures = sorted(((value(metric, counted, part, d), d) for d in among), reverse=descending)
    cut = figures[min(n, len(figures)) - 1][0]
    best = [(v, d) for v, d in figures if (v >= cut if descending else v <= cut)]
    return {"departments": [d for _, d in best], "numbers": [v for v, _ in best]}


def versus(metric: str, counted: str, a: str, b: str, part: str | None = None) -> dict[str, Any]:
    """Two named departments: both figures and their difference."""
    va, vb = value(metric, counted, part, a), value(metric, counted, part, b)
    return {"departments": [a, b], "numbers": [va, vb, round(abs(va - vb), 2)]}


def share(part: str, depts: tuple[str | None, ...] = (None,)) -> dict[str, Any]:
    """The part's share of all indicators (percent), overall or per department."""
    out: dict[str, Any] = {"numbers": [value("share", "indicator", part, d) for d in depts]}
    if depts != (None,):
        out["departments"] = [d for d in depts if d]
    return out


def kinds(dept: str | None) -> dict[str, Any]:
    """整体支出 and 项目支出 budget totals, side by side (never added)."""
    overall = round(sum(p["budget"]["total"] or 0 for p in _projects(dept, "overall")), 2)
    return {"numbers": [overall, value("budget", "project", None, dept)]}


def level1_top(descending: bool = True) -> dict[str, Any]:
    """The 一级指标 with most (fewest) indicators."""
    counts: dict[str, int] = {}
    for i in _indicators():
        counts[i["level1"]] = counts.get(i["level1"], 0) + 1
    return {"numbers": [(max if descending else min)(counts.values())]}


def project_top(n: int, descending: bool = True) -> dict[str, Any]:
    """项目支出 forms with most indicators, ties with the n-th kept."""
    ranked = sorted(_projects(), key=lambda p: len(p["indicators"]), reverse=descending)
    cut = len(ranked[n - 1]["indicators"])
    best = [p for p in ranked if (len(p["indicators"]) >= cut if descending else len(p["indicators"]) <= cut)]
    return {"projects": [[p["dept"], p["name"]] for p in best], "numbers": [cut]}


def _r(counted: str, metric: str, part: str | None = None, desc: bool = True, n: int = 1, group: str = "department",
       depts: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"intent": "rank", "group_by": group, "counted": counted, "metric": metric, "part": part,
            "descending": desc, "top_n": n, "departments": list(depts)}


def _v(counted: str, metric: str, depts: tuple[str, ...], part: str | None = None) -> dict[str, Any]:
    return {"intent": "versus", "counted": counted, "metric": metric, "part": part, "departments": list(depts)}


def _s(part: str, depts: tuple[str, ...] = (), group: str | None = None) -> dict[str, Any]:
    return {"intent": "share", "counted": "indicator", "metric": "share", "part": part, "departments": list(depts),
            "group_by": group}


def _k(depts: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"intent": "kinds", "counted": "project", "metric": "budget", "departments": list(depts)}


SAT, QUANT, QUAL = "satisfaction", "quantitative", "qualitative"
ALL4: tuple[str | None, ...] = SHORT
