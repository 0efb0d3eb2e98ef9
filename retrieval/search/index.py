"""Chroma as the dense index: on disk by default, a `chroma run` server by URL; we supply the vectors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import numpy as np

from kernel.settings import Settings
from retrieval.search.embeddings import Embedder
from retrieval.search.records import IndexRecord

log = logging.getLogger(__name__)
COLLECTIONS = {"project": "jixiao_projects", "indicator": "jixiao_indicators"}
_BATCH = 512


def chroma_client(settings: Settings) -> Any:
    """PersistentClient under the data dir, or HttpClient when JIXIAO_CHROMA_URL is set."""
    import chromadb

    opts = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=opts)
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=opts)


def _nothing() -> None:
    """No writes to wait for (an index on its own)."""
    return None


class VectorIndex:
    """Project and indicator collections whose vectors all come from one named model."""

    def __init__(self, client: Any, embedder: Embedder) -> None:
        self.client = client
        self.embedder = embedder
        self.rebuilt = False
        # every read and write first waits for the writes queued before it (retrieval/search/background.py)
        self.settle: Callable[[], None] = _nothing
        self._cols = {kind: self._open(name) for kind, name in COLLECTIONS.items()}

    def _open(self, name: str) -> Any:
        col = self.client.get_or_create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine", "embedding_model": self.embedder.name})
        if (col.metadata or {}).get("embedding_model") != self.embedder.name:
            # Vectors from two models are not comparable: start the collection over, never mix.
            log.warning("collection %s was built with %s; rebuilding for %s", name,
                        (col.metadata or {}).get("embedding_model"), self.embedder.name)
            self.client.delete_collection(name)
            col = self.client.create_collection(
                name, embedding_function=None,
                metadata={"hnsw:space": "cosine", "embedding_model": self.embedder.name})
            self.rebuilt = True
        return col

    def upsert(self, records: list[IndexRecord]) -> None:
        """Embed and upsert records (ids are stable, so a corrected record replaces itself)."""
        self.settle()
        for kind, col in self._cols.items():
            batch = [r for r in records if r.kind == kind]
            for start in range(0, len(batch), _BATCH):
                part = batch[start:start + _BATCH]
                vectors = self.embedder.passages([r.text for r in part])
                col.upsert(ids=[r.id for r in part], embeddings=vectors.tolist(), documents=[r.text for r in part],
                           metadatas=[r.metadata for r in part])

    def delete(self, ids: list[str]) -> None:
        """Remove records by id."""
        self.settle()
        for kind, col in self._cols.items():
            prefix = "p" if kind == "project" else "i"
            mine = [i for i in ids if i.startswith(prefix)]
            if mine:
                col.delete(ids=mine)

    def delete_document(self, document_id: int) -> None:
        """Remove every record of one document."""
        self.settle()
        for col in self._cols.values():
            col.delete(where={"document_id": document_id})

    def query(self, kind: str, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
              ) -> list[tuple[str, float]]:
        """Nearest records as (id, cosine distance)."""
        self.settle()
        # No count() first: Chroma returns what it has for an empty or smaller collection, and counting 100k
        # records cost 6 ms a collection, twice a search (more than the nearest-neighbour query itself).
        res = self._cols[kind].query(query_embeddings=[vector.tolist()], n_results=n, where=where or None,
                                     include=["distances"])
        return list(zip(res["ids"][0], res["distances"][0], strict=True))

    def held(self, document_id: int | None = None) -> dict[str, tuple[str, dict[str, Any]]]:
        """What the index holds (one document's records, or all): id -> (text, metadata), to compare with the store."""
        self.settle()
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        where = None if document_id is None else {"document_id": document_id}
        for col in self._cols.values():
            offset = 0
            while True:
                got = col.get(where=where, include=["documents", "metadatas"], limit=5000, offset=offset)
                for rid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                    out[rid] = (text or "", dict(meta or {}))
                if len(got["ids"]) < 5000:
                    break
                offset += len(got["ids"])
        return out

    def ids(self, kind: str) -> set[str]:
        """All record ids in one collection."""
        self.settle()
        col = self._cols[kind]
        out: set[str] = set()
        offset = 0
        while True:
            got = col.get(include=[], limit=5000, offset=offset)["ids"]
            out.update(got)
            if len(got) < 5000:
                return out
            offset += len(got)

    def count(self) -> int:
        """Records in both collections."""
        self.settle()
        return sum(c.count() for c in self._cols.values())

    def reset(self) -> None:
        """Drop and recreate both collections."""
        self.settle()
        for name in COLLECTIONS.values():
            self.client.delete_collection(name)
        self._cols = {kind: self._open(name) for kind, name in COLLECTIONS.items()}
