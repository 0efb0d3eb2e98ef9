"""LLM mode end to end against a real local chat-completions server with scripted replies (tests/openai_stub.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from eval.qa_eval import check_qa_floors, load_questions, run_qa_eval
from retrieval.ask import Plan, Turn, answer
from retrieval.ask.chat import resolve
from retrieval.ask.offline import base_query
from retrieval.ask.vocabulary import load_vocabulary
from retrieval.services import Services
from tests.corpus.test_ask import QA, corpus_services
from tests.openai_stub import Reply, StubServer


@pytest.fixture(scope="module")
def corpus_svc(corpus: Path) -> Services:
    return corpus_services(corpus)


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


@pytest.fixture
def services(corpus_svc: Services, stub: StubServer) -> Services:
    """The ingested corpus with an LLM configured: the stub server."""
    svc = copy.copy(corpus_svc)
    svc.settings = corpus_svc.settings.model_copy(update={
        "llm_base_url": stub.url, "llm_model": "stub-model", "llm_api_key": SecretStr("sk-ask"),
        "llm_backoff_seconds": 0.01, "llm_timeout": 10.0, "llm_max_retries": 1})
    return svc


def act(**action: Any) -> Reply:
    """A scripted step: the model's arguments for the Step tool."""
    return Reply({"action": action})


def tool_result(request: dict[str, Any]) -> dict[str, Any]:
    """The last tool result the model was shown."""
    text = next(m["content"] for m in reversed(request["messages"])
                if m["role"] == "user" and m["content"].startswith("工具 "))
    # raw_decode: in md_json mode instructor appends its own instructions after the JSON
    return dict(json.JSONDecoder().raw_decode(text.split("\n", 1)[1])[0])


def cite_rows(request: dict[str, Any]) -> Reply:
    """A model that answers from the rows it was given, quoting their budgets."""
    rows = tool_result(request)["rows"]
    text = "；".join(f"{r['project']}（{r['department']}）预算 {r['budget_total']:.2f} 万元" if r.get("budget_total")
                    else f"{r['project']}（{r['department']}）预算未列出" for r in rows)
    table = [{"项目": r["project"], "部门": r["department"], "预算（万元）": r.get("budget_total")} for r in rows]
    return act(tool="answer", answer=text, citations=[r["id"] for r in rows], rows=table)


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_tool_call_then_cited_answer(services: Services, stub: StubServer, mode: str) -> None:
    services.settings = services.settings.model_copy(update={"llm_mode": mode})
    stub.push(act(tool="query", subject="project", terms=["见义勇为"]), cite_rows)
    a = answer("哪些部门有见义勇为相关项目？预算各多少？", services)
    assert a.mode == "llm"
    assert {c.project for c in a.citations} == {"见义勇为专项资金", "见义勇为奖励、慰问经费"}
    assert {c.source for c in a.citations} == {"001.pdf", "002.pdf"} and all(c.page for c in a.citations)
    assert "见义勇为奖励、慰问经费（中国共产党遂宁市委员会政法委员会）预算 5.00 万元" in a.answer
    first, second = stub.requests
    assert ("tools" in first) == (mode == "tools") and "已导入的部门" in first["messages"][0]["content"]
    assert tool_result(second)["count"] == 2  # the tool ran against the store and its result went back
    assert set(json.loads(a.model_dump_json())) == {"answer", "citations", "table", "mode"}


def test_search_then_project_record(services: Services, stub: StubServer) -> None:
    def open_first_hit(request: dict[str, Any]) -> Reply:
        hit = next(h for h in tool_result(request)["hits"] if h["kind"] == "project")
        return act(tool="get_project", project_id=hit["project_id"])

    def answer_targets(request: dict[str, Any]) -> Reply:
        project = tool_result(request)
        sat = [i for i in project["indicators"] if "满意" in i["level1"]]
        return act(tool="answer", answer="；".join(f"{i['indicator']}：{i['target']}" for i in sat),
                   citations=[i["id"] for i in sat])

    stub.push(act(tool="search", query="见义勇为奖励", kind="project", department="遂宁"), open_first_hit,
              answer_targets)
    a = answer("遂宁见义勇为项目的满意度目标是多少？", services, mode="llm")
    assert a.answer == "群众对社会治安的满意度：≥80%"
    assert [(c.project, c.indicator, c.source) for c in a.citations] == [
        ("见义勇为奖励、慰问经费", "群众对社会治安的满意度", "002.pdf")]


def test_invented_number_is_rejected_and_reasked(services: Services, stub: StubServer) -> None:
    stub.push(act(tool="query", subject="project", terms=["见义勇为"], departments=["遂宁"]),
              act(tool="answer", answer="遂宁见义勇为奖励、慰问经费预算 8.00 万元。", citations=["p1"]),
              cite_rows)
    a = answer("遂宁见义勇为项目预算多少？", services, mode="llm")
    assert "5.00 万元" in a.answer and "8.00" not in a.answer and a.mode == "llm"
    reask = json.dumps(stub.requests[2]["messages"], ensure_ascii=False)
    assert "8.00 不在任何工具结果中" in reask


def test_a_model_that_keeps_inventing_gets_no_answer(services: Services, stub: StubServer) -> None:
    invent = act(tool="answer", answer="遂宁见义勇为奖励、慰问经费预算 8.00 万元。", citations=[])
    stub.push(act(tool="query", subject="project", terms=["见义勇为"]), invent, invent)
    a = answer("遂宁见义勇为项目预算多少？", services, mode="llm")
    assert a.mode == "llm" and a.citations == [] and a.table == []
    assert a.answer.startswith("没有得到有依据的回答") and "8.00" not in a.answer
    # auto mode: the same failure falls back to the offline answer instead
    stub.push(act(tool="query", subject="project", terms=["见义勇为"]), invent, invent)
    fallback = answer("遂宁见义勇为项目预算多少？", services, mode="auto")
    assert fallback.mode == "offline" and "5.00 万元" in fallback.answer


def test_nothing_found_says_so(services: Services, stub: StubServer) -> None:
    stub.push(act(tool="query", subject="project", terms=["成都"]),
              act(tool="answer", found=False, answer="没有找到成都的项目数据。"))
    a = answer("成都有哪些项目？", services, mode="llm")
    assert a.answer == "没有找到成都的项目数据。" and a.citations == [] and a.table == []


def test_history_reaches_the_model(services: Services, stub: StubServer) -> None:
    stub.push(act(tool="query", subject="project", terms=["信息化"], departments=["宿州"]), cite_rows)
    history = [Turn(question="各部门信息化项目预算合计", answer="宿州……")]
    a = answer("那宿州的呢？", services, history=history, mode="llm")
    assert a.citations and all(c.source == "000.pdf" for c in a.citations)
    roles = [m["role"] for m in stub.requests[0]["messages"]]
    assert roles == ["system", "user", "assistant", "user"]


# ---- The QA eval through the LLM loop: a scripted model that plans one query and answers from its result. ----

ANALYZE_FIELDS = {"intent", "departments", "fiscal_year", "group_by", "counted", "metric", "part", "top_n",
                  "descending"}


def scripted_model(services: Services) -> Any:
    vocab = load_vocabulary(services.store)

    def respond(request: dict[str, Any]) -> Reply:
        messages = request["messages"]
        users = [m["content"] for m in messages if m["role"] == "user" and not m["content"].startswith("工具 ")]
        plan = resolve(users[-1], [Turn(question=q) for q in users[:-1]], vocab)
        if messages[-1]["content"].startswith("工具 "):
            return _answer_from(tool_result(request), plan)
        if plan.intent in ("rank", "versus", "share", "kinds"):  # analyst plans: the analyze tool, same fields
            return act(tool="analyze", **plan.model_dump(include=ANALYZE_FIELDS))
        q = base_query(plan)
        update: dict[str, Any] = {"group_by": plan.group_by}
        if plan.intent == "top":
            update.update(order_by="budget" if q.measure == "budget" else "value", descending=plan.descending,
                          limit=plan.top_n or 1)
        return act(tool="query", **q.model_copy(update=update).model_dump(exclude_defaults=True))

    return respond


def _answer_from(result: dict[str, Any], plan: Plan) -> Reply:
    if "answer" in result:  # the analyze tool computed and worded it; the model passes it on with its rows
        return act(tool="answer", answer=result["answer"], rows=result["table"],
                   citations=[r["id"] for r in result["rows"]])
    rows, groups = result["rows"], result.get("groups", [])
    if not result["count"]:
        return act(tool="answer", found=False, answer="没有找到符合条件的数据。")
    if plan.intent == "top" and plan.subject == "department":
        groups = sorted(groups, key=lambda g: g["sum"] or 0, reverse=plan.descending)[:1]
    lines = [f"共 {result['count']} 条。"]
    if result["total"]["sum"] is not None:
        lines.append(f"合计 {result['total']['sum']:.2f}，平均 {result['total']['avg']:.2f}。")
    lines += [f"{g['key']}：{g['count']} 个" + (f"，合计 {g['sum']:.2f}" if g["sum"] is not None else "")
              for g in groups]
    table = [{"部门": g["key"], "数量": g["count"], "合计": g["sum"]} for g in groups] or [
        {"部门": r.get("department"), "项目": r.get("project"), "指标": r.get("indicator"),
         "预算（万元）": r.get("budget_total"), "数值": r.get("value")} for r in rows]
    return act(tool="answer", answer="\n".join(lines), rows=table, citations=[r["id"] for r in rows])


def test_qa_eval_through_the_llm_loop(services: Services, stub: StubServer) -> None:
    stub.responder = scripted_model(services)
    report = run_qa_eval(services, load_questions(QA / "questions.jsonl"), "llm")
    assert {r.get("mode") for r in report["per_question"]} == {"llm"}
    assert check_qa_floors({**report, "mode": "llm_scripted"}, QA / "floors.json") == []
