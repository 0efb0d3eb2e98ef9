"""Search and questions with the CLI's filters; citations carry the ids of the records they name."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.auth import Reader
from api.problems import Problem
from api.state import services_of
from retrieval.ask.answers import AskMode, Turn
from retrieval.ask.api import answer
from retrieval.search.searcher import Filters
from usecases import records

router = APIRouter(prefix="/v1", tags=["search and ask"])
QUERY_CAP = 10_000  # far above JIXIAO_MAX_QUERY_CHARS: the use case refuses with its own message below this


class Exchange(BaseModel):
    """An earlier question and its answer, for a follow-up (那遂宁呢？)."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=QUERY_CAP)
    answer: str = Field(default="", max_length=100_000)


class AskRequest(BaseModel):
    """A question across every stored department."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=QUERY_CAP)
    mode: AskMode = "auto"  # auto: the LLM when one is configured, else offline
    history: list[Exchange] = Field(default_factory=list, max_length=20)


@router.get("/search", summary="Hybrid (keyword + semantic) search over current projects and indicators")
def search(request: Request, _: Reader, q: str = Query(max_length=QUERY_CAP),
           top_k: int = Query(10, ge=1, le=200), department: str | None = Query(None, max_length=200),
           year: int | None = None, kind: Literal["project", "indicator"] | None = None,
           level1: str | None = Query(None, max_length=200), level2: str | None = Query(None, max_length=200),
           budget_min: float | None = None, budget_max: float | None = None,
           mode: Literal["hybrid", "bm25", "dense"] = "hybrid") -> dict:
    """Hits with department, year, source, page and the ids of the record."""
    if not q.strip():
        raise Problem("invalid-input", "查询内容为空：请给出要搜索的词语")
    try:
        filters = Filters(department=department, fiscal_year=year, kind=kind, level1=level1, level2=level2,
                          budget_min=budget_min, budget_max=budget_max)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Problem("invalid-input", f"过滤条件无效：{first['loc'][0]} "
                      f"{str(first['msg']).removeprefix('Value error, ')}") from exc
    hits = services_of(request).searcher.search(q, top_k=top_k, filters=filters, mode=mode)
    return {"query": q.strip(), "hits": [h.model_dump() for h in hits]}


@router.post("/ask", summary="A cited answer across every stored department")
def ask(request: Request, _: Reader, body: AskRequest) -> dict:
    """The answer text, its table, and citations that resolve to stored records."""
    services = services_of(request)
    history = [Turn(question=t.question, answer=t.answer) for t in body.history]
    result = answer(body.question, services, history, mode=body.mode)
    return {"question": body.question.strip(), "answer": result.answer, "mode": result.mode,
            "citations": records.resolve_citations(services, result.citations), "table": result.table}
