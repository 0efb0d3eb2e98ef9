"""Rows a page break put on the wrong side of a project boundary, moved back by their weights.

When a project's merged name/goal cells are printed only after a page break (or centred lower in a merged
block the file does not mark as merged), its first indicator rows have empty project cells and read as the
previous project's rows. Page numbers cannot tell: re-paginated renderings of the same form break elsewhere.
Forms give every project the same weight total (90 or 100 points), so the evidence is exact: the
previous project is over the total by precisely what the next one is short. Only then are the
trailing rows (and the goal fragment printed with them) moved, and they are marked for review.
"""

from __future__ import annotations

import logging
from collections import Counter
from itertools import pairwise

from extractor.layout.forms import ProjectDraft

log = logging.getLogger(__name__)
MAX_MOVED_ROWS = 3
MOVED_CONFIDENCE = 0.75  # below the review threshold's comfort zone: a person should glance at it
_EPS = 1e-6


def _total(draft: ProjectDraft) -> float | None:
    weights = [i.weight for i in draft.indicators]
    if len(weights) < 2 or any(w is None for w in weights):
        return None
    return float(sum(w for w in weights if w is not None))


def common_total(drafts: list[ProjectDraft]) -> float | None:
    """The weight total most projects share (None unless at least three and half of the weighted ones do)."""
    totals = [t for d in drafts if (t := _total(d)) is not None]
    if not totals:
        return None
    value, count = Counter(round(t, 4) for t in totals).most_common(1)[0]
    return value if count >= 3 and count * 2 >= len(totals) else None


def rebalance_page_breaks(drafts: list[ProjectDraft]) -> int:
    """Move trailing rows to the next project where weights prove they belong there; returns rows moved."""
    total = common_total(drafts)
    if total is None:
        return 0
    moved_rows = 0
    for prev, nxt in pairwise(drafts):
        over, under = _total(prev), _total(nxt)
        if over is None or under is None or over <= total + _EPS or under >= total - _EPS:
            continue
        for k in range(1, min(MAX_MOVED_ROWS, len(prev.indicators) - 1) + 1):
            tail = prev.indicators[-k:]
            weight = sum(i.weight or 0.0 for i in tail)
            if abs(over - weight - total) < _EPS and abs(under + weight - total) < _EPS:
                _move(prev, nxt, k)
                moved_rows += k
                log.info("moved %d row(s) from %r to %r: weights then both reach %g", k, prev.name, nxt.name, total)
                break
    return moved_rows


def _move(prev: ProjectDraft, nxt: ProjectDraft, k: int) -> None:
    first_moved = len(prev.indicators) - k
    tail = [i.model_copy(update={"confidence": min(i.confidence, MOVED_CONFIDENCE)}) for i in prev.indicators[-k:]]
    del prev.indicators[-k:]
    nxt.indicators[:0] = tail
    # Goal text printed on the moved rows opened the next project's goal.
    fragments = [text for at, text in prev.goal_parts if at >= first_moved]
    if fragments and prev.goal:
        joined = "".join(fragments)
        if prev.goal.endswith(joined):
            prev.goal = prev.goal[: -len(joined)] or None
            nxt.goal = joined + (nxt.goal or "")
    prev.goal_parts = [(at, text) for at, text in prev.goal_parts if at < first_moved]
