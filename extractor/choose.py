"""Propose, then choose: read the grid the usual way; where the verifier objects, try the other readings the
grid allows and keep the one the page contradicts least.

Alternatives are whole-document readings of one grid under a different structural assumption: tables that
continue on the next page joined (the default) or kept apart (a continuation that is really a new form), and each
of the mapper's own assumptions (`extractor.layout.assumptions`) switched off in turn — "label：value" typed into
one cell, a header inferred from cells, a table inferred to be one row per indicator, a field told by its value's
shape. An assumption the usual reading never relied on is not tried (it would read the same). A new assumption (a
field of `Assumptions`) is a new alternative by itself; the verifier, not the reader, decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields

from extractor.grid import DocumentGrid
from extractor.layout.assumptions import USUAL, Assumptions
from extractor.layout.mapped import Mapped
from extractor.layout.mapper import map_grid
from extractor.layout.stitch import stitch_grid
from extractor.ocr.text import repair_joined
from extractor.schema import Contradiction, Document
from extractor.verify import verify

log = logging.getLogger(__name__)


@dataclass
class Reading:
    """One proposed reading of a document: the grid it was read from, what the mapper found, the objections."""

    name: str
    grid: DocumentGrid
    mapped: Mapped
    contradictions: list[Contradiction]


def _apart(raw: DocumentGrid) -> DocumentGrid:
    return raw


@dataclass(frozen=True)
class Alternative:
    """A way to read the document: how its pages are joined, and what the mapper may assume."""

    name: str
    transform: Callable[[DocumentGrid], DocumentGrid]
    assume: Assumptions = USUAL

    @property
    def drops(self) -> set[str]:
        """The assumptions switched off: tried only if the usual reading relied on them."""
        return {f.name for f in fields(self.assume) if not getattr(self.assume, f.name)}


def stitched(raw: DocumentGrid) -> DocumentGrid:
    """Tables that continue on the next page joined, an OCR'd cell the break cut repaired as one text."""
    return repair_joined(stitch_grid(raw))


# In order of preference: the first is the usual reading and wins ties.
ALTERNATIVES: tuple[Alternative, ...] = (
    Alternative("stitched", stitched),
    Alternative("pages_apart", _apart),
    *(Alternative(f"no_{f.name}", stitched, USUAL.without(f.name)) for f in fields(Assumptions)),
)


def checked(document: Document, grid: DocumentGrid) -> list[Contradiction]:
    """The verifier's objections; a verifier bug is an objection too (the reading then waits for a person)."""
    try:
        return verify(document, grid)
    except Exception as exc:
        log.exception("verifier failed on %s", document.source)
        return [Contradiction(kind="verifier_error", message=f"无法核对原文（{type(exc).__name__}）")]


def _read(name: str, grid: DocumentGrid, draft: Callable[[Mapped], Document], assume: Assumptions) -> Reading:
    mapped = map_grid(grid, assume)
    return Reading(name=name, grid=grid, mapped=mapped, contradictions=checked(draft(mapped), grid))


def choose_reading(raw: DocumentGrid, draft: Callable[[Mapped], Document]) -> Reading:
    """The reading with the fewest contradictions; alternatives are read only when the first has any."""
    usual = ALTERNATIVES[0]
    first = best = _read(usual.name, usual.transform(raw), draft, usual.assume)
    grids: dict[Callable[[DocumentGrid], DocumentGrid], DocumentGrid | None] = {usual.transform: first.grid}
    for alt in ALTERNATIVES[1:]:
        if not best.contradictions:
            break
        if not alt.drops <= first.mapped.relied_on:
            continue  # the usual reading did not use this assumption: without it, it reads the same
        if alt.transform not in grids:
            joined = alt.transform(raw)
            # nothing was joined: the same grid reads the same
            grids[alt.transform] = None if len(joined.blocks) == len(first.grid.blocks) else joined
        if (grid := grids[alt.transform]) is None:
            continue
        other = _read(alt.name, grid, draft, alt.assume)
        log.debug("reading %s: %d contradictions (best %s: %d)", alt.name, len(other.contradictions), best.name,
                  len(best.contradictions))
        if len(other.contradictions) < len(best.contradictions):
            best = other
    if best is not first:
        log.info("reading %s chosen: %d contradictions, the usual reading %d", best.name, len(best.contradictions),
                 len(first.contradictions))
    return best
