"""API tokens in the store on SQLite and PostgreSQL: created once, only the hash kept, revoked, names freed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from retrieval.store.database import Store
from tests.conftest import new_database
from usecases.tokens import TokenError, check_token, create_token, list_tokens, revoke_token


def _exercise(store: Store) -> None:
    token = create_token(store, "平台" * 40, "write")  # the longest name: its revoked form still fits the column
    assert token.startswith("jx_") and len(token) > 40
    with store.session() as s:
        stored = [tuple(r) for r in s.execute(text("SELECT name, token_sha256, scope FROM api_tokens"))]
    assert token not in str(stored) and len(stored[0][1]) == 64  # only the hash is kept
    info = check_token(store, token)
    assert info is not None and info.name == "平台" * 40 and info.scope == "write"
    with pytest.raises(TokenError):
        create_token(store, "平台" * 40, "read")  # one live token per name
    with pytest.raises(TokenError):
        create_token(store, "x" * 81, "read")
    with pytest.raises(TokenError):
        create_token(store, "a", "admin")
    revoke_token(store, "平台" * 40)
    assert check_token(store, token) is None and check_token(store, "jx_made_up") is None
    again = create_token(store, "平台" * 40, "read")  # the name is free again; the old token stays dead
    assert check_token(store, again) is not None and check_token(store, token) is None
    listed = list_tokens(store)
    assert [t.revoked_at is None for t in listed] == [False, True]
    with pytest.raises(TokenError):
        revoke_token(store, "nobody")


def test_tokens_on_sqlite(tmp_path: Path) -> None:
    _exercise(Store(f"sqlite:///{tmp_path / 'jixiao.db'}"))


def test_tokens_on_postgresql(postgres_url: str) -> None:
    _exercise(Store(new_database(postgres_url)))
