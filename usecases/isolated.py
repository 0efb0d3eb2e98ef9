"""Extraction in a spawned worker process with the ingest limits, so a bad file cannot take its caller down.

The worker dies with the server, has its address space capped (JIXIAO_WORKER_MAX_MEMORY_MB), and reports
each page's stage back through a queue so the page can show it. A worker that dies (out of memory, a native
reader crash) fails only its file.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from extractor.api import extract
from extractor.schema import Extraction, Problem
from kernel.lifeline import init_worker
from kernel.progress import Progress
from kernel.settings import Settings

Target = Callable[[bytes, str, str, Settings, Any], Extraction]


def _extract(data: bytes, name: str, backend: str, settings: Settings, pages: Any) -> Extraction:
    """Runs in the worker: extract and send each stage to the page."""
    return extract(data, name=name, backend=backend, settings=settings,
                   progress=lambda i, n, stage: pages.put((i, n, stage)))


def extract_isolated(data: bytes, name: str, backend: str, settings: Settings, progress: Progress | None,
                     target: Target = _extract) -> Extraction:
    """Extract one file in its own process (spawned: the server's threads are not forked); never raises."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ProcessPoolExecutor(
            max_workers=1, mp_context=ctx, initializer=init_worker,
            initargs=(os.getpid(), settings.worker_max_memory_mb)) as pool:
        pages = manager.Queue()
        future = pool.submit(target, data, name, backend, settings, pages)
        while True:
            try:
                stage = pages.get(timeout=0.1)
                if progress:
                    progress(*stage)
            except queue.Empty:
                if future.done():
                    break
        try:
            return future.result()
        except BrokenProcessPool:
            message = "提取进程意外退出（内存耗尽或读取库崩溃），该文件未导入；其他文件不受影响"
        except Exception as exc:  # a bug in a reader must not take the page down
            message = f"内部错误，无法提取：{type(exc).__name__}"
    return Extraction(document=None, status="failed", errors=[Problem(message=message)])
