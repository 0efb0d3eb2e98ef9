"""Concurrent writers: schema creation takes a lock, the unique hash decides duplicates, names never supersede."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import event

from extractor.schema import Document, Extraction, Project
from retrieval.store.database import Store

ROOT = Path(__file__).resolve().parents[2]
_OPEN_AT = ("import sys, time; from retrieval.store.database import Store;"
            " time.sleep(max(0, float(sys.argv[1]) - time.time())); Store(sys.argv[2])")


def test_concurrent_processes_create_the_schema_once(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt in range(3):
        url = f"sqlite:///{tmp_path / f'race{attempt}.db'}"
        start = f"{time.time() + 2.5:.3f}"  # every process imports first, then all open the fresh store at once
        procs = [subprocess.Popen([sys.executable, "-c", _OPEN_AT, start, url], env=env, stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert all(p.returncode == 0 for p in procs), "\n".join(errors)


def _doc(sha: str, source: str, department: str | None, year: int | None = 2025) -> Extraction:
    return Extraction(document=Document(source=source, sha256=sha, department=department, fiscal_year=year,
                                        projects=[Project(kind="project", name=f"{department}项目")]), status="ok")


def test_storing_a_hash_another_process_just_stored_is_a_duplicate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jixiao.db'}"
    mine, theirs = Store(url), Store(url)
    extraction = _doc("a" * 64, "a.pdf", "甲部门")
    raced: list[int] = []

    @event.listens_for(mine._sessions, "after_begin")
    def other_writer_first(*_: object) -> None:
        # The other ingest stores the same bytes after this one began and before it takes the write lock (once it
        # holds the lock, the other waits for its commit and is itself the duplicate).
        if not raced:
            raced.append(theirs.add_extraction(extraction).document_id)

    outcome = mine.add_extraction(extraction)
    assert outcome.status == "duplicate" and outcome.document_id == raced[0]


def test_same_file_name_from_two_departments_never_supersedes(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'jixiao.db'}")
    first = store.add_extraction(_doc("1" * 64, "绩效目标表.pdf", "甲部门"))
    second = store.add_extraction(_doc("2" * 64, "绩效目标表.pdf", "乙部门"))
    assert (first.status, second.status) == ("new", "new")
    other_year = store.add_extraction(_doc("3" * 64, "绩效目标表.pdf", "甲部门", 2024))
    assert other_year.status == "new"
    unknown = store.add_extraction(_doc("4" * 64, "绩效目标表.pdf", None))
    assert unknown.status == "new"  # an unknown department is no evidence of the same one
    again = store.add_extraction(_doc("5" * 64, "绩效目标表.pdf", "甲部门"))
    assert again.status == "superseded" and again.superseded_id == first.document_id
