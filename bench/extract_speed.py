"""Pages/s of jixiao extraction on corpus/pdf next to bare pdfplumber extract_tables(), same run.

Usage: .venv/bin/python bench/extract_speed.py [--corpus ../shared/corpus] [--repeat 3] [--profile 25]

--profile N: after the timing, one cProfile pass of jixiao over the same files, N entries by cumulative time, and
the share of jixiao's time spent in the verifier (extractor.verify), the choice of reading (extractor.choose) and
the PDF reader.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import pstats
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

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


# (label, file, function) whose cumulative time is reported as a share of the profiled extraction.
SHARES = (
    ("all of extract()", "extractor/api.py", "extract"),
    ("PDF reader: read_pdf", "extractor/readers/pdf.py", "read_pdf"),
    ("  of which pdfplumber find_tables", "pdfplumber/page.py", "find_tables"),
    ("  of which table cells (_table)", "extractor/readers/pdf.py", "_table"),
    ("  of which text outside tables", "pdfplumber/page.py", "extract_text_lines"),
    ("choose_reading (map + verify, alternatives)", "extractor/choose.py", "choose_reading"),
    ("  of which map_grid", "extractor/layout/mapper.py", "map_grid"),
    ("  of which verifier: choose.checked", "extractor/choose.py", "checked"),
    ("verdict.judge (quality; reuses the objections)", "extractor/verdict.py", "judge"),
    ("verifier: every verify() call", "extractor/verify/__init__.py", "verify"),
)


# (label, module, name): pipeline stages timed by wrapping the name the caller looks up (no profiler overhead).
STAGES = (
    ("read: PDF reader (pdfplumber parse, tables, text)", "extractor.pipeline", "read_file"),
    ("choose: stitch pages", "extractor.layout.stitch", "stitch_tables"),
    ("choose: map grid (layout)", "extractor.choose", "map_grid"),
    ("choose: verify (extractor.verify)", "extractor.choose", "verify"),
    ("row scores", "extractor.pipeline", "row_scores"),
    ("judge (quality)", "extractor.pipeline", "judge"),
)


def stage_times(blobs: list[tuple[str, bytes]]) -> dict[str, float]:
    """CPU seconds per pipeline stage over one pass of jixiao on the files, plus the whole extract()."""
    spent: dict[str, float] = {label: 0.0 for label, _, _ in STAGES}
    originals = []
    for label, module_name, attr in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, attr)
        originals.append((module, attr, original))

        def timed(*a: Any, _f: Any = original, _label: str = label, **kw: Any) -> Any:
            t = time.process_time()
            try:
                return _f(*a, **kw)
            finally:
                spent[_label] += time.process_time() - t

        setattr(module, attr, timed)
    try:
        t = time.process_time()
        for name, data in blobs:
            jixiao(data, name)
        spent["all of extract()"] = time.process_time() - t
    finally:
        for module, attr, original in originals:
            setattr(module, attr, original)
    return spent


def profile(blobs: list[tuple[str, bytes]], top: int) -> None:
    """One cProfile pass of jixiao over the files: the top entries by cumulative time and the shares above."""
    prof = cProfile.Profile()
    prof.enable()
    for name, data in blobs:
        jixiao(data, name)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table untyped
    cumulative = {(file, func): (calls, ct) for (file, _line, func), (_cc, calls, _tt, ct, _callers) in raw.items()}
    total = next((ct for (file, func), (_n, ct) in cumulative.items()
                  if file.endswith("extractor/api.py") and func == "extract"), 0.0)
    print("share of jixiao's profiled time (cumulative; nested rows are parts of the row above):")
    for label, where, func in SHARES:
        hits = [(n, ct) for (file, f), (n, ct) in cumulative.items() if file.endswith(where) and f == func]
        calls, seconds = sum(n for n, _ in hits), sum(ct for _, ct in hits)
        print(f"  {label:<45} {seconds:6.2f} s  {100 * seconds / total if total else 0:5.1f} %  ({calls} calls)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, help="print the top N cProfile entries of one jixiao pass")
    args = ap.parse_args()
    files = sorted((args.corpus / "pdf").glob("*.pdf"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    times = {"pdfplumber": 0.0, "jixiao": 0.0}
    cpu = {"pdfplumber": 0.0, "jixiao": 0.0}  # CPU seconds: what a busy shared machine does not inflate
    pages = 0
    for _ in range(args.repeat):
        for name, data in blobs:  # alternate so both see the same cache and load conditions
            t, c = time.perf_counter(), time.process_time()
            pages += bare(data)
            times["pdfplumber"] += time.perf_counter() - t
            cpu["pdfplumber"] += time.process_time() - c
            t, c = time.perf_counter(), time.process_time()
            jixiao(data, name)
            times["jixiao"] += time.perf_counter() - t
            cpu["jixiao"] += time.process_time() - c
    print(f"files: {len(files)}  pages per pass: {pages // args.repeat}  passes: {args.repeat}")
    for k, v in times.items():
        print(f"{k:>11}: {pages / v:7.1f} pages/s  ({v:.2f} s wall, {cpu[k]:.2f} s CPU)")
    print(f"      ratio: jixiao time / pdfplumber time = {times['jixiao'] / times['pdfplumber']:.2f} wall, "
          f"{cpu['jixiao'] / cpu['pdfplumber']:.2f} CPU (goal <= 1.2)")
    bare_pass = cpu["pdfplumber"] / args.repeat
    spent = stage_times(blobs)
    whole = spent.pop("all of extract()")
    print(f"one more jixiao pass, by stage (CPU; bare pdfplumber per pass: {bare_pass:.2f} s CPU):")
    for label, seconds in spent.items():
        print(f"  {label:<52} {seconds:6.2f} s  {100 * seconds / whole:5.1f} % of jixiao, "
              f"{seconds / bare_pass:4.2f}x pdfplumber")
    print(f"  {'all of extract()':<52} {whole:6.2f} s  100.0 % of jixiao, {whole / bare_pass:4.2f}x pdfplumber")
    largest = max(blobs, key=lambda b: len(b[1]))
    tracemalloc.start()
    jixiao(largest[1], largest[0])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"largest file {largest[0]} ({len(largest[1]) / 1024:.0f} KiB): peak Python heap {peak / 2**20:.1f} MiB, "
          f"process max RSS {rss:.0f} MiB")
    if args.profile:
        profile(blobs, args.profile)


if __name__ == "__main__":
    main()
