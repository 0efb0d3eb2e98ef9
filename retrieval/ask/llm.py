"""LLM mode: a tool-calling loop through instructor; the final answer is validated against the tool results."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

from extractor.llm.client import Asker, close_client, make_client
from extractor.llm.prompts import load
from kernel.errors import LLMAnswerError, LLMError
from retrieval.ask.analyst import answer_analyst, counted_rows
from retrieval.ask.answers import AnalystIntent, Answer, GroupKey, Part, Plan, Turn
from retrieval.ask.findings import flagged_projects
from retrieval.ask.grounding import Evidence, flatten
from retrieval.ask.markdown import citations
from retrieval.ask.tools import Query, get_project, load_projects, run_query, search
from retrieval.services import Services

log = logging.getLogger(__name__)
MAX_STEPS = 6
MAX_TOOL_ROWS = 40  # rows of one tool result shown to the model; aggregates are computed over all of them
NO_DATA = "没有找到能支持回答的数据。"
REJECTED = "模型的回答含有工具结果中没有的数字或记录，已拒绝"
T = TypeVar("T")

ASK = ("ask_answer", "v2")  # prompts/ask_answer.v2.jinja (v2: the analyze tool)


class _Action(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SearchAction(_Action):
    """混合检索。"""

    tool: Literal["search"]
    query: str
    department: str | None = None
    fiscal_year: int | None = None
    kind: Literal["project", "indicator"] | None = None
    top_k: int = Field(default=10, ge=1, le=30)


class QueryAction(Query):
    """结构化查询。"""

    model_config = ConfigDict(extra="ignore")
    tool: Literal["query"]


class ProjectAction(_Action):
    """取一个项目的完整记录。"""

    tool: Literal["get_project"]
    project_id: int


class AnalyzeAction(_Action):
    """分组统计：排名、两个部门对比、占比、整体支出与项目支出（字段与离线 Plan 相同，由同一执行器计算）。"""

    tool: Literal["analyze"]
    intent: AnalystIntent
    departments: list[str] = Field(default_factory=list, description="versus 时两个部门；rank/share 时限定范围")
    fiscal_year: int | None = None
    group_by: GroupKey | None = Field(default=None, description="rank 的分组；share 按部门时为 department")
    counted: Literal["project", "indicator"] | None = None
    metric: Literal["count", "budget", "avg", "share"] | None = None
    part: Part | None = Field(default=None, description="satisfaction 满意度 / quantitative 定量 / qualitative 定性")
    topics: list[str] = Field(default_factory=list, description="项目或指标名称中包含的词（只统计这些记录）")
    direction: Literal["positive", "negative"] | None = Field(default=None, description="只统计正向/反向指标")
    top_n: int | None = Field(default=None, ge=1, le=50)
    descending: bool = True

    def plan(self) -> Plan:
        """The offline Plan this call stands for."""
        return Plan.model_validate(self.model_dump(exclude={"tool"}))


class FinalAnswer(_Action):
    """最终回答。"""

    tool: Literal["answer"]
    found: bool = True
    answer: str
    rows: list[dict[str, str | float | int | bool | None]] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list, description="所依据记录的 id，如 p12、i345")


class Step(BaseModel):
    """下一步：调用一个工具，或给出最终回答。"""

    model_config = ConfigDict(extra="ignore")
    action: SearchAction | QueryAction | ProjectAction | AnalyzeAction | FinalAnswer = Field(discriminator="tool")
    evidence: ClassVar[Evidence | None] = None

    @model_validator(mode="after")
    def _grounded(self) -> Step:
        ev = type(self).evidence
        if ev is None or not isinstance(self.action, FinalAnswer):
            return self
        errors = check_answer(self.action, ev)
        if errors:
            raise ValueError("；".join(errors))
        return self


def check_answer(final: FinalAnswer, evidence: Evidence) -> list[str]:
    """Why a final answer is not supported by the tool results (empty when it is)."""
    errors = []
    unknown_ids = [c for c in final.citations if c not in evidence.records]
    if unknown_ids:
        errors.append(f"引用了工具结果中没有的记录 id：{'、'.join(unknown_ids)}")
    figures = evidence.unsupported(final.answer, flatten(final.rows))
    if figures:
        errors.append(f"回答中的数字 {'、'.join(figures)} 不在任何工具结果中；"
                      "只能使用工具返回的数字，合计和平均请调用 query")
    if final.found and not final.citations:
        errors.append("有回答时必须在 citations 中列出所依据记录的 id")
    return errors


def bind(evidence: Evidence) -> type[Step]:
    """A Step model whose final answer is checked against this evidence (a class attribute, as in extractor.llm)."""
    attrs = {"evidence": evidence, "__doc__": Step.__doc__, "__module__": __name__}
    return cast(type[Step], type("Step", (Step,), attrs))


def _trim(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("id", "department", "fiscal_year", "project", "project_id", "kind", "budget_total", "indicator",
            "level1", "level2", "target", "value", "unit", "source", "page", "matched", "score")
    return [{k: r[k] for k in keep if r.get(k) is not None} for r in rows[:MAX_TOOL_ROWS]]


def run_tool(action: SearchAction | QueryAction | ProjectAction | AnalyzeAction, services: Services) -> dict[str, Any]:
    """Run one tool call; the result is what the model sees next (rows cut to MAX_TOOL_ROWS)."""
    if isinstance(action, AnalyzeAction):
        plan = action.plan()
        projects = load_projects(services.store, plan.departments, plan.fiscal_year)
        done = answer_analyst(plan, projects)
        return {"answer": done.answer, "table": done.table, "rows": _trim(counted_rows(plan, projects))}
    if isinstance(action, SearchAction):
        hits = search(services, action.query, action.top_k, action.department, action.fiscal_year, action.kind)
        return {"hits": _trim(hits)}
    if isinstance(action, QueryAction):
        query = Query.model_validate(action.model_dump(exclude={"tool"}))
        result = run_query(services.store, query, flagged_projects(services))
        rows = result.pop("rows")
        return {**result, "rows": _trim(rows), "rows_shown": min(len(rows), MAX_TOOL_ROWS)}
    project = get_project(services.store, action.project_id)
    if project is None:
        return {"error": f"项目 {action.project_id} 不存在"}
    context = {k: project[k] for k in ("department", "fiscal_year", "source", "project", "project_id")}
    project["indicators"] = [{**context, **i} for i in project["indicators"]]
    return project


def _messages(question: str, history: list[Turn], departments: tuple[str, ...]) -> list[dict[str, str]]:
    system, user = load(*ASK).messages(question=question, departments=list(departments))
    out = [system]
    for turn in history:
        out += [{"role": "user", "content": turn.question}, {"role": "assistant", "content": turn.answer}]
    return [*out, user]


async def _loop(question: str, history: list[Turn], services: Services, departments: tuple[str, ...]) -> Answer:
    settings = services.settings
    client = make_client(settings)
    ask = Asker(client, settings)  # no reply cache: an answer from yesterday's store could cite corrected rows
    evidence = Evidence()
    for text in [question, *(t.question for t in history)]:
        evidence.add_text(text)
    messages = _messages(question, history, departments)
    try:
        for step_no in range(MAX_STEPS):
            try:
                step = await ask(messages, bind(evidence))
            except LLMError as exc:
                log.warning("ask: %s", exc.message)  # the detail (which figure, which id) is for the log
                raise LLMAnswerError(REJECTED if exc.kind == "invalid" else exc.message) from exc
            action = step.action
            if isinstance(action, FinalAnswer):
                return _answer(action, evidence)
            result = run_tool(action, services)
            evidence.add_result(result)
            log.debug("ask step %d: %s -> %d chars", step_no, action.tool, len(json.dumps(result, default=str)))
            messages += [{"role": "assistant", "content": json.dumps({"action": action.model_dump()},
                                                                     ensure_ascii=False, default=str)},
                         {"role": "user", "content": f"工具 {action.tool} 的结果：\n"
                                                     + json.dumps(result, ensure_ascii=False, default=str)}]
            if step_no == MAX_STEPS - 2:
                messages.append({"role": "user", "content": "下一步必须输出 answer。"})
    finally:
        await close_client(client)
    raise LLMAnswerError(f"模型在 {MAX_STEPS} 步内没有给出最终回答")


def _answer(final: FinalAnswer, evidence: Evidence) -> Answer:
    if not final.found:
        return Answer(answer=final.answer.strip() or NO_DATA, mode="llm")
    cited = citations([evidence.records[c] for c in final.citations])
    return Answer(answer=final.answer, table=[dict(r) for r in final.rows], citations=cited, mode="llm")


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop (an async app)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def answer_llm(question: str, history: list[Turn], services: Services, departments: tuple[str, ...] = ()) -> Answer:
    """Answer through the configured LLM with the three tools; raises LLMAnswerError when it cannot."""
    return _run(lambda: _loop(question, history, services, departments))
