"""Keyword search: BM25 over jieba tokens, ranked by the store's own full-text index (FTS5 / tsvector)."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import Connection, bindparam, func, literal_column, select, text
from sqlalchemy.engine import Engine

from retrieval.search import keyword_top, keyword_topk
from retrieval.search.keyword_mirror import KeywordMirror
from retrieval.search.keyword_sql import averages, filtered, fts
from retrieval.store.tables import KeywordRow

log = logging.getLogger(__name__)
_PUNCT = re.compile(r"^[\s\W_]+$")
SCAN_BUDGET = 1000  # postings one FTS5 query may score (~4 ms); beyond it top lists and rare terms pick
_HEXLETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def tokenize(text: str) -> list[str]:
    """Search-engine style jieba tokens (long words and their parts), punctuation dropped."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    # Single Chinese characters (的, 对, 率…) match nearly everything and drown real matches.
    return [t.lower() for t in jieba.lcut_for_search(text)
            if t.strip() and not _PUNCT.match(t) and not (len(t) == 1 and "\u4e00" <= t <= "\u9fff")]


def _term(token: str) -> str:
    # FTS5 and PostgreSQL split on anything but letters and digits: a token holding another character (3.5, ≥95%)
    # is spelled in letters so it stays one term on both.
    return token if token.isalnum() else "x" + token.encode().hex().translate(_HEXLETTERS)


def fts_tokens(text: str) -> str:
    """The text's jieba tokens as the full-text index stores them: one term each, separated by spaces."""
    return " ".join(_term(t) for t in tokenize(text)) or "∅"


class KeywordSearch:
    """BM25 queries and record lookups against the keyword_index table every process shares."""

    def __init__(self, engine: Engine, top_lists: bool = True, mirror: KeywordMirror | None = None) -> None:
        self.engine = engine
        self.top_lists = top_lists  # False: every query is FTS5's exact one (the bench's reference)
        self.mirror = mirror  # tantivy's copy of the rows (SQLite): unfiltered queries are ranked there
        self.dialect = engine.dialect.name

    def search(self, query: str, n: int, kind: str | None = None, filters: dict[str, Any] | None = None
               ) -> list[tuple[str, float]]:
        """Top records by BM25 score (only those that share a term with the query), filters applied in SQL."""
        terms = [_term(t) for t in tokenize(query)]
        if not terms:
            return []
        with self.engine.connect() as conn:
            if self.dialect != "sqlite":
                tsq = func.to_tsquery("simple", " | ".join(terms))
                tsv: Any = literal_column("keyword_index.tsv")
                rank = func.ts_rank(tsv, tsq, 1).label("score")
                q = select(KeywordRow.rid, rank).where(tsv.op("@@")(tsq)).order_by(rank.desc()).limit(n)
                return [(rid, float(score)) for rid, score in conn.execute(filtered(q, kind, filters or {}))]
            return self._sqlite(conn, terms, n, kind, filters or {})

    def _sqlite(self, conn: Connection, terms: list[str], n: int, kind: str | None, filters: dict[str, Any]
                ) -> list[tuple[str, float]]:
        # FTS5 scores every record a query term matches: a term in 30k of 100k records costs ~100 ms. Past
        # SCAN_BUDGET postings the common terms' top lists and the rare terms' records give the candidates
        # (keyword_topk.py); small stores stay one exact query, as does a query whose candidates fall short of n.
        if self.mirror is not None and not any(v is not None and v != "" for v in filters.values()):
            got = self.mirror.search(conn, terms, n, kind)
            if got is not None:
                return got
        vocab = text("SELECT term, doc FROM keyword_vocab WHERE term IN :t").bindparams(bindparam("t", expanding=True))
        df: dict[str, int] = {t: int(d) for t, d in conn.execute(vocab, {"t": sorted(set(terms))})}
        if self.top_lists and kind and sum(df.get(t, 0) for t in terms) > SCAN_BUDGET:
            total, avgdl = averages(conn)
            # A term in over half the records has an IDF of ~0 in FTS5: it changes no score, only the scan's length.
            live = [t for t in terms if 0 < df.get(t, 0) <= total / 2]
            lists = keyword_top.common_terms(conn, live, kind)
            rare: list[str] = []
            for t in sorted({t for t in live if t not in lists}, key=lambda t: df[t]):  # rarest, within budget
                if rare and sum(df[x] for x in rare) + df[t] > SCAN_BUDGET:
                    break
                rare.append(t)
            spare = [t for t in live if t not in lists and t not in rare]
            got = keyword_topk.top(conn, live, df, total, avgdl, n, kind, filters, lists, rare, spare)
            if got is not None:
                return got
            log.debug("fewer than %d candidates for %s; exact query", n, terms)
        return [(rid, -float(bm25)) for rid, bm25 in conn.execute(fts(terms, n, kind, filters))]

    def rows(self, rids: list[str]) -> dict[str, tuple[dict[str, Any], str]]:
        """Metadata and text of these records (the current ones only)."""
        if not rids:
            return {}
        with self.engine.connect() as conn:
            got = conn.execute(select(KeywordRow.rid, KeywordRow.meta, KeywordRow.text).where(KeywordRow.rid.in_(rids)))
            return {rid: (meta, txt) for rid, meta, txt in got}

    def departments(self, part: str) -> list[str]:
        """Departments whose name contains `part` (遂宁 → its full names), for the dense side's filter."""
        with self.engine.connect() as conn:
            return sorted(conn.scalars(select(KeywordRow.department).distinct()
                                       .where(KeywordRow.department.contains(part, autoescape=True))))

    def ids(self) -> set[str]:
        """Every record the keyword index holds."""
        with self.engine.connect() as conn:
            return set(conn.scalars(select(KeywordRow.rid)))


