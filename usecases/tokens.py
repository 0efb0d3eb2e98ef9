"""API tokens of `jixiao serve`: created once (shown once), stored as SHA-256 only, revoked, checked per request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kernel.errors import JixiaoError
from retrieval.store.database import Store
from retrieval.store.tables import ApiTokenRow, utcnow

Scope = Literal["read", "write"]
PREFIX = "jx_"  # makes a leaked token recognisable to secret scanners


class TokenError(JixiaoError):
    """A token command that cannot be done (name taken, unknown name, bad scope)."""


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed and as a request's caller: never its secret."""

    name: str
    scope: Scope
    created_at: datetime
    revoked_at: datetime | None = None

    def allows(self, needed: Scope) -> bool:
        """write includes read."""
        return self.scope == "write" or needed == "read"


def token_hash(token: str) -> str:
    """SHA-256 hex of a token; tokens are 256 random bits, so a plain hash cannot be reversed by guessing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: ApiTokenRow) -> TokenInfo:
    return TokenInfo(row.name, row.scope, row.created_at, row.revoked_at)  # type: ignore[arg-type]


def create_token(store: Store, name: str, scope: str) -> str:
    """A new token for `name`; the returned secret is never stored and cannot be shown again."""
    name = name.strip()
    if not name or len(name) > 80 or not name.isprintable():  # 80: a revoked name gains "#revoked<id>" in 100
        raise TokenError("令牌名称须为 1–80 个可打印字符")
    if scope not in ("read", "write"):
        raise TokenError("权限只能是 read 或 write")
    token = PREFIX + secrets.token_urlsafe(32)
    try:
        with store.session() as s:
            s.add(ApiTokenRow(name=name, token_sha256=token_hash(token), scope=scope))
    except IntegrityError as exc:  # the unique name decides, also for two commands at once
        raise TokenError(f"令牌名称已存在：{name}（先 revoke，或换一个名称）") from exc
    return token


def revoke_token(store: Store, name: str) -> None:
    """Revoke a token by name; its row stays (who wrote what stays readable), it opens nothing any more."""
    with store.session() as s:
        row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.name == name, ApiTokenRow.revoked_at.is_(None)))
        if row is None:
            raise TokenError(f"没有有效的令牌：{name}")
        row.revoked_at = utcnow()
        row.name = f"{name}#revoked{row.id}"  # frees the name for a new token


def list_tokens(store: Store) -> list[TokenInfo]:
    """Every token, oldest first, revoked ones included."""
    with store.session() as s:
        return [_info(r) for r in s.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))]


def check_token(store: Store, token: str) -> TokenInfo | None:
    """The live token this secret is, or None."""
    digest = token_hash(token)
    with store.session() as s:
        row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.token_sha256 == digest))
        # compare_digest: the lookup is by hash already; this keeps the final check constant-time as well
        if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_sha256, digest):
            return None
        return _info(row)
