"""Retrieval eval: hand-written queries -> relevant projects/indicators; recall@5/10 and MRR per mode."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from eval.scorer import norm_name
from retrieval.search.searcher import Filters, Mode, Searcher, SearchHit

MODES: tuple[Mode, ...] = ("bm25", "dense", "hybrid")


def load_queries(path: Path) -> list[dict[str, Any]]:
    """The queries file, one JSON object per line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(doc: str, project: str | None, indicator: str | None = None) -> tuple[str, str, str]:
    return (doc, norm_name(project), norm_name(indicator) if indicator else "")


def hit_key(hit: SearchHit) -> tuple[str, str, str]:
    """(corpus doc id, project, indicator) of a hit, comparable with the relevance labels."""
    doc = Path(hit.source or "").name.split(".")[0]
    return _key(doc, hit.project, hit.indicator if hit.kind == "indicator" else None)


def score_query(hits: list[SearchHit], relevant: set[tuple[str, str, str]]) -> dict[str, float]:
    """recall@5, recall@10 and reciprocal rank for one query."""
    keys = [hit_key(h) for h in hits]
    def recall(k: int) -> float:
        return len(relevant & set(keys[:k])) / len(relevant)
    rr = next((1.0 / (i + 1) for i, k in enumerate(keys) if k in relevant), 0.0)
    return {"recall@5": recall(5), "recall@10": recall(10), "mrr": rr}


def run_retrieval_eval(searcher: Searcher, queries: list[dict[str, Any]]) -> dict[str, Any]:
    """Scores per mode (averaged over queries) and per query type."""
    report: dict[str, Any] = {"queries": len(queries), "modes": {}}
    for mode in MODES:
        rows = []
        started = time.perf_counter()
        for q in queries:
            filters = Filters(kind=q["kind"] if q["kind"] in ("project", "indicator") else None,
                              **q.get("filters", {}))
            relevant = {_key(r["doc"], r["project"], r.get("indicator")) for r in q["relevant"]}
            hits = searcher.search(q["query"], top_k=10, filters=filters, mode=mode)
            rows.append({"id": q["id"], "type": q.get("type", ""), **score_query(hits, relevant)})
        seconds = time.perf_counter() - started
        mean = {m: round(sum(r[m] for r in rows) / len(rows), 4) for m in ("recall@5", "recall@10", "mrr")}
        by_type: dict[str, dict[str, float]] = {}
        for t in sorted({r["type"] for r in rows}):
            sel = [r for r in rows if r["type"] == t]
            by_type[t] = {m: round(sum(r[m] for r in sel) / len(sel), 4) for m in ("recall@5", "recall@10", "mrr")}
        report["modes"][mode] = {**mean, "ms_per_query": round(1000 * seconds / len(rows), 1), "by_type": by_type,
                                 "per_query": rows}
    return report


def check_retrieval_floors(report: dict[str, Any], floors_path: Path) -> list[str]:
    """Figures below their floor in the "retrieval" part of eval/floors.json, as messages."""
    floors = json.loads(floors_path.read_text(encoding="utf-8")).get("retrieval", {})
    return [f"{mode} {metric} {report['modes'][mode][metric]:.4f} < {floor}"
            for mode, metrics in floors.items() for metric, floor in metrics.items()
            if report["modes"][mode][metric] + 1e-9 < floor]


def render(report: dict[str, Any], embedder: str) -> str:
    """Markdown table of the scores."""
    lines = [f"# Retrieval eval — embedder `{embedder}`, {report['queries']} queries", "",
             "| mode | recall@5 | recall@10 | MRR | ms/query |", "|---|---|---|---|---|"]
    for mode, s in report["modes"].items():
        lines.append(f"| {mode} | {s['recall@5']:.3f} | {s['recall@10']:.3f} | {s['mrr']:.3f} | {s['ms_per_query']} |")
    lines += ["", "| mode | type | recall@10 | MRR |", "|---|---|---|---|"]
    for mode, s in report["modes"].items():
        for t, v in s["by_type"].items():
            lines.append(f"| {mode} | {t} | {v['recall@10']:.3f} | {v['mrr']:.3f} |")
    return "\n".join(lines) + "\n"
