"""Tokens per extracted indicator: hybrid vs llm-only vs a naive "whole page text in one prompt" baseline.

Usage: .venv/bin/python bench/llm_tokens.py [--corpus ../shared/corpus] [--mode tools|json|md_json]

All three run against tests/openai_stub.py, a real local chat-completions server; token counts are the
`usage` fields it returns (ceil(characters / 1.5) of the request and of the reply; see that module).
The scripted model answers each prompt the way a careful model would, in the same JSON shape:
- hybrid and llm: the stub's table_reader reads the row-id grid it was sent through the header vocabulary;
- naive: for each PDF page, the page's full text (pdfplumber extract_text) is sent with the naive prompt
  and the reply lists that page's projects and indicators (as the rules read them) in the same fields.
So completion sizes per indicator are alike; what differs is what each method sends.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber
from pydantic import Field

from extractor.api import extract
from extractor.llm.client import Asker, Usage, close_client, make_client
from extractor.llm.prompts import load
from extractor.llm.replies import ChunkReply, LLMIndicator, LLMProject
from extractor.schema import Document
from kernel.settings import Settings
from tests.openai_stub import Reply, StubServer, table_reader

_FIELDS = ("level1", "level2", "name", "target", "operator", "value", "value_max", "unit", "weight", "direction")


class NaiveIndicator(LLMIndicator):
    """The naive baseline has no row ids to cite."""

    rows: list[str] = Field(default_factory=list)


class NaiveProject(LLMProject):
    """The naive baseline has no row ids to cite."""

    rows: list[str] = Field(default_factory=list)


class NaiveReply(ChunkReply):
    """What the naive prompt asks for: the same records without citations (and so without grounding)."""

    projects: list[NaiveProject] = Field(default_factory=list)  # type: ignore[assignment]
    indicators: list[NaiveIndicator] = Field(default_factory=list)  # type: ignore[assignment]


def page_reply(doc: Document, page: int) -> dict[str, Any]:
    """A reply listing the page's projects and indicators in the fields the table reader also fills."""
    projects = [{"name": p.name, "total": f"{p.budget.total:g}" if p.budget.total is not None else None}
                for p in doc.projects if p.page == page]
    indicators = [{k: v for k, v in i.model_dump(include=set(_FIELDS)).items() if v is not None}
                  for p in doc.projects for i in p.indicators if i.page == page]
    return {"projects": [{k: v for k, v in p.items() if v is not None} for p in projects], "indicators": indicators}


async def naive(data: bytes, doc: Document, stub: StubServer, settings: Settings) -> tuple[Usage, int, int]:
    """Every page's text in one prompt per page; returns usage, requests and indicators read."""
    prompt = load("naive_page", "v1")
    client = make_client(settings)
    usage = Usage()
    asker = Asker(client, settings, usage)
    found = requests = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            stub.push(Reply(page_reply(doc, number)))
            reply = await asker(prompt.messages(page=number, text=page.extract_text() or ""), NaiveReply)
            found += len(reply.indicators)
            requests += 1
    await close_client(client)
    return usage, requests, found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    ap.add_argument("--mode", default="tools", choices=["tools", "json", "md_json"])
    args = ap.parse_args()
    files = sorted((args.corpus / "pdf").glob("*.pdf"))
    totals = {m: {"requests": 0, "prompt": 0, "completion": 0, "indicators": 0} for m in ("naive", "llm", "hybrid")}
    pages = 0
    with StubServer(responder=table_reader) as stub, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(llm_base_url=stub.url, llm_model="stub-model", llm_mode=args.mode, llm_cache=False,
                            data_dir=Path(tmp))
        for path in files:
            data = path.read_bytes()
            rules = extract(data, name=path.name, settings=settings)
            assert rules.document is not None
            pages += rules.pages
            usage, n_requests, found = asyncio.run(naive(data, rules.document, stub, settings))
            row = totals["naive"]
            row["requests"] += n_requests
            row["prompt"] += usage.prompt
            row["completion"] += usage.completion
            row["indicators"] += found
            for method in ("llm", "hybrid"):
                before = len(stub.requests)
                result = extract(data, name=path.name, backend=method, settings=settings)
                assert result.document is not None
                row = totals[method]
                row["requests"] += len(stub.requests) - before
                row["prompt"] += result.prompt_tokens
                row["completion"] += result.completion_tokens
                row["indicators"] += sum(len(p.indicators) for p in result.document.projects)
    print(f"corpus pdf/: {len(files)} files, {pages} pages; mode {args.mode}; usage from the stub (ceil(chars/1.5))")
    print(f"{'method':>8} {'requests':>9} {'prompt':>9} {'completion':>11} {'indicators':>11} {'tokens/indicator':>17}")
    per: dict[str, float] = {}
    for method, row in totals.items():
        per[method] = (row["prompt"] + row["completion"]) / max(1, row["indicators"])
        print(f"{method:>8} {row['requests']:>9} {row['prompt']:>9} {row['completion']:>11} {row['indicators']:>11} "
              f"{per[method]:>17.1f}")
    print(f"  hybrid / naive = {per['hybrid'] / per['naive']:.3f} (goal <= 0.25); "
          f"llm / naive = {per['llm'] / per['naive']:.3f}")


if __name__ == "__main__":
    main()
