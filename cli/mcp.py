"""`jixiao mcp`: an MCP server (official SDK) over stdio or streamable HTTP with the corpus's read tools."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cli.common import err
from cli.serve import loopback
from kernel.settings import get_settings


class Transport(StrEnum):
    stdio = "stdio"
    http = "http"


def mcp(
    transport: Annotated[Transport, typer.Option(help="stdio (a client starts this command) or http (/mcp)")] =
    Transport.stdio,
    host: Annotated[str, typer.Option(help="http: address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="http: TCP port", min=1, max=65535)] = 8001,
    public: Annotated[bool, typer.Option("--public", help="http: allow a non-loopback --host")] = False,
) -> None:
    """Serve search, ask, get_document, list_documents and audit as MCP tools (http needs a Bearer token)."""
    from api.mcp_server import build, http_app  # the SDK loads only for this command

    settings = get_settings()
    if transport is Transport.stdio:
        build(settings).run("stdio")
        return
    if not loopback(host) and not public:
        err(f"错误：--host {host} 会让其他机器访问 MCP 服务；确认需要时加 --public")
        raise typer.Exit(2)
    import uvicorn

    err(f"jixiao MCP: http://{host}:{port}/mcp")
    uvicorn.run(http_app(settings, host, port), host=host, port=port, log_level="warning", server_header=False)
