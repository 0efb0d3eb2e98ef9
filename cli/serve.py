"""`jixiao serve`: the HTTP API (FastAPI on uvicorn) over the app's store and index."""

from __future__ import annotations

import ipaddress
import logging
from typing import Annotated

import typer

from cli.common import err

log = logging.getLogger(__name__)


def loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1 and localhost: the default keeps the API on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[str, typer.Option(help="address to listen on (default: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    public: Annotated[bool, typer.Option("--public", help="allow a non-loopback --host (put TLS in front)")] = False,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs, paths under /v1; requests need `jixiao token create`)."""
    if not loopback(host) and not public:
        err(f"错误：--host {host} 会让其他机器访问 API；确认需要时加 --public（并在前面加 TLS 反向代理）")
        raise typer.Exit(2)
    import uvicorn  # loaded only by this command: the CLI starts fast

    from api.app import create_app

    err(f"jixiao API: http://{host}:{port}/docs")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", server_header=False,
                timeout_graceful_shutdown=10)
