"""Limits of jixiao serve on a live server: body size before reading, per-token rate, localhost by default."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.system.api_support import Server, assert_problem, jixiao, running_api


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An empty store with a 20 KB file limit and 8 requests a minute per token."""
    with running_api(tmp_path_factory.mktemp("small"), [], JIXIAO_MAX_FILE_MB="0.02",
                     JIXIAO_API_RATE_PER_MINUTE="8") as server:
        yield server


def _raw(server: Server, head: bytes) -> bytes:
    """Send only a request head (no body) and read the answer: the server must answer without the body."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(head)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


def test_an_oversize_body_is_refused_before_it_is_read(small: Server) -> None:
    token = small.tokens["writer"]
    head = (f"POST /v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000000\r\n\r\n").encode()
    answer = _raw(small, head)  # 5 GB announced, none sent: a reply at all proves nothing was waited for
    assert answer.startswith(b"HTTP/1.1 413") and b"application/problem+json" in answer, answer[:300]
    with small.client() as c:
        assert_problem(c.post("/v1/extract", files={"file": ("big.txt", b"x" * 40_000)}), 413)

        def chunks() -> Iterator[bytes]:  # no Content-Length: cut off once the cap is passed
            yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
            for _ in range(100):
                yield b"y" * 10_000

        r = c.post("/v1/documents", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
        assert_problem(r, 413)


def test_a_file_just_under_the_limit_passes_the_size_check(small: Server, corpus: Path) -> None:
    data = (corpus / "seeds" / "004.txt").read_bytes()[:15_000]
    with small.client("reader") as c:
        r = c.post("/v1/extract", files={"file": ("004.txt", data)})
        assert r.status_code in (200, 422) and r.status_code != 413, r.text[:300]


def test_each_token_has_its_own_rate_limit(small: Server) -> None:
    with small.client("reader") as c:
        codes = [c.get("/v1/documents").status_code for _ in range(12)]
        assert codes[:6] == [200] * 6 and codes[-1] == 429, codes
        limited = c.get("/v1/documents")
        doc = assert_problem(limited, 429)
        assert int(limited.headers["retry-after"]) >= 1 and "reader" in doc["detail"]
    with small.client("writer") as other:  # another token is not held back by this one
        assert other.get("/v1/documents").status_code == 200
    assert httpx.get(f"{small.url}/openapi.json").status_code == 200


def test_serve_stays_on_this_machine_unless_told(small: Server) -> None:
    r = jixiao(small.env, "serve", "--host", "0.0.0.0", "--port", "1", timeout=60)
    assert r.returncode == 2 and "--public" in r.stderr
