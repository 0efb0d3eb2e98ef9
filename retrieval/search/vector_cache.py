"""Embeddings cached in the store by (model, text hash): a text embedded once is never embedded again.

Indicator names and targets repeat heavily across departments, and a correction changes one record of a
document: re-indexing it then embeds only the texts that changed.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from retrieval.search.embeddings import Embedder, Matrix
from retrieval.store.tables import VectorRow

log = logging.getLogger(__name__)
_MEMORY_ROWS = 50_000


def text_sha(text: str) -> str:
    """The cache key of one text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachingEmbedder:
    """An Embedder whose passages come from the store's vector cache when the same model embedded them before."""

    def __init__(self, inner: Embedder, engine: Engine | None) -> None:
        self.inner = inner
        self.name = inner.name
        self._engine = engine
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def query(self, text: str) -> Matrix:
        """Queries are not cached (they rarely repeat exactly)."""
        return self.inner.query(text)

    def passages(self, texts: list[str]) -> Matrix:
        """Vectors for texts, embedding only those neither memory nor the store holds."""
        keys = [text_sha(t) for t in texts]
        found = {k: self._memory[k] for k in keys if k in self._memory}
        wanted = sorted({k for k in keys if k not in found})
        if wanted and self._engine is not None:
            found.update(self._load(wanted))
        missing = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            vectors = self.inner.passages([t for _, t in missing])
            fresh = {k: np.asarray(v, dtype=np.float32) for (k, _), v in zip(missing, vectors, strict=True)}
            found.update(fresh)
            self._save(fresh)
        for k in keys:
            self._remember(k, found[k])
        if not keys:
            return self.inner.passages([])
        return np.stack([found[k] for k in keys])

    def _remember(self, key: str, vector: np.ndarray) -> None:
        self._memory[key] = vector
        self._memory.move_to_end(key)
        while len(self._memory) > _MEMORY_ROWS:
            self._memory.popitem(last=False)

    def _load(self, keys: list[str]) -> dict[str, np.ndarray]:
        assert self._engine is not None
        out: dict[str, np.ndarray] = {}
        with self._engine.connect() as conn:
            for start in range(0, len(keys), 500):
                q = select(VectorRow.text_sha, VectorRow.vector).where(
                    VectorRow.model == self.name, VectorRow.text_sha.in_(keys[start:start + 500]))
                for sha, blob in conn.execute(q):
                    out[sha] = np.frombuffer(blob, dtype=np.float32)
        return out

    def _save(self, vectors: dict[str, np.ndarray]) -> None:
        if self._engine is None or not vectors:
            return
        rows = [{"model": self.name, "text_sha": k, "vector": v.astype(np.float32).tobytes()}
                for k, v in vectors.items()]
        insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        try:
            with self._engine.begin() as conn:
                # Two writers may embed the same text: the first row stays, the other is a no-op.
                conn.execute(insert(VectorRow).on_conflict_do_nothing(), rows)
        except Exception as exc:  # a cache that cannot be written must not fail indexing
            log.warning("vector cache not written (%s)", exc)
