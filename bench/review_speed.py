"""Review page speed on a 20-page document: first render vs renders after it (page images cached).

Usage: .venv/bin/python bench/review_speed.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JIXIAO_DATA_DIR"] = tmp
        from streamlit.testing.v1 import AppTest

        from extractor.settings import Settings
        from retrieval.ingest import ingest_paths
        from retrieval.services import Services

        pdf = args.corpus / "pdf" / "002.pdf"
        ingest_paths(Services(Settings(data_dir=Path(tmp))), [pdf])
        at = AppTest.from_string("from webui import review\nreview.render()\n", default_timeout=120)
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
        pages = sorted({o for o in at.selectbox(key="review_project").options})
        timings = []
        for option in pages[:20]:  # walk the projects: each shows its own page of the 20-page PDF
            at.selectbox(key="review_project").select(option)
            started = time.perf_counter()
            at.run()
            timings.append(time.perf_counter() - started)
        again = []
        for option in pages[:20]:
            at.selectbox(key="review_project").select(option)
            started = time.perf_counter()
            at.run()
            again.append(time.perf_counter() - started)
    print(f"document: {pdf.name} (20 pages), {len(pages)} projects")
    print(f"first render of the review page:            {first:.2f} s")
    print(f"each project, first visit (renders a page):  median {statistics.median(timings):.2f} s, "
          f"max {max(timings):.2f} s")
    print(f"each project, again (cached page images):    median {statistics.median(again):.2f} s, "
          f"max {max(again):.2f} s  (goal < 2 s)")


if __name__ == "__main__":
    main()
