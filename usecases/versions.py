"""Versions of a disclosure: restore an old version (the one it replaces is kept) and bring the index along."""

from __future__ import annotations

from retrieval.services import Services
from retrieval.store import versions
from retrieval.store.versions import Restored


def restore_version(services: Services, document_id: int, who: str, carry: bool = False, *,
                    base: int | None) -> Restored:
    """Make a kept version current again, optionally carrying the current version's corrections onto it.

    `base`: versions.lineage_base when the page loaded; ConflictError (nothing written) when the disclosure changed
    since. None only for callers that read the lineage in the same breath (scripts, the CLI).
    """
    restored = versions.restore_version(services.store, document_id, who=who, carry=carry, base=base)
    services.sync()  # index the restored version, drop the one it replaced
    return restored
