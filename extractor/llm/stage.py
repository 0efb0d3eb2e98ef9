"""The llm and hybrid backends: rules first, the LLM on what the plan selects, merged; never raises."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import instructor

from extractor.choose import checked
from extractor.grid import DocumentGrid
from extractor.llm.cache import ReplyCache
from extractor.llm.chunks import Planner
from extractor.llm.client import Asker, Usage, close_client, make_client
from extractor.llm.locate import locate
from extractor.llm.merge import Merged, build_llm, merge_hybrid
from extractor.llm.prompts import EXTRACT, load
from extractor.llm.runner import ChunkResult, Runner
from extractor.llm.select import Plan, plan_hybrid, plan_llm
from extractor.pipeline import read_grid
from extractor.quality import level_notes
from extractor.schema import Extraction, Problem
from extractor.verdict import judge, with_review
from kernel.settings import Settings, Thresholds

log = logging.getLogger(__name__)
ClientFactory = Callable[[Settings], instructor.AsyncInstructor]
T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop (then in a thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def ask_all(plan: Plan, planner: Planner, settings: Settings,
                  client_factory: ClientFactory = make_client) -> tuple[Usage, list[ChunkResult]]:
    """Every chunk of the plan through one client (closed afterwards), with the document's token count."""
    client = client_factory(settings)
    usage = Usage()
    cache = ReplyCache.from_settings(settings)
    runner = Runner(Asker(client, settings, usage), cache, load(*EXTRACT), settings.llm_model or "", plan.scope,
                    settings.llm_concurrency, planner.split)
    try:
        return usage, await runner.run(plan.chunks)
    finally:
        await close_client(client)


def _with(rules: Extraction, backend: str, started: float, usage: Usage, errors: list[Problem] | None = None,
          unmapped: list[Problem] | None = None, merged: Merged | None = None,
          thresholds: Thresholds | None = None, grid: DocumentGrid | None = None) -> Extraction:
    assert rules.document is not None
    document = rules.document if merged is None else rules.document.model_copy(update={"projects": merged.projects})
    errors = [*rules.errors, *(errors or []), *(merged.errors if merged else [])]
    unmapped = rules.unmapped if unmapped is None else unmapped
    # The model's reading is judged like the rules': completeness, then the verifier against the same grid.
    if grid is None or merged is None:
        quality, contradictions = rules.quality, rules.contradictions
    else:
        quality, contradictions = judge(document, grid, unmapped, rules.quality.unmapped_columns,
                                        rules.quality.money_unit == "printed", thresholds,
                                        contradictions=checked(document, grid))
        if len(contradictions) > len(rules.contradictions):  # the page contradicts the model more: keep the rules
            log.info("LLM 读取结果与原文矛盾 %d 处（规则 %d 处），保留规则结果", len(contradictions),
                     len(rules.contradictions))
            note = Problem(message=f"LLM 读取结果与原文有 {len(contradictions)} 处不符，多于规则提取的 "
                                   f"{len(rules.contradictions)} 处，已保留规则结果")
            return _with(rules, backend, started, usage, errors=[*(errors or []), note][len(rules.errors):],
                         thresholds=thresholds)
    document = with_review(document, quality)
    return Extraction(document=document, status="partial" if errors or unmapped else "ok", errors=errors,
                      unmapped=unmapped, pages=rules.pages, seconds=rules.seconds + time.perf_counter() - started,
                      backend=backend, prompt_tokens=usage.prompt, completion_tokens=usage.completion,
                      provenance=merged.provenance if merged else [], quality=quality,
                      level_notes=level_notes(document), columns=rules.columns, contradictions=contradictions)


def extract_with_llm(grid: DocumentGrid, rules: Extraction, backend: str, settings: Settings,
                     client_factory: ClientFactory = make_client) -> Extraction:
    """hybrid: the LLM reads what the rules could not; llm: the LLM reads every table (rules are the fallback)."""
    started = time.perf_counter()
    assert rules.document is not None
    planner = Planner(grid.tables)
    prompt = load(*EXTRACT).id
    model = settings.llm_model or ""
    # The rules say they failed on this document: the model reads its tables whole (the rules stay the fallback).
    reread = backend == "hybrid" and rules.quality.needs_review
    if reread:
        log.info("规则提取结果需人工审核（%s），整表交给 LLM 重读", "；".join(rules.quality.reasons))
    if backend == "hybrid" and not reread:
        located = locate(grid.tables, rules.document.projects)
        plan = plan_hybrid(planner, rules.document.projects, rules.unmapped, located, settings.llm_min_confidence,
                           settings.llm_chunk_chars)
    else:
        plan = plan_llm(planner, settings.llm_chunk_chars)
    log.info("%s：%d 行分 %d 次请求交给 LLM", backend, plan.rows(), len(plan.chunks))
    usage, results = run_sync(ask_all(plan, planner, settings, client_factory)) if plan.chunks else (Usage(), [])
    if backend == "hybrid" and not reread:
        mixed = merge_hybrid(rules.document.projects, rules.unmapped, located, plan, results, planner, prompt, model)
        return _with(rules, backend, started, usage, unmapped=mixed.unmapped, merged=mixed,
                     thresholds=settings.quality_thresholds(), grid=grid)
    failures = [r.error for r in results if r.error]
    merged = None if failures else build_llm(results, planner, prompt, model)
    if failures or (reread and merged is not None and not any(p.indicators for p in merged.projects)):
        why = failures[0] if failures else "未读出任何指标"
        message = f"LLM 读取失败（{why}），本文件已回退到规则提取结果"
        return _with(rules, backend, started, usage, errors=[Problem(page=None, message=message)],
                     thresholds=settings.quality_thresholds())
    return _with(rules, backend, started, usage, unmapped=[], merged=merged, thresholds=settings.quality_thresholds(),
                 grid=grid)


def run_llm_backend(data: bytes, name: str, backend: str, settings: Settings, rules: Extraction,
                    client_factory: ClientFactory = make_client, grid: DocumentGrid | None = None) -> Extraction:
    """The llm/hybrid result for one file whose rules pass succeeded; any failure falls back to the rules result."""
    started = time.perf_counter()
    try:
        # The rules pass hands out the grid it read, so table and row indices agree with its problems;
        # reading again is only the fallback for callers that have no grid.
        if grid is None:
            grid, _ = read_grid(data, name, settings)
        return extract_with_llm(grid, rules, backend, settings, client_factory)
    except Exception as exc:  # a bug in the LLM path must not cost the user the rules result, nor the batch
        log.warning("LLM 后端出错（%s），%s 使用规则结果", type(exc).__name__, name)
        log.debug("LLM backend failure", exc_info=True)
        problem = Problem(message=f"LLM 后端内部错误（{type(exc).__name__}），已使用规则提取结果")
        return _with(rules, backend, started, Usage(), errors=[problem], thresholds=settings.quality_thresholds())
