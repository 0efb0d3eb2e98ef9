"""`jixiao audit` and `jixiao eval-audit`: 绩效目标审核 of files or stored documents, and its score on the gold."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import Backend, backend_name, enforce, err, files_under, publish
from eval import EVAL_DIR
from kernel.errors import RulesError
from kernel.settings import get_settings

if TYPE_CHECKING:
    from audit.model import AuditReport, RuleSet


class AuditFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"
    html = "html"




def _rules(path: Path | None) -> RuleSet:
    from audit.rules import load_rules

    try:
        return load_rules(path)
    except RulesError as exc:
        err(f"错误：{exc}")
        raise typer.Exit(2) from exc



def _counted(report: list[str]) -> Callable[[str], None]:
    def say(message: str) -> None:
        report.append(message)
        err(message)
    return say


def _write(reports: list[AuditReport], rules: RuleSet, fmt: AuditFormat, out: Path | None) -> None:
    from audit.html import to_html
    from audit.report import to_json, to_table, to_xlsx

    if fmt is AuditFormat.xlsx:
        if out is None:
            err("错误：xlsx 输出需要 --out 文件路径")
            raise typer.Exit(2)
        out.write_bytes(to_xlsx(reports, rules.version))
        return
    text = {AuditFormat.table: to_table, AuditFormat.json: to_json}.get(fmt)
    body = text(reports) if text else to_html(reports, rules.version)
    if out is None:
        sys.stdout.write(body + "\n")
    else:
        out.write_text(body, encoding="utf-8")


def audit(
    paths: Annotated[list[Path] | None, typer.Argument(help="files or folders to extract and review")] = None,
    document: Annotated[list[int] | None, typer.Option(
        "--document", "-d", help="id of a stored document (repeatable), reviewed with its corrections")] = None,
    format: Annotated[AuditFormat, typer.Option("--format", "-f", help="table, json, xlsx, html")] = AuditFormat.table,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of stdout")] = None,
    backend: Annotated[Backend | None, typer.Option(help="extraction backend for files")] = None,
    rules: Annotated[Path | None, typer.Option(help="own rule file (default: JIXIAO_AUDIT_RULES)")] = None,
) -> None:
    """Review performance goals (绩效目标审核) of files or stored documents; findings are data, exit 0."""
    # Imported here: the store and the use cases load only when this command runs (not for `jixiao extract`).
    from audit.engine import audit_documents
    from retrieval.store.database import Store
    from usecases.audit import documents_of_files, stored_documents

    settings = get_settings()
    rule_set = _rules(rules or settings.audit_rules)
    if not paths and not document:
        err("错误：请给出文件路径或 --document 文档编号")
        raise typer.Exit(2)
    problems: list[str] = []
    docs = documents_of_files(files_under(paths), backend_name(backend, settings), settings, _counted(problems)) \
        if paths else []
    if document:
        docs += stored_documents(Store.from_settings(settings), document, _counted(problems))
    failed = len(problems)
    try:
        reports = audit_documents(docs, rule_set)
    except RulesError as exc:  # a parameter of the wrong shape shows only when its check runs
        err(f"错误：{exc}")
        raise typer.Exit(2) from exc
    _write(reports, rule_set, format, out)
    counts = {s: sum(r.counts()[s] for r in reports) for s in ("错误", "警告", "提示")}
    err(f"审核完成：{len(reports)} 个文档，{sum(len(r.findings) for r in reports)} 条意见（错误 {counts['错误']}，"
         f"警告 {counts['警告']}，提示 {counts['提示']}；规则版本 {rule_set.version}）")
    raise typer.Exit(1 if failed else 0)


def eval_audit(
    extracted: Annotated[bool, typer.Option(
        "--extracted/--gold-only", help="also audit the sample PDFs as the rules backend extracts them")] = True,
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
    report_dir: Annotated[Path, typer.Option(help="where report.md/json are written")] = Path("eval/audit"),
    check_floors: Annotated[bool, typer.Option(help="exit 1 when a figure is below eval/floors.json")] = False,
) -> None:
    """Score the audit rules on the hand-labelled findings of the gold documents (eval/audit/labels)."""
    from audit.rules import load_rules
    from eval.audit_eval import check_audit_floors, extract_corpus, load_labels, render, run_audit_eval
    from eval.audit_heldout import render_heldout, run_heldout

    settings = get_settings()
    rule_set = load_rules()  # the shipped rules are what is scored, whatever JIXIAO_AUDIT_RULES says
    labels = EVAL_DIR / "audit" / "labels"
    docs = extract_corpus(corpus or settings.corpus_dir, sorted(load_labels(labels)), settings) if extracted else None
    report = run_audit_eval(EVAL_DIR / "gold", labels, rule_set, docs)
    markdown = render(report, rule_set)
    if (heldout := run_heldout(rule_set)) is not None:  # documents the rules were not written from
        report["heldout"] = heldout
        markdown += "\n" + "\n".join(render_heldout(heldout))
    publish(report_dir, report, markdown)
    if check_floors:
        enforce(check_audit_floors(report, EVAL_DIR / "floors.json"))
