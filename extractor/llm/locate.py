"""Where the rules' records sit in the grid: (table, row) of each indicator and project head, by ordered text search.

The rules mapper reports positions only for rows it could not map; hybrid also needs the rows it did
map (to send low-confidence ones, to know which project a row falls in, and which tables it read).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from extractor.grid import Table
from extractor.layout.vocabulary import strip_name_prefix
from extractor.llm.ground import fold
from extractor.schema import Project

Pos = tuple[int, int]  # (table index, row index), reading order
WINDOW = 400  # rows searched ahead for one record: far enough for a page of rows, near enough not to skip projects


@dataclass
class Located:
    """Grid positions of the rules' records (None where the text could not be found)."""

    heads: list[Pos | None]
    indicators: dict[tuple[int, int], Pos] = field(default_factory=dict)  # (project, indicator) -> row

    def starts(self) -> list[tuple[Pos, int]]:
        """(first row, project index) of every project that was found, in reading order."""
        out = []
        for p, head in enumerate(self.heads):
            rows = [pos for (pi, _), pos in self.indicators.items() if pi == p]
            first = min([*rows, *([head] if head else [])], default=None)
            if first is not None:
                out.append((first, p))
        return sorted(out)

    def owner(self, pos: Pos) -> int | None:
        """The project a row falls in: the last one that starts at or before it."""
        starts = self.starts()
        i = bisect.bisect_right([s for s, _ in starts], pos) - 1
        return starts[i][1] if i >= 0 else None

    def tables(self) -> set[int]:
        """Tables the rules read something from."""
        return {t for t, _ in self.indicators.values()} | {h[0] for h in self.heads if h}


def _find(texts: list[str], start: int, stop: int, key: str, also: str) -> int | None:
    """First row in [start, stop) containing key, preferring one that also contains `also`."""
    fallback = None
    for k in range(start, min(stop, len(texts))):
        if key in texts[k]:
            if not also or also in texts[k]:
                return k
            fallback = k if fallback is None else fallback
    return fallback


def locate(tables: list[Table], projects: list[Project]) -> Located:
    """Find each rules record's row, keeping the records' order (several may share a row: packed cells)."""
    positions: list[Pos] = []
    texts: list[str] = []
    for t, table in enumerate(tables):
        for r, row in enumerate(table.anchors()):
            if any(c.strip() for c in row):
                positions.append((t, r))
                texts.append(fold("".join(row)))
    found = Located(heads=[None] * len(projects))
    cursor = 0
    spans: list[tuple[int, int | None]] = []  # per project: (cursor before it, its first indicator row)
    for p, project in enumerate(projects):
        before, first = cursor, None
        for i, ind in enumerate(project.indicators):
            name, target = fold(strip_name_prefix(ind.name)), fold(ind.target)
            key, also = (name, target) if name else (target, "")
            k = _find(texts, cursor, cursor + WINDOW, key, also) if key else None
            if k is not None:
                found.indicators[(p, i)] = positions[k]
                cursor = k
                first = k if first is None else first
        spans.append((before, first))
    for p, (before, first) in enumerate(spans):
        name = fold(projects[p].name)
        stop = (first + 1) if first is not None else before + WINDOW
        k = _find(texts, before, stop, name, "") if name else None
        head = k if k is not None else first
        found.heads[p] = positions[head] if head is not None else None
    return found
