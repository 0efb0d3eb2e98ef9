"""Score extracted documents against hand-labelled gold: matching, per-field accuracy, field-level F1.

Pure functions over export-format dicts, so the scorer does not depend on the extractor's code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

INDICATOR_FIELDS = ("level1", "level2", "name", "target", "operator", "value", "unit", "weight", "direction")
PROJECT_FIELDS = ("budget_total", "goal")
NAME_MATCH_MIN = 0.6
_PREFIX = re.compile(
    r"^(指标\s*\d+\s*[:：.、]?|\d+\s*[-、.．:：)）]|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+[、.．])\s*"
)
_TRAIL = re.compile(r"[\s。.；;，,、]+$")


def norm_text(text: Any) -> str:
    """Width-folded, whitespace-free text for comparison."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    return _TRAIL.sub("", re.sub(r"\s+", "", t))


def norm_name(text: Any) -> str:
    """A name with numbering prefixes ("指标1:", "1、", "（一）") removed."""
    t = norm_text(text)
    while (m := _PREFIX.match(t)) and m.end() < len(t):
        t = t[m.end():]
    return t


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two normalised strings (1 when equal, 0.9+ when one contains the other)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 0.9 * min(len(a), len(b)) / max(len(a), len(b)) + 0.1
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _filled(v: Any) -> bool:
    return v is not None and (not isinstance(v, str) or norm_text(v) != "")


def field_equal(name: str, gold: Any, pred: Any) -> bool:
    """Whether a predicted field value counts as right."""
    if isinstance(gold, bool) or isinstance(pred, bool):
        return gold is pred
    if isinstance(gold, int | float) and isinstance(pred, int | float):
        slack = 0.005 if name == "budget_total" else 0.0  # budgets print to 2 decimals in some layouts
        return abs(float(gold) - float(pred)) <= 1e-6 * max(1.0, abs(float(gold))) + slack
    if name == "name":
        return norm_name(gold) == norm_name(pred)
    if name == "goal":
        return similarity(norm_text(gold), norm_text(pred)) >= 0.9
    return norm_text(gold) == norm_text(pred)


def _pair_greedy(scores: list[tuple[float, int, int]], threshold: float) -> list[tuple[int, int]]:
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for s, g, p in sorted(scores, key=lambda x: (-x[0], abs(x[1] - x[2]), x[1])):
        if s < threshold or g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        pairs.append((g, p))
    return sorted(pairs)


def match_projects(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one project pairs by fuzzy name."""
    scores = [(similarity(norm_name(g.get("name")), norm_name(p.get("name"))), i, j)
              for i, g in enumerate(gold) for j, p in enumerate(pred)]
    return _pair_greedy(scores, NAME_MATCH_MIN)


def match_indicators(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one indicator pairs by fuzzy name; a nameless row is matched by its target."""
    scores = []
    for i, g in enumerate(gold):
        gn = norm_name(g.get("name"))
        for j, p in enumerate(pred):
            pn = norm_name(p.get("name"))
            s = similarity(gn, pn) if gn or pn else 0.0
            if not gn:
                s = max(s, similarity(norm_text(g.get("target")), norm_text(p.get("target"))) * 0.95)
            # the same name can appear twice in one project: prefer the pair whose target agrees too
            s += 0.05 * similarity(norm_text(g.get("target")), norm_text(p.get("target")))
            scores.append((s, i, j))
    return _pair_greedy(scores, NAME_MATCH_MIN)


@dataclass
class Tally:
    """Counts that add up across documents."""

    gold_projects: int = 0
    pred_projects: int = 0
    matched_projects: int = 0
    gold_indicators: int = 0
    pred_indicators: int = 0
    matched_indicators: int = 0
    gold_fields: int = 0
    pred_fields: int = 0
    true_fields: int = 0
    field_gold: Counter[str] = field(default_factory=Counter)
    field_true: Counter[str] = field(default_factory=Counter)
    origin_pred: Counter[str] = field(default_factory=Counter)
    origin_true: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        """Accumulate another tally into this one."""
        for name in ("gold_projects", "pred_projects", "matched_projects", "gold_indicators", "pred_indicators",
                     "matched_indicators", "gold_fields", "pred_fields", "true_fields"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("field_gold", "field_true", "origin_pred", "origin_true"):
            getattr(self, name).update(getattr(other, name))

    def summary(self) -> dict[str, Any]:
        """Precision/recall/F1 figures as a JSON-ready dict."""
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        p, r = ratio(self.true_fields, self.pred_fields), ratio(self.true_fields, self.gold_fields)
        f1 = round(2 * p * r / (p + r), 4) if p and r else 0.0
        return {
            "field_f1": f1, "field_precision": p, "field_recall": r,
            "project_precision": ratio(self.matched_projects, self.pred_projects),
            "project_recall": ratio(self.matched_projects, self.gold_projects),
            "indicator_precision": ratio(self.matched_indicators, self.pred_indicators),
            "indicator_recall": ratio(self.matched_indicators, self.gold_indicators),
            "field_accuracy": {f: ratio(self.field_true[f], self.field_gold[f])
                               for f in (*INDICATOR_FIELDS, *PROJECT_FIELDS) if self.field_gold[f]},
            "origin_precision": {o: ratio(self.origin_true[o], n) for o, n in sorted(self.origin_pred.items())},
            "counts": {"gold_indicators": self.gold_indicators, "pred_indicators": self.pred_indicators,
                       "matched_indicators": self.matched_indicators, "gold_projects": self.gold_projects,
                       "pred_projects": self.pred_projects, "matched_projects": self.matched_projects},
        }


def _pred_fields(ind: dict[str, Any]) -> int:
    return sum(1 for f in INDICATOR_FIELDS if _filled(ind.get(f)))


def score_document(gold: dict[str, Any], pred: dict[str, Any]) -> Tally:
    """Tally one predicted document against its gold."""
    t = Tally()
    gps, pps = gold.get("projects", []), pred.get("projects", [])
    t.gold_projects, t.pred_projects = len(gps), len(pps)
    pairs = match_projects(gps, pps)
    t.matched_projects = len(pairs)
    matched_pred = {j for _, j in pairs}
    for gp in gps:
        t.gold_indicators += len(gp.get("indicators", []))
        t.gold_fields += sum(1 for i in gp.get("indicators", []) for f in INDICATOR_FIELDS if _filled(i.get(f)))
        for f in INDICATOR_FIELDS:
            t.field_gold[f] += sum(1 for i in gp.get("indicators", []) if _filled(i.get(f)))
        t.field_gold["budget_total"] += _filled((gp.get("budget") or {}).get("total"))
        t.field_gold["goal"] += _filled(gp.get("goal"))
    for j, pp in enumerate(pps):
        for ind in pp.get("indicators", []):
            t.pred_indicators += 1
            n = _pred_fields(ind)
            t.pred_fields += n
            t.origin_pred[ind.get("origin") or "rules"] += n
        if j not in matched_pred:
            continue
    for gi, pj in pairs:
        gp, pp = gps[gi], pps[pj]
        gb, pb = gp.get("budget") or {}, pp.get("budget") or {}
        for f, gv, pv in (("budget_total", gb.get("total"), pb.get("total")), ("goal", gp.get("goal"), pp.get("goal"))):
            if _filled(gv) and _filled(pv) and field_equal(f, gv, pv):
                t.field_true[f] += 1
        gis, pis = gp.get("indicators", []), pp.get("indicators", [])
        ipairs = match_indicators(gis, pis)
        t.matched_indicators += len(ipairs)
        for a, b in ipairs:
            g, p = gis[a], pis[b]
            for f in INDICATOR_FIELDS:
                if _filled(g.get(f)) and _filled(p.get(f)) and field_equal(f, g.get(f), p.get(f)):
                    t.true_fields += 1
                    t.field_true[f] += 1
                    t.origin_true[p.get("origin") or "rules"] += 1
    return t
