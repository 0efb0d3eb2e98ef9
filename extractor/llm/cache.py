"""On-disk reply cache keyed by (prompt version, model, input hash): re-runs of the same rows are free."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from kernel.settings import Settings

log = logging.getLogger(__name__)
Reply = TypeVar("Reply", bound=pydantic.BaseModel)


def cache_key(prompt_id: str, model: str, messages: list[dict[str, str]]) -> str:
    """The key of one request: prompt id with version, model, and a hash of the exact input."""
    body = json.dumps(messages, ensure_ascii=False, sort_keys=True)
    input_hash = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return hashlib.sha256(f"{prompt_id}\n{model}\n{input_hash}".encode()).hexdigest()


PRUNE_EVERY = 50  # puts between size checks: walking the folder on every write would cost more than it saves


class ReplyCache:
    """Validated replies as JSON files under one folder, least recently used dropped past a size cap; root None
    disables it."""

    def __init__(self, root: Path | None, max_bytes: int = 200 * 1024 * 1024) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._puts = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> ReplyCache:
        """The configured cache (JIXIAO_LLM_CACHE, _CACHE_DIR, _CACHE_MAX_MB), shared by extraction and ask."""
        return cls(settings.llm_cache_path() if settings.llm_cache else None, settings.llm_cache_max_mb * 1024 * 1024)

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry, or None (missing, disabled or unreadable: a miss is never an error)."""
        if self.root is None:
            return None
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # a hit is a use: pruning drops the least recently used first
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store an entry atomically (a crash mid-write leaves no half file); failures are logged, not raised."""
        if self.root is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(entry, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("LLM 缓存写入失败（%s）：%s", path.parent, exc.strerror)
            return
        self._puts += 1
        if self._puts % PRUNE_EVERY == 1:
            self.prune()

    def reply(self, key: str, model: type[Reply]) -> Reply | None:
        """A cached reply re-validated by today's model (a reply cached under older validators must still pass)."""
        entry = self.get(key)
        if entry is None:
            return None
        try:
            return model.model_validate(entry.get("reply"))
        except pydantic.ValidationError:
            return None

    def keep(self, key: str, prompt_id: str, model_name: str, reply: pydantic.BaseModel) -> None:
        """Cache one validated reply with the prompt version and model that produced it."""
        self.put(key, {"prompt": prompt_id, "model": model_name, "reply": reply.model_dump(mode="json")})

    def prune(self) -> int:
        """Delete least recently used entries until the cache is under 90% of its cap; returns files removed."""
        if self.root is None or not self.root.is_dir():
            return 0
        entries = []
        for path in self.root.glob("*/*.json"):
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return 0
        removed = 0
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= 0.9 * self.max_bytes:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        log.info("LLM cache pruned: %d old replies removed", removed)
        return removed
