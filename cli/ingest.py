"""`jixiao ingest`: extract, store and index files, a batch that goes on past bad files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.common import Backend, backend_name, err, shown
from kernel.progress import stage_text
from kernel.settings import get_settings


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (recursive)")],
    workers: Annotated[int, typer.Option(help="extraction processes")] = 2,
    backend: Annotated[Backend | None, typer.Option(help="rules, llm or hybrid")] = None,
) -> None:
    """Extract, store and index files; re-ingesting the same bytes is a no-op."""
    from retrieval.services import Services
    from usecases.batch import collect, ingest_paths

    settings = get_settings()
    chosen = backend_name(backend, settings)
    files = collect(paths)
    services = Services(settings)
    services.sync()
    with typer.progressbar(length=len(files), label="导入", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        last = [0]

        def progress(done: int, total: int, stage: str) -> None:
            bar.update(done - last[0])
            last[0] = done

        def pages(name: str, done: int, total: int, stage: str) -> None:
            bar.label = stage_text(shown(name), done, total, stage)  # OCR of a long scan: page by page
            bar.render_progress()

        outcomes = ingest_paths(services, files, workers=workers, backend=chosen, progress=progress,
                                pages=pages if sys.stderr.isatty() else None)
    failed = 0
    for o in sorted(outcomes, key=lambda o: o.path):
        label = shown(o.path)
        if o.status == "failed":
            failed += 1
            err(f"{label}: 失败：{o.message}")
        else:
            err(f"{label}: 已导入（{o.projects} 个项目，{o.indicators} 个指标）" if o.status != "duplicate"
                 else f"{label}: 重复文件（内容已导入），跳过")
            if o.replaced:
                err(f"{label}: {o.replaced}")
            if o.review_reasons and o.status != "duplicate":
                err(f"{label}: 警告：需人工审核：{'；'.join(o.review_reasons)}")
    err(f"完成：{len(outcomes) - failed} 个文件成功，{failed} 个失败")
    raise typer.Exit(1 if failed else 0)
