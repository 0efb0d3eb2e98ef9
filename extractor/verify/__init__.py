"""The verifier: checks any reading (rules, LLM, hybrid, human) against the printed grid and lists contradictions.

It shares no code or word list with the readers (`extractor.layout`, `extractor.cells`, `extractor.values`), so a
wrong assumption of a reader is not repeated here. Pure: a Document and a DocumentGrid in, contradictions out.
"""

from __future__ import annotations

from extractor.grid import DocumentGrid
from extractor.schema import Contradiction, Document
from extractor.verify.budget import check_budgets, check_printed_sums
from extractor.verify.locate import indicator_rows, project_regions
from extractor.verify.printed import printed_rows
from extractor.verify.structure import (
    check_indicator_names,
    check_name_columns,
    check_names,
    check_periods,
    check_printed_forms,
    check_rows_read,
)

MAX_REASONS = 8  # a person reads the first few; the count says how many more


def verify(document: Document, grid: DocumentGrid) -> list[Contradiction]:
    """Every contradiction between the reading and the page, in document order of the checks."""
    printed = printed_rows(grid)
    regions = project_regions(document, printed)
    held = indicator_rows(document, printed, regions)
    return (check_names(document, regions) + check_indicator_names(document) + check_periods(document)
            + check_printed_forms(document, printed)
            + check_name_columns(document, regions, printed)
            + check_budgets(document, regions, printed) + check_printed_sums(document, regions, printed)
            + check_rows_read(document, held, printed, regions))


def reasons(contradictions: list[Contradiction]) -> list[str]:
    """Review reasons in Chinese: the first few contradictions, then how many more."""
    out = [f"与原文不符：{c.message}" for c in contradictions[:MAX_REASONS]]
    if len(contradictions) > MAX_REASONS:
        out.append(f"另有 {len(contradictions) - MAX_REASONS} 处与原文不符")
    return out
