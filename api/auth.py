"""Bearer tokens: every /v1 request names a live token; read or write scope; a rate limit per token."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.limits import RateLimiter
from api.problems import Problem
from api.state import services_of
from usecases.tokens import Scope, TokenInfo, check_token

_bearer = HTTPBearer(auto_error=False, description="a token from `jixiao token create`")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="jixiao"'}


async def caller(request: Request,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> TokenInfo:
    """The token a request carries (401 without a live one, 429 over its rate)."""
    if credentials is None or not credentials.credentials:
        raise Problem("unauthorized", "缺少 Authorization: Bearer <令牌>（jixiao token create 生成）",
                      headers=_CHALLENGE)
    token = credentials.credentials
    if len(token) > 200:  # longer than any token made: not worth hashing
        raise Problem("unauthorized", "令牌无效或已撤销", headers=_CHALLENGE)
    info = await run_in_threadpool(check_token, services_of(request).store, token)
    if info is None:
        raise Problem("unauthorized", "令牌无效或已撤销", headers=_CHALLENGE)
    limiter: RateLimiter = request.app.state.limiter
    wait = limiter.take(info.name)
    if wait:
        raise Problem("rate-limited", f"令牌 {info.name} 超过每分钟请求上限（JIXIAO_API_RATE_PER_MINUTE）",
                      headers={"Retry-After": str(math.ceil(wait))})
    return info


def _needs(scope: Scope) -> Callable[[TokenInfo], Awaitable[TokenInfo]]:
    async def check(info: Annotated[TokenInfo, Depends(caller)]) -> TokenInfo:
        if not info.allows(scope):
            raise Problem("forbidden", f"此操作需要 {scope} 权限，令牌 {info.name} 只有 {info.scope} 权限")
        return info
    return check


Reader = Annotated[TokenInfo, Depends(_needs("read"))]  # a route's caller with read scope
Writer = Annotated[TokenInfo, Depends(_needs("write"))]  # with write scope
