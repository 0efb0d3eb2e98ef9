"""Put LLM records beside the rules' (hybrid) or build a document from them (llm), and say what review must see."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from extractor.layout.vocabulary import strip_name_prefix
from extractor.llm.assemble import UNNAMED, Assembly, Entry, Item, Source, collect, to_indicator, to_project
from extractor.llm.chunks import Planner, parse_row_id, row_id
from extractor.llm.ground import fold, level_flags
from extractor.llm.locate import Located, Pos
from extractor.llm.runner import ChunkResult
from extractor.llm.select import Plan
from extractor.schema import Indicator, Problem, Project, Provenance

log = logging.getLogger(__name__)
_KEPT = ("description", "weight", "direction", "basis", "midterm_target")


@dataclass
class Merged:
    """Projects plus what the Extraction reports beside them."""

    projects: list[Project]
    provenance: list[Provenance]
    errors: list[Problem] = field(default_factory=list)
    unmapped: list[Problem] = field(default_factory=list)


def _same_name(a: str, b: str) -> bool:
    x, y = fold(strip_name_prefix(a)), fold(strip_name_prefix(b))
    return bool(x and y) and (x == y or x in y or y in x)


def _row_problem(planner: Planner, rid: str, message: str) -> Problem:
    t, r = parse_row_id(rid) or (None, None)
    if t is None or r is None:
        return Problem(message=message)
    row = planner.row(t, r)
    return Problem(page=row.page, message=message, row_text=" | ".join(row.texts)[:300], table_index=t, row_index=r)


class _Merge:
    """One document's merge: an Assembly plus the review problems collected on the way."""

    def __init__(self, planner: Planner, prompt: str, model: str) -> None:
        self.planner, self.prompt, self.model = planner, prompt, model
        self.asm = Assembly()
        self.errors: list[Problem] = []
        self.cited: set[str] = set()

    def source(self, item: Item) -> Source:
        """Provenance of a record read from a reply."""
        return Source(self.prompt, self.model, item.rows, item.cached)

    def indicator(self, item: Item, pos: Pos | None = None) -> tuple[Pos, Indicator]:
        """The export Indicator of a reply record (its unknown level names flagged) and where it sits."""
        assert item.indicator is not None
        t, r = item.pos
        for flag in level_flags(item.indicator):
            self.errors.append(_row_problem(self.planner, item.rows[0], f"{flag}（LLM 读出），需人工审核"))
        self.cited.update(item.rows)
        return pos or item.pos, to_indicator(item.indicator, self.planner.tables[t], r)

    def place(self, item: Item) -> None:
        """An added indicator joins the last project above its row (an unnamed one when there is none)."""
        pos, ind = self.indicator(item)
        entry = self.asm.owner(pos) or self._unnamed(item)
        self.asm.add_indicator(entry, pos, ind, self.source(item))

    def _unnamed(self, item: Item) -> Entry:
        self.errors.append(_row_problem(self.planner, item.rows[0], "表格中找不到项目名称"))
        t, r = item.pos
        project = Project(kind="project", name=UNNAMED, page=self.planner.tables[t].page_of(r))
        return self.asm.add_project(project, item.pos, Source(self.prompt, self.model, [], item.cached))

    def add_llm_project(self, item: Item) -> None:
        """A new project read by the LLM, owning the rows from its name row on."""
        assert item.project is not None
        t, r = item.pos
        self.cited.update(item.rows)
        self.asm.add_project(to_project(item.project, self.planner.tables[t].page_of(r)), item.pos,
                             self.source(item))


def _table(rid: str) -> int:
    return (parse_row_id(rid) or (-1, -1))[0]


def _failed_rows(results: list[ChunkResult]) -> dict[str, str]:
    return {rid: res.error for res in results if res.error for rid in res.chunk.rows()}


def merge_hybrid(projects: list[Project], unmapped: list[Problem], located: Located, plan: Plan,
                 results: list[ChunkResult], planner: Planner, prompt: str, model: str) -> Merged:
    """Rules records stay; grounded LLM ones fill unmapped rows and unknown tables, and replace low-confidence rows."""
    m = _Merge(planner, prompt, model)
    rules_names = {fold(p.name) for p in projects}
    replaced: dict[tuple[int, int], Item] = {}
    low = {ref for refs in plan.low.values() for ref in refs}
    at_row: dict[str, list[tuple[int, int]]] = {}
    for ref, pos in sorted(located.indicators.items()):
        at_row.setdefault(row_id(*pos), []).append(ref)
    heads: list[Item] = []
    added: list[Item] = []
    for item in collect(results):
        if item.project is not None:
            # New projects come only from rows the rules could not read; a head the rules have is not new.
            unread = all(rid in plan.unmapped or _table(rid) in plan.tables for rid in item.rows)
            if unread and fold(item.project.name) not in rules_names:
                heads.append(item)
            elif unread:
                m.cited.update(item.rows)
        elif any(rid in plan.low for rid in item.rows):
            refs = [ref for rid in item.rows for ref in at_row.get(rid, [])]
            _replace(item, refs, low, projects, replaced)
        else:
            added.append(item)
    _rules_entries(m, projects, located, replaced)
    for item in heads:
        m.add_llm_project(item)
    for item in added:
        m.place(item)
    failed = _failed_rows(results)
    still = []
    for problem in unmapped:
        if problem.table_index is None or problem.row_index is None:
            still.append(problem)
            continue
        rid = row_id(problem.table_index, problem.row_index)
        if rid in m.cited:
            continue
        why = f"LLM 未能读取：{failed[rid]}" if rid in failed else "LLM 也未从该行读出指标"
        still.append(problem.model_copy(update={"message": f"{problem.message}；{why}，需人工审核"}))
    for t in sorted(plan.tables):
        reasons = sorted({why for rid, why in failed.items() if _table(rid) == t})
        if reasons:
            still.append(Problem(page=planner.tables[t].page_of(0), table_index=t,
                                 message=f"表格版式无法识别，LLM 读取失败（{reasons[0]}），需人工审核"))
    for res in results:
        low_rows = [rid for rid in res.chunk.rows() if rid in plan.low]
        if res.error and low_rows:
            message = f"{len(low_rows)} 行低置信度结果未能由 LLM 复核（{res.error}），保留规则结果"
            m.errors.append(Problem(page=res.chunk.first_page(), message=message))
    built, provenance = m.asm.build()
    return Merged(built, provenance, m.errors, still)


def _replace(item: Item, at_row: list[tuple[int, int]], low: set[tuple[int, int]], projects: list[Project],
             replaced: dict[tuple[int, int], Item]) -> None:
    """A reading of a low-confidence row replaces the rules' reading of the same indicator, or nothing."""
    assert item.indicator is not None
    name = item.indicator.name or ""

    def rules_name(ref: tuple[int, int]) -> str:
        return projects[ref[0]].indicators[ref[1]].name

    if name and any(ref not in low and fold(rules_name(ref)) == fold(name) for ref in at_row):
        return  # a confident rules reading of the same indicator (packed rows hold several) wins
    free = [ref for ref in at_row if ref in low and ref not in replaced]
    match = next((ref for ref in free if _same_name(rules_name(ref), name)), None)
    if match is None and len(at_row) == 1 and free:
        match = free[0]  # the row holds one indicator: this is its reading, whatever either side named it
    if match is None:
        log.info("LLM 读出的指标「%s」对不上低置信度行中的规则结果，已忽略", name)
        return
    replaced[match] = item


def _rules_entries(m: _Merge, projects: list[Project], located: Located,
                   replaced: dict[tuple[int, int], Item]) -> None:
    """The rules' projects and indicators at their rows, low-confidence readings swapped for grounded LLM ones."""
    starts = {p: pos for pos, p in located.starts()}
    for p, project in enumerate(projects):
        start = starts.get(p)
        entry = m.asm.add_project(project, start, None)
        last = start or entry.key
        for i, ind in enumerate(project.indicators):
            pos = located.indicators.get((p, i), last)
            last = pos
            if (p, i) in replaced:
                item = replaced[(p, i)]
                _, llm_ind = m.indicator(item, pos)
                # The LLM re-read the target; columns it left empty keep what the rules read there.
                keep = {f: getattr(ind, f) for f in _KEPT if getattr(llm_ind, f) is None}
                m.asm.add_indicator(entry, pos, llm_ind.model_copy(update=keep), m.source(item))
            else:
                m.asm.add_indicator(entry, pos, ind, None)


def build_llm(results: list[ChunkResult], planner: Planner, prompt: str, model: str) -> Merged:
    """A document read by the LLM alone: its projects in row order, each indicator under the project above it."""
    m = _Merge(planner, prompt, model)
    items = collect(results)
    for item in items:
        if item.project is not None:
            m.add_llm_project(item)
    for item in items:
        if item.indicator is not None:
            m.place(item)
    built, provenance = m.asm.build()
    return Merged(built, provenance, m.errors, [])
