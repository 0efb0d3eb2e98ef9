"""A corpus file's reading as stable JSON: the Document, the status and the verifier's objections, nothing volatile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eval.snapshots import FOLDERS, SNAPSHOT_DIR, STRUCTURAL_FOLDERS
from eval.snapshots.compare import diff, structure
from extractor.api import extract
from extractor.schema import Extraction
from kernel.settings import Settings


def as_snapshot(result: Extraction) -> dict[str, Any]:
    """The parts of an extraction a regression shows in: no seconds, pages or paths (the source is a file name)."""
    return {
        "document": result.document.model_dump(mode="json") if result.document else None,
        "status": result.status,
        "contradictions": [{"kind": c.kind, "message": c.message} for c in result.contradictions],
    }


def read(path: Path, settings: Settings | None = None) -> dict[str, Any]:
    """The rules backend's reading of one file, through the public entry point, as a snapshot dict."""
    return as_snapshot(extract(path, backend="rules", settings=settings))


def dumps(snapshot: dict[str, Any]) -> str:
    """Pretty, sorted, unescaped Chinese: git diffs of snapshot files stay readable."""
    return json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def snapshot_file(folder: str, name: str, root: Path = SNAPSHOT_DIR) -> Path:
    """Where the snapshot of corpus/<folder>/<name> is kept."""
    return root / folder / f"{name}.json"


def load(path: Path) -> dict[str, Any] | None:
    """A stored snapshot (None when there is none yet)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def corpus_files(corpus: Path, folders: tuple[str, ...] | list[str] = FOLDERS) -> list[tuple[str, Path]]:
    """(folder, file) of every sample file in the folders; notes such as SOURCES.md and README.md are not samples."""
    out: list[tuple[str, Path]] = []
    for folder in folders:
        out.extend((folder, f) for f in sorted((corpus / folder).glob("*"))
                   if f.is_file() and not f.name.startswith(".") and f.suffix.lower() != ".md")
    return out


def changes(folder: str, stored: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """How a new reading differs from its snapshot; scans compare only their structure (OCR text may vary)."""
    if folder in STRUCTURAL_FOLDERS and stored is not None:
        return diff(structure(stored), structure(new))
    return diff(stored, new)


def stale(corpus: Path, folders: tuple[str, ...] | list[str], root: Path = SNAPSHOT_DIR) -> list[Path]:
    """Snapshot files whose corpus file is gone."""
    names = {(folder, f.name) for folder, f in corpus_files(corpus, folders)}
    return [p for folder in folders for p in sorted((root / folder).glob("*.json"))
            if (folder, p.name.removesuffix(".json")) not in names]
