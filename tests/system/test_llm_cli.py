"""`jixiao extract --backend hybrid|llm` as users run it, against a scripted chat-completions server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.llm.ground import fold, numbers_in
from tests.openai_stub import Reply, StubServer, table_reader, user_text

ROOT = Path(__file__).resolve().parents[2]
POISONED = "项目推进"  # a low-confidence row of 000.txt whose chunk the scripted model always gets wrong


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def jixiao(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_LLM")}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**base, "PYTHONPATH": str(ROOT), **env}, timeout=300)


def llm_env(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"JIXIAO_LLM_BASE_URL": url, "JIXIAO_LLM_MODEL": "stub-model", "JIXIAO_LLM_API_KEY": "sk-cli-test",
            "JIXIAO_DATA_DIR": str(tmp_path), "JIXIAO_LLM_BACKOFF_SECONDS": "0.01", **extra}


def poisoned_reader(request: dict[str, Any]) -> Reply:
    """The table reader, except that the chunk holding POISONED always gets a value the rows do not print."""
    if POISONED in user_text(request):
        row = next(line.split(" | ")[0] for line in user_text(request).splitlines() if POISONED in line)
        return Reply({"indicators": [{"rows": [row], "level1": "产出指标", "name": POISONED, "target": "完成",
                                      "operator": ">=", "value": 999}]})
    return table_reader(request)


def test_hybrid_extract_grounds_llm_rows_and_falls_back_per_chunk(stub: StubServer, tmp_path: Path,
                                                                   corpus: Path) -> None:
    source = corpus / "seeds" / "000.txt"
    stub.responder = poisoned_reader
    env = llm_env(stub.url, tmp_path, JIXIAO_LLM_CHUNK_CHARS="400", JIXIAO_LLM_MAX_RETRIES="1")
    r = jixiao("extract", "--backend", "hybrid", str(source), env=env)
    assert r.returncode == 0, r.stderr
    rules = json.loads(jixiao("extract", "--backend", "rules", str(source), env={}).stdout)["documents"][0]
    doc = json.loads(r.stdout)["documents"][0]
    text = fold(source.read_text(encoding="utf-8"))
    indicators = [i for p in doc["projects"] for i in p["indicators"]]
    llm = [i for i in indicators if i["origin"] == "llm"]
    assert llm and len(indicators) == sum(len(p["indicators"]) for p in rules["projects"])
    for ind in llm:  # grounded: every LLM value is printed in the file
        assert fold(ind["target"]) in text and fold(ind["name"]) in text
        assert ind["value"] is None or ind["value"] in numbers_in([ind["target"]])
    [kept] = [i for i in indicators if i["name"] == POISONED]
    [original] = [i for p in rules["projects"] for i in p["indicators"] if i["name"] == POISONED]
    assert kept == original  # its chunk failed validation: the rules result stays
    assert "未能由 LLM 复核" in r.stderr and "tokens" in r.stderr and "sk-cli-test" not in r.stderr + r.stdout
    assert len(stub.requests) >= 3


def test_llm_extract_with_the_server_down_falls_back_and_the_batch_goes_on(tmp_path: Path, corpus: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    files = [str(corpus / "seeds" / "004.txt"), str(corpus / "seeds" / "002.txt")]
    env = llm_env(f"http://127.0.0.1:{port}/v1", tmp_path, JIXIAO_LLM_TRANSPORT_RETRIES="1")
    r = jixiao("extract", "--backend", "llm", *files, env=env)
    assert r.returncode == 0, r.stderr
    rules = jixiao("extract", "--backend", "rules", *files, env={})
    assert json.loads(r.stdout) == json.loads(rules.stdout)
    assert r.stderr.count("已回退到规则提取结果") == 2 and "无法连接 LLM 服务" in r.stderr


def test_llm_backends_need_an_endpoint() -> None:
    r = jixiao("extract", "--backend", "hybrid", "x.txt", env={})
    assert r.returncode == 2 and "JIXIAO_LLM_BASE_URL" in r.stderr
