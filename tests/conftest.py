"""Shared fixtures: the sample corpus beside the repo, and the gold files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("JIXIAO_CORPUS_DIR", ROOT.parent / "shared" / "corpus")).resolve()
GOLD = ROOT / "eval" / "gold"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The sample corpus (../shared/corpus); the suite needs it."""
    assert CORPUS.is_dir(), f"sample corpus not found at {CORPUS} (set JIXIAO_CORPUS_DIR)"
    return CORPUS


def gold(doc_id: str) -> dict[str, Any]:
    """A gold document as a dict."""
    return json.loads((GOLD / f"{doc_id}.json").read_text(encoding="utf-8"))
