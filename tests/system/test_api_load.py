"""Load and faults of jixiao serve: concurrent uploads beside searches, and a kill -9 in the middle of an upload."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port, wait_for_http
from tests.system.api_support import Server, running_api, wait_job

BAIYUN = "中共广州市白云区区委政法委员会"
PLACES = [a + b for a in "东西南北中" for b in "一二三四"]  # 20 departments nobody else has


def _disclosure(corpus: Path, place: str) -> bytes:
    """白云's disclosure as another department's: a different document, never a version of another upload."""
    text = (corpus / "seeds" / "004.txt").read_text(encoding="utf-8")
    return text.replace(BAIYUN, f"中共广州市{place}区区委政法委员会").encode("utf-8")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An empty store that takes 64 open uploads (the load below is not meant to meet the busy answer)."""
    with running_api(tmp_path_factory.mktemp("load"), [], JIXIAO_API_MAX_UPLOAD_JOBS="64") as server:
        yield server


def test_four_clients_upload_twenty_files_while_another_searches(loaded: Server, corpus: Path) -> None:
    files = {f"{p}.txt": _disclosure(corpus, p) for p in PLACES}
    names = list(files)
    failures: list[str] = []
    jobs: list[dict] = []
    lock = threading.Lock()
    uploading = threading.Event()

    def uploader(k: int) -> None:
        mine = [*names[k * 5:(k + 1) * 5], names[(k * 5 + 7) % 20]]  # five of its own and one another client sends
        with loaded.client() as c:
            for name in mine:
                r = c.post("/v1/documents", files={"file": (name, files[name])})
                if r.status_code != 202:
                    failures.append(f"upload {name}: {r.status_code} {r.text[:200]}")
                    continue
                with lock:
                    jobs.append(r.json())

    def searcher() -> None:
        with loaded.client("reader") as c:
            while uploading.is_set():
                for r in (c.get("/v1/search", params={"q": "满意度", "top_k": 5}),
                          c.post("/v1/ask", json={"question": "哪个部门的项目预算合计最高？", "mode": "offline"})):
                    if r.status_code != 200:
                        failures.append(f"{r.request.url.path}: {r.status_code} {r.text[:200]}")

    uploading.set()
    search_thread = threading.Thread(target=searcher)
    search_thread.start()
    threads = [threading.Thread(target=uploader, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with loaded.client() as c:
        finished = [wait_job(c, j, timeout=900) for j in jobs]
    uploading.clear()
    search_thread.join()
    assert not failures, failures
    assert len(finished) == 24 and all(j["status"] == "done" for j in finished), [j["outcome"] for j in finished]
    outcomes = sorted(j["outcome"]["status"] for j in finished)
    assert outcomes.count("new") == 20 and outcomes.count("duplicate") == 4, outcomes
    with loaded.client("reader") as c:
        docs = c.get("/v1/documents").json()["documents"]
        assert sorted(d["source"] for d in docs) == sorted(names)  # each file exactly once
        assert len({d["sha256"] for d in docs}) == 20 and all(d["projects"] == docs[0]["projects"] for d in docs)
        hits = c.get("/v1/search", params={"q": "政法", "kind": "project", "top_k": 200}).json()["hits"]
        assert {h["document_id"] for h in hits} == {d["id"] for d in docs}  # every one indexed


def _serve(data: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    assert wait_for_http(f"{url}/openapi.json", attempts=600), "jixiao serve did not start"
    return proc, url


def test_a_server_killed_mid_upload_leaves_nothing_half_stored(tmp_path: Path, corpus: Path) -> None:
    with running_api(tmp_path, []) as first:
        env, token = first.env, first.tokens["writer"]
    headers = {"Authorization": f"Bearer {token}"}
    proc, url = _serve(tmp_path, env)
    pdf = (corpus / "pdf" / "000.pdf").read_bytes()  # nine pages: seconds of extraction to be killed in
    job = httpx.post(f"{url}/v1/documents", headers=headers, files={"file": ("000.pdf", pdf)}).json()
    deadline = time.monotonic() + 120
    while job["status"] == "queued" or (job["status"] == "running" and not job["stage"]):
        assert time.monotonic() < deadline
        time.sleep(0.1)
        job = httpx.get(f"{url}/v1/jobs/{job['id']}", headers=headers).json()
    assert job["status"] == "running", job  # killed while the worker reads the file
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc, url = _serve(tmp_path, env)
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=300) as c:
            assert c.get("/v1/documents").json()["documents"] == []  # nothing of the killed upload
            assert c.get(f"/v1/jobs/{job['id']}").status_code == 404  # the job died with its server
            again = wait_job(c, c.post("/v1/documents", files={"file": ("000.pdf", pdf)}).json(), timeout=600)
            assert again["outcome"]["status"] == "new", again
            [doc] = c.get("/v1/documents").json()["documents"]
            assert doc["projects"] == again["outcome"]["projects"] > 0
        check = subprocess.run([sys.executable, "-m", "cli.main", "check"], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=300)
        assert check.returncode == 0, check.stdout + check.stderr  # store and index agree
    finally:
        proc.terminate()
        proc.wait(timeout=30)
