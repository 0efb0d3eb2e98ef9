"""`jixiao token create|revoke|list`: API tokens of `jixiao serve` (only their hash is stored)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cli.common import err
from kernel.settings import get_settings

app = typer.Typer(help="API tokens of `jixiao serve`: create (shown once), revoke, list.", no_args_is_help=True)


class TokenScope(StrEnum):
    read = "read"
    write = "write"


@app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="who uses it; recorded as the reviewer of its corrections")],
    scope: Annotated[TokenScope, typer.Option("--scope", help="read, or write (read + uploads, corrections)")] =
    TokenScope.read,
) -> None:
    """Create a token; it is printed once, as the last line, and cannot be shown again."""
    from retrieval.store.database import Store
    from usecases.tokens import TokenError, create_token

    try:
        token = create_token(Store.from_settings(get_settings()), name, scope.value)
    except TokenError as exc:
        err(f"错误：{exc}")
        raise typer.Exit(2) from exc
    typer.echo(f"已创建令牌 {name.strip()}（权限 {scope.value}）；只显示这一次，请妥善保存：")
    typer.echo(token)


@app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="the token's name")]) -> None:
    """Revoke a token by name: it opens nothing from the next request on."""
    from retrieval.store.database import Store
    from usecases.tokens import TokenError, revoke_token

    try:
        revoke_token(Store.from_settings(get_settings()), name)
    except TokenError as exc:
        err(f"错误：{exc}")
        raise typer.Exit(2) from exc
    typer.echo(f"已撤销令牌 {name}")


@app.command("list")
def list_tokens() -> None:
    """Every token's name, scope, creation and revocation time (never the token)."""
    from retrieval.store.database import Store
    from usecases.tokens import list_tokens as tokens

    found = tokens(Store.from_settings(get_settings()))
    if not found:
        typer.echo("没有令牌（jixiao token create --name N --scope read|write）")
    for t in found:
        state = f"已撤销 {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "有效"
        typer.echo(f"{t.name}\t{t.scope}\t{t.created_at:%Y-%m-%d %H:%M}\t{state}")
