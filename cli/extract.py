"""`jixiao extract` and `jixiao schema`: files to records on stdout or a file."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import Backend, backend_name, err, files_under, shown
from kernel.progress import line_progress

if TYPE_CHECKING:
    from extractor.schema import Document
from kernel.settings import get_settings


class OutFormat(StrEnum):
    """Export formats of `jixiao extract`."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def extract_files(
    files: Annotated[list[Path], typer.Argument(help="files or folders")],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="json, csv or xlsx")] = OutFormat.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of stdout")] = None,
    backend: Annotated[Backend | None, typer.Option(help="rules (default offline), llm, hybrid")] = None,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="page-by-page status on stderr (default: when stderr is a terminal)")] = None,
    fail_on_review: Annotated[bool, typer.Option(
        "--fail-on-review", help="exit 3 when any file's reading needs review (for pipelines)")] = False,
) -> None:
    """Extract performance-goal tables from FILES; JSON on stdout by default."""
    # Imported here so that `jixiao --help` and the other commands do not load the extractor.
    from extractor.api import extract
    from extractor.export import to_csv, to_json, to_xlsx

    settings = get_settings()
    chosen = backend_name(backend, settings)
    paths = files_under(files)
    documents: list[Document] = []
    failed = review = 0
    show_pages = sys.stderr.isatty() if progress is None else progress
    show_bar = len(paths) > 1 and sys.stderr.isatty() and progress is not False
    with typer.progressbar(paths, label="提取", file=sys.stderr, hidden=not show_bar) as bar:
        for path in bar:
            label = shown(path)
            pages = line_progress(shown(path.name), sys.stderr) if show_pages else None
            result = extract(path, backend=chosen, settings=settings, progress=pages)
            if result.document is None:
                failed += 1
                err(f"{label}: 失败：{'; '.join(e.message for e in result.errors)}")
                continue
            documents.append(result.document)
            n = sum(len(p.indicators) for p in result.document.projects)
            for problem in result.errors:
                where = f"第{problem.page}页：" if problem.page else ""
                err(f"{label}: {where}{problem.message}")
            if result.unmapped:
                err(f"{label}: {len(result.unmapped)} 行无法映射（需人工审核）")
            if result.quality.needs_review:
                review += 1
                err(f"{label}: 警告：需人工审核：{'；'.join(result.quality.reasons)}")
            elif not result.document.projects:
                err(f"{label}: 警告：未找到绩效目标表")
            if len(paths) > 1 or out is not None or result.prompt_tokens:
                tokens = f"，tokens {result.prompt_tokens}+{result.completion_tokens}" if result.prompt_tokens else ""
                err(f"{label}: {len(result.document.projects)} 个项目，{n} 个指标（{result.status}{tokens}）")
    if format is OutFormat.xlsx:
        data = to_xlsx(documents)
        if out is None:
            err("错误：xlsx 输出需要 --out 文件路径")
            raise typer.Exit(2)
        out.write_bytes(data)
    else:
        text = to_json(documents) if format is OutFormat.json else to_csv(documents)
        if out is None:
            sys.stdout.write(text + "\n")
        else:
            out.write_text(text, encoding="utf-8")
    if failed:
        raise typer.Exit(1)
    if fail_on_review and review:
        err(f"{review} 个文件需人工审核（--fail-on-review）")
        raise typer.Exit(3)
    raise typer.Exit(0)


def schema() -> None:
    """Print the JSON Schema of the export format."""
    from extractor.schema import Export

    typer.echo(json.dumps(Export.model_json_schema(), ensure_ascii=False, indent=2))
