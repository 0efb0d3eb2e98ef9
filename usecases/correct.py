"""correct: every change a reviewer makes, one way in, stored as a revision (who, when, why), then re-indexed.

Each change states the values the person loaded: a change someone else made since is a conflict, never overwritten.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from retrieval.services import Services
from retrieval.store import edits
from retrieval.store.corrections import EditResult, save_edits


def _reindex(services: Services, document_id: int) -> None:
    # Only the records the change touched are written, on the index's worker thread: the save is done when the
    # store has it (the document stays marked unindexed until then, so a crash meanwhile is mended by the next sync)
    # and every index read waits for this write first.
    services.refresh_later(document_id)


def correct_indicators(services: Services, document_id: int | None, before: list[dict[str, Any]],
                       after: list[dict[str, Any]], who: str, why: str | None = None) -> EditResult:
    """Save the changed rows of an edited indicator grid, each made from its `before` row (what the person loaded).

    Invalid rows and rows someone else changed meanwhile are reported and not written, the others saved; their
    document is re-indexed (None: the next sync does).
    """
    result = save_edits(services.store, before, after, who=who, why=why)
    if result.saved and document_id is not None:
        _reindex(services, document_id)
    return result


def correct_fields(services: Services, document_id: int, project_id: int, document_changes: dict[str, Any],
                   project_changes: dict[str, Any], who: str, why: str | None = None, *,
                   base: Mapping[str, Any]) -> bool:
    """Change a document's department/year and a project's fields and budget; False when nothing changed.

    Made from `base`, the values the person loaded (both records' fields). Raises ConflictError when someone else
    changed a field this save changes, CorrectionError (or ValueError) when a value does not validate; nothing is
    written then.
    """
    changed = edits.correct_fields(services.store, document_id, project_id, document_changes, project_changes,
                                   who=who, why=why, base=base)
    if changed:
        _reindex(services, document_id)
    return changed


def add_indicator(services: Services, document_id: int, project_id: int, values: dict[str, Any], who: str,
                  why: str | None = None, *, seen: Collection[int]) -> int:
    """Add an indicator row the extraction missed; returns its id.

    `seen`: the project's row ids the person had in front of them (ConflictError when someone else added a row of
    the same name since).
    """
    indicator_id = edits.add_indicator(services.store, project_id, values, who=who, why=why, seen=seen)
    _reindex(services, document_id)
    return indicator_id


def delete_indicator(services: Services, document_id: int, indicator_id: int, who: str,
                     why: str | None = None, *, base: Mapping[str, Any]) -> None:
    """Delete a wrong indicator row (its values stay in the revision).

    ConflictError when someone else changed it since `base`, the values the person saw.
    """
    edits.delete_indicator(services.store, indicator_id, who=who, why=why, base=base)
    _reindex(services, document_id)


def mark_reviewed(services: Services, document_id: int, who: str, reviewed: bool = True, *, base: bool) -> None:
    """Mark a whole document (and its indicators) reviewed, or take the mark back, as a revision.

    ConflictError when the mark is no longer `base`, the one the person saw.
    """
    edits.mark_reviewed(services.store, document_id, who=who, reviewed=reviewed, base=base)
