"""The top n records of a query with common terms: their top lists read best-first until no unread record can win.

Fagin's threshold algorithm over keyword_top.py's lists. The rare terms' records are all read at once, and so are
the records holding every common term when FTS5 counts few; then each round reads the next block of every list,
scores the new records exactly from their tokens, and stops once the n-th score reaches the most an unread record
could score (every list at the weight it has reached; a complete list read to its end bounds nothing). When the lists
end, or CAP times the records wanted are read, before that proof (many records tie at a list's lowest weight), the
best records read stand: at 100k records the top 10 equal FTS5's exact ranking for 112 of 114 query and kind lists
(bench/RESULTS.md).
"""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, literal_column, select, table, text

from retrieval.search.keyword_sql import K1, bm25, filtered, fts, idf
from retrieval.store.tables import KeywordRow

BLOCK = 100  # list entries read per term and round
CAP = 5  # records scored per record wanted: past that an unproven order stands
ALL_BUDGET = 3000  # records holding every common term FTS5 may rank (~1.5 us each)


@dataclass
class _List:
    term: str
    avgdl: float  # the mean record length its weights were computed with
    complete: bool  # it holds every record of the kind with the term
    last: float = K1 + 2  # the weight read last: no unread entry weighs more (none weighs K1 + 1 or more)
    after: int = -1  # the row id read last, for ties
    done: bool = False


def top(conn: Connection, terms: list[str], df: dict[str, int], total: int, avgdl: float, n: int, kind: str,
        filters: dict[str, Any], lists: dict[str, tuple[float, bool]], rare: list[str], spare: list[str]
        ) -> list[tuple[str, float]] | None:
    """The n best (rid, score) read from the lists and the rare terms' records; None when fewer than n were read."""
    idfs = {t: idf(df[t], total) * terms.count(t) for t in set(terms)}  # a repeated term counts per mention
    seen: dict[str, tuple[float, int]] = {}
    bound = sum(idfs[t] * (K1 + 1) for t in set(spare))  # terms neither scanned nor listed: at most this each
    if rare:  # every record of the rare terms (SCAN_BUDGET postings at most), scored on all terms
        match = " OR ".join(f'"{t}"' for t in sorted(set(rare)))
        matched: Select[Any] = select(literal_column("rowid")).select_from(table("keyword_fts")).where(
            literal_column("keyword_fts").op("MATCH")(match))
        seen |= bm25(_tokens(conn, KeywordRow.id.in_(matched), kind, filters), idfs, avgdl)
    common = sorted(set(lists))
    if len(common) > 1:
        # A record with several common terms can be among the best without being among the best of any one of
        # them: the records holding all of them come from FTS5 directly when they are few (counting is cheap).
        every = " AND ".join(f'"{t}"' for t in common)
        holding = conn.execute(text("SELECT count(*) FROM keyword_fts WHERE keyword_fts MATCH :m"), {"m": every})
        if 0 < (holding.scalar() or 0) <= ALL_BUDGET:
            rows = conn.execute(fts(common, n, kind, filters, KeywordRow.id, KeywordRow.tokens, every=True))
            seen |= bm25({rid: (row_id, toks) for rid, _, row_id, toks in rows}, idfs, avgdl)
    cursors = [_List(t, *lists[t]) for t in common]
    while True:  # each round reads BLOCK more of every list; a list holds LIST_SIZE at most
        fresh: set[int] = set()
        for c in cursors:
            if not c.done:
                fresh |= _advance(conn, c, kind)
        new = fresh - {row_id for _, row_id in seen.values()}
        if new:  # one JSON parameter, not one bound parameter per id
            ids: Select[Any] = select(literal_column("value")).select_from(func.json_each(json.dumps(sorted(new))))
            seen |= bm25(_tokens(conn, KeywordRow.id.in_(ids), None, filters), idfs, avgdl)
        ranked = heapq.nsmallest(n, seen.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
        unread = bound + sum(idfs[c.term] * _at_most(c, avgdl) for c in cursors)
        if unread == 0 or (len(ranked) >= n and ranked[n - 1][1][0] >= unread * (1 + 1e-9)):
            return [(rid, score) for rid, (score, _) in ranked]
        if all(c.done for c in cursors) or len(seen) >= CAP * n:
            # Nothing proves the order (many records tie at a list's lowest weight): the best of what the lists
            # and the scan hold stands, unless too few were found for a full answer.
            return [(rid, score) for rid, (score, _) in ranked] if len(ranked) >= n else None


def _tokens(conn: Connection, which: Any, kind: str | None, filters: dict[str, Any]) -> dict[str, tuple[int, str]]:
    q = filtered(select(KeywordRow.rid, KeywordRow.id, KeywordRow.tokens).where(which), kind, filters)  # type: ignore[arg-type]
    return {rid: (row_id, toks) for rid, row_id, toks in conn.execute(q)}


def _advance(conn: Connection, c: _List, kind: str) -> set[int]:
    got = conn.execute(text("SELECT row_id, weight FROM keyword_top WHERE term = :t AND kind = :k AND "
                            "(weight < :w OR (weight = :w AND row_id > :r)) ORDER BY weight DESC, row_id LIMIT :n"),
                       {"t": c.term, "k": kind, "w": c.last, "r": c.after, "n": BLOCK}).all()
    if got:
        c.last, c.after = float(got[-1][1]), int(got[-1][0])
    c.done = len(got) < BLOCK
    return {int(row_id) for row_id, _ in got}


def _at_most(c: _List, avgdl: float) -> float:
    # An unread record's weight is at most the last one read, under the list's mean length; under today's mean it
    # can be larger by at most their ratio (only the length term of the weight changes).
    if c.done and c.complete:
        return 0.0
    return min(c.last, K1 + 1) * max(1.0, avgdl / c.avgdl)
