"""A live `jixiao serve` on a free 127.0.0.1 port over a temp store holding sample files, and tokens for it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import CORPUS, ROOT, free_port, wait_for_http

SEEDS = ("000.txt", "002.txt", "004.txt")  # 遂宁, …, 白云: three departments, read in seconds


def env_for(data: Path, **extra: str) -> dict[str, str]:
    """The environment of a jixiao process on this data dir: offline (no LLM), generous limits unless told."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env.update({"PYTHONPATH": str(ROOT), "JIXIAO_DATA_DIR": str(data), "JIXIAO_CORPUS_DIR": str(CORPUS),
                "JIXIAO_API_RATE_PER_MINUTE": "100000", **extra})
    return env


def jixiao(env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """The command line, as users run it."""
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout)


def new_token(env: dict[str, str], name: str, scope: str) -> str:
    """`jixiao token create`: the token is the last line of its output."""
    r = jixiao(env, "token", "create", "--name", name, "--scope", scope, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


@dataclass
class Server:
    """A running API: its base URL, data dir, environment and tokens by name."""

    url: str
    data: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes]
    tokens: dict[str, str]

    def client(self, token: str | None = "writer", **kw: object) -> httpx.Client:
        """An httpx client with that token (None: no Authorization header)."""
        headers = {"Authorization": f"Bearer {self.tokens[token]}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=300, **kw)  # type: ignore[arg-type]


@contextmanager
def running_api(data: Path, files: list[Path], **extra: str) -> Iterator[Server]:
    """Ingest `files` with `jixiao ingest`, make a read and a write token, start `jixiao serve`; stop it after."""
    env = env_for(data, **extra)
    if files:
        r = jixiao(env, "ingest", *map(str, files))
        assert r.returncode == 0, r.stderr
    tokens = {"reader": new_token(env, "reader", "read"), "writer": new_token(env, "审核员甲", "write")}
    port = free_port()
    log = (data / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_http(f"{url}/openapi.json", attempts=600):
            pytest.fail("jixiao serve did not start: " + (data / "serve.log").read_text(errors="replace")[-2000:])
        yield Server(url, data, env, proc, tokens)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_job(client: httpx.Client, job: dict, until: tuple[str, ...] = ("done", "failed", "cancelled", "waiting"),
             timeout: float = 300) -> dict:
    """Poll a job until it reaches one of `until`."""
    deadline = time.monotonic() + timeout
    while job["status"] not in until:
        assert time.monotonic() < deadline, job
        time.sleep(0.3)
        job = client.get(f"/v1/jobs/{job['id']}").raise_for_status().json()
    return job


def assert_problem(r: httpx.Response, status: int) -> dict:
    """An RFC 9457 problem of this status, titled in Chinese and English, with no traceback."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    doc = r.json()
    assert doc["status"] == status and doc["type"].startswith("https://")
    assert doc["title_zh"] and doc["title_en"] and doc["title"] == f"{doc['title_zh']} / {doc['title_en']}"
    assert "Traceback" not in r.text and 'File "' not in r.text
    return doc
