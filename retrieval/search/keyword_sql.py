"""SQL and arithmetic of FTS5's BM25 shared by the exact query and the top-list query (SQLite)."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Connection, Select, column, func, literal_column, select, table, text

from retrieval.store.tables import KeywordRow

K1, B = 1.2, 0.75  # FTS5's bm25() constants


def fts(terms: list[str], n: int, kind: str | None, filters: dict[str, Any], *extra: Any, every: bool = False
        ) -> Select[Any]:
    """FTS5's best n records (rid, score, *extra) with any of the terms, or with all of them (`every`)."""
    fts = table("keyword_fts", column("rowid"))
    rank = func.bm25(literal_column("keyword_fts")).label("score")  # lower is better
    match = (" AND " if every else " OR ").join(f'"{t}"' for t in terms)
    q = (select(KeywordRow.rid, rank, *extra).select_from(fts.join(KeywordRow, KeywordRow.id == fts.c.rowid))
         .where(literal_column("keyword_fts").op("MATCH")(match)).order_by(rank).limit(n))
    return filtered(q, kind, filters)


def averages(conn: Connection) -> tuple[int, float]:
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


def idf(doc: int, total: int) -> float:
    """FTS5's IDF of a term in `doc` of `total` records, floored as FTS5 floors it."""
    return max(math.log((total - doc + 0.5) / (doc + 0.5)), 1e-6)


def weight(tf: int, length: int, avgdl: float) -> float:
    """A record's BM25 share for one term, before the term's IDF."""
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avgdl))


def bm25(candidates: dict[str, tuple[int, str]], idfs: dict[str, float], avgdl: float
         ) -> dict[str, tuple[float, int]]:
    """FTS5's BM25 of each candidate (rid: (row id, tokens)) from its tokens: rid: (score, row id)."""
    memo: dict[str, float] = {}  # records repeat texts (the same standard indicator in many documents)
    out = {}
    for rid, (row_id, tokens) in candidates.items():
        score = memo.get(tokens)
        if score is None:
            words = tokens.split()
            score = 0.0
            for t, w in idfs.items():
                if t in tokens and (tf := words.count(t)):  # the substring test skips most absent terms cheaply
                    score += w * weight(tf, len(words), avgdl)
            memo[tokens] = score
        out[rid] = (score, row_id)
    return out


def filtered(q: Select[Any], kind: str | None, f: dict[str, Any]) -> Select[Any]:
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
