"""A real OpenAI chat-completions server on 127.0.0.1 with scripted replies, for tests and bench/llm_tokens.py.

It speaks the protocol over HTTP (POST /v1/chat/completions), so the openai client, instructor and
jixiao run unchanged against it. Each request takes the next scripted Reply (or asks a responder
function); tool-calling requests get a tool call, others get JSON content (fenced for md_json).

usage is a deterministic estimate, not a tokenizer: prompt_tokens = ceil(characters / 1.5) over the
text of every message plus the JSON of `tools` and `response_format` (a real server counts the schema
too); completion_tokens = ceil(characters / 1.5) of the reply text (content or tool-call arguments).
1.5 characters per token sits between Chinese text (~1 token per character on Qwen/DeepSeek
tokenizers) and ASCII JSON (~4 characters per token).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHARS_PER_TOKEN = 1.5


@dataclass
class Reply:
    """One scripted answer: a payload (dict -> JSON, str -> sent as is), or an HTTP error, after a delay."""

    payload: dict[str, Any] | str | None = None
    status: int = 200
    message: str = "scripted error"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str = "stop"
    content: bool = False  # answer in message.content even when tools were requested


Responder = Callable[[dict[str, Any]], Reply]


def tokens(chars: int) -> int:
    """The stub's token estimate for a number of characters."""
    return math.ceil(chars / CHARS_PER_TOKEN)


def _message_chars(message: dict[str, Any]) -> int:
    content = message.get("content") or ""
    chars = len(content) if isinstance(content, str) else len(json.dumps(content, ensure_ascii=False))
    for call in message.get("tool_calls") or []:
        chars += len(call.get("function", {}).get("arguments", ""))
    return chars


def prompt_tokens(request: dict[str, Any]) -> int:
    """Estimated prompt tokens of a chat-completions request."""
    chars = sum(_message_chars(m) for m in request.get("messages", []))
    for key in ("tools", "response_format"):
        if key in request:
            chars += len(json.dumps(request[key], ensure_ascii=False))
    return tokens(chars)


def user_text(request: dict[str, Any]) -> str:
    """All user messages of a request, joined."""
    return "\n".join(m.get("content") or "" for m in request.get("messages", []) if m.get("role") == "user")


def completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The chat.completion body for a scripted reply."""
    payload = reply.payload if reply.payload is not None else {}
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    tools = request.get("tools")
    message: dict[str, Any]
    if tools and not reply.content:
        name = tools[0]["function"]["name"]
        message = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": name, "arguments": text}}]}
    else:
        fenced = "```json" in user_text(request)  # instructor's md_json mode asks for a fenced block
        message = {"role": "assistant", "content": f"```json\n{text}\n```" if fenced else text}
    usage = {"prompt_tokens": prompt_tokens(request), "completion_tokens": tokens(len(text))}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return {"id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
            "model": request.get("model", "stub"), "usage": usage,
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}]}


class StubServer:
    """The server, its script and the requests it received."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.script: deque[Reply | Responder] = deque()
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        """The /v1 base URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def push(self, *replies: Reply | Responder) -> None:
        """Queue replies (or responder functions) for the next requests, in order."""
        with self._lock:
            self.script.extend(replies)

    def _next(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            step = self.script.popleft() if self.script else self.responder
        if step is None:
            return Reply(status=500, message="no scripted reply left")
        return step if isinstance(step, Reply) else step(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with stub._lock:
                    stub.auth.append(self.headers.get("authorization", ""))
                request = json.loads(body or b"{}")
                with stub._lock:
                    stub.in_flight += 1
                    stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
                try:
                    reply = stub._next(request)
                    time.sleep(reply.delay)
                finally:
                    with stub._lock:
                        stub.in_flight -= 1
                if reply.status != 200:
                    out = {"error": {"message": reply.message, "type": "scripted", "code": reply.status}}
                else:
                    out = completion(request, reply)
                data = json.dumps(out, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

        return Handler

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# ---- Scripted model behaviour: a reader of jixiao's row-id prompts (for end-to-end tests and the benchmark). ----

def _fields(header: list[str], cells: list[str]) -> dict[str, str]:
    from extractor.layout.vocabulary import header_field, wide_field

    out: dict[str, str] = {}
    for c, cell in enumerate(cells):
        name = header[c] if c < len(header) else ""
        field_name = (header_field(name) or wide_field(name)) if name else None
        if cell and field_name:
            out[field_name] = cell  # the later block of side-by-side columns is the annual one
    return out


def table_reader(request: dict[str, Any]) -> Reply:
    """A model that reads each row through its header's vocabulary and answers only what it can ground."""
    from extractor.cells import parse_direction, parse_weight
    from extractor.layout.indicators import detect_header
    from extractor.layout.vocabulary import form_field, is_level1, is_level2, strip_name_prefix, strip_numbering
    from extractor.llm.ground import Grounding, check_indicator, check_project, fold
    from extractor.llm.replies import LLMIndicator, LLMProject
    from extractor.values import parse_target

    text = user_text(request).split("表格>>>")[0]
    header: list[str] = []
    level1 = level2 = None
    projects: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for line in text.splitlines():
        if line.startswith("[表头] "):
            header = line.removeprefix("[表头] ").split(" | ")
        elif line.startswith("[上文] "):
            for part in line.removeprefix("[上文] ").split("；"):
                key, _, value = part.partition("：")
                level1 = value if key == "一级指标" else level1
                level2 = value if key == "二级指标" else level2
        elif line[:1] == "T" and " | " in line:
            rid, *cells = line.split(" | ")
            if detect_header(cells):
                header = cells
                continue
            f = _fields(header, cells)
            level1 = next((strip_numbering(c) for c in cells if c and is_level1(c)), level1)
            level2 = next((strip_numbering(c) for c in cells if c and is_level2(c)), level2)
            g = Grounding(rows={rid: tuple(c for c in cells if c)}, shown=fold(text))
            label = next((i for i, c in enumerate(cells) if c and form_field(c) == "name"), None)
            name = next((c for c in cells[label + 1:] if c), None) if label is not None else f.get("project")
            if name:
                project = {"rows": [rid], "name": name, "total": f.get("total")}
                if not check_project(LLMProject.model_validate(project), g, "p"):
                    projects.append(project)
            nature = f.get("nature", "")
            target = "".join(("" if nature in ("定性", "定量") else nature, f.get("target", ""), f.get("unit", "")))
            if not target or not level1:
                continue
            parsed = parse_target(target)
            ind = {"rows": [rid], "level1": level1, "level2": level2, "name": strip_name_prefix(f.get("name", "")),
                   "target": "".join(target.split()), "operator": parsed.operator, "value": parsed.value,
                   "value_max": parsed.value_max, "unit": parsed.unit, "weight": parse_weight(f.get("weight", "")),
                   "direction": parse_direction(f.get("direction", ""))}
            if not check_indicator(LLMIndicator.model_validate(ind), g, "i"):
                indicators.append({k: v for k, v in ind.items() if v is not None})
    return Reply({"projects": projects, "indicators": indicators})
