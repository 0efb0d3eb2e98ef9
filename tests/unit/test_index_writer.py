"""The index's worker thread: reads wait for the writes queued before them, a failed write is logged, not raised."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from retrieval.search.background import IndexWriter


def test_settle_waits_for_every_job_queued_before_it() -> None:
    writer, done = IndexWriter(), []
    release = threading.Event()

    def slow() -> None:
        release.wait(5)
        done.append("slow")
    writer.submit(slow, "slow write")
    writer.submit(lambda: done.append("next"), "next write")
    threading.Timer(0.2, release.set).start()
    started = time.perf_counter()
    writer.settle()
    assert done == ["slow", "next"]  # in the order they were queued
    assert time.perf_counter() - started >= 0.15


def test_a_job_reading_the_index_from_the_worker_does_not_wait_for_itself() -> None:
    writer, seen = IndexWriter(), []

    def job() -> None:
        writer.settle()  # what VectorIndex.held() does when refresh_document runs on the worker
        seen.append(True)
    writer.submit(job, "refresh")
    writer.settle()
    assert seen == [True]


def test_a_failed_write_is_logged_and_the_next_one_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    writer, done = IndexWriter(), []

    def broken() -> None:
        raise RuntimeError("chroma is gone")
    with caplog.at_level(logging.WARNING):
        writer.submit(broken, "re-indexing document 7")
        writer.submit(lambda: done.append(1), "re-indexing document 8")
        writer.settle()
    assert done == [1]
    assert "re-indexing document 7 failed (chroma is gone)" in caplog.text
