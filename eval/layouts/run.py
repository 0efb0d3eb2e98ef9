"""Generate every (gold × family × format × seed) variant, extract it with the project's entry point and score it."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from eval.layouts.diagnose import PROBLEMS_PER_FILE, diagnose
from eval.layouts.generator import generate
from eval.layouts.pool import POOLS, PoolName, load_pool
from eval.layouts.render import SUFFIX, render
from eval.layouts.spec import FAMILIES, FORMATS, Format
from eval.scorer import Tally, score_document
from extractor.api import extract
from kernel.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_SEEDS = (0, 1)
PoolChoice = Literal["tune", "heldout", "both"]


def pools_of(choice: PoolChoice) -> list[PoolName]:
    """The pools a --pool choice runs."""
    return list(POOLS) if choice == "both" else [choice]


def _eval_pool(pool_name: PoolName, golds: list[tuple[str, dict[str, Any]]], work_dir: Path, formats: list[Format],
               seeds: tuple[int, ...], settings: Settings, backend: str) -> dict[str, Any]:
    pool = load_pool(pool_name)
    out_dir = work_dir / pool_name
    out_dir.mkdir(parents=True, exist_ok=True)
    overall, by_format = Tally(), {f: Tally() for f in formats}
    by_family = {fam: {f: Tally() for f in formats} for fam in FAMILIES}
    rows, problems, options = [], Counter[str](), {}
    for doc, gold in golds:
        for family in FAMILIES:
            for seed in seeds:
                variant = generate(gold, family, seed, pool, pool_name, doc)
                if pool_name == "tune":
                    options[variant.key] = variant.spec.options
                for fmt in formats:
                    path = out_dir / f"{variant.key}{SUFFIX[fmt]}"
                    path.write_bytes(render(variant.spec, fmt))
                    started = time.perf_counter()
                    result = extract(path, backend=backend, settings=settings)
                    seconds = time.perf_counter() - started
                    pred = result.document.model_dump() if result.document else {"projects": []}
                    tally = score_document(variant.expected, pred)
                    for t in (overall, by_format[fmt], by_family[family][fmt]):
                        t.add(tally)
                    summary = tally.summary()
                    row: dict[str, Any] = {
                        "doc": doc, "family": family, "seed": seed, "format": fmt, "status": result.status,
                        "seconds": round(seconds, 3), "field_f1": summary["field_f1"], "counts": summary["counts"]}
                    if pool_name == "tune":  # concrete misses only for the pool the extractor may be tuned on
                        found = diagnose(variant.expected, pred, limit=PROBLEMS_PER_FILE)
                        row["problems"] = found
                        problems.update(f"{p['kind']}:{p.get('field', '')}".rstrip(":") for p in found)
                    rows.append(row)
                    log.info("%s %s %s: F1 %.3f (%.1fs)", pool_name, variant.key, fmt, summary["field_f1"], seconds)
    return {
        "overall": overall.summary(),
        "by_format": {f: t.summary() for f, t in by_format.items()},
        "by_family": {fam: {f: t.summary() for f, t in per.items()} for fam, per in by_family.items()},
        "problem_counts": dict(problems.most_common()) if pool_name == "tune" else {},
        "files": rows,
        "options": options,  # tune pool only: the seeded choices of each variant, by doc-family-seed
    }


def run_layout_eval(gold_dir: Path, work_dir: Path, pool: PoolChoice, formats: list[str], settings: Settings,
                    backend: str = "rules", seeds: tuple[int, ...] = DEFAULT_SEEDS) -> dict[str, Any]:
    """Extract and score every variant of every gold file; returns the report as a JSON-ready dict."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"layout formats are {', '.join(FORMATS)}; not {', '.join(bad)}")
    fmts: list[Format] = [f for f in FORMATS if f in formats]
    golds = [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(gold_dir.glob("*.json"))]
    started = time.perf_counter()
    report: dict[str, Any] = {"backend": backend, "formats": fmts, "families": list(FAMILIES), "seeds": list(seeds),
                              "docs": [d for d, _ in golds], "pools": {}}
    for name in pools_of(pool):
        report["pools"][name] = _eval_pool(name, golds, work_dir, fmts, seeds, settings, backend)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["variants"] = len(golds) * len(FAMILIES) * len(seeds) * len(fmts) * len(report["pools"])
    return report


def check_layout_floors(report: dict[str, Any], floors_path: Path) -> list[str]:
    """Held-out (or other pool) field F1 per format below the "layouts" floors of eval/floors.json, as messages."""
    floors = json.loads(floors_path.read_text(encoding="utf-8")).get("layouts", {}).get(report["backend"], {})
    failures = []
    for pool_name, per_pool in floors.items():
        got_pool = report["pools"].get(pool_name)
        if got_pool is None:
            continue  # that pool was not evaluated in this run
        for fmt, floor in per_pool.get("field_f1", {}).items():
            got = got_pool["by_format"].get(fmt, {}).get("field_f1")
            if got is not None and got + 1e-9 < floor:
                failures.append(f"layouts/{pool_name}/{fmt}: field F1 {got:.4f} < floor {floor:.4f}")
        # Every variant family must hold its own floor per format: an average can hide a family that fails.
        for fmt, floor in per_pool.get("family_field_f1", {}).items():
            for family, per_format in got_pool.get("by_family", {}).items():
                got = per_format.get(fmt, {}).get("field_f1")
                if got is not None and got + 1e-9 < floor:
                    failures.append(f"layouts/{pool_name}/{family}/{fmt}: field F1 {got:.4f} < floor {floor:.4f}")
    return failures
