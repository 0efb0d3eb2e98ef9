"""Copy-paste: projects of one department that share their indicator set or their goal text."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from audit.model import RuleSpec
from audit.registry import Context, Hit, document_check
from audit.vocab import norm_name, norm_text, quoted
from extractor.schema import Document


def name_set(names: list[str]) -> frozenset[str]:
    """Indicator names as compared: normalized, blanks dropped."""
    return frozenset(k for k in (norm_name(n) for n in names) if k)


@document_check("COPY-INDICATORS")
def same_indicators(document: Document, ctx: Context, spec: RuleSpec) -> list[tuple[int, Hit]]:
    """Two projects whose indicator names overlap at least `min_similarity` (Jaccard); each of the pair is told."""
    sets = {n: name_set([i.name for i in p.indicators]) for n, p in enumerate(document.projects)
            if p.kind == "project" and len(p.indicators) >= spec.number("min_indicators")}
    hits: list[tuple[int, Hit]] = []
    for a, b in combinations(sorted(sets), 2):
        union = sets[a] | sets[b]
        if not union:
            continue
        share = len(sets[a] & sets[b]) / len(union)
        if share < spec.number("min_similarity"):
            continue
        for me, other in ((a, b), (b, a)):
            mine, theirs = quoted(document.projects[me].name), quoted(document.projects[other].name)
            hits.append((me, Hit(f"项目“{mine}”与“{theirs}”的绩效指标{share:.0%}相同，疑似套用，未体现本项目特点。")))
    return hits


@document_check("COPY-GOAL")
def same_goal(document: Document, ctx: Context, spec: RuleSpec) -> list[tuple[int, Hit]]:
    """Different projects printing the same annual goal text."""
    groups: dict[str, list[int]] = defaultdict(list)
    for n, p in enumerate(document.projects):
        key = norm_text(p.goal)
        if p.kind == "project" and len(key) >= spec.number("min_chars"):
            groups[key].append(n)
    hits: list[tuple[int, Hit]] = []
    for members in groups.values():
        for me in members if len(members) > 1 else []:
            others = "、".join(f"“{quoted(document.projects[o].name)}”" for o in members if o != me)
            hits.append((me, Hit(f"项目“{quoted(document.projects[me].name)}”的年度绩效目标与{others}完全相同，"
                                 f"未反映本项目的预期产出和效果。")))
    return hits
