"""The `jixiao` command line."""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from extractor.backends import backend_problem, extract_file
from extractor.export import to_csv, to_json, to_xlsx
from extractor.schema import Document, Export
from extractor.settings import Settings, get_settings

app = typer.Typer(help="jixiao 绩效: read budget performance-goal disclosures into typed records.",
                  no_args_is_help=True, add_completion=False)


class OutFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Backend(StrEnum):
    rules = "rules"
    llm = "llm"
    hybrid = "hybrid"


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _backend(backend: Backend | None, settings: Settings) -> str:
    name = backend.value if backend else settings.effective_backend()
    problem = backend_problem(name, settings)
    if problem:
        _err(f"错误：{problem}")
        raise typer.Exit(2)
    return name


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="files or folders")],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="json, csv or xlsx")] = OutFormat.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of stdout")] = None,
    backend: Annotated[Backend | None, typer.Option(help="rules (default offline), llm, hybrid")] = None,
) -> None:
    """Extract performance-goal tables from FILES; JSON on stdout by default."""
    settings = get_settings()
    backend_name = _backend(backend, settings)
    paths = _files(files)
    documents: list[Document] = []
    failed = 0
    show_bar = len(paths) > 1 and sys.stderr.isatty()
    with typer.progressbar(paths, label="提取", file=sys.stderr, hidden=not show_bar) as bar:
        for path in bar:
            result = extract_file(path, backend_name, settings)
            if result.document is None:
                failed += 1
                _err(f"{path}: 失败：{'; '.join(e.message for e in result.errors)}")
                continue
            documents.append(result.document)
            n = sum(len(p.indicators) for p in result.document.projects)
            for problem in result.errors:
                _err(f"{path}: 第{problem.page}页：{problem.message}")
            if result.unmapped:
                _err(f"{path}: {len(result.unmapped)} 行无法映射（需人工审核）")
            if len(paths) > 1 or out is not None or result.prompt_tokens:
                tokens = f"，tokens {result.prompt_tokens}+{result.completion_tokens}" if result.prompt_tokens else ""
                _err(f"{path}: {len(result.document.projects)} 个项目，{n} 个指标（{result.status}{tokens}）")
    if format is OutFormat.xlsx:
        data = to_xlsx(documents)
        if out is None:
            _err("错误：xlsx 输出需要 --out 文件路径")
            raise typer.Exit(2)
        out.write_bytes(data)
    else:
        text = to_json(documents) if format is OutFormat.json else to_csv(documents)
        if out is None:
            sys.stdout.write(text + "\n")
        else:
            out.write_text(text, encoding="utf-8")
    raise typer.Exit(1 if failed else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the export format."""
    typer.echo(json.dumps(Export.model_json_schema(), ensure_ascii=False, indent=2))


@app.command("eval")
def eval_cmd(
    formats: Annotated[str, typer.Option(help="comma-separated: txt,pdf,docx,xlsx,scanned")] = "txt,pdf,docx,xlsx",
    backend: Annotated[Backend | None, typer.Option(help="rules, llm or hybrid (default: hybrid with an LLM)")] = None,
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
    report_dir: Annotated[Path, typer.Option(help="where report.md/json are written")] = Path("eval"),
    check_floors: Annotated[bool, typer.Option(help="exit 1 when a figure is below eval/floors.json")] = False,
) -> None:
    """Score extraction against the hand-labelled gold files; writes eval/report.md and report.json."""
    from eval.run import check_floors as check
    from eval.run import run_eval

    settings = get_settings()
    backend_name = _backend(backend, settings)
    report = run_eval(corpus or settings.corpus_dir, [f.strip() for f in formats.split(",") if f.strip()],
                      gold_dir=Path(__file__).resolve().parent.parent / "eval" / "gold", settings=settings,
                      backend=backend_name)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    from eval.report import render_markdown

    md = render_markdown(report)
    (report_dir / "report.md").write_text(md, encoding="utf-8")
    typer.echo(md)
    if check_floors:
        failures = check(report, Path(__file__).resolve().parent.parent / "eval" / "floors.json")
        for f in failures:
            _err(f"低于基线：{f}")
        if failures:
            raise typer.Exit(1)


def main() -> None:
    """Entry point with quiet library logging."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
