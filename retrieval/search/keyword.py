"""Keyword search: BM25 over jieba tokens, ranked by the store's own full-text index (FTS5 / tsvector)."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import Select, column, distinct, func, literal_column, select, table
from sqlalchemy.engine import Engine

from retrieval.store.tables import KeywordRow

log = logging.getLogger(__name__)
_PUNCT = re.compile(r"^[\s\W_]+$")
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
        if self.dialect == "sqlite":
            fts = table("keyword_fts", column("rowid"))
            rank = func.bm25(literal_column("keyword_fts")).label("score")  # lower is better
            match = " OR ".join(f'"{t}"' for t in terms)
            joined = fts.join(KeywordRow, KeywordRow.id == fts.c.rowid)
            q: Select[Any] = (select(KeywordRow.rid, rank).select_from(joined)
                              .where(literal_column("keyword_fts").op("MATCH")(match)).order_by(rank).limit(n))
            sign = -1.0
        else:
            tsq = func.to_tsquery("simple", " | ".join(terms))
            tsv: Any = literal_column("keyword_index.tsv")
            rank = func.ts_rank(tsv, tsq, 1).label("score")
            q = select(KeywordRow.rid, rank).where(tsv.op("@@")(tsq)).order_by(rank.desc()).limit(n)
            sign = 1.0
        q = _filtered(q, kind, filters or {})
        with self.engine.connect() as conn:
            return [(rid, sign * float(score)) for rid, score in conn.execute(q)]

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
            return sorted(conn.scalars(select(distinct(KeywordRow.department))
                                       .where(KeywordRow.department.contains(part, autoescape=True))))

    def ids(self) -> set[str]:
        """Every record the keyword index holds."""
        with self.engine.connect() as conn:
            return set(conn.scalars(select(KeywordRow.rid)))


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
