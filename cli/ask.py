"""`jixiao ask`: a question across every stored department, answered with citations."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cli.common import err
from kernel.settings import get_settings


class AskFormat(StrEnum):
    json = "json"
    text = "text"


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
        err("错误：--mode 只能是 auto、offline 或 llm")
        raise typer.Exit(2)
    services = Services(get_settings())
    services.sync()
    try:
        result = answer(question, services, mode=mode)  # type: ignore[arg-type]
    except JixiaoError as exc:
        err(f"错误：{exc}")
        raise typer.Exit(2) from exc
    typer.echo(result.model_dump_json(indent=2) if format is AskFormat.json else as_text(result))
