"""Hybrid search: BM25 and Chroma's dense results fused by reciprocal rank, with filters."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from kernel.errors import QueryError
from retrieval.search.embeddings import Embedder
from retrieval.search.index import VectorIndex
from retrieval.search.keyword import KeywordSearch

RRF_K = 10  # lower than the usual 60: a top-1 dense hit must not lose to two mid-rank mentions
# Dense retrieval understands paraphrases that share no word with the record; BM25 only adds
# exact-term evidence, so its ranks count for less (chosen on eval/retrieval, see bench/RESULTS.md).
WEIGHTS = {"dense": 1.0, "bm25": 0.5}
Mode = Literal["hybrid", "bm25", "dense"]


class Filters(BaseModel):
    """What users narrow a search by; department accepts short forms (遂宁, 宿州)."""

    model_config = ConfigDict(extra="forbid")
    department: str | None = None
    fiscal_year: int | None = None
    kind: Literal["project", "indicator"] | None = None
    level1: str | None = None
    level2: str | None = None
    budget_min: float | None = None
    budget_max: float | None = None

    @field_validator("budget_min", "budget_max")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        # nan and inf make no sense as a budget bound and break the vector store's where clause.
        if value is not None and not math.isfinite(value):
            raise ValueError("预算范围必须是有限的数字")
        return value



def check_query(text: str, max_chars: int, what: str = "查询") -> str:
    """The text stripped; QueryError when it is longer than max_chars (an empty text is left to the caller)."""
    if len(text) > max_chars:
        raise QueryError(f"{what}过长（{len(text)} 个字符），上限 {max_chars} 个字符（可调 JIXIAO_MAX_QUERY_CHARS）")
    return text.strip()


class SearchHit(BaseModel):
    """One result, with what a citation needs."""

    id: str
    kind: str
    score: float
    project: str | None = None
    indicator: str | None = None
    department: str | None = None
    fiscal_year: int | None = None
    source: str | None = None
    page: int | None = None
    document_id: int | None = None
    project_id: int | None = None
    indicator_id: int | None = None
    budget_total: float | None = None
    text: str = ""


def _where(filters: Filters, departments: list[str]) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if filters.department:
        clauses.append({"department": {"$in": departments or ["\u0000none"]}})
    if filters.fiscal_year is not None:
        clauses.append({"fiscal_year": filters.fiscal_year})
    for key in ("level1", "level2"):
        if getattr(filters, key):
            clauses.append({key: getattr(filters, key)})
    if filters.budget_min is not None:
        clauses.append({"budget_total": {"$gte": filters.budget_min}})
    if filters.budget_max is not None:
        clauses.append({"budget_total": {"$lte": filters.budget_max}})
    return None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Searcher:
    """Keyword + dense search over the same records; the keyword side is the store's own full-text index."""

    def __init__(self, index: VectorIndex, embedder: Embedder, keyword: KeywordSearch, max_query_chars: int = 500
                 ) -> None:
        self.index = index
        self.max_query_chars = max_query_chars
        self.embedder = embedder
        self.keyword = keyword

    def search(self, query: str, top_k: int = 10, filters: Filters | None = None, mode: Mode = "hybrid"
               ) -> list[SearchHit]:
        """Ranked hits for a query; an empty query has none, a too long one or top_k < 1 raise QueryError."""
        if top_k < 1:
            raise QueryError(f"返回条数必须至少为 1（收到 {top_k}）")
        query = check_query(query, self.max_query_chars)
        if not query:
            return []  # nothing asked: ranking every record by nothing would return arbitrary hits
        filters = filters or Filters()
        kinds = [filters.kind] if filters.kind else ["project", "indicator"]
        if filters.level1 or filters.level2:
            kinds = ["indicator"]  # only indicators have levels
        pool = max(top_k * 4, 40)
        ranked: list[tuple[float, list[str]]] = []
        if mode in ("hybrid", "bm25"):
            wanted = filters.model_dump(exclude={"kind"})
            for kind in kinds:
                ranked.append((WEIGHTS["bm25"], [rid for rid, _ in self.keyword.search(query, pool, kind, wanted)]))
        if mode in ("hybrid", "dense"):
            departments = self.keyword.departments(filters.department) if filters.department else []
            where = _where(filters, departments)
            vector = self.embedder.query(query)
            for kind in kinds:
                ranked.append((WEIGHTS["dense"], [rid for rid, _ in self.index.query(kind, vector, pool, where)]))
        fused: dict[str, float] = {}
        for weight, ranking in ranked:
            for rank, rid in enumerate(ranking):
                fused[rid] = fused.get(rid, 0.0) + weight / (RRF_K + rank + 1)
        best = sorted(fused.items(), key=lambda kv: -kv[1])[: 2 * top_k]
        # Metadata of the few hits only, from the keyword index: a vector Chroma still holds for a record the store
        # no longer has (before the next sync) has no row there and is left out.
        rows = self.keyword.rows([rid for rid, _ in best])
        return [self._hit(rid, score, *rows[rid]) for rid, score in best if rid in rows][:top_k]

    @staticmethod
    def _hit(rid: str, score: float, m: dict[str, Any], text: str) -> SearchHit:
        return SearchHit(id=rid, kind=m.get("kind", ""), score=round(score, 6), project=m.get("project"),
                         indicator=m.get("indicator"), department=m.get("department"),
                         fiscal_year=m.get("fiscal_year"), source=m.get("source"), page=m.get("page"),
                         document_id=m.get("document_id"), project_id=m.get("project_id"),
                         indicator_id=m.get("indicator_id"), budget_total=m.get("budget_total"), text=text)
