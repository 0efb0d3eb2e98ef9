"""`jixiao reindex` and `jixiao check`: the search index against the store, which is the truth."""

from __future__ import annotations

import typer

from cli.common import err
from kernel.settings import get_settings


def reindex() -> None:
    """Rebuild the Chroma and keyword indexes from the store."""
    from retrieval.services import Services

    n = Services(get_settings()).reindex()
    err(f"已重建索引：{n} 条记录")


def check() -> None:
    """Report drift between the store, Chroma and the keyword index (exit 1 when they disagree)."""
    from retrieval.services import Services

    drift = Services(get_settings()).check()
    if drift.clean:
        err("存储与索引一致")
        return
    err(f"向量索引缺少 {len(drift.missing)} 条记录，多出 {len(drift.orphans)} 条，{len(drift.stale)} 条内容过期，"
        f"{len(drift.unindexed_documents)} 个文档尚未索引；关键词索引缺少 {len(drift.keyword_missing)} 条，"
        f"多出 {len(drift.keyword_orphans)} 条，{len(drift.keyword_stale)} 条内容过期；"
        f"本机关键词副本相差 {drift.mirror_off} 条；运行 `jixiao reindex` 修复")
    raise typer.Exit(1)
