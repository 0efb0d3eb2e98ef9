"""The shared LLM edge: instructor over an OpenAI-compatible endpoint, with re-asks, backoff, a token budget and
usage counts; generic over the response model, so extraction and ask use the same Asker."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import instructor
import openai
import pydantic
from instructor.core import IncompleteOutputException, InstructorError, ResponseParsingError
from instructor.core.hooks import Hooks
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt, stop_any
from tenacity.stop import stop_base

from kernel.errors import LLMError
from kernel.settings import Settings

log = logging.getLogger(__name__)
Reply = TypeVar("Reply", bound=pydantic.BaseModel)
MODES = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}
BACKOFF_CAP = 30.0  # seconds; longer Retry-After values are capped so one document cannot stall a batch
_REDACTED = "[已隐藏]"


@dataclass
class Usage:
    """Tokens one document used, from the usage field of every response (re-asks and truncated ones too)."""

    prompt: int = 0
    completion: int = 0

    @property
    def total(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt + self.completion

    def add(self, response: Any) -> None:
        """Count one chat-completion response."""
        usage = getattr(response, "usage", None)
        self.prompt += int(getattr(usage, "prompt_tokens", 0) or 0)
        self.completion += int(getattr(usage, "completion_tokens", 0) or 0)


def redact(text: str, secret: str | None) -> str:
    """Text with the secret removed (servers may echo a rejected key in their error body)."""
    return text.replace(secret, _REDACTED) if secret and len(secret) >= 4 else text


class _RedactFilter(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drops it."""
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = redact(message, self.secret), None
        if record.exc_info:  # a traceback carries exception messages, which may quote a server's error body
            text = logging.Formatter().formatException(record.exc_info)
            if self.secret in text:
                record.exc_info, record.exc_text = None, redact(text, self.secret)
        return True


def guard_logs(secret: str | None) -> None:
    """Keep the API key out of third-party log records, and silence instructor's own failure logs."""
    # instructor logs every failed call at ERROR with the server's error body; we report each failure
    # once, in Chinese and redacted, so its records would only duplicate ours (and could carry the key).
    names = ("instructor", "openai", "httpx", "httpx2", "httpcore")
    prefixes = tuple(f"{n}." for n in names)
    existing = [n for n in list(logging.root.manager.loggerDict) if n.startswith(prefixes)]
    loggers = [logging.getLogger(n) for n in (*names, *existing)]
    for lg in loggers:
        if secret and not any(isinstance(f, _RedactFilter) and f.secret == secret for f in lg.filters):
            lg.addFilter(_RedactFilter(secret))
    retry_logger = logging.getLogger("instructor.v2.retry")
    if retry_logger.level == logging.NOTSET:
        retry_logger.setLevel(logging.CRITICAL)


def make_client(settings: Settings) -> instructor.AsyncInstructor:
    """An async instructor client for the configured endpoint (openai's own retries off: ours have jitter)."""
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    guard_logs(key)
    raw = openai.AsyncOpenAI(base_url=settings.llm_base_url, api_key=key or "unused", timeout=settings.llm_timeout,
                             max_retries=0)
    return instructor.from_openai(raw, mode=MODES[settings.llm_mode])


async def close_client(client: instructor.AsyncInstructor) -> None:
    """Close the HTTP connections of a client made by make_client."""
    raw = getattr(client, "client", None)
    if raw is not None and hasattr(raw, "close"):
        await raw.close()


def backoff_delay(attempt: int, base: float, retry_after: float | None, rand: Callable[[], float]) -> float:
    """Full-jitter exponential backoff; a server's Retry-After is the floor. attempt counts from 0."""
    delay = rand() * min(BACKOFF_CAP, base * 2**attempt)
    return min(BACKOFF_CAP, max(delay, retry_after or 0.0))


def _root(exc: BaseException) -> BaseException:
    """The first openai or parsing error in the chain instructor wraps around it."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, openai.APIError | pydantic.ValidationError | json.JSONDecodeError | ResponseParsingError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc


def _retry_after(exc: openai.APIStatusError) -> float | None:
    try:
        return float(exc.response.headers.get("retry-after", ""))
    except ValueError:
        return None


def _invalid_message(exc: BaseException, attempts: int) -> str:
    if isinstance(exc, pydantic.ValidationError):
        first = exc.errors()[0]
        detail = str(first.get("msg", "")).removeprefix("Value error, ")
    else:
        detail = "回复不是有效的 JSON" if not isinstance(exc, ResponseParsingError) else "回复中没有结构化结果"
    lines = [ln for ln in detail.splitlines() if ln.strip()][:3]
    return f"模型回复 {attempts} 次均未通过校验：" + " ".join(lines)[:300]


class _StopWhen(stop_base):
    """A tenacity stop condition from a plain check (the document's token budget)."""

    def __init__(self, check: Callable[[], bool]) -> None:
        self.check = check

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.check()


@dataclass
class Asker:
    """Asks for one validated reply: re-asks on validation errors, backs off on 429/5xx/timeouts."""

    client: instructor.AsyncInstructor
    settings: Settings
    usage: Usage = field(default_factory=Usage)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rand: Callable[[], float] = random.random

    def _over_budget(self) -> bool:
        return self.usage.total >= self.settings.llm_max_document_tokens

    def _budget_error(self) -> LLMError:
        return LLMError("budget", f"超出单文件 token 预算（已用 {self.usage.total}，上限 "
                                  f"{self.settings.llm_max_document_tokens}，JIXIAO_LLM_MAX_DOCUMENT_TOKENS）")

    async def __call__(self, messages: list[dict[str, str]], response_model: type[Reply]) -> Reply:
        """A reply that passed every validator, or LLMError."""
        s = self.settings
        for attempt in range(s.llm_transport_retries + 1):
            if self._over_budget():
                raise self._budget_error()
            hooks = Hooks()
            hooks.on("completion:response", self.usage.add)
            # Validation re-asks stop early once the document's token budget is spent.
            stop = stop_any(stop_after_attempt(s.llm_max_retries + 1), _StopWhen(self._over_budget))
            parse_errors = (pydantic.ValidationError, json.JSONDecodeError, ResponseParsingError)
            reasks = AsyncRetrying(stop=stop, retry=retry_if_exception_type(parse_errors), reraise=True)
            try:
                return await self.client.create(
                    messages=messages,  # type: ignore[arg-type]
                    response_model=response_model, max_retries=reasks, strict=False, hooks=hooks,
                    model=s.llm_model, temperature=0, max_tokens=s.llm_max_completion_tokens)
            except IncompleteOutputException as exc:
                raise LLMError("truncated", "模型输出被截断（finish_reason=length）") from exc
            except Exception as exc:  # classified: a failed request must never take the batch down
                root = _root(exc)
                error = self._classify(root)
                retry_after = _retry_after(root) if isinstance(root, openai.APIStatusError) else None
            if error.kind != "transport":
                raise error
            if attempt == s.llm_transport_retries:
                raise LLMError("transport", f"{error.message}，已重试 {attempt} 次" if attempt else error.message)
            delay = backoff_delay(attempt, s.llm_backoff_seconds, retry_after, self.rand)
            log.warning("%s；%.1f 秒后第 %d 次重试", error.message, delay, attempt + 1)
            await self.sleep(delay)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _classify(self, exc: BaseException) -> LLMError:
        if isinstance(exc, pydantic.ValidationError | json.JSONDecodeError | ResponseParsingError):
            if self._over_budget():
                return self._budget_error()
            return LLMError("invalid", _invalid_message(exc, self.settings.llm_max_retries + 1))
        if isinstance(exc, openai.APITimeoutError):
            reason = f"请求超时（{self.settings.llm_timeout:g} 秒）"
        elif isinstance(exc, openai.APIConnectionError):
            reason = "无法连接 LLM 服务"
        elif isinstance(exc, openai.APIStatusError) and (exc.status_code == 429 or exc.status_code >= 500):
            reason = f"LLM 服务返回 HTTP {exc.status_code}"
        elif isinstance(exc, openai.APIStatusError):
            hint = {401: "API 密钥无效", 403: "无权访问", 404: "地址或模型不存在"}.get(exc.status_code, "请求被拒绝")
            return LLMError("refused", f"LLM 服务拒绝请求（HTTP {exc.status_code}：{hint}）")
        elif isinstance(exc, InstructorError):  # configuration or mode problems do not heal by retrying
            return LLMError("refused", f"LLM 调用失败（{type(exc).__name__}）")
        else:
            reason = f"LLM 调用失败（{type(exc).__name__}）"
        return LLMError("transport", reason)
