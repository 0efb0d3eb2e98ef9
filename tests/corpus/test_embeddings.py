"""Embedding backends: the offline models from wheels, and an OpenAI-compatible endpoint over real HTTP."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from kernel.settings import Settings
from retrieval.search.embeddings import OpenAIEmbedder, get_embedder
from retrieval.services import Services
from usecases.batch import ingest_paths


class _Embeddings(BaseHTTPRequestHandler):
    seen_keys: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Embeddings.seen_keys.append(self.headers.get("Authorization", ""))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = []
        for i, t in enumerate(texts):
            # deterministic 16-d vectors from character bigrams: similar texts get similar vectors
            v = np.zeros(16)
            for a, b in itertools.pairwise(t):
                v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % 16] += 1
            data.append({"object": "embedding", "index": i, "embedding": (v + 0.01).tolist()})
        out = json.dumps({"object": "list", "data": data, "model": body["model"],
                          "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture()
def embedding_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Embeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_local_models_are_normalised_and_chinese_aware() -> None:
    model = get_embedder(Settings())
    vecs = model.passages(["群众满意度", "服务对象满意度", "高清摄像机租赁"])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-4)
    q = model.query("老百姓是否满意")
    assert vecs[0] @ q > vecs[2] @ q


def test_openai_compatible_endpoint(embedding_server: str, tmp_path: Path, corpus: Path) -> None:
    settings = Settings(data_dir=tmp_path, embedding_backend="openai", embedding_url=embedding_server,
                        embedding_model="bge-m3", embedding_api_key="sk-test-secret")  # type: ignore[arg-type]
    embedder = get_embedder(settings)
    assert isinstance(embedder, OpenAIEmbedder) and embedder.name == "openai/bge-m3"
    svc = Services(settings)
    ingest_paths(svc, [corpus / "seeds" / "004.txt"])
    assert svc.check().clean
    assert svc.searcher.search("信创工作经费", top_k=1, mode="dense")[0].project == "信创工作经费"
    assert _Embeddings.seen_keys and all(k == "Bearer sk-test-secret" for k in _Embeddings.seen_keys)


def test_misconfigured_embedding_backend_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="JIXIAO_EMBEDDING_URL"):
        get_embedder(Settings(embedding_backend="openai"))
    with pytest.raises(ValueError, match="未知的本地向量模型"):
        get_embedder(Settings(embedding_model="nope"))
