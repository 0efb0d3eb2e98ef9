"""Ingest at scale on this machine, side by side in one run (rules backend, the sample corpus):

(a) the process pool (`ingest_paths`, 1 and 2 workers) against SQLite + on-disk Chroma, as users run it today,
    and with 2 workers against PostgreSQL + `chroma run` (the same servers as Ray: separates engine from store);
(b) Ray (`ingest_on_ray`) on a local cluster with 1 and 2 CPUs against a throwaway PostgreSQL + `chroma run`;
(c) Ray's per-task overhead: a no-op remote against a direct call, and `ingest_on_ray` of files already stored
    (the driver's duplicate short-circuit: no task is submitted);
(d) embedding records/s with a cold and a warm vector cache (the same documents indexed twice into fresh Chroma
    collections) and the cache hit rate on the sample corpus (how many record texts repeat).

Every configuration has its own data dir and its own database (servers from tests/system/servers/, torn down by
pid). Peak memory is sampled from /proc every 0.5 s: "worker" is one pool worker or Ray task worker with its OCR
subprocess; "all" sums every process of the run (shared pages counted twice). "load" is the 1-minute load
average when the configuration finished: this machine is shared, and 2 cores leave no room for a neighbour.

Usage: .venv/bin/python bench/ingest_scale.py [--corpus DIR] [--folders pdf,scanned,docx,xlsx,seeds] [--noop 300]
       [--threads N]   (N OCR threads per extraction and N OpenMP threads for the embedder: 1 = per-core figures)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from kernel.settings import Settings
from retrieval.search.embeddings import get_embedder
from retrieval.search.index import VectorIndex, chroma_client
from retrieval.search.records import IndexRecord, document_records
from retrieval.search.vector_cache import CachingEmbedder
from retrieval.services import Services
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow, VectorRow
from tests.system.servers import (
    chroma_server,
    cmdline,
    descendants,
    postgres_server,
    proc_table,
    ray_cluster,
    rss_mib,
)
from usecases.batch import collect, ingest_paths
from usecases.distributed import ingest_on_ray

ROOT = Path(__file__).resolve().parent.parent
KNOBS: dict[str, Any] = {}  # settings every configuration shares (--threads)
Pids = Callable[[dict[int, Any]], set[int]]  # from a /proc table: the pids that count


@contextmanager
def peak_memory(tree: Pids, workers: Pids) -> Iterator[dict[str, float]]:
    """Peak MiB of the whole tree ("all") and of the largest worker subtree ("worker"), sampled every 0.5 s."""
    peak, halt = {"worker": 0.0, "all": 0.0}, threading.Event()

    def sample() -> None:
        while not halt.wait(0.5):
            t = proc_table()
            peak["all"] = max(peak["all"], sum(rss_mib(p) for p in tree(t)))
            for root in workers(t):
                peak["worker"] = max(peak["worker"], sum(rss_mib(p) for p in descendants({root}, t)))
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        halt.set()
        thread.join()


def pool_memory(workers: int) -> tuple[Pids, Pids]:
    """This process and what it starts from now on (servers started before are not the pool's)."""
    me = os.getpid()
    servers = descendants({me}) - {me}

    def tree(t: dict[int, Any]) -> set[int]:
        return descendants({me}, t) - descendants(servers, t)

    def roots(t: dict[int, Any]) -> set[int]:  # 1 worker: extraction runs here, OCR in a child
        return {me} if workers == 1 else {p for p in tree(t) if t[p][0] == me}
    return tree, roots


def stored(services: Services) -> dict[str, Any]:
    """What a run left in the store: pages, rows, and every document (superseded too)."""
    with services.store.session() as s:
        docs = list(s.scalars(select(DocumentRow).options(
            selectinload(DocumentRow.projects).selectinload(ProjectRow.indicators))))
        n_ind = s.scalar(select(func.count()).select_from(IndicatorRow)) or 0
    return {"docs": docs, "pages": sum(d.pages for d in docs),
            "rows": len(docs) + sum(len(d.projects) for d in docs) + n_ind}


def timed(clock: dict[str, float], key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """fn, adding its run time to clock[key]."""
    def call(*a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            clock[key] = clock.get(key, 0.0) + time.perf_counter() - t
    return call


def row(name: str, files: list[Path], wall: float, outcomes: list[Any], services: Services, peak: dict[str, float],
        clock: dict[str, float] | None = None) -> dict[str, Any]:
    return {"name": name, "files": len(files), "wall": wall, **stored(services),
            "status": dict(Counter(o.status for o in outcomes)), "store": clock and clock.get("store", 0.0),
            "index": clock and clock.get("index", 0.0), "worker_mib": peak["worker"], "all_mib": peak["all"],
            "load": os.getloadavg()[0]}


def run_pool(files: list[Path], workers: int, tmp: Path, db: str | None = None, chroma: str | None = None
             ) -> tuple[dict[str, Any], Services]:
    services = Services(Settings(data_dir=tmp, backend="rules", database_url=db, chroma_url=chroma, **KNOBS))
    clock: dict[str, float] = {}
    services.store.add_extraction = timed(clock, "store", services.store.add_extraction)  # type: ignore[method-assign]
    services.index_documents = timed(clock, "index", services.index_documents)  # type: ignore[method-assign]
    with peak_memory(*pool_memory(workers)) as peak:
        t = time.perf_counter()
        outcomes = ingest_paths(services, files, workers=workers, backend="rules")
        wall = time.perf_counter() - t
    where = "SQLite + on-disk Chroma" if db is None else "PostgreSQL + chroma run"
    return row(f"pool, {workers} worker{'s' * (workers > 1)}, {where}", files, wall, outcomes, services, peak,
               clock), services


def seconds_each(n: int, fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def ray_overhead(address: str, n: int) -> dict[str, Any]:
    import ray

    def noop(x: Any = None) -> None:
        return None

    remote, blob = ray.remote(noop), os.urandom(2 * 1024 * 1024)
    out = {"connect_s": seconds_each(1, lambda: ray.init(address=address, log_to_driver=False,
                                                          configure_logging=False)),
           "first_task_s": seconds_each(1, lambda: ray.get(remote.remote())),  # a new driver's workers start now
           "roundtrip_ms": 1000 * seconds_each(n, lambda: ray.get(remote.remote())),
           "batch_warmup_s": seconds_each(1, lambda: ray.get([remote.remote() for _ in range(n)])),  # 2nd worker
           "batch_ms": 1000 * seconds_each(1, lambda: ray.get([remote.remote() for _ in range(n)])) / n,
           "blob_ms": 1000 * seconds_each(n // 10, lambda: ray.get(remote.remote(blob))),
           "direct_us": 1e6 * seconds_each(n, noop),
           "omp": ray.get(ray.remote(lambda: os.environ.get("OMP_NUM_THREADS")).remote())}
    out["shutdown_s"] = seconds_each(1, ray.shutdown)
    return out


def run_ray(files: list[Path], cpus: int, tmp: Path, noop: int) -> tuple[dict[str, Any], dict[str, Any]]:
    with postgres_server() as db, chroma_server(tmp) as chroma, \
            ray_cluster(num_worker_nodes=0, head_cpus=cpus) as cluster:
        services = Services(Settings(data_dir=tmp, backend="rules", database_url=db, chroma_url=chroma, **KNOBS))
        workers: Pids = lambda t: {p for p in cluster.pids() if cmdline(p).startswith("ray::")}  # noqa: E731
        with peak_memory(lambda t: cluster.pids(), workers) as peak:
            t = time.perf_counter()
            run = ingest_on_ray(services, files, cluster.address, "rules")
            wall = time.perf_counter() - t
        result = row(f"Ray, {cpus} CPU{'s' * (cpus > 1)}, PostgreSQL + chroma run", files, wall, run.outcomes,
                     services, peak)
        over = ray_overhead(cluster.address, noop) if noop else {}
        for label, batch in (("dup_one_s", files[:1]), ("dup_all_s", files)) if noop else ():
            t = time.perf_counter()
            again = ingest_on_ray(services, batch, cluster.address, "rules")
            over[label] = time.perf_counter() - t
            assert all(o.status == "duplicate" for o in again.outcomes), Counter(o.status for o in again.outcomes)
        return result, over


def index_pass(records: list[IndexRecord], settings: Settings, engine: Any) -> dict[str, float]:
    """Index records into fresh collections through a fresh CachingEmbedder (empty memory: the table decides)."""
    cache, clock = CachingEmbedder(get_embedder(settings), engine), {"embed": 0.0}
    cache.passages = timed(clock, "embed", cache.passages)  # type: ignore[method-assign]
    index = VectorIndex(chroma_client(settings), cache)
    wall = seconds_each(1, lambda: index.upsert(records))
    return {"rec_s": len(records) / wall, "embed_rec_s": len(records) / max(clock["embed"], 1e-9),
            "upsert_rec_s": len(records) / max(wall - clock["embed"], 1e-9), "hits": cache.hits,
            "misses": cache.misses}


def embedding_passes(services: Services, folder_of: dict[str, str], tmp: Path, chroma: str) -> dict[str, Any]:
    docs = stored(services)["docs"]
    records = [r for d in docs for r in document_records(d)]
    with services.store.engine.begin() as conn:
        conn.execute(delete(VectorRow))  # cold: an empty vector_cache table
    out: dict[str, Any] = {"records": len(records)}
    for key, url in (("cold", None), ("warm", None), ("warm_server", chroma)):
        out[key] = index_pass(records, Settings(data_dir=tmp / key, chroma_url=url), services.store.engine)
    for label, keep in (("all", lambda f: True), ("pdf", lambda f: f == "pdf")):
        texts = [r.text for d in docs if keep(folder_of.get(d.sha256, "")) for r in document_records(d)]
        out[f"repeat_{label}"] = (len(texts), len(set(texts)))
    return out


def report(rows: list[dict[str, Any]], over: dict[str, Any], emb: dict[str, Any], hits: tuple[int, int],
           noop: int) -> None:
    print("| configuration | files | pages | wall s | files/s | pages/s | store s | index s | rows | peak worker MiB "
          "| peak all MiB | load |\n| --- |" + " ---: |" * 11)
    for r in rows:
        extra = "" if r["status"] == rows[0]["status"] else f" {r['status']}"
        store, index = ("—" if r[k] is None else f"{r[k]:.2f}" for k in ("store", "index"))
        print(f"| {r['name']}{extra} | {r['files']} | {r['pages']} | {r['wall']:.1f} | {r['files'] / r['wall']:.3f} | "
              f"{r['pages'] / r['wall']:.2f} | {store} | {index} | {r['rows']} | {r['worker_mib']:.0f} | "
              f"{r['all_mib']:.0f} | {r['load']:.1f} |")
    w = [r["wall"] for r in rows]
    print(f"\nspeed-ups (wall-time ratios): pool 2 vs 1 workers {w[0] / w[1]:.2f}x; Ray 2 vs 1 CPU {w[3] / w[4]:.2f}x; "
          f"Ray 1 CPU vs pool 1 worker {w[0] / w[3]:.2f}x; Ray 2 CPUs vs pool 2 workers on SQLite {w[1] / w[4]:.2f}x, "
          f"on PostgreSQL {w[2] / w[4]:.2f}x; pool 2 workers on PostgreSQL vs on SQLite {w[1] / w[2]:.2f}x")
    if over:
        print(f"\nRay overhead (2-CPU cluster, {noop} tasks): connect {over['connect_s']:.2f} s; first no-op task of "
              f"a new driver (starts its worker) {over['first_task_s']:.2f} s; no-op round trip "
              f"{over['roundtrip_ms']:.2f} ms; a first batch of {noop} no-ops (starts the 2nd worker) "
              f"{over['batch_warmup_s']:.2f} s, then {over['batch_ms']:.2f} ms/task; no-op with "
              f"a 2 MiB argument {over['blob_ms']:.2f} ms; direct call {over['direct_us']:.2f} µs; shutdown "
              f"{over['shutdown_s']:.2f} s; OMP_NUM_THREADS in a task: {over['omp']}\n"
              f"ingest_on_ray of stored files (duplicate short-circuit, no task; connect "
              f"and shutdown included): 1 file {over['dup_one_s']:.2f} s, {rows[0]['files']} files "
              f"{over['dup_all_s']:.2f} s")
    print(f"\nembedding {emb['records']} records (every stored document, superseded too) into fresh collections:")
    for label, key in (("cold cache, on-disk Chroma", "cold"), ("warm cache, on-disk Chroma", "warm"),
                       ("warm cache, chroma run", "warm_server")):
        e = emb[key]
        print(f"  {label}: {e['rec_s']:.0f} rec/s overall; embedding {e['embed_rec_s']:.0f} rec/s; upsert "
              f"{e['upsert_rec_s']:.0f} rec/s; cache hits {e['hits']}, misses {e['misses']}")
    print(f"  warm/cold overall: {emb['warm']['rec_s'] / emb['cold']['rec_s']:.1f}x\n"
          f"cache hit rate while ingesting (pool, 1 worker): {hits[0] / max(sum(hits), 1):.0%} ({hits[0]} hits, "
          f"{hits[1]} misses)")
    for label, name in (("all", "whole sample corpus (four disclosures in five formats)"),
                        ("pdf", "text-layer PDFs only (four departments, one format)")):
        total, unique = emb[f"repeat_{label}"]
        print(f"record texts that repeat, {name}: {total - unique} of {total} "
              f"({(total - unique) / max(total, 1):.0%}; {unique} unique)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path,
                    default=Path(os.environ.get("JIXIAO_CORPUS_DIR", ROOT.parent / "shared" / "corpus")))
    ap.add_argument("--folders", default="pdf,scanned,docx,xlsx,seeds")
    ap.add_argument("--noop", type=int, default=300, help="no-op Ray tasks per overhead measurement (0 = skip)")
    ap.add_argument("--threads", type=int, default=0,
                    help="OCR threads per extraction and OpenMP threads of the embedder (0 = the libraries' defaults)")
    args = ap.parse_args()
    if args.threads:  # before the embedder loads; Ray sets OMP_NUM_THREADS=1 in its tasks either way
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
        KNOBS["ocr_threads"] = args.threads
    folders = args.folders.split(",")
    files = collect([args.corpus / f for f in folders])
    folder_of = {hashlib.sha256(f.read_bytes()).hexdigest(): f.parent.name for f in files}
    per_folder = ", ".join(f"{f}: {len(collect([args.corpus / f]))}" for f in folders)
    print(f"corpus: {args.corpus}  files: {len(files)} ({per_folder})  cores: {os.cpu_count()}  "
          f"threads: {args.threads or 'library defaults'}", flush=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp_name:
        tmp = Path(tmp_name)
        first, services = run_pool(files, 1, tmp / "pool1")
        hits = (services.embedder.hits, services.embedder.misses)
        rows = [first, run_pool(files, 2, tmp / "pool2")[0]]
        with postgres_server() as db, chroma_server(tmp / "pool2pg") as chroma:
            rows.append(run_pool(files, 2, tmp / "pool2pg", db, chroma)[0])
        rows.append(run_ray(files, 1, tmp / "ray1", 0)[0])
        result, over = run_ray(files, 2, tmp / "ray2", args.noop)
        rows.append(result)
        with chroma_server(tmp / "emb") as chroma:
            emb = embedding_passes(services, folder_of, tmp / "emb", chroma)
        pages: Counter[str] = Counter()
        for d in first["docs"]:
            pages[folder_of.get(d.sha256, "?")] += d.pages
    print(f"pages per folder: {dict(pages)}; outcomes of the first run: {first['status']}\n")
    report(rows, over, emb, hits, args.noop)


if __name__ == "__main__":
    main()
