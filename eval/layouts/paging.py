"""A table cut at its page breaks into one table per printed page, spans cut at the breaks like a printout."""

from __future__ import annotations

from itertools import pairwise

from eval.layouts.spec import Merge, TableBlock


def _cut(merges: list[Merge], cuts: list[int]) -> list[Merge]:
    """Split each span at every cut inside it (its text stays in the first piece); one-cell leftovers vanish."""
    out: list[Merge] = []
    for m in merges:
        start = m.row0
        for cut in (c for c in cuts if m.row0 < c <= m.row1):
            out.append(Merge(row0=start, col0=m.col0, row1=cut - 1, col1=m.col1))
            start = cut
        out.append(Merge(row0=start, col0=m.col0, row1=m.row1, col1=m.col1))
    return [m for m in out if (m.row0, m.col0) != (m.row1, m.col1)]


def page_pieces(block: TableBlock) -> list[TableBlock]:
    """The table itself when it has no page break, else one piece per page with row indices made local."""
    cuts = sorted({r for r in block.page_breaks if 0 < r < len(block.rows)})
    if not cuts:
        return [block]
    merges = _cut(block.merges, cuts)
    bounds = [0, *cuts, len(block.rows)]
    pieces = []
    for a, b in pairwise(bounds):
        local = [Merge(row0=m.row0 - a, col0=m.col0, row1=m.row1 - a, col1=m.col1)
                 for m in merges if a <= m.row0 and m.row1 < b]
        pieces.append(TableBlock(rows=block.rows[a:b], merges=local, widths=block.widths))
    return pieces
