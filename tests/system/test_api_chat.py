"""/v1/chat/completions and /v1/models through the official openai client against a live jixiao serve."""

from __future__ import annotations

import openai
import pytest

from tests.system.api_support import Server


def _client(api: Server, token: str = "reader") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{api.url}/v1", api_key=api.tokens[token], max_retries=0, timeout=300)


def test_models_list_the_answer_modes(api: Server) -> None:
    ids = [m.id for m in _client(api).models.list()]
    assert ids == ["jixiao", "jixiao-offline", "jixiao-llm"]


def test_a_chat_question_gets_a_cited_answer_whole_and_streamed(api: Server) -> None:
    client = _client(api)
    messages = [{"role": "system", "content": "你是绩效助手"},
                {"role": "user", "content": "哪个部门的满意度指标最多？"}]
    reply = client.chat.completions.create(model="jixiao-offline", messages=messages)  # type: ignore[arg-type]
    text = reply.choices[0].message.content or ""
    assert reply.choices[0].finish_reason == "stop" and reply.model == "jixiao-offline"
    assert "满意度" in text and "依据：" in text and "中共广州市白云区区委政法委员会" in text, text
    cited = reply.model_extra["citations"]  # type: ignore[index]
    assert cited and all(c["document_id"] for c in cited)
    stream = client.chat.completions.create(model="jixiao-offline", messages=messages,  # type: ignore[arg-type]
                                            stream=True)
    parts, finish = [], None
    for chunk in stream:
        parts.append(chunk.choices[0].delta.content or "")
        finish = chunk.choices[0].finish_reason or finish
    assert "".join(parts) == text and len(parts) > 3 and finish == "stop"


def test_a_follow_up_reads_the_earlier_turns(api: Server) -> None:
    client = _client(api)
    first = "白云区有哪些项目？"
    answer = client.chat.completions.create(model="jixiao", messages=[{"role": "user", "content": first}])
    follow = client.chat.completions.create(model="jixiao", messages=[
        {"role": "user", "content": first},
        {"role": "assistant", "content": answer.choices[0].message.content or ""},
        {"role": "user", "content": [{"type": "text", "text": "其中预算最高的是哪个？"}]}])  # type: ignore[list-item]
    text = follow.choices[0].message.content or ""
    assert text and "依据" in text, text


def test_chat_errors_reach_the_client_as_errors(api: Server) -> None:
    with pytest.raises(openai.NotFoundError):
        _client(api).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "你好"}])
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{api.url}/v1", api_key="sk-wrong", max_retries=0).models.list()
    with pytest.raises(openai.UnprocessableEntityError):
        _client(api).chat.completions.create(model="jixiao", messages=[{"role": "assistant", "content": "只有回答"}])
