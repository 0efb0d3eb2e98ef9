"""One request through instructor to a real local chat-completions server: modes, re-asks, backoff, failures."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from extractor.llm.client import Asker, Usage, close_client, make_client
from extractor.llm.ground import Grounding, fold
from extractor.llm.replies import ChunkReply, bind
from kernel.errors import LLMError
from kernel.settings import Settings
from tests.openai_stub import Reply, StubServer, prompt_tokens, tokens

ROW = ("产出指标", "数量指标", "培训场次", "不少于5场")
MODEL = bind(Grounding(rows={"T1R2": ROW}, shown=fold("".join(ROW))))
MESSAGES = [{"role": "system", "content": "读表"}, {"role": "user", "content": "T1R2 | " + " | ".join(ROW)}]
GOOD = {"indicators": [{"rows": ["T1R2"], "level1": "产出指标", "level2": "数量指标", "name": "培训场次",
                        "target": "不少于5场", "operator": ">=", "value": 5, "unit": "场"}]}
WRONG = {"indicators": [{**GOOD["indicators"][0], "value": 50}]}


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def settings(stub: StubServer, **kw: Any) -> Settings:
    base: dict[str, Any] = {"llm_base_url": stub.url, "llm_model": "stub-model", "llm_api_key": SecretStr("sk-unit"),
                            "llm_backoff_seconds": 0.01, "llm_timeout": 5.0}
    return Settings(**{**base, **kw})


def ask(s: Settings) -> tuple[ChunkReply | LLMError, Usage, list[float]]:
    """Run one Asker call; returns the reply or the error, the usage and the backoff sleeps."""
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def run() -> tuple[ChunkReply | LLMError, Usage]:
        client = make_client(s)
        usage = Usage()
        try:
            return await Asker(client, s, usage, sleep=sleep)(MESSAGES, MODEL), usage
        except LLMError as exc:
            return exc, usage
        finally:
            await close_client(client)

    result, usage = asyncio.run(run())
    return result, usage, slept


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_valid_reply_in_every_mode(stub: StubServer, mode: str) -> None:
    stub.push(Reply(GOOD))
    reply, usage, _ = ask(settings(stub, llm_mode=mode))
    assert isinstance(reply, ChunkReply) and reply.indicators[0].value == 5
    request = stub.requests[0]
    assert ("tools" in request) == (mode == "tools")
    assert (request.get("response_format") == {"type": "json_object"}) == (mode == "json")
    assert request["model"] == "stub-model" and request["temperature"] == 0
    assert usage.prompt == prompt_tokens(request) and usage.completion > 0


def test_json_content_reply_to_a_tools_request_is_reasked(stub: StubServer) -> None:
    stub.push(Reply(GOOD, content=True), Reply(GOOD))
    reply, _, _ = ask(settings(stub))
    assert isinstance(reply, ChunkReply) and len(stub.requests) == 2


def test_invalid_then_valid_reasks_with_the_validation_error(stub: StubServer) -> None:
    stub.push(Reply(WRONG), Reply(GOOD))
    reply, usage, _ = ask(settings(stub))
    assert isinstance(reply, ChunkReply) and reply.indicators[0].value == 5
    assert len(stub.requests) == 2
    reask = str(stub.requests[1]["messages"][-1]["content"])
    assert "value=50 不在指标值原文「不少于5场」中" in reask
    assert usage.prompt == prompt_tokens(stub.requests[0]) + prompt_tokens(stub.requests[1])


def test_malformed_json_then_valid(stub: StubServer) -> None:
    stub.push(Reply('{"indicators": [{"rows": ["T1R2"], "level1": '), Reply(GOOD))
    reply, _, _ = ask(settings(stub, llm_mode="json"))
    assert isinstance(reply, ChunkReply) and len(stub.requests) == 2


def test_always_invalid_gives_up_after_max_retries(stub: StubServer) -> None:
    stub.push(*[Reply(WRONG)] * 3)
    error, usage, _ = ask(settings(stub, llm_max_retries=2))
    assert isinstance(error, LLMError) and error.kind == "invalid" and "3 次均未通过校验" in error.message
    assert len(stub.requests) == 3 and usage.completion == 3 * tokens(len(json.dumps(WRONG, ensure_ascii=False)))


def test_429_backs_off_honouring_retry_after(stub: StubServer) -> None:
    stub.push(Reply(status=429, headers={"retry-after": "2"}), Reply(GOOD))
    reply, _, slept = ask(settings(stub))
    assert isinstance(reply, ChunkReply) and len(stub.requests) == 2 and slept == [2.0]


def test_500_backs_off_with_jitter(stub: StubServer) -> None:
    stub.push(Reply(status=500), Reply(status=503), Reply(GOOD))
    reply, _, slept = ask(settings(stub, llm_backoff_seconds=1.0))
    assert isinstance(reply, ChunkReply) and len(slept) == 2
    assert 0 <= slept[0] <= 1.0 and 0 <= slept[1] <= 2.0


def test_timeout_is_retried(stub: StubServer) -> None:
    stub.push(Reply(GOOD, delay=1.5), Reply(GOOD))
    reply, _, slept = ask(settings(stub, llm_timeout=0.3))
    assert isinstance(reply, ChunkReply) and len(slept) == 1


def test_repeated_server_errors_end_as_a_transport_failure(stub: StubServer) -> None:
    stub.push(*[Reply(status=500)] * 3)
    error, _, slept = ask(settings(stub, llm_transport_retries=2))
    assert isinstance(error, LLMError) and error.kind == "transport" and "HTTP 500" in error.message
    assert len(stub.requests) == 3 and len(slept) == 2


def test_rejected_key_is_not_retried(stub: StubServer) -> None:
    stub.push(Reply(status=401, message="Incorrect API key provided: sk-unit"))
    error, _, slept = ask(settings(stub))
    assert isinstance(error, LLMError) and error.kind == "refused" and "HTTP 401" in error.message
    assert "sk-unit" not in error.message and len(stub.requests) == 1 and slept == []
    assert stub.auth == ["Bearer sk-unit"]


def test_truncated_output_is_reported_not_retried(stub: StubServer) -> None:
    stub.push(Reply('{"indicators": [{"rows": ["T1R2"], "level1": "产出', finish_reason="length"))
    error, usage, _ = ask(settings(stub))
    assert isinstance(error, LLMError) and error.kind == "truncated" and len(stub.requests) == 1
    assert usage.completion > 0  # a truncated reply still costs tokens


def test_token_budget_stops_reasks(stub: StubServer) -> None:
    stub.push(*[Reply(WRONG)] * 3)
    error, usage, _ = ask(settings(stub, llm_max_document_tokens=10))
    assert isinstance(error, LLMError) and error.kind == "budget" and len(stub.requests) == 1
    assert usage.total > 10
