"""On-disk reply cache keyed by (prompt version, model, input hash): re-runs of the same rows are free."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def cache_key(prompt_id: str, model: str, messages: list[dict[str, str]]) -> str:
    """The key of one request: prompt id with version, model, and a hash of the exact input."""
    body = json.dumps(messages, ensure_ascii=False, sort_keys=True)
    input_hash = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return hashlib.sha256(f"{prompt_id}\n{model}\n{input_hash}".encode()).hexdigest()


class ReplyCache:
    """Validated replies as JSON files under one folder; root None disables it."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry, or None (missing, disabled or unreadable: a miss is never an error)."""
        if self.root is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
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
