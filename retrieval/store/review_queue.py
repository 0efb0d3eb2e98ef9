"""The review queue across documents: every row a person should look at, in one ordered list.

A row is queued when the extractor was unsure of it (confidence below the review threshold and not yet
corrected by a person), or when its whole document was flagged needs_review and is not marked reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from extractor.quality import REVIEW_BELOW_CONFIDENCE
from retrieval.store.database import Store
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow


@dataclass(frozen=True)
class QueueItem:
    """One row waiting for review, with where it lives and why it is queued."""

    document_id: int
    project_id: int
    indicator_id: int
    source: str
    project: str
    indicator: str
    reason: str


def review_queue(store: Store, below: float = REVIEW_BELOW_CONFIDENCE) -> list[QueueItem]:
    """Rows to review across current documents: flagged documents first, then by document, project, row."""
    with store.session() as s:
        q = (select(DocumentRow, ProjectRow, IndicatorRow)
             .join(ProjectRow, ProjectRow.document_id == DocumentRow.id)
             .join(IndicatorRow, IndicatorRow.project_id == ProjectRow.id)
             .where(DocumentRow.superseded_by.is_(None))
             .order_by(DocumentRow.id, ProjectRow.position, IndicatorRow.position))
        flagged: list[QueueItem] = []
        unsure: list[QueueItem] = []
        for doc, project, ind in s.execute(q):  # rows unpack as tuples (Result.tuples() is deprecated)
            if ind.reviewed or ind.origin == "human":
                continue
            doc_flag = bool((doc.quality or {}).get("needs_review")) and not doc.reviewed
            if ind.confidence < below:
                reason = f"置信度 {ind.confidence:.2f}"
            elif doc_flag:
                reason = "文档需人工审核"
            else:
                continue
            item = QueueItem(doc.id, project.id, ind.id, doc.source, project.name, ind.name or f"#{ind.id}", reason)
            (flagged if doc_flag else unsure).append(item)
        return flagged + unsure


def step(queue: list[QueueItem], current: int | None, offset: int) -> QueueItem | None:
    """The item `offset` places from the current indicator (wrapping), or the first one."""
    if not queue:
        return None
    ids = [q.indicator_id for q in queue]
    if current not in ids:
        return queue[0] if offset >= 0 else queue[-1]
    return queue[(ids.index(current) + offset) % len(queue)]
