"""Runs one document's chunks: cache first, bounded concurrency, split on truncation, stop the document on outage."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from extractor.llm.cache import ReplyCache, cache_key
from extractor.llm.chunks import Chunk
from extractor.llm.ground import Grounding
from extractor.llm.prompts import Messages, Prompt
from extractor.llm.replies import ChunkReply, bind
from kernel.errors import LLMError

log = logging.getLogger(__name__)
Ask = Callable[[Messages, type[ChunkReply]], Awaitable[ChunkReply]]
Split = Callable[[Chunk], tuple[Chunk, Chunk] | None]
_STOPPING = ("transport", "refused", "budget")  # failures that would only repeat on the document's other chunks


@dataclass
class ChunkResult:
    """What one chunk gave: a grounded reply, or why not."""

    chunk: Chunk
    reply: ChunkReply | None = None
    error: str | None = None
    cached: bool = False


class Runner:
    """Asks for every chunk of one document; never raises for a failed request."""

    def __init__(self, ask: Ask, cache: ReplyCache, prompt: Prompt, model: str, scope: str, concurrency: int,
                 split: Split) -> None:
        self.ask, self.cache, self.prompt, self.model, self.scope = ask, cache, prompt, model, scope
        self.split = split
        self.slots = asyncio.Semaphore(concurrency)
        self.stopped: str | None = None  # set once a failure means the document's other requests would fail too

    async def run(self, chunks: list[Chunk]) -> list[ChunkResult]:
        """Results in chunk order (a split chunk gives one result per part)."""
        parts = await asyncio.gather(*(self._one(c) for c in chunks))
        return [r for part in parts for r in part]

    def messages(self, chunk: Chunk) -> Messages:
        """The request for one chunk."""
        return self.prompt.messages(segments=list(chunk.segments), scope=self.scope)

    async def _one(self, chunk: Chunk) -> list[ChunkResult]:
        messages = self.messages(chunk)
        model = bind(Grounding.from_chunk(chunk))
        key = cache_key(self.prompt.id, self.model, messages)
        if (hit := self.cache.reply(key, model)) is not None:
            return [ChunkResult(chunk, hit, cached=True)]
        try:
            async with self.slots:
                if self.stopped:
                    return [ChunkResult(chunk, error=f"未发送：{self.stopped}")]
                reply = await self.ask(messages, model)
        except LLMError as exc:
            if exc.kind == "truncated":
                return await self._split(chunk, exc)
            if exc.kind in _STOPPING and not self.stopped:
                self.stopped = exc.message
            log.info("LLM 请求失败（%d 行）：%s", len(chunk.rows()), exc.message)  # reported on the Extraction
            return [ChunkResult(chunk, error=exc.message)]
        self.cache.keep(key, self.prompt.id, self.model, reply)
        return [ChunkResult(chunk, reply)]

    async def _split(self, chunk: Chunk, exc: LLMError) -> list[ChunkResult]:
        # The same prompt would be cut off at the same place again: ask for half the rows at a time instead.
        halves = self.split(chunk)
        if halves is None:
            return [ChunkResult(chunk, error=f"{exc.message}，且只有一行无法再拆分")]
        log.info("回复被截断，拆成 %d + %d 行重试", len(halves[0].rows()), len(halves[1].rows()))
        first, second = await asyncio.gather(self._one(halves[0]), self._one(halves[1]))
        return first + second
