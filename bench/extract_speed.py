"""Pages/s of jixiao extraction on corpus/pdf next to bare pdfplumber extract_tables(), same run.

Usage: .venv/bin/python bench/extract_speed.py [--corpus ../shared/corpus] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber

from extractor.api import extract


def bare(data: bytes) -> int:
    """What a bare pdfplumber user runs: extract_tables() on every page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
        return len(pdf.pages)


def jixiao(data: bytes, name: str) -> int:
    """The full jixiao pipeline on the same bytes."""
    return extract(data, name=name).pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = sorted((args.corpus / "pdf").glob("*.pdf"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    times = {"pdfplumber": 0.0, "jixiao": 0.0}
    pages = 0
    for _ in range(args.repeat):
        for name, data in blobs:  # alternate so both see the same cache and load conditions
            t = time.perf_counter()
            pages += bare(data)
            times["pdfplumber"] += time.perf_counter() - t
            t = time.perf_counter()
            jixiao(data, name)
            times["jixiao"] += time.perf_counter() - t
    print(f"files: {len(files)}  pages per pass: {pages // args.repeat}  passes: {args.repeat}")
    for k, v in times.items():
        print(f"{k:>11}: {pages / v:7.1f} pages/s  ({v:.2f} s)")
    print(f"      ratio: jixiao time / pdfplumber time = {times['jixiao'] / times['pdfplumber']:.2f} (goal <= 1.5)")
    largest = max(blobs, key=lambda b: len(b[1]))
    tracemalloc.start()
    jixiao(largest[1], largest[0])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"largest file {largest[0]} ({len(largest[1]) / 1024:.0f} KiB): peak Python heap {peak / 2**20:.1f} MiB, "
          f"process max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
