"""Keyword search: BM25 over jieba tokens, ranked by the store's own full-text index (FTS5 / tsvector)."""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from sqlalchemy import Connection, Select, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.engine import Engine

from retrieval.store.tables import KeywordRow

log = logging.getLogger(__name__)
_PUNCT = re.compile(r"^[\s\W_]+$")
SCAN_BUDGET = 8000  # postings one FTS5 query may score; beyond it the rarest terms pick the candidates
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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
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
                return [(rid, float(score)) for rid, score in conn.execute(_filtered(q, kind, filters or {}))]
            return self._sqlite(conn, terms, n, kind, filters or {})

    def _sqlite(self, conn: Connection, terms: list[str], n: int, kind: str | None, filters: dict[str, Any]
                ) -> list[tuple[str, float]]:
        # FTS5 scores every record a query term matches: a term in 30k of 100k records costs ~100 ms. Common terms
        # weigh little (low IDF), so past SCAN_BUDGET postings the rarest terms pick the candidates and the common
        # terms' share of the same BM25 is added to those here; small stores stay one exact query.
        vocab = text("SELECT term, doc FROM keyword_vocab WHERE term IN :t").bindparams(bindparam("t", expanding=True))
        df: dict[str, int] = {t: int(d) for t, d in conn.execute(vocab, {"t": sorted(set(terms))})}
        if sum(df.get(t, 0) for t in terms) > SCAN_BUDGET:
            total, avgdl = _averages(conn)
            # A term in over half the records has an IDF of ~0 in FTS5: it changes no score, only the scan's length.
            live = [t for t in terms if 0 < df.get(t, 0) <= total / 2]
            picked: set[str] = set()
            for t in sorted(set(live), key=lambda t: df[t]):  # the rarest terms, as many as the budget allows
                if picked and sum(df[x] for x in picked) + df[t] > SCAN_BUDGET:
                    break
                picked.add(t)
            common = [t for t in live if t not in picked]
            got = conn.execute(_fts([t for t in live if t in picked], max(5 * n, 200), kind, filters,
                                    KeywordRow.tokens)).all() if picked else []
            if len(got) >= n:
                scored = [(rid, -float(bm25) + _share(tokens.split(), common, df, total, avgdl))
                          for rid, bm25, tokens in got]
                return sorted(scored, key=lambda x: -x[1])[:n]
        return [(rid, -float(bm25)) for rid, bm25 in conn.execute(_fts(terms, n, kind, filters))]

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


def _fts(terms: list[str], n: int, kind: str | None, filters: dict[str, Any], *extra: Any) -> Select[Any]:
    fts = table("keyword_fts", column("rowid"))
    rank = func.bm25(literal_column("keyword_fts")).label("score")  # lower is better
    match = " OR ".join(f'"{t}"' for t in terms)
    q = (select(KeywordRow.rid, rank, *extra).select_from(fts.join(KeywordRow, KeywordRow.id == fts.c.rowid))
         .where(literal_column("keyword_fts").op("MATCH")(match)).order_by(rank).limit(n))
    return _filtered(q, kind, filters)


def _averages(conn: Connection) -> tuple[int, float]:
    """Records and mean tokens per record, read from FTS5's own averages record (rowid 1 of its data table)."""
    blob = conn.execute(text("SELECT block FROM keyword_fts_data WHERE id = 1")).scalar() or b""
    rows, i = _varint(blob, 0)
    tokens, _ = _varint(blob, i)
    return rows, tokens / max(rows, 1)


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(9):
        if i >= len(buf):
            break
        b = buf[i]
        i += 1
        if k == 8:
            return (value << 8) | b, i
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            break
    return value, i


def _share(tokens: list[str], common: list[str], df: dict[str, int], total: int, avgdl: float) -> float:
    """The common terms' part of FTS5's BM25 (k1 1.2, b 0.75, IDF floored as FTS5 does) for one record."""
    score = 0.0
    for t in common:
        tf = tokens.count(t)
        if tf:
            idf = max(math.log((total - df[t] + 0.5) / (df[t] + 0.5)), 1e-6)
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(tokens) / avgdl))
    return score


def _filtered(q: Select[Any], kind: str | None, f: dict[str, Any]) -> Select[Any]:
    if kind:
        q = q.where(KeywordRow.kind == kind)
    if f.get("department"):
        q = q.where(KeywordRow.department.contains(f["department"], autoescape=True))
    if f.get("fiscal_year") is not None:
        q = q.where(KeywordRow.fiscal_year == f["fiscal_year"])
    for key in ("level1", "level2"):
        if f.get(key):
            q = q.where(getattr(KeywordRow, key) == f[key])
    if f.get("budget_min") is not None:
        q = q.where(KeywordRow.budget_total >= f["budget_min"])
    if f.get("budget_max") is not None:
        q = q.where(KeywordRow.budget_total <= f["budget_max"])
    return q
