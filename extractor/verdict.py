"""The verdict on one reading: the completeness summary plus the verifier's contradictions, as review reasons."""

from __future__ import annotations

from extractor.grid import DocumentGrid
from extractor.quality import assess
from extractor.schema import Contradiction, Document, Problem, Quality, Review
from extractor.verify import reasons, verify
from kernel.settings import Thresholds


def judge(document: Document, grid: DocumentGrid, unmapped: list[Problem], unmapped_columns: list[str],
          money_printed: bool, limits: Thresholds | None = None,
          levels_printed: int = 0,
          contradictions: list[Contradiction] | None = None) -> tuple[Quality, list[Contradiction]]:
    """Quality (needs_review and its Chinese reasons) of a reading checked against the page it came from."""
    quality = assess(document, unmapped, unmapped_columns, money_printed, limits, levels_printed)
    if contradictions is None:
        contradictions = verify(document, grid)
    if contradictions:
        quality.reasons = [*quality.reasons, *reasons(contradictions)]
        quality.needs_review = True
    return quality, contradictions


def with_review(document: Document, quality: Quality) -> Document:
    """The document carrying its export-format `quality` (needs_review and reasons)."""
    return document.model_copy(update={"quality": Review(needs_review=quality.needs_review,
                                                         reasons=list(quality.reasons))})
