"""The break-it eval: correct readings and damaged copies of them, checked against their printed files.

A correct reading is the hand-labelled gold of a sample file, or the expected reading of a file rendered in a
published template. The verifier must stay silent on the correct ones and object to the damaged ones.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eval.breakit.damage import DAMAGES
from eval.layouts.generator import generate as generate_layout
from eval.layouts.pool import load_pool
from eval.layouts.render import SUFFIX, render
from eval.layouts.spec import FAMILIES
from eval.templates.registry import TEMPLATES, generate
from extractor.api import check
from extractor.schema import Document
from kernel.settings import Settings

SEEDS = (0, 1, 2)  # three damaged copies of each kind per file
SAMPLE_FORMATS = ("txt", "pdf", "docx", "xlsx")  # scans: the OCR grid, not the page, would be on trial


def sample_cases(pairs: list[tuple[str, str, Path, Path]]) -> Iterator[tuple[str, Path, Document]]:
    """(case name, file, correct reading) for every (doc id, format, file, gold file) of a text-layer format."""
    for doc_id, fmt, path, gold in pairs:
        if fmt in SAMPLE_FORMATS:
            yield f"sample/{doc_id}.{fmt}", path, Document.model_validate_json(gold.read_text(encoding="utf-8"))


def template_cases(gold_dir: Path, work_dir: Path, formats: list[str]) -> Iterator[tuple[str, Path, Document]]:
    """(case name, rendered file, its expected reading) for every template × gold × format."""
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for template in TEMPLATES:
            variant = generate(gold, template, 0, gold_path.stem)
            for fmt in formats:
                path = work_dir / f"{gold_path.stem}-{template}{SUFFIX[fmt]}"
                path.write_bytes(render(variant.spec, fmt))  # type: ignore[arg-type]
                yield f"{template}/{gold_path.stem}.{fmt}", path, Document.model_validate(variant.expected)


def layout_cases(gold_dir: Path, work_dir: Path, formats: list[str]) -> Iterator[tuple[str, Path, Document]]:
    """(case name, rendered file, its expected reading) for every layout family × gold × format (held-out names)."""
    pool = load_pool("heldout")
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for family in FAMILIES:
            variant = generate_layout(gold, family, 0, pool, "heldout", gold_path.stem)
            for fmt in formats:
                path = work_dir / f"{variant.key}{SUFFIX[fmt]}"
                path.write_bytes(render(variant.spec, fmt))  # type: ignore[arg-type]
                yield f"{family}/{gold_path.stem}.{fmt}", path, Document.model_validate(variant.expected)


def _damaged(doc: Document, name: str) -> list[tuple[str, int, Document]]:
    out = []
    for kind, damage in DAMAGES.items():
        for seed in SEEDS:
            bad = damage(doc, random.Random(f"breakit|{name}|{kind}|{seed}"))
            if bad is not None and bad.projects != doc.projects:
                out.append((kind, seed, bad))
    return out


def run_breakit(cases: Iterator[tuple[str, Path, Document]], settings: Settings) -> dict[str, Any]:
    """Per damage kind: how many damaged readings the verifier caught; per file: whether it was silent when right."""
    started = time.perf_counter()
    kinds: dict[str, dict[str, int]] = {k: {"made": 0, "caught": 0} for k in DAMAGES}
    files, missed = [], []
    for name, path, doc in cases:
        damaged = _damaged(doc, name)
        found = check(path, [doc, *(bad for _, _, bad in damaged)], settings=settings)
        clean = found[0]
        files.append({"case": name, "contradictions": len(clean),
                      "messages": [c.message for c in clean[:5]]})
        for (kind, seed, _), objections in zip(damaged, found[1:], strict=True):
            kinds[kind]["made"] += 1
            # Caught: the damaged reading draws an objection the correct one did not.
            hit = len(objections) > len(clean)
            kinds[kind]["caught"] += int(hit)
            if not hit:
                missed.append({"case": name, "kind": kind, "seed": seed})
    made = sum(k["made"] for k in kinds.values())
    caught = sum(k["caught"] for k in kinds.values())
    return {
        "kinds": {k: {**v, "rate": v["caught"] / v["made"] if v["made"] else None} for k, v in kinds.items()},
        "caught": caught, "made": made, "rate": caught / made if made else None,
        "files": files, "silent": sum(1 for f in files if not f["contradictions"]),
        "missed": missed, "seconds": round(time.perf_counter() - started, 1),
    }
