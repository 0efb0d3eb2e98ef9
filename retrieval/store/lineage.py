"""Which stored files are versions of one disclosure (used by ingest, the upload preview and the v6 migration)."""

from __future__ import annotations


def same_disclosure(old_source: str, old_names: set[str], new_source: str, new_names: set[str]) -> bool:
    """Two files of one department and year are versions of one disclosure: same file name, or mostly (80%) the
    same project names."""
    if old_source == new_source:
        return True
    return bool(old_names and new_names) and len(old_names & new_names) >= 0.8 * max(len(old_names), len(new_names))
