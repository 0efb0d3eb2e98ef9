"""Render every (gold × template × format) variant, extract it with the project's entry point and score it."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from eval.layouts.diagnose import PROBLEMS_PER_FILE, diagnose
from eval.layouts.render import SUFFIX, render
from eval.layouts.spec import FORMATS, Format
from eval.scorer import Tally, score_document
from eval.templates.registry import generate
from eval.templates.split import SPLITS, Split, load_split
from extractor.api import extract
from kernel.settings import Settings

log = logging.getLogger(__name__)

SEED = 0  # one variant per template and gold document keeps a full run within a few minutes
SplitChoice = Literal["tune", "heldout", "both"]


def _figures(t: Tally) -> dict[str, Any]:
    """The report's figures of a tally: the scorer's summary and the budget accuracy on its own."""
    s = t.summary()
    return {**s, "budget_accuracy": s["field_accuracy"].get("budget_total")}


def _eval_split(split: Split, templates: list[str], golds: list[tuple[str, dict[str, Any]]], work_dir: Path,
                formats: list[Format], settings: Settings, backend: str) -> dict[str, Any]:
    out_dir = work_dir / split
    out_dir.mkdir(parents=True, exist_ok=True)
    overall, by_format = Tally(), {f: Tally() for f in formats}
    by_template = {t: {f: Tally() for f in formats} for t in templates}
    rows, problems = [], Counter[str]()
    for template in templates:
        for doc, gold in golds:
            variant = generate(gold, template, SEED, doc)
            for fmt in formats:
                path = out_dir / f"{doc}-{template}{SUFFIX[fmt]}"
                path.write_bytes(render(variant.spec, fmt))
                started = time.perf_counter()
                result = extract(path, backend=backend, settings=settings)
                seconds = time.perf_counter() - started
                pred = result.document.model_dump() if result.document else {"projects": []}
                tally = score_document(variant.expected, pred)
                for t in (overall, by_format[fmt], by_template[template][fmt]):
                    t.add(tally)
                summary = _figures(tally)
                row: dict[str, Any] = {
                    "doc": doc, "template": template, "format": fmt, "status": result.status,
                    "needs_review": result.quality.needs_review,
                    "seconds": round(seconds, 3), "field_f1": summary["field_f1"], "counts": summary["counts"]}
                if split == "tune":  # concrete misses only where rules may be tuned
                    found = diagnose(variant.expected, pred, limit=PROBLEMS_PER_FILE)
                    row["problems"] = found
                    problems.update(f"{p['kind']}:{p.get('field', '')}".rstrip(":") for p in found)
                rows.append(row)
                log.info("%s %s %s %s: F1 %.3f (%.1fs)", split, template, doc, fmt, summary["field_f1"], seconds)
    return {
        "templates": templates,
        "overall": _figures(overall),
        "by_format": {f: _figures(t) for f, t in by_format.items()},
        "by_template": {name: {f: _figures(t) for f, t in per.items()} for name, per in by_template.items()},
        "problem_counts": dict(problems.most_common()) if split == "tune" else {},
        "files": rows,
    }


def run_template_eval(gold_dir: Path, work_dir: Path, choice: SplitChoice, formats: list[str], settings: Settings,
                      backend: str = "rules") -> dict[str, Any]:
    """Extract and score every template variant of every gold file; returns the report as a JSON-ready dict."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"template formats are {', '.join(FORMATS)}; not {', '.join(bad)}")
    fmts: list[Format] = [f for f in FORMATS if f in formats]
    golds = [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(gold_dir.glob("*.json"))]
    split = load_split()
    chosen = list(SPLITS) if choice == "both" else [choice]
    started = time.perf_counter()
    report: dict[str, Any] = {"backend": backend, "formats": fmts, "seed": SEED, "docs": [d for d, _ in golds],
                              "split": split, "splits": {}}
    for name in chosen:
        report["splits"][name] = _eval_split(name, split[name], golds, work_dir, fmts, settings, backend)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["variants"] = sum(len(split[n]) for n in chosen) * len(golds) * len(fmts)
    return report
