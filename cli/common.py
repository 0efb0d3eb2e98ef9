"""What every command shares: option enums, messages on stderr, backend checks, file lists, report files."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from extractor.readers.limits import printable
from kernel.settings import Settings


class Backend(StrEnum):
    """Extraction backends as the command line names them."""

    rules = "rules"
    llm = "llm"
    hybrid = "hybrid"


def err(msg: str) -> None:
    """One message line on stderr (stdout carries only the requested output)."""
    typer.echo(msg, err=True)


def shown(path: Path | str) -> str:
    """A path as printed: control characters escaped, so a newline in a file name cannot forge an output line."""
    return printable(str(path))


def backend_name(backend: Backend | None, settings: Settings) -> str:
    """The backend to run (the settings' choice when none is given); exit 2 when it cannot run."""
    from extractor.api import backend_problem  # the extractor loads when a command runs, not for --help

    name = backend.value if backend else settings.effective_backend()
    problem = backend_problem(name, settings)
    if problem:
        err(f"错误：{problem}")
        raise typer.Exit(2)
    return name


def files_under(paths: list[Path]) -> list[Path]:
    """The given files, and every non-hidden file under the given folders (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


def publish(report_dir: Path, report: dict[str, Any], markdown: str) -> None:
    """Write report.json and report.md, and show the Markdown."""
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (report_dir / "report.md").write_text(markdown, encoding="utf-8")
    typer.echo(markdown)


def enforce(failures: list[str]) -> None:
    """Exit 1 when a figure fell below its floor."""
    for f in failures:
        err(f"低于基线：{f}")
    if failures:
        raise typer.Exit(1)
