"""Ingest on a Ray cluster: one task per file runs ingest_one against the shared PostgreSQL and Chroma server.

The driver reads each file, submits it with a bounded number in flight, keeps the original file where the app
reads it, and retries a file whose worker died (bounded, counted); the store's unique hash makes a file submitted
twice, or by two drivers at once, stored once. Ray is imported only here and only when a run starts.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

from extractor.api import read_limited
from kernel.errors import ClusterError, JixiaoError
from kernel.settings import Settings
from retrieval.services import Services
from usecases.ingest import FileOutcome, ingest_one

log = logging.getLogger(__name__)
TASK_MEMORY = 1024**3  # bytes: an OCR task peaks near 1 GiB (bench/ingest_scale.py)
ADDRESS = re.compile(r"^(auto|local|ray://\S+|[\w.-]*:\d+)$")  # what `--ray` accepts as a cluster address


@dataclass
class RayProgress:
    """What the driver has heard so far (the CLI's progress line)."""

    total: int
    done: int = 0
    failed: int = 0
    retried: int = 0


@dataclass
class RayRun:
    """The outcome of a distributed ingest."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    retried: int = 0
    cancelled: int = 0  # files not ingested because the run was interrupted


def cluster_problem(settings: Settings) -> str | None:
    """Why these settings cannot serve a cluster (None when they can): every worker writes the same store."""
    url = settings.database_url or ""
    if not url or url.startswith("sqlite"):
        return ("Ray 集群需要共享的 PostgreSQL：请设置 JIXIAO_DATABASE_URL=postgresql+psycopg://…"
                "（本地 SQLite 文件不能由多台机器的多个进程同时写入）")
    if not settings.chroma_url:
        return ("Ray 集群需要 Chroma 服务：请设置 JIXIAO_CHROMA_URL=http://主机:端口（先运行 `chroma run`；"
                "磁盘上的 Chroma 目录只能由一个进程写入）")
    return None


_WORKER_SERVICES: dict[str, Services] = {}  # one bundle per worker process and settings: models load once


def ingest_task(name: str, data: bytes, backend: str, settings: Settings) -> FileOutcome:
    """Runs in a Ray worker: the same ingest_one as every other path (the driver keeps the original file)."""
    key = settings.model_dump_json()
    services = _WORKER_SERVICES.get(key)
    if services is None:
        services = _WORKER_SERVICES[key] = Services(settings)
    return ingest_one(services, name, data, backend=backend, keep_file=False)


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ClusterError("未安装 Ray：请运行 pip install -e '.[ray]'") from exc
    return ray


def _connect(ray: Any, address: str) -> None:
    try:
        if address == "local":  # a cluster of this machine, started for this run and gone after it
            ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterError(f"无法连接 Ray 集群 {address}：{exc}") from exc


def _died(ray: Any) -> tuple[type[BaseException], ...]:
    """Failures of the worker or node under a task, not of the file: worth another attempt."""
    ex = ray.exceptions
    names = ("WorkerCrashedError", "NodeDiedError", "ObjectLostError", "OwnerDiedError", "LocalRayletDiedError",
             "RaySystemError", "TaskUnschedulableError")
    return tuple(getattr(ex, n) for n in names if hasattr(ex, n))


def ingest_on_ray(services: Services, paths: list[Path], address: str, backend: str,
                  progress: Callable[[RayProgress], None] | None = None) -> RayRun:
    """Ingest files as Ray tasks; a file that fails for good is reported and the run goes on. Ctrl-C cancels the
    tasks still out (what was stored stays stored: each document is one transaction)."""
    settings = services.settings
    problem = cluster_problem(settings)
    if problem:
        raise ClusterError(problem)
    ray = _ray()
    _connect(ray, address)
    run, state = RayRun(), RayProgress(total=len(paths))
    # Retries are the driver's (bounded, counted, reported). A task reserves one CPU and the memory an OCR'd file
    # needs, so its OCR runs one thread unless the user chose otherwise (0 would take every core it can see).
    task = ray.remote(max_retries=0, num_cpus=1, memory=TASK_MEMORY)(ingest_task)
    settings = settings.model_copy(update={"ocr_threads": settings.ocr_threads or 1})
    in_flight = max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
    todo: deque[tuple[Path, int]] = deque((p, 1) for p in paths)
    running: dict[Any, tuple[Path, bytes, int]] = {}

    def finish(outcome: FileOutcome) -> None:
        run.outcomes.append(outcome)
        state.done += 1
        state.failed += outcome.status == "failed"
        if progress:
            progress(state)

    try:
        while todo or running:
            while todo and len(running) < in_flight:
                path, attempt = todo.popleft()
                try:
                    data = read_limited(path, settings)
                except JixiaoError as exc:
                    finish(FileOutcome(str(path), "failed", str(exc)))
                    continue
                if attempt == 1 and (known := services.store.document_id_by_sha(sha256(data).hexdigest())):
                    finish(FileOutcome(str(path), "duplicate", "已导入（内容相同）", known))  # no task needed
                    continue
                running[task.remote(str(path), data, backend, settings)] = (path, data, attempt)
            ready, _ = ray.wait(list(running), num_returns=1, timeout=1.0)
            for ref in ready:
                path, data, attempt = running.pop(ref)
                try:
                    outcome: FileOutcome = ray.get(ref)
                except _died(ray) as exc:
                    if attempt < settings.ray_max_attempts:
                        log.warning("worker died under %s (%s); attempt %d", path, type(exc).__name__, attempt + 1)
                        todo.appendleft((path, attempt + 1))
                        run.retried += 1
                        state.retried += 1
                        if progress:
                            progress(state)
                        continue
                    outcome = FileOutcome(str(path), "failed", f"处理该文件的 Ray 进程在 {attempt} 次尝试中都意外退出"
                                                               f"（{type(exc).__name__}）")
                except ray.exceptions.RayTaskError as exc:  # a bug under ingest_one: this file only
                    outcome = FileOutcome(str(path), "failed", f"内部错误：{type(exc.cause).__name__}")
                if attempt > 1 and outcome.status == "duplicate":
                    # stored by the attempt whose worker died after the commit: this run's file after all
                    outcome.status, outcome.message = "new", "已导入（工作进程重启后确认）"
                if outcome.status in ("new", "superseded"):
                    services.blobs.put(data)  # the original file, where this machine's app shows its pages
                finish(outcome)
    except KeyboardInterrupt:
        for ref in running:
            ray.cancel(ref, force=True)
        # Wait until the cancelled workers are gone: one that commits after the sync below would stay unindexed.
        ray.wait(list(running), num_returns=len(running), timeout=30)
        run.cancelled = len(running) + len(todo)
    finally:
        ray.shutdown()
    services.sync()  # index what a worker stored but could not index
    return run
