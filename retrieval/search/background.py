"""Index writes that follow a save on one worker thread, and the barrier every index read passes first.

A correction is saved when the store has it (the system of record; its document is marked unindexed in the same
transaction). Embedding the changed text and writing Chroma took about a third of a save, so the person is told
"saved" before the index catches up; every read of the index waits for the writes queued before it, so search,
ask and `check` never see the index behind a save they follow.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

log = logging.getLogger(__name__)


class IndexWriter:
    """A one-thread queue of index jobs; `settle()` returns when every job queued so far is done."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        self._lock = threading.Lock()
        self._on_worker = threading.local()

    def submit(self, job: Callable[[], object], what: str) -> None:
        """Queue a job; a failure is logged (the store still marks the document unindexed: the next sync mends it)."""
        def run() -> None:
            self._on_worker.active = True
            try:
                job()
            except Exception as exc:
                log.warning("%s failed (%s); the next sync repairs the index", what, exc)

        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jixiao-index")
            self._pending = [f for f in self._pending if not f.done()]
            self._pending.append(self._pool.submit(run))

    def settle(self) -> None:
        """Wait for the queued jobs (a no-op on the worker itself, whose own reads must not wait for it)."""
        if getattr(self._on_worker, "active", False):
            return
        with self._lock:
            pending = list(self._pending)
        if pending:
            wait(pending)
