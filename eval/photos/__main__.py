"""`python -m eval.photos [--split tune|heldout|both] [--check-floors]`: score the photo family, write its report."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from eval.photos.report import render_markdown, with_section
from eval.photos.run import HERE, check_floors, run_photos
from kernel.settings import get_settings

ROOT = HERE.parent.parent


def main() -> int:
    """Run, write report.md/.json, and exit 1 when a held-out kind falls below eval/photos/floors.json."""
    ap = argparse.ArgumentParser(prog="python -m eval.photos")
    ap.add_argument("--split", choices=["tune", "heldout", "both"], default="both")
    ap.add_argument("--kinds", default="", help="comma-separated distortion kinds (default: all)")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--report-dir", type=Path, default=HERE)
    ap.add_argument("--check-floors", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("extractor", "rapidocr", "RapidOCR"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = get_settings()
    corpus = args.corpus or Path(settings.corpus_dir)
    splits = ["tune", "heldout"] if args.split == "both" else [args.split]
    kinds = [k for k in args.kinds.split(",") if k] or None
    report = run_photos(Path(corpus), ROOT / "eval" / "gold", settings, splits, kinds)
    args.report_dir.mkdir(parents=True, exist_ok=True)
    (args.report_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.report_dir / "report.md").write_text(render_markdown(report), encoding="utf-8")
    main_report = ROOT / "eval" / "report.md"
    if args.report_dir.resolve() == HERE and args.split != "tune" and main_report.exists():
        # the committed run (held-out, alone or with tune) also updates its section of the main eval report
        main_report.write_text(with_section(main_report.read_text(encoding="utf-8"), report), encoding="utf-8")
    if args.check_floors:
        failures = check_floors(report, json.loads((HERE / "floors.json").read_text(encoding="utf-8")))
        for f in failures:
            logging.error("%s", f)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
