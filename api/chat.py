"""/v1/chat/completions and /v1/models, OpenAI-compatible: chat clients ask the corpus through the ask use case."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Reader
from api.problems import Problem
from api.state import services_of
from retrieval.ask.answers import AskMode, Turn
from retrieval.ask.api import answer
from retrieval.ask.markdown import as_text
from usecases import records

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible chat"])
MODELS: dict[str, AskMode] = {"jixiao": "auto", "jixiao-offline": "offline", "jixiao-llm": "llm"}
CHUNK = 24  # characters per streamed delta: a client shows the answer growing without a flood of events


class Message(BaseModel):
    """One chat message; content is text or OpenAI's list of parts (only text parts are read)."""

    model_config = ConfigDict(extra="ignore")  # name, tool_calls… of other clients carry nothing for a question
    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text."""
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """The fields of an OpenAI chat request an answer uses."""

    # OpenAI-compatible clients (Cherry Studio, ChatBox, Open WebUI) send sampling options an answer computed from
    # the records has no use for; refusing them would refuse those clients, so unknown fields are ignored here.
    model_config = ConfigDict(extra="ignore")
    model: str = "jixiao"
    messages: list[Message] = Field(min_length=1, max_length=100)
    stream: bool = False


def _question_and_history(messages: list[Message]) -> tuple[str, list[Turn]]:
    talk = [m for m in messages if m.role in ("user", "assistant")]
    if not talk or talk[-1].role != "user":
        raise Problem("invalid-input", "最后一条消息必须是用户的问题（role: user）")
    history, asked = [], None
    for m in talk[:-1]:
        if m.role == "user":
            asked = m.text()
        elif asked is not None:
            history.append(Turn(question=asked, answer=m.text()))
            asked = None
    return talk[-1].text(), history[-20:]


def _chunk(cid: str, model: str, created: int, delta: dict[str, Any], finish: str | None = None) -> str:
    doc = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
           "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(doc, ensure_ascii=False)}\n\n"


def _stream(cid: str, model: str, created: int, text: str) -> Iterator[str]:
    yield _chunk(cid, model, created, {"role": "assistant", "content": ""})
    for i in range(0, len(text), CHUNK):
        yield _chunk(cid, model, created, {"content": text[i:i + CHUNK]})
    yield _chunk(cid, model, created, {}, "stop")
    yield "data: [DONE]\n\n"


@router.get("/models", summary="The answer modes as OpenAI model ids")
def models(_: Reader) -> dict:
    """jixiao (LLM when configured, else offline), jixiao-offline, jixiao-llm."""
    return {"object": "list", "data": [{"id": m, "object": "model", "created": 0, "owned_by": "jixiao"}
                                       for m in MODELS]}


@router.post("/chat/completions", summary="OpenAI-compatible chat: the last user message is asked of the corpus",
             response_model=None)
async def completions(request: Request, _: Reader, body: ChatRequest) -> dict | StreamingResponse:
    """A cited answer (text, table rows, 依据 lines), whole or streamed as server-sent events."""
    if body.model not in MODELS:
        raise Problem("not-found", f"没有这个模型：{body.model[:100]}；可用：{'、'.join(MODELS)}")
    services = services_of(request)
    question, history = _question_and_history(body.messages)
    result = await run_in_threadpool(answer, question, services, history, MODELS[body.model])
    text = as_text(result)
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if body.stream:
        return StreamingResponse(_stream(cid, body.model, created, text), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})
    cited = await run_in_threadpool(records.resolve_citations, services, result.citations)
    return {"id": cid, "object": "chat.completion", "created": created, "model": body.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "citations": cited}  # beside the standard fields: clients that do not know it ignore it
