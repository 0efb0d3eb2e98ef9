"""Run extraction over the corpus files that have gold and score them (the `jixiao eval` engine)."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from eval.breakit.run import run_breakit, sample_cases
from eval.scorer import Tally, score_document
from extractor.api import extract
from kernel.settings import Settings

log = logging.getLogger(__name__)

FORMAT_PATHS = {
    "txt": "seeds/{id}.txt",
    "pdf": "pdf/{id}.pdf",
    "docx": "docx/{id}.docx",
    "xlsx": "xlsx/{id}.xlsx",
    "scanned": "scanned/{id}.scan.pdf",
}


def corpus_pairs(corpus: Path, gold_dir: Path, formats: list[str]) -> list[tuple[str, str, Path, Path]]:
    """(doc id, format, input file, gold file) for every corpus file that has gold."""
    out = []
    for gold in sorted(gold_dir.glob("*.json")):
        for fmt in formats:
            if fmt not in FORMAT_PATHS:
                raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMAT_PATHS)}")
            path = corpus / FORMAT_PATHS[fmt].format(id=gold.stem)
            if path.exists():
                out.append((gold.stem, fmt, path, gold))
    return out


def run_eval(corpus: Path, formats: list[str], gold_dir: Path, settings: Settings,
             backend: str = "rules") -> dict[str, Any]:
    """Extract and score; returns the report as a JSON-ready dict."""
    overall = Tally()
    by_format: dict[str, Tally] = {}
    by_doc: dict[str, Tally] = {}
    rows = []
    pairs = corpus_pairs(corpus, gold_dir, formats)
    for doc_id, fmt, path, gold_path in pairs:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        result = extract(path, backend=backend, settings=settings)
        seconds = time.perf_counter() - started
        pred = result.document.model_dump() if result.document else {"projects": []}
        tally = score_document(gold, pred)
        overall.add(tally)
        by_format.setdefault(fmt, Tally()).add(tally)
        by_doc.setdefault(doc_id, Tally()).add(tally)
        pages = max(1, result.pages)
        rows.append({"doc": doc_id, "format": fmt, "file": path.name, "status": result.status,
                     "seconds": round(seconds, 3), "pages": pages, "seconds_per_page": round(seconds / pages, 4),
                     "unmapped_rows": len(result.unmapped), "errors": [e.message for e in result.errors],
                     "needs_review": result.quality.needs_review,
                     "tokens": {"prompt": result.prompt_tokens, "completion": result.completion_tokens},
                     **tally.summary()})
    return {
        "backend": backend,
        "formats": formats,
        "overall": overall.summary(),
        "by_format": {k: v.summary() for k, v in by_format.items()},
        "by_doc": {k: v.summary() for k, v in by_doc.items()},
        "files": rows,
        # The verifier on the same files: silent on their gold, objecting to damaged copies of it.
        "breakit": run_breakit(sample_cases(pairs), settings),
    }


def check_floors(report: dict[str, Any], floors_path: Path) -> list[str]:
    """Figures below their floor in eval/floors.json, as messages."""
    floors = json.loads(floors_path.read_text(encoding="utf-8"))
    failures = []
    for fmt, floor in floors.get(report["backend"], {}).get("field_f1", {}).items():
        got = report["by_format"].get(fmt, {}).get("field_f1")
        if got is None:
            continue  # that format was not evaluated in this run
        if got + 1e-9 < floor:
            failures.append(f"{fmt}: field F1 {got:.4f} < floor {floor:.4f}")
    return failures
