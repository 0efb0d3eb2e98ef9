"""`jixiao mcp`: the corpus as MCP tools (search, ask, get_document, list_documents, audit) over the official SDK.

The tools are the API's read side: the same use cases, the same store and index the app uses.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import MEDIA_TYPE, body
from kernel.errors import JixiaoError
from kernel.settings import Settings
from retrieval.ask.api import answer
from retrieval.search.searcher import Filters
from retrieval.services import Services
from usecases import records
from usecases.tokens import check_token

INSTRUCTIONS = ("jixiao 绩效: 预算绩效目标表 of Chinese departments. list_documents shows what is stored; search finds "
                "projects and indicators; ask answers a question with citations; get_document returns one document "
                "in the export format; audit gives the 绩效目标审核 findings of a stored document.")


class _Lazy:
    """The Services bundle, opened once at the first tool call (the MCP handshake answers at once)."""

    def __init__(self, settings: Settings) -> None:
        self.settings, self._lock = settings, threading.Lock()
        self._services: Services | None = None

    def __call__(self) -> Services:
        with self._lock:
            if self._services is None:
                self._services = Services(self.settings)
                self._services.sync()
            return self._services


def build(settings: Settings) -> MCPServer:
    """The MCP server with its five read-only tools."""
    server: MCPServer = MCPServer("jixiao", instructions=INSTRUCTIONS)
    services = _Lazy(settings)

    @server.tool()
    def search(query: str, top_k: int = 10, department: str | None = None, year: int | None = None,
               kind: Literal["project", "indicator"] | None = None, level1: str | None = None) -> dict[str, Any]:
        """Hybrid search over current projects and indicators (department accepts short forms such as 遂宁)."""
        if not query.strip():
            raise ToolError("查询内容为空：请给出要搜索的词语")
        try:
            filters = Filters(department=department, fiscal_year=year, kind=kind, level1=level1)
            hits = services().searcher.search(query, top_k=min(max(top_k, 1), 100), filters=filters)
        except (JixiaoError, ValidationError) as exc:  # said to the model; a crash would be hidden from it
            raise ToolError(str(exc)) from exc
        return {"query": query.strip(), "hits": [h.model_dump(exclude={"text"}) for h in hits]}

    @server.tool()
    def ask(question: str, mode: Literal["auto", "offline", "llm"] = "auto") -> dict[str, Any]:
        """A question across every stored department (哪个部门的满意度指标最多？), answered with citations."""
        s = services()
        try:
            result = answer(question, s, mode=mode)
        except JixiaoError as exc:
            raise ToolError(str(exc)) from exc
        return {"answer": result.answer, "mode": result.mode, "table": result.table,
                "citations": records.resolve_citations(s, result.citations)}

    @server.tool()
    def get_document(document_id: int) -> dict[str, Any]:
        """One stored document with its corrections, in the export format ({"documents": [one]})."""
        doc = records.document(services(), document_id)
        if doc is None:
            raise ToolError(f"文档 {document_id} 不存在")
        return {"documents": [doc.model_dump(mode="json")]}

    @server.tool()
    def list_documents(department: str | None = None, year: int | None = None,
                       needs_review: bool | None = None) -> dict[str, Any]:
        """Current documents (id, department, year, counts, needs_review), newest first."""
        docs = records.list_documents(services(), department, year, needs_review)
        return {"documents": json.loads(json.dumps(docs, ensure_ascii=False, default=str))}

    @server.tool()
    def audit(document_id: int) -> dict[str, Any]:
        """绩效目标审核 findings of a stored document (rules of audit/rules.toml or JIXIAO_AUDIT_RULES)."""
        s = services()
        if records.document(s, document_id) is None:
            raise ToolError(f"文档 {document_id} 不存在")
        return {"reports": json.loads(records.audit_report(s, [document_id], "json"))}

    return server


class BearerOnly:
    """ASGI middleware of the HTTP transport: a live API token (read scope) or a 401 problem."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self._store: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if token and len(token) <= 200 and self._check(token):
            await self.app(scope, receive, send)
            return
        problem = body("unauthorized", "缺少或无效的 Authorization: Bearer <令牌>")
        data = json.dumps(problem, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", MEDIA_TYPE.encode()), (b"www-authenticate", b'Bearer realm="jixiao"'),
                                (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})

    def _check(self, token: str) -> bool:
        from retrieval.store.database import Store

        if self._store is None:
            self._store = Store.from_settings(self.settings)
        return check_token(self._store, token) is not None


def http_app(settings: Settings, host: str, port: int) -> ASGIApp:
    """The streamable HTTP transport at /mcp behind Bearer tokens, with the SDK's Host/Origin checks on."""
    from mcp.server.transport_security import TransportSecuritySettings

    hosts = [f"{h}:{port}" for h in ("127.0.0.1", "localhost", host)]
    security = TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts,
                                         allowed_origins=[f"http://{h}" for h in hosts])
    app = build(settings).streamable_http_app(streamable_http_path="/mcp", transport_security=security)
    return BearerOnly(app, settings)
