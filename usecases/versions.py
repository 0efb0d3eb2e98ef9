"""Versions of a disclosure: restore an old version (the one it replaces is kept) and bring the index along."""

from __future__ import annotations

from retrieval.services import Services
from retrieval.store.versions import restore


def restore_version(services: Services, document_id: int, who: str) -> int | None:
    """Make a superseded version current again; returns the id of the version it replaced (None: nothing to do)."""
    replaced = restore(services.store, document_id, who=who)
    services.sync()  # index the restored version, drop the one it replaced
    return replaced
