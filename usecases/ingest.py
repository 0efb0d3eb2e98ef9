"""ingest_one: the one way a file enters the store (extract, check for duplicates and versions, store, index)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from extractor.api import extract
from extractor.schema import Extraction
from kernel.progress import Progress
from kernel.settings import Settings
from retrieval.services import Services
from retrieval.store.versions import VersionDiff, would_replace

log = logging.getLogger(__name__)


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: str
    status: str  # new / duplicate / superseded / kept (a non-current version) / failed / pending (waits for a person)
    message: str = ""
    document_id: int | None = None
    projects: int = 0
    indicators: int = 0
    review_reasons: list[str] = field(default_factory=list)  # why the extractor wants a person to look
    replaced: str = ""  # the version this file superseded, said in Chinese ("" when it replaced nothing)


Extract = Callable[[bytes, str, str, Settings, Progress | None], Extraction]  # bytes, name, backend, settings
Decide = Callable[[Extraction, list[VersionDiff]], FileOutcome | None]  # a new version: hold it, or None to store


def extract_here(data: bytes, name: str, backend: str, settings: Settings, progress: Progress | None) -> Extraction:
    """Extraction in this process (the CLI's serial path; the app passes usecases.isolated instead)."""
    return extract(data, name=name, backend=backend, settings=settings, progress=progress)


def ingest_one(services: Services, name: str, data: bytes, *, backend: str | None = None, who: str = "ingest",
               supersede: bool = True, progress: Progress | None = None, extractor: Extract = extract_here,
               extracted: Extraction | None = None, decide: Decide | None = None, keep_file: bool = True
               ) -> FileOutcome:
    """Ingest one file's bytes; re-ingesting the same bytes is a no-op ("duplicate").

    `extracted` is a result already extracted elsewhere (a worker process or a Ray task); otherwise `extractor`
    runs. When the file would replace stored versions, `decide` may hold it for a person (its outcome is
    returned and nothing is stored). Storing is one transaction: a crash leaves no half record. `keep_file` False
    leaves the copy of the original file to the caller (a Ray driver keeps it where the app can read it).
    """
    known = services.store.document_id_by_sha(hashlib.sha256(data).hexdigest())
    if known is not None:  # saves the extraction; the store's unique hash decides for real
        return FileOutcome(name, "duplicate", "已导入（内容相同）", known)
    backend = backend or services.settings.effective_backend()
    result = extracted if extracted is not None else extractor(data, name, backend, services.settings, progress)
    if result.document is None:
        return FileOutcome(name, "failed", "；".join(e.message for e in result.errors))
    if decide is not None and (diffs := would_replace(services.store, result.document)):
        held = decide(result, diffs)
        if held is not None:
            return held
    if progress:
        progress(result.pages, result.pages, "indexing")
    return store_extracted(services, name, data, result, who=who, supersede=supersede, keep_file=keep_file)


def store_extracted(services: Services, name: str, data: bytes, result: Extraction, who: str = "ingest",
                    supersede: bool = True, keep_file: bool = True) -> FileOutcome:
    """Store and index one extraction (also a held new version, once a person decided how)."""
    if result.document is None:
        return FileOutcome(name, "failed", "；".join(e.message for e in result.errors))
    if keep_file:
        services.blobs.put(data)  # content-addressed: safe to repeat, and needed before the record points at it
    outcome = services.store.add_extraction(result, who=who, supersede=supersede)
    try:
        if outcome.status != "kept":  # a kept version is not current: search and ask never see it
            services.index_documents([outcome.document_id])
        if outcome.superseded_id is not None:
            services.drop_superseded()
    except Exception as exc:  # the store is the truth: `jixiao check`/`sync` repair the index later
        log.warning("indexing %s failed (%s); it will be indexed on the next sync", name, exc)
    doc = result.document
    replaced = ""
    if outcome.superseded_id is not None and (old := services.store.document(outcome.superseded_id)) is not None:
        replaced = f"替换了旧版本 {old.source}（文档 {outcome.superseded_id}）"
        if outcome.carried_corrections:
            replaced += f"，沿用其中 {outcome.carried_corrections} 条人工校正"
    return FileOutcome(name, outcome.status, result.status, outcome.document_id, len(doc.projects),
                       sum(len(p.indicators) for p in doc.projects), list(result.quality.reasons), replaced)
