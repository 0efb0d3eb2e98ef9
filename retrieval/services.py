"""One bundle of the store, blobs, index and search, opened from the settings; sync, reindex, check."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from kernel.settings import Settings
from retrieval.search import keyword_rows
from retrieval.search.background import IndexWriter
from retrieval.search.embeddings import get_embedder
from retrieval.search.index import VectorIndex, chroma_client
from retrieval.search.keyword import KeywordSearch
from retrieval.search.keyword_mirror import KeywordMirror
from retrieval.search.records import IndexRecord, document_records
from retrieval.search.searcher import Searcher
from retrieval.search.vector_cache import CachingEmbedder
from retrieval.store.blobs import BlobStore
from retrieval.store.concurrency import lock_writes
from retrieval.store.database import Store
from retrieval.store.tables import DocumentRow, KeywordRow, MetaRow, ProjectRow

log = logging.getLogger(__name__)
# "2": the keyword rows and the common terms' top lists (v9); a store flagged "1" has rows only and is refilled once.
KEYWORD_INDEX_VERSION = "2"


@dataclass
class Drift:
    """Differences between the store (truth) and the index."""

    missing: list[str] = field(default_factory=list)  # in the store, not in the index
    orphans: list[str] = field(default_factory=list)  # in the index, not in the store
    stale: list[str] = field(default_factory=list)  # in the index with a text or metadata the store no longer has
    unindexed_documents: list[int] = field(default_factory=list)
    keyword_missing: list[str] = field(default_factory=list)  # in the store, not in the keyword index
    keyword_orphans: list[str] = field(default_factory=list)  # in the keyword index, not (or no longer) current
    keyword_stale: list[str] = field(default_factory=list)  # indexed with a text the record no longer has
    mirror_off: int = 0  # records the tantivy mirror holds more or fewer than the keyword rows, once caught up

    @property
    def clean(self) -> bool:
        """True when store, Chroma and the keyword index agree."""
        return not (self.missing or self.orphans or self.stale or self.unindexed_documents or self.keyword_missing
                    or self.keyword_orphans or self.keyword_stale or self.mirror_off)


class Services:
    """Everything the CLI and the app use, built once from one Settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store.from_settings(settings)
        self.blobs = BlobStore(settings.data_dir / "files")
        self.embedder = CachingEmbedder(get_embedder(settings), self.store.engine)
        self.index = VectorIndex(chroma_client(settings), self.embedder)
        self.writer = IndexWriter()
        self.index.settle = self.writer.settle
        # Every write through this store now rewrites the keyword rows of what it changed, in its own transaction.
        keyword_rows.install(self.store._sessions)
        # tantivy's copy of the keyword rows on this machine, beside the store's file (SQLite only: on PostgreSQL
        # the store's own full-text index ranks). Built here; after a write its worker catches it up beside searches.
        mirror = (KeywordMirror(settings.data_dir / "keyword_mirror")
                  if self.store.engine.dialect.name == "sqlite" else None)
        self.keyword = KeywordSearch(self.store.engine, mirror=mirror)
        self.searcher = Searcher(self.index, self.embedder, self.keyword, settings.max_query_chars)
        self.ensure_keyword_index()
        if self.index.rebuilt:
            self.reindex()  # the embedding model changed: rebuild from the store, never mix vectors

    def _live_documents(self, ids: list[int] | None = None) -> list[DocumentRow]:
        with self.store.session() as s:
            q = (select(DocumentRow).where(DocumentRow.superseded_by.is_(None))
                 .options(selectinload(DocumentRow.projects).selectinload(ProjectRow.indicators)))
            if ids is not None:
                q = q.where(DocumentRow.id.in_(ids))
            return list(s.scalars(q))

    def records(self) -> list[IndexRecord]:
        """Index records of every current (not superseded) document."""
        return [r for d in self._live_documents() for r in document_records(d)]

    def index_documents(self, ids: list[int]) -> int:
        """(Re)index these documents: old records out, current ones in; returns records written."""
        docs = self._live_documents(ids)
        for doc_id in ids:
            self.index.delete_document(doc_id)
        records = [r for d in docs for r in document_records(d)]
        self.index.upsert(records)
        self.store.set_indexed([d.id for d in docs])
        return len(records)

    def refresh_document(self, document_id: int) -> int:
        """Write only the document's records the index holds differently from the store; returns records written.

        What a correction leaves behind: one record (or a project's few) differs, and re-writing all ~140 of a
        document cost most of a save. The index is read before the store, so a concurrent save's newer record is
        never replaced by an older one read here.
        """
        held = self.index.held(document_id)
        want = {r.id: r for d in self._live_documents([document_id]) for r in document_records(d)}
        gone = sorted(set(held) - set(want))
        if gone:
            self.index.delete(gone)
        changed = [r for rid, r in want.items() if held.get(rid) != (r.text, r.metadata)]
        self.index.upsert(changed)
        if want:
            self.store.set_indexed([document_id])
        return len(changed)

    def refresh_later(self, document_id: int) -> None:
        """`refresh_document` on the index's worker thread: a save returns once the store has it.

        Every index read waits for it first (VectorIndex.settle), so nothing reads the index behind the save.
        """
        self.writer.submit(lambda: self.refresh_document(document_id), f"re-indexing document {document_id}")

    def drop_superseded(self) -> int:
        """Take superseded documents' records out of the index, once each; returns documents dropped.

        For a superseded document the `indexed` flag says whether the index may still hold its records (the store
        sets it when superseding), so each sync does not delete every superseded document again.
        """
        with self.store.session() as s:
            stale = list(s.scalars(select(DocumentRow.id).where(DocumentRow.superseded_by.is_not(None),
                                                                DocumentRow.indexed.is_(True))))
        for doc_id in stale:
            self.index.delete_document(doc_id)
        if stale:
            self.store.set_indexed(stale, False)
        return len(stale)

    def sync(self) -> int:
        """Index what the store holds but the index lacks (after a crash or a correction)."""
        self.drop_superseded()
        with self.store.session() as s:
            pending = list(s.scalars(select(DocumentRow.id).where(DocumentRow.indexed.is_(False),
                                                                  DocumentRow.superseded_by.is_(None))))
        return self.index_documents(pending) if pending else 0

    def ensure_keyword_index(self) -> None:
        """Fill the keyword index once for a store that predates it, or predates its top lists (v7, v9)."""
        try:
            with self.store.session() as s:
                if self._keyword_index_current(s):
                    return
                lock_writes(s)  # two processes opening an old store: one fills, the other then sees the flag
                if not self._keyword_index_current(s):
                    keyword_rows.rebuild(s)
                    s.merge(MetaRow(key="keyword_index", value=KEYWORD_INDEX_VERSION))
        except IntegrityError:
            # A fresh store has no generation row to lock (PostgreSQL): two workers starting at once both fill it,
            # and the second's flag conflicts with the first's; its transaction is rolled back, the first one stands.
            log.info("keyword index filled by another process")
        if self.keyword.mirror is not None:
            self.keyword.mirror.build(self.store.engine)  # a build, if any, happens here and not in a search

    @staticmethod
    def _keyword_index_current(s: Session) -> bool:
        flag = s.get(MetaRow, "keyword_index")
        return flag is not None and flag.value == KEYWORD_INDEX_VERSION

    def reindex_keyword(self) -> int:
        """Rebuild the keyword index from the store in one transaction; returns rows written."""
        with self.store.session() as s:
            lock_writes(s)
            written = keyword_rows.rebuild(s)
        if self.keyword.mirror is not None:
            self.keyword.mirror.reset()
            self.keyword.mirror.build(self.store.engine)
        return written

    def reindex(self) -> int:
        """Rebuild the whole index (Chroma and keyword) from the store."""
        self.reindex_keyword()
        self.index.reset()
        ids = [d.id for d in self._live_documents()]
        return self.index_documents(ids)

    def check(self) -> Drift:
        """Report drift between the store, Chroma and the keyword index."""
        records = self.records()
        texts = {r.id: r.text for r in records}
        want = set(texts)
        held = self.index.held()
        have = set(held)
        with self.store.session() as s:
            unindexed = list(s.scalars(select(DocumentRow.id).where(DocumentRow.indexed.is_(False),
                                                                    DocumentRow.superseded_by.is_(None))))
            keyword: dict[str, str] = {rid: txt for rid, txt in s.execute(select(KeywordRow.rid, KeywordRow.text))}
        stale = sorted(r.id for r in records if r.id in held and held[r.id] != (r.text, r.metadata))
        mirror_off = 0
        if self.keyword.mirror is not None:
            # The mirror first applies what it lacks, as a search would; one that cannot is wholly off.
            built = self.keyword.mirror.build(self.store.engine)
            mirror_off = abs(self.keyword.mirror.count() - len(keyword)) if built else len(keyword)
        return Drift(missing=sorted(want - have), orphans=sorted(have - want), stale=stale,
                     unindexed_documents=unindexed,
                     keyword_missing=sorted(want - set(keyword)), keyword_orphans=sorted(set(keyword) - want),
                     keyword_stale=sorted(r for r in want & set(keyword) if keyword[r] != texts[r]),
                     mirror_off=mirror_off)
