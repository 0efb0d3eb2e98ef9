"""Extraction in worker processes: a window of files in flight; a worker that dies costs only its own file."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from kernel.lifeline import init_worker

log = logging.getLogger(__name__)

Outcome = Any  # what the worker function returns (an Extraction), or a str saying why the worker died


class _Broken(Exception):
    """The pool lost a worker; `suspects` were in flight when it happened."""

    def __init__(self, suspects: list[int]) -> None:
        super().__init__(suspects)
        self.suspects = suspects


def _pool(workers: int, max_mb: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(os.getpid(), max_mb))


def _died(exc: BaseException) -> str:
    return f"提取进程意外退出（内存耗尽被系统终止或读取库崩溃）：{type(exc).__name__}"


def run_pool(n: int, args_of: Callable[[int], Any], call: Callable[[Any], Any], workers: int, max_mb: int,
             tick: Callable[[], None] | None = None) -> Iterator[tuple[int, Outcome]]:
    """Run call(args_of(i)) for i < n in `workers` processes; yield (i, result) as each finishes, in any order.

    At most `workers` files are in flight, so when a worker dies (OOM killer, a native crash) the suspects are few:
    each is retried alone in a fresh one-worker pool; the one that kills that pool too is reported as a str, and the
    rest of the batch goes on in a rebuilt pool. Arguments are built only when submitted (bytes are not all held).
    """
    pending = deque(range(n))
    while pending:
        try:
            yield from _window(pending, args_of, call, workers, max_mb, tick)
        except _Broken as broken:
            log.warning("an extraction worker died; retrying %d file(s) one by one", len(broken.suspects))
            for i in sorted(broken.suspects):
                yield i, _alone(args_of(i), call, max_mb)


def _window(pending: deque[int], args_of: Callable[[int], Any], call: Callable[[Any], Any], workers: int,
            max_mb: int, tick: Callable[[], None] | None) -> Iterator[tuple[int, Outcome]]:
    running: dict[Future[Any], int] = {}
    with _pool(workers, max_mb) as pool:
        try:
            while pending or running:
                while pending and len(running) < workers:
                    i = pending.popleft()
                    try:
                        running[pool.submit(call, args_of(i))] = i
                    except BrokenProcessPool:
                        pending.appendleft(i)  # the pool broke before it took this file: it is still to do
                        raise
                done, _ = wait(running, timeout=0.2 if tick else None, return_when=FIRST_COMPLETED)
                if tick:
                    tick()
                for fut in done:
                    if isinstance(fut.exception(), BrokenProcessPool):
                        raise _Broken(list(running.values()))
                for fut in done:
                    i = running.pop(fut)
                    exc = fut.exception()
                    yield i, fut.result() if exc is None else _failed(exc)
        except BrokenProcessPool as exc:  # submit() on a pool that broke between two waits
            raise _Broken(list(running.values())) from exc


def _failed(exc: BaseException) -> str:
    log.error("extraction worker raised %s: %s", type(exc).__name__, exc)
    return f"提取进程失败：{type(exc).__name__}"


def _alone(args: Any, call: Callable[[Any], Any], max_mb: int) -> Outcome:
    """One file in a pool of its own: its result, or why its worker died."""
    with _pool(1, max_mb) as pool:
        fut = pool.submit(call, args)
        try:
            return fut.result()
        except BrokenProcessPool as exc:
            return _died(exc)
        except Exception as exc:
            return _failed(exc)
