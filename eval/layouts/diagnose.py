"""What an extraction got wrong against a variant's expected gold: missed projects and indicators, wrong fields."""

from __future__ import annotations

from typing import Any

from eval.scorer import INDICATOR_FIELDS, field_equal, match_indicators, match_projects, norm_text

PROBLEMS_PER_FILE = 8  # what a report keeps per file


def _short(v: Any, n: int = 40) -> Any:
    return v[:n] if isinstance(v, str) else v


def diagnose(expected: dict[str, Any], pred: dict[str, Any], limit: int = PROBLEMS_PER_FILE) -> list[dict[str, Any]]:
    """Up to `limit` concrete problems: {"kind": missing_project|extra_project|missing_indicator|field, ...}."""
    out: list[dict[str, Any]] = []
    gps, pps = expected.get("projects", []), pred.get("projects", [])
    pairs = match_projects(gps, pps)
    matched_g, matched_p = {g for g, _ in pairs}, {p for _, p in pairs}
    out += [{"kind": "missing_project", "project": _short(gps[i].get("name"))}
            for i in range(len(gps)) if i not in matched_g]
    out += [{"kind": "extra_project", "project": _short(pps[j].get("name"))}
            for j in range(len(pps)) if j not in matched_p]
    for gi, pj in pairs:
        gp, pp = gps[gi], pps[pj]
        gt, pt = (gp.get("budget") or {}).get("total"), (pp.get("budget") or {}).get("total")
        if gt is not None and not (pt is not None and field_equal("budget_total", gt, pt)):
            out.append({"kind": "field", "field": "budget_total", "project": _short(gp.get("name")),
                        "expected": gt, "got": pt})
        if gp.get("goal") and not (pp.get("goal") and field_equal("goal", gp["goal"], pp["goal"])):
            out.append({"kind": "field", "field": "goal", "project": _short(gp.get("name")),
                        "expected": _short(gp["goal"]), "got": _short(pp.get("goal"))})
        gis, pis = gp.get("indicators", []), pp.get("indicators", [])
        ipairs = match_indicators(gis, pis)
        seen = {a for a, _ in ipairs}
        out += [{"kind": "missing_indicator", "project": _short(gp.get("name")),
                 "indicator": _short(gis[a].get("name"))} for a in range(len(gis)) if a not in seen]
        for a, b in ipairs:
            g, p = gis[a], pis[b]
            for f in INDICATOR_FIELDS:
                gv, pv = g.get(f), p.get(f)
                if gv is None or (isinstance(gv, str) and not norm_text(gv)):
                    continue
                if pv is None or not field_equal(f, gv, pv):
                    out.append({"kind": "field", "field": f, "project": _short(gp.get("name")),
                                "indicator": _short(g.get("name")), "expected": _short(gv), "got": _short(pv)})
    return out[:limit]
