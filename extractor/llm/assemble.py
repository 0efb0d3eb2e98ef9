"""From grounded replies to export records, placed by row position: each indicator joins the last project above it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from extractor.cells import parse_amount_wan
from extractor.grid import Table
from extractor.layout.vocabulary import strip_name_prefix, strip_numbering
from extractor.llm.chunks import parse_row_id
from extractor.llm.ground import fold, level_flags
from extractor.llm.locate import Pos
from extractor.llm.replies import LLMIndicator, LLMProject
from extractor.llm.runner import ChunkResult
from extractor.schema import Budget, Indicator, Project, Provenance
from extractor.textnorm import squash
from extractor.values import parse_target

UNNAMED = "（未命名项目）"


@dataclass
class Item:
    """One grounded record of a reply, at the first row it cites."""

    pos: Pos
    rows: list[str]
    cached: bool
    indicator: LLMIndicator | None = None
    project: LLMProject | None = None


def collect(results: list[ChunkResult]) -> list[Item]:
    """Every project and indicator of the successful replies, in row order, duplicates dropped."""
    items: list[Item] = []
    seen: set[tuple[object, ...]] = set()
    for res in results:
        if res.reply is None:
            continue
        records: list[LLMProject | LLMIndicator] = [*res.reply.projects, *res.reply.indicators]
        for rec in records:
            positions = [p for p in (parse_row_id(r) for r in rec.rows) if p is not None]
            key = (type(rec).__name__, tuple(rec.rows), fold(rec.name),
                   fold(rec.target) if isinstance(rec, LLMIndicator) else "")
            if not positions or key in seen:
                continue
            seen.add(key)
            item = Item(min(positions), list(rec.rows), res.cached)
            if isinstance(rec, LLMIndicator):
                item.indicator = rec
            else:
                item.project = rec
            items.append(item)
    return sorted(items, key=lambda it: (it.pos, it.project is None))


def confidence(ind: LLMIndicator) -> float:
    """Grounded fields earn a high score; unknown level names and ambiguous printed values lower it."""
    score = 0.85
    if level_flags(ind):
        score -= 0.2
    if parse_target(ind.target).confidence < 1.0:
        score -= 0.1  # the printed value itself is ambiguous (dates, several numbers)
    return round(min(score, 0.4) if not ind.name else score, 3)


def to_indicator(ind: LLMIndicator, table: Table, row: int) -> Indicator:
    """An export Indicator (origin "llm") from a grounded reply."""
    bbox = table.bbox_of(row)
    level2 = (strip_numbering(ind.level2) or ind.level2) if ind.level2 else None
    return Indicator(
        level1=strip_numbering(ind.level1) or ind.level1, level2=level2, name=strip_name_prefix(ind.name or ""),
        description=ind.description, target=ind.target, operator=ind.operator, value=ind.value,
        value_max=ind.value_max, unit=ind.unit, qualitative=ind.value is None, weight=ind.weight,
        direction=ind.direction, basis=ind.basis, midterm_target=squash(ind.midterm_target or "") or None,
        page=table.page_of(row), bbox=list(bbox) if bbox else None, confidence=confidence(ind), origin="llm")


def to_project(p: LLMProject, page: int | None) -> Project:
    """An export Project (no indicators yet) from a grounded reply; amounts read as printed, in 万元."""
    name = squash(p.name) if len(p.name) < 60 else p.name.strip()
    budget = Budget(total=_amount(p.total), fiscal=_amount(p.fiscal), other=_amount(p.other),
                    carryover=_amount(p.carryover))
    return Project(kind=p.kind, name=name, code=squash(p.code) if p.code else None, unit=p.unit, budget=budget,
                   period=p.period, goal=p.goal, midterm_goal=p.midterm_goal, page=page)


def _amount(text: str | None) -> float | None:
    return parse_amount_wan(text) if text else None


@dataclass
class Source:
    """Where LLM-origin records came from: recorded on Extraction.provenance."""

    prompt: str
    model: str
    rows: list[str] = field(default_factory=list)
    cached: bool = False


@dataclass
class Entry:
    """A project being assembled, with its indicators at their rows."""

    project: Project
    key: Pos  # where it sorts among projects
    start: Pos | None  # where it starts owning rows (None: it owns none)
    source: Source | None
    indicators: list[tuple[Pos, int, Indicator, Source | None]] = field(default_factory=list)


class Assembly:
    """Projects and indicators placed by row position; builds the Document's project list and provenance."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._seq = 0

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def add_project(self, project: Project, start: Pos | None, source: Source | None) -> Entry:
        """A project; one without a start sorts after the project added before it and owns no rows."""
        key = start or (self.entries[-1].key if self.entries else (-1, -1))
        entry = Entry(project.model_copy(update={"indicators": []}), key, start, source)
        self.entries.append(entry)
        return entry

    def add_indicator(self, entry: Entry, pos: Pos, indicator: Indicator, source: Source | None) -> None:
        """An indicator of a known project."""
        entry.indicators.append((pos, self._next(), indicator, source))

    def owner(self, pos: Pos) -> Entry | None:
        """The project a row falls in: the last one starting at or before it."""
        starts = sorted((e.start, i) for i, e in enumerate(self.entries) if e.start is not None)
        i = bisect.bisect_right([s for s, _ in starts], pos) - 1
        return self.entries[starts[i][1]] if i >= 0 else None

    def build(self) -> tuple[list[Project], list[Provenance]]:
        """Projects in row order with their indicators in row order, and the provenance of LLM records."""
        projects: list[Project] = []
        provenance: list[Provenance] = []
        order = sorted(range(len(self.entries)), key=lambda i: (self.entries[i].key, i))
        for p_index, i in enumerate(order):
            entry = self.entries[i]
            if entry.source:
                provenance.append(_provenance(p_index, None, entry.source))
            indicators = sorted(entry.indicators, key=lambda x: (x[0], x[1]))
            for ind_index, (_, _, _, source) in enumerate(indicators):
                if source:
                    provenance.append(_provenance(p_index, ind_index, source))
            projects.append(entry.project.model_copy(update={"indicators": [x[2] for x in indicators]}))
        return projects, provenance


def _provenance(p: int, i: int | None, source: Source) -> Provenance:
    return Provenance(project_index=p, indicator_index=i, prompt=source.prompt, model=source.model,
                      rows=source.rows, cached=source.cached)
