"""Propose, then choose: read the grid the usual way; where the verifier objects, try the other readings the
grid allows and keep the one the page contradicts least.

Alternatives are whole-document readings of one grid under a different structural assumption — today: tables
that continue on the next page joined (the default) or kept apart (a continuation that is really a new form).
A new assumption is a new entry in `ALTERNATIVES`; the verifier, not the reader, decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from extractor.grid import DocumentGrid
from extractor.layout.mapped import Mapped
from extractor.layout.mapper import map_grid
from extractor.layout.stitch import stitch_grid
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


# (name, grid transform) in order of preference: the first is the usual reading and wins ties.
ALTERNATIVES: tuple[tuple[str, Callable[[DocumentGrid], DocumentGrid]], ...] = (
    ("stitched", stitch_grid),
    ("pages_apart", _apart),
)


def checked(document: Document, grid: DocumentGrid) -> list[Contradiction]:
    """The verifier's objections; a verifier bug is an objection too (the reading then waits for a person)."""
    try:
        return verify(document, grid)
    except Exception as exc:
        log.exception("verifier failed on %s", document.source)
        return [Contradiction(kind="verifier_error", message=f"无法核对原文（{type(exc).__name__}）")]


def _read(name: str, grid: DocumentGrid, draft: Callable[[Mapped], Document]) -> Reading:
    mapped = map_grid(grid)
    return Reading(name=name, grid=grid, mapped=mapped, contradictions=checked(draft(mapped), grid))


def choose_reading(raw: DocumentGrid, draft: Callable[[Mapped], Document]) -> Reading:
    """The reading with the fewest contradictions; alternatives are read only when the first has any."""
    name, transform = ALTERNATIVES[0]
    best = _read(name, transform(raw), draft)
    for name, transform in ALTERNATIVES[1:]:
        if not best.contradictions:
            break
        grid = transform(raw)
        if len(grid.blocks) == len(best.grid.blocks):
            continue  # nothing was joined: the same grid reads the same
        other = _read(name, grid, draft)
        log.debug("reading %s: %d contradictions (best %s: %d)", name, len(other.contradictions), best.name,
                  len(best.contradictions))
        if len(other.contradictions) < len(best.contradictions):
            best = other
    return best
