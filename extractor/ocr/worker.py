"""A child process that OCRs page images, so a page that overruns its time limit can be stopped for real."""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from extractor.grid import Block

log = logging.getLogger(__name__)

_START_TIMEOUT_S = 120.0  # importing onnxruntime and loading three models; slow disks need a while


class PageTimeoutError(RuntimeError):
    """A page took longer than its time limit; the worker was stopped."""


class WorkerError(RuntimeError):
    """The worker crashed or failed on a page (message is user-facing)."""


class WorkerStartError(WorkerError):
    """The worker could not start: OCR is unusable in this environment."""


@dataclass
class PageTask:
    """One page image to read; unit_per_px maps its pixels to page units (PDF points or pixels)."""

    page: int
    image: np.ndarray
    unit_per_px: float
    known: frozenset[str] = frozenset()  # the document's own words from its other pages (second pass)


@dataclass
class PageResult:
    """What one page gave: blocks in page units, remarks, and whether it was blank."""

    page: int
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)
    blank: bool = False
    lines: int = 0
    seconds: float = 0.0
    sure: dict[str, int] = field(default_factory=dict)  # pairs of characters read surely, and how often
    wants: frozenset[str] = frozenset()  # pairs its doubtful characters could make: what words from elsewhere may mend


def read_page(engine: Any, task: PageTask) -> PageResult:
    """OCR one page and rebuild its tables (runs in the worker; also usable in-process)."""
    from extractor.ocr.page import ocr_page
    from extractor.ocr.table import page_blocks

    started = time.perf_counter()
    engine.known_words = task.known
    page = ocr_page(engine, task.image, task.unit_per_px)
    blocks = [] if page.blank else page_blocks(page.image, page.boxes, task.page, page.to_page,
                                               read_crop=engine.read_crop)
    return PageResult(page=task.page, blocks=blocks, notes=page.notes, blank=page.blank, lines=len(page.boxes),
                      seconds=time.perf_counter() - started, sure=dict(getattr(engine, "page_sure", {})),
                      wants=getattr(engine, "page_wants", frozenset()))


def _send(stream: IO[bytes], obj: object) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(payload)) + payload)
    stream.flush()


def _read_exact(stream: IO[bytes], n: int) -> bytes:
    chunks = []
    while n > 0:
        chunk = stream.read(n)
        if not chunk:
            raise EOFError("worker pipe closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv(stream: IO[bytes]) -> Any:
    (size,) = struct.unpack("<Q", _read_exact(stream, 8))
    return pickle.loads(_read_exact(stream, size))  # only ever our own worker's messages


def serve(threads: int) -> None:
    """Worker main loop on stdin/stdout: load the engine once, then answer one task per message."""
    from kernel.lifeline import die_with_parent

    # Polling, not PR_SET_PDEATHSIG: the thread that started us may be short-lived while its process lives on.
    die_with_parent(os.getppid(), signal_on_exit=False)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints from libraries go to stderr, never into the message stream
    inp = sys.stdin.buffer
    try:
        from extractor.ocr.engine import OcrEngine

        engine = OcrEngine(threads)
    except Exception as exc:  # reported to the parent, which explains it to the user
        _send(out, ("error", f"OCR 引擎无法启动：{exc}"))
        return
    _send(out, ("ready", None))
    while True:
        try:
            task = _recv(inp)
        except EOFError:
            return
        if task is None:
            return
        try:
            _send(out, ("ok", read_page(engine, task)))
        except Exception as exc:  # one bad page must not stop the worker
            log.exception("OCR of page %s failed", getattr(task, "page", "?"))
            _send(out, ("error", f"{type(exc).__name__}: {exc}"[:300]))


class OcrWorker:
    """Owns one worker process; restarts it after a timeout or crash."""

    def __init__(self, threads: int = 0) -> None:
        self.threads = threads
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """Process id of the running worker, if any."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _wait(self, proc: subprocess.Popen[bytes], timeout_s: float) -> Any:
        """The worker's next message, or None when it has not answered within timeout_s."""
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], timeout_s)
        return _recv(proc.stdout) if ready else None

    def _start(self) -> subprocess.Popen[bytes]:
        # A fresh interpreter running this module: unlike multiprocessing's spawn it never re-imports
        # the caller's __main__, and unlike fork it is safe when the parent runs threads.
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        proc = subprocess.Popen([sys.executable, "-m", "extractor.ocr.worker", str(self.threads)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)
        try:
            message = self._wait(proc, _START_TIMEOUT_S)
        except EOFError as exc:
            proc.kill()
            proc.wait(5)
            raise WorkerStartError("OCR 引擎启动失败（进程意外退出）") from exc
        if message is None:
            proc.kill()
            proc.wait(5)
            raise WorkerStartError("OCR 引擎启动超时")
        kind, payload = message
        if kind != "ready":
            proc.wait(5)
            raise WorkerStartError(str(payload))
        self._proc = proc
        return proc

    def run(self, task: PageTask, timeout_s: float) -> PageResult:
        """Read one page; raises PageTimeoutError after timeout_s, WorkerError when the worker fails."""
        with self._lock:
            proc = self._proc if self.pid is not None and self._proc is not None else self._start()
            assert proc.stdin is not None
            try:
                _send(proc.stdin, task)
                message = self._wait(proc, timeout_s)
            except (EOFError, OSError) as exc:
                self._stop(kill=True)
                raise WorkerError("OCR 进程意外退出") from exc
            if message is None:
                self._stop(kill=True)
                raise PageTimeoutError(f"page {task.page} over {timeout_s:g} s")
        kind, payload = message
        if kind != "ok":
            raise WorkerError(str(payload))
        assert isinstance(payload, PageResult)
        return payload

    def _stop(self, kill: bool = False) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if not kill and proc.poll() is None and proc.stdin is not None:
            try:
                _send(proc.stdin, None)
                proc.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        """Stop the worker process."""
        with self._lock:
            self._stop()


_shared: OcrWorker | None = None
_shared_lock = threading.Lock()


def shared_worker(threads: int = 0) -> OcrWorker:
    """The process-wide worker (models load once per process, not once per document)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.threads != threads:
            if _shared is not None:
                _shared.close()
            _shared = OcrWorker(threads)
            atexit.register(_shared.close)
        return _shared


if __name__ == "__main__":
    # Run the copy imported under its package name, so the results pickle as extractor.ocr.worker.*
    from extractor.ocr.worker import serve as _serve

    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
