"""`jixiao ingest`: extract, store and index files — in worker processes here, or as tasks on a Ray cluster."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import Backend, backend_name, err, shown
from kernel.errors import ClusterError
from kernel.progress import stage_text
from kernel.settings import Settings, get_settings

if TYPE_CHECKING:
    from retrieval.services import Services
    from usecases.ingest import FileOutcome


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (recursive)")],
    workers: Annotated[int, typer.Option(help="extraction processes (without --ray)")] = 2,
    backend: Annotated[Backend | None, typer.Option(help="rules, llm or hybrid")] = None,
    ray: Annotated[str | None, typer.Option(
        "--ray", envvar="JIXIAO_RAY_ADDRESS", show_default=False,
        help="run one task per file on a Ray cluster: auto (the running cluster), local (start one here) or "
             "host:port; a bare --ray means auto. Needs JIXIAO_DATABASE_URL (PostgreSQL) and JIXIAO_CHROMA_URL")
    ] = None,
) -> None:
    """Extract, store and index files; re-ingesting the same bytes is a no-op; the batch goes on past bad files."""
    # Imported here: the store and index load only when this command runs (not for `jixiao extract`).
    from retrieval.services import Services
    from usecases.batch import collect

    settings = get_settings()
    chosen = backend_name(backend, settings)
    files = collect(paths)
    outcomes = _on_ray(settings, files, ray, chosen) if ray else _here(Services(settings), files, workers, chosen)
    failed = _report(outcomes)
    raise typer.Exit(1 if failed else 0)


def _here(services: Services, files: list[Path], workers: int, backend: str) -> list[FileOutcome]:
    from usecases.batch import ingest_paths

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

        return ingest_paths(services, files, workers=workers, backend=backend, progress=progress,
                            pages=pages if sys.stderr.isatty() else None)


def _on_ray(settings: Settings, files: list[Path], address: str, backend: str) -> list[FileOutcome]:
    from retrieval.services import Services
    from usecases.distributed import RayProgress, cluster_problem, ingest_on_ray

    problem = cluster_problem(settings)  # before anything opens a local store
    if problem:
        err(f"错误：{problem}")
        raise typer.Exit(2)
    with typer.progressbar(length=len(files), label="导入（Ray）", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        last = [0]

        def progress(state: RayProgress) -> None:
            bar.label = f"导入（Ray）：完成 {state.done}，失败 {state.failed}，重试 {state.retried}"
            bar.update(state.done - last[0])
            last[0] = state.done

        try:
            run = ingest_on_ray(Services(settings), files, address, backend, progress)
        except ClusterError as exc:
            err(f"错误：{exc}")
            raise typer.Exit(2) from exc
    if run.retried:
        err(f"重试：{run.retried} 次（工作进程或节点意外退出后重新提交）")
    if run.cancelled:
        _report(run.outcomes)
        err(f"已取消：{run.cancelled} 个文件未导入（已导入的文件完整保留）")
        raise typer.Exit(130)
    return run.outcomes


def _report(outcomes: list[FileOutcome]) -> int:
    """One line per file on stderr, then the totals; returns how many failed."""
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
    return failed
