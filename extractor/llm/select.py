"""What goes to the LLM: for hybrid only what the rules could not read; for llm every table that may hold indicators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from extractor.llm.chunks import Chunk, Planner, pack, row_id
from extractor.llm.locate import Located
from extractor.schema import Problem, Project

# A table is worth reading when it prints indicator or project vocabulary; a document is worth it only when
# some such table prints "指标" (budget disclosures print 项目名称 and 绩效工资 but no indicator at all).
_MARKERS = ("指标", "目标", "项目名称", "项目编码")
_INDICATOR_WORD = "指标"


@dataclass
class Plan:
    """The chunks to ask for, and why each row is in them."""

    chunks: list[Chunk]
    scope: str  # "rows": chosen rows with context; "tables": whole tables
    unmapped: dict[str, Problem] = field(default_factory=dict)  # row id -> the rules' problem with it
    low: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # row id -> low-confidence (project, indicator)
    tables: set[int] = field(default_factory=set)  # tables sent whole (layout the rules did not recognise)

    def rows(self) -> int:
        """How many rows are asked about."""
        return sum(len(c.rows()) for c in self.chunks)


def _candidates(planner: Planner, tables: list[int]) -> list[int]:
    chosen = [t for t in tables if planner.content_rows(t) and any(m in planner.table_text(t) for m in _MARKERS)]
    return chosen if any(_INDICATOR_WORD in planner.table_text(t) for t in chosen) else []


def _runs(rows: list[int]) -> list[list[int]]:
    """Adjacent rows grouped: each run gets the context in force at its first row."""
    runs: list[list[int]] = []
    for r in sorted(set(rows)):
        if runs and r - runs[-1][-1] <= 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def plan_hybrid(planner: Planner, projects: list[Project], unmapped: list[Problem], located: Located,
                min_confidence: float, max_chars: int) -> Plan:
    """Rows the rules could not map, rows mapped with low confidence, and tables the rules did not recognise."""
    n_tables = len(planner.tables)
    wanted: dict[int, set[int]] = defaultdict(set)
    plan = Plan(chunks=[], scope="rows")
    for problem in unmapped:
        t, r = problem.table_index, problem.row_index
        if t is not None and r is not None and t < n_tables and r < planner.tables[t].n_rows:
            wanted[t].add(r)
            plan.unmapped[row_id(t, r)] = problem
    for (p, i), (t, r) in sorted(located.indicators.items()):
        if projects[p].indicators[i].confidence < min_confidence:
            wanted[t].add(r)
            plan.low.setdefault(row_id(t, r), []).append((p, i))
    recognised = located.tables() | set(wanted)
    plan.tables = set(_candidates(planner, [t for t in range(n_tables) if t not in recognised]))
    for t in plan.tables:
        wanted[t].update(planner.content_rows(t))
    segments = []
    for t in sorted(wanted):
        for run in _runs(sorted(wanted[t])):
            owner = None if t in plan.tables else located.owner((t, run[0]))
            hint = projects[owner].name if owner is not None else None
            segments.extend(planner.segments(t, run, max_chars, hint))
    plan.chunks = pack(segments, max_chars)
    return plan


def plan_llm(planner: Planner, max_chars: int) -> Plan:
    """Every table that may hold projects or indicators, whole, chunked by rows."""
    tables = _candidates(planner, list(range(len(planner.tables))))
    segments = [s for t in tables for s in planner.segments(t, planner.content_rows(t), max_chars)]
    return Plan(chunks=pack(segments, max_chars), scope="tables", tables=set(tables))
