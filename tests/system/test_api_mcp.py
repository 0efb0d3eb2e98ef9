"""`jixiao mcp` through the official MCP SDK's client: stdio (the client starts the command) and streamable HTTP."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import ROOT, free_port, wait_for_http
from tests.system.api_support import Server

TOOLS = {"search", "ask", "get_document", "list_documents", "audit"}
BAIYUN = "中共广州市白云区区委政法委员会"


async def _exercise(client: Client) -> dict[str, Any]:
    """Every tool once; what each returned."""
    tools = {t.name for t in (await client.list_tools()).tools}
    docs = (await client.call_tool("list_documents", {"department": "白云"})).structured_content
    doc_id = docs["documents"][0]["id"]
    out = {"tools": tools, "docs": docs}
    out["search"] = (await client.call_tool("search", {"query": "满意度", "department": "白云"})).structured_content
    out["ask"] = (await client.call_tool("ask", {"question": "哪个部门的满意度指标最多？", "mode": "offline"})
                  ).structured_content
    out["document"] = (await client.call_tool("get_document", {"document_id": doc_id})).structured_content
    out["audit"] = (await client.call_tool("audit", {"document_id": doc_id})).structured_content
    out["missing"] = await client.call_tool("get_document", {"document_id": 999999})
    return out


def _check(out: dict[str, Any]) -> None:
    assert out["tools"] >= TOOLS
    assert [d["department"] for d in out["docs"]["documents"]] == [BAIYUN]
    assert out["search"]["hits"] and all(h["department"] == BAIYUN for h in out["search"]["hits"])
    assert BAIYUN in out["ask"]["answer"] and all(c["document_id"] for c in out["ask"]["citations"])
    assert out["document"]["documents"][0]["department"] == BAIYUN
    assert out["audit"]["reports"]
    assert out["missing"].is_error and "不存在" in str(out["missing"].content)


def test_mcp_over_stdio(api: Server) -> None:
    params = StdioServerParameters(command=sys.executable, args=["-m", "cli.main", "mcp"], env=api.env, cwd=str(ROOT))

    async def run() -> dict[str, Any]:
        async with Client(params, read_timeout_seconds=300) as client:
            return await _exercise(client)

    _check(anyio.run(run))


@pytest.fixture()
def mcp_http(api: Server) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "mcp", "--transport", "http", "--port", str(port)],
                            cwd=ROOT, env=api.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for_http(f"http://127.0.0.1:{port}/nothing", attempts=300) or proc.poll() is None
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_mcp_over_streamable_http_needs_a_token(api: Server, mcp_http: str) -> None:
    assert httpx2.post(mcp_http, json={}).status_code == 401

    async def run() -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {api.tokens['reader']}"}
        async with httpx2.AsyncClient(headers=headers, timeout=300) as http, \
                Client(streamable_http_client(mcp_http, http_client=http), read_timeout_seconds=300) as client:
            return await _exercise(client)

    _check(anyio.run(run))
