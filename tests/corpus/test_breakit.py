"""The break-it eval on real sample files: silent on their gold readings, objecting to damaged copies."""

from __future__ import annotations

import random
from pathlib import Path

from eval.breakit.damage import DAMAGES
from eval.breakit.run import run_breakit, sample_cases
from eval.run import corpus_pairs
from extractor.schema import Document
from kernel.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_damage_changes_the_reading() -> None:
    gold = Document.model_validate_json((ROOT / "eval" / "gold" / "000.json").read_text(encoding="utf-8"))
    for kind, damage in DAMAGES.items():
        bad = damage(gold, random.Random(kind))
        assert bad is not None and bad.projects != gold.projects, kind


def test_the_verifier_is_silent_on_gold_and_catches_damage(corpus: Path) -> None:
    pairs = [p for p in corpus_pairs(corpus, ROOT / "eval" / "gold", ["txt", "docx"]) if p[0] in ("000", "004")]
    report = run_breakit(sample_cases(pairs), get_settings())
    assert report["silent"] == len(report["files"]) == 3
    assert report["rate"] >= 0.95, report["missed"]
    assert all(v["made"] for v in report["kinds"].values())
