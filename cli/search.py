"""`jixiao search`: hybrid keyword + semantic search over the stored projects and indicators."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from cli.common import err, shown
from kernel.settings import get_settings


class SearchFormat(StrEnum):
    json = "json"
    table = "table"


def search(
    query: Annotated[str, typer.Argument(help="what to look for")],
    top_k: Annotated[int, typer.Option("--top-k", "-k")] = 10,
    department: Annotated[str | None, typer.Option(help="department or its short form, e.g. 遂宁")] = None,
    year: Annotated[int | None, typer.Option(help="fiscal year")] = None,
    kind: Annotated[str | None, typer.Option(help="project or indicator")] = None,
    level1: Annotated[str | None, typer.Option(help="一级指标, e.g. 满意度指标")] = None,
    level2: Annotated[str | None, typer.Option(help="二级指标")] = None,
    budget_min: Annotated[float | None, typer.Option(help="project budget at least (万元)")] = None,
    budget_max: Annotated[float | None, typer.Option(help="project budget at most (万元)")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense")] = "hybrid",
    format: Annotated[SearchFormat, typer.Option("--format", "-f")] = SearchFormat.table,
) -> None:
    """Hybrid (keyword + semantic) search over every ingested project and indicator."""
    from pydantic import ValidationError

    from kernel.errors import QueryError
    from retrieval.search.searcher import Filters, check_query
    from retrieval.services import Services

    settings = get_settings()
    try:
        query = check_query(query, settings.max_query_chars)
    except QueryError as exc:
        err(f"错误：{exc}")
        raise typer.Exit(2) from exc
    if not query:
        err("错误：查询内容为空：请给出要搜索的词语")
        raise typer.Exit(2)
    if top_k < 1:
        err(f"错误：--top-k 必须至少为 1（收到 {top_k}）")
        raise typer.Exit(2)
    try:
        filters = Filters(department=department, fiscal_year=year, kind=kind, level1=level1,
                          level2=level2, budget_min=budget_min, budget_max=budget_max)
    except ValidationError as exc:
        first = exc.errors()[0]
        err(f"错误：过滤条件无效：--{str(first['loc'][0]).replace('_', '-')} "
             f"{str(first['msg']).removeprefix('Value error, ')}")
        raise typer.Exit(2) from exc
    if mode not in ("hybrid", "bm25", "dense"):
        err("错误：--mode 只能是 hybrid、bm25 或 dense")
        raise typer.Exit(2)
    services = Services(settings)
    services.sync()
    hits = services.searcher.search(query, top_k=top_k, filters=filters, mode=mode)  # type: ignore[arg-type]
    if format is SearchFormat.json:
        typer.echo(json.dumps({"query": query, "hits": [h.model_dump() for h in hits]}, ensure_ascii=False,
                              indent=2))
        return
    if not hits:
        typer.echo("没有找到结果")
    for n, h in enumerate(hits, 1):
        what = f"{h.project} / {h.indicator}" if h.kind == "indicator" else h.project
        typer.echo(f"{n:>2}. [{'指标' if h.kind == 'indicator' else '项目'}] {what}")
        typer.echo(f"    {h.department or '—'} · {h.fiscal_year or '—'} · {shown(h.source or '')} "
                   f"第{h.page or '?'}页 · score {h.score:.4f}")
