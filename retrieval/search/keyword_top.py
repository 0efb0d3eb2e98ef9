"""Top lists of common terms (SQLite): each common term's best records per kind, kept up to date on every write.

FTS5 scores every record a query term matches, so a query made of common terms (满意度 is in ~10% of records) costs
tens of milliseconds however few hits are wanted. A common term's records ordered by its share of BM25 (term
frequency against record length; its IDF is one factor for all of them) are known at write time, so each common term
keeps its best LIST_SIZE records per kind. A query takes those lists as candidates beside an FTS5 scan of its rarer
terms and scores every candidate exactly; invariant: a list always holds the best records of its term by weight.
"""

from __future__ import annotations

import heapq
import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, text
from sqlalchemy.orm import Session

from retrieval.search.keyword_sql import weight

log = logging.getLogger(__name__)
COMMON_DF = 500  # a term in more records than this gets a top list (at 100k records: ~540 terms)
LIST_SIZE = 200  # records kept per common term and kind: 5x the widest pool a search asks for
KINDS = ("project", "indicator")  # the record kinds of records.py; each kind has its own lists

_IN_TERMS: BindParameter[Any] = bindparam("t", expanding=True)


def common_terms(conn: Connection | Session, terms: Iterable[str], kind: str) -> dict[str, tuple[float, bool]]:
    """Which of these terms have a top list for this kind: the mean record length of its weights, and whether the
    list holds every record of the kind with the term (it has never had to leave one out)."""
    got = conn.execute(text("SELECT term, avgdl, complete FROM keyword_common WHERE kind = :k AND term IN :t")
                       .bindparams(_IN_TERMS), {"k": kind, "t": sorted(set(terms))})
    return {term: (float(avgdl), bool(complete)) for term, avgdl, complete in got}


def rebuild(s: Session, avgdl: float) -> int:
    """Every common term's lists from the keyword rows, in one pass; returns the number of common terms."""
    s.execute(text("DELETE FROM keyword_top"))
    s.execute(text("DELETE FROM keyword_common"))
    common = {t for (t,) in s.execute(text("SELECT term FROM keyword_vocab WHERE doc > :n"), {"n": COMMON_DF})}
    rows = s.execute(text("SELECT id, kind, tokens FROM keyword_index"))
    _store(s, *_best(rows, common, KINDS, avgdl), avgdl)
    return len(common)


def written(s: Session, rows: list[tuple[int, str, str]], avgdl: float) -> None:
    """Keep the lists true after these keyword rows (id, kind, tokens) were written; deletes are a trigger's."""
    terms = {w for _, _, tokens in rows for w in tokens.split()}
    if not terms:
        return
    listed = {kind: common_terms(s, terms, kind) for kind in {k for _, k, _ in rows}}
    known = {t for by_term in listed.values() for t in by_term}
    df = s.execute(text("SELECT term, doc FROM keyword_vocab WHERE term IN :t").bindparams(_IN_TERMS),
                   {"t": sorted(terms - known)})
    for term in sorted(t for t, doc in df if doc > COMMON_DF):
        _fill(s, term, KINDS, avgdl)  # a term just became common: its lists from its own postings, once
    entries: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for row_id, kind, tokens in rows:
        words = tokens.split()
        for term, tf in Counter(w for w in words if w in listed[kind]).items():
            entries.setdefault((term, kind), []).append((row_id, weight(tf, len(words), listed[kind][term][0])))
    for (term, kind), new in sorted(entries.items()):
        count, lowest = s.execute(text("SELECT count(*), min(weight) FROM keyword_top WHERE term = :t AND kind = :k"),
                                  {"t": term, "k": kind}).one()
        complete = listed[kind][term][1]
        if not complete and count < LIST_SIZE // 2:
            # Deleted records left this partial list short: it no longer reaches as far down as its term's records,
            # so it is filled again from the term's postings (they hold the rows just written).
            _fill(s, term, (kind,), avgdl)
            continue
        # A partial list holds its term's best records down to its lowest weight; one below that would skip
        # records between (those not listed), so it enters only a complete list.
        keep = [{"t": term, "k": kind, "r": r, "w": w} for r, w in new
                if complete or (lowest is not None and w > lowest)]
        if keep:
            s.execute(text("INSERT INTO keyword_top (term, kind, row_id, weight) VALUES (:t, :k, :r, :w)"), keep)
        if count + len(keep) > LIST_SIZE:  # back to LIST_SIZE: the lowest weights leave, and the list is partial
            s.execute(text("DELETE FROM keyword_top WHERE term = :t AND kind = :k AND rowid NOT IN (SELECT rowid "
                           "FROM keyword_top WHERE term = :t AND kind = :k ORDER BY weight DESC, row_id LIMIT :n)"),
                      {"t": term, "k": kind, "n": LIST_SIZE})
            s.execute(text("UPDATE keyword_common SET complete = 0 WHERE term = :t AND kind = :k"),
                      {"t": term, "k": kind})


def _fill(s: Session, term: str, kinds: tuple[str, ...], avgdl: float) -> None:
    """This term's lists of these kinds from its postings, replacing what they held."""
    rows = s.execute(text("SELECT k.id, k.kind, k.tokens FROM keyword_fts f JOIN keyword_index k ON k.id = f.rowid "
                          "WHERE keyword_fts MATCH :m"), {"m": f'"{term}"'}).all()
    for kind in kinds:
        s.execute(text("DELETE FROM keyword_top WHERE term = :t AND kind = :k"), {"t": term, "k": kind})
        s.execute(text("DELETE FROM keyword_common WHERE term = :t AND kind = :k"), {"t": term, "k": kind})
    _store(s, *_best(rows, {term}, kinds, avgdl), avgdl)
    log.debug("top lists of %s filled for %s", term, kinds)


def _best(rows: Iterable[Any], terms: set[str], kinds: tuple[str, ...], avgdl: float
          ) -> tuple[dict[tuple[str, str], list[tuple[float, int]]], Counter[tuple[str, str]]]:
    """Each (term, kind)'s best LIST_SIZE (weight, -row id) from these keyword rows, and how many rows it has."""
    best: dict[tuple[str, str], list[tuple[float, int]]] = {(t, k): [] for t in terms for k in kinds}
    counts: Counter[tuple[str, str]] = Counter()
    for row_id, kind, tokens in rows:
        if kind in kinds:
            words = tokens.split()
            for term, tf in Counter(w for w in words if w in terms).items():
                counts[term, kind] += 1
                _keep(best[term, kind], (weight(tf, len(words), avgdl), row_id))
    return best, counts


def _keep(heap: list[tuple[float, int]], item: tuple[float, int]) -> None:
    # Ties go to the lower row id, as the trimming query orders them.
    item = (item[0], -item[1])
    if len(heap) < LIST_SIZE:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


def _store(s: Session, best: dict[tuple[str, str], list[tuple[float, int]]], counts: Counter[tuple[str, str]],
           avgdl: float) -> None:
    values = [{"t": term, "k": kind, "r": -neg_id, "w": w}
              for (term, kind), heap in best.items() for w, neg_id in heap]
    if values:
        s.execute(text("INSERT INTO keyword_top (term, kind, row_id, weight) VALUES (:t, :k, :r, :w)"), values)
    if best:
        s.execute(text("INSERT INTO keyword_common (term, kind, avgdl, complete) VALUES (:t, :k, :a, :c)"),
                  [{"t": t, "k": k, "a": avgdl, "c": counts[t, k] <= LIST_SIZE} for t, k in sorted(best)])
