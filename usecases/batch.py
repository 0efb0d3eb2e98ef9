"""Ingest many files: extraction in a process pool, each result stored through ingest_one; per-file errors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from contextlib import ExitStack, suppress
from functools import partial
from multiprocessing import Manager
from pathlib import Path
from typing import Any

from extractor.api import read_limited
from extractor.schema import Extraction
from kernel.errors import JixiaoError
from kernel.progress import Progress
from kernel.settings import Settings
from retrieval.services import Services
from usecases.ingest import FileOutcome, extract_here, ingest_one
from usecases.pool import run_pool

SUPPORTED = {".pdf", ".docx", ".xlsx", ".xlsm", ".xls", ".txt", ".csv", ".tsv", ".png", ".jpg", ".jpeg", ".tif",
             ".tiff"}


def collect(paths: Iterable[Path]) -> list[Path]:
    """Files under the given files/folders (recursive), supported types only for folders."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            out.append(p)
    return out


PageReport = Callable[[str, int, int, str], None]  # file name, page i, of n, stage


ExtractArgs = tuple[bytes, str, str, Settings, Any]  # bytes, file name, backend, settings, page-report queue


def _extract(args: ExtractArgs) -> Extraction:
    data, name, backend, settings, pages = args

    def report(done: int, total: int, stage: str) -> None:
        # Progress is best effort: a full or closed queue must not fail the extraction.
        with suppress(Exception):
            pages.put_nowait((name, done, total, stage))

    return extract_here(data, name, backend, settings, report if pages is not None else None)


def _drain(queue: Any, report: PageReport) -> None:
    while True:
        try:
            name, done, total, stage = queue.get_nowait()
        except Exception:  # queue.Empty, or the manager going away at shutdown
            return
        report(name, done, total, stage)


def ingest_paths(services: Services, paths: list[Path], workers: int = 1, backend: str | None = None,
                 progress: Progress | None = None, pages: PageReport | None = None,
                 extract: Callable[[ExtractArgs], Extraction] = _extract) -> list[FileOutcome]:
    """Ingest files; re-ingesting the same bytes is a no-op; the batch continues past bad files.

    `progress` hears files done of total; `pages` hears each file's pages and stages (OCR page i of n…).
    `extract` runs in the worker processes (tests pass one that crashes its worker).
    """
    settings = services.settings
    backend = backend or settings.effective_backend()
    outcomes: list[FileOutcome] = []
    todo: list[Path] = []
    for path in paths:
        try:
            data = read_limited(path, settings)  # too large: refused from the file system, never read
        except JixiaoError as exc:
            outcomes.append(FileOutcome(str(path), "failed", str(exc)))
            continue
        known = services.store.document_id_by_sha(hashlib.sha256(data).hexdigest())
        if known is not None:  # saves the extraction; the store's unique hash decides for real
            outcomes.append(FileOutcome(str(path), "duplicate", "已导入（内容相同）", known))
        else:
            todo.append(path)
    total = len(paths)
    done = len(outcomes)
    if progress:
        progress(done, total, "extracting")

    def store(path: Path, data: bytes, result: Extraction | str) -> None:
        nonlocal done
        done += 1
        if isinstance(result, str):  # the worker died on this file
            outcomes.append(FileOutcome(str(path), "failed", result))
        else:
            outcomes.append(ingest_one(services, str(path), data, backend=backend, extracted=result))
        if progress:
            progress(done, total, path.name)

    if workers > 1 and len(todo) > 1:
        with ExitStack() as stack:
            # Pages are heard across processes through a manager queue, started only when someone listens.
            queue = stack.enter_context(Manager()).Queue() if pages else None
            held: dict[int, bytes] = {}

            def args_of(i: int) -> ExtractArgs:
                held[i] = _read_again(todo[i])
                return held[i], todo[i].name, backend, settings, queue

            tick = partial(_drain, queue, pages) if queue is not None and pages is not None else None
            finished: dict[int, Extraction | str] = {}
            next_i = 0
            for i, result in run_pool(len(todo), args_of, extract, workers, settings.worker_max_memory_mb, tick):
                finished[i] = result
                # Stored in the order given: a later rendering of a disclosure supersedes an earlier one.
                while next_i in finished:
                    store(todo[next_i], held.pop(next_i), finished.pop(next_i))
                    next_i += 1
    else:
        for path in todo:
            report = partial(pages, path.name) if pages else None
            data = _read_again(path)
            store(path, data, extract((data, path.name, backend, settings, None)) if extract is not _extract
                  else extract_here(data, path.name, backend, settings, report))
    return outcomes


def _read_again(path: Path) -> bytes:
    """The bytes of a file checked above; one gone since then reads as empty (and fails as an empty file)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""
