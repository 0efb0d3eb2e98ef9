"""Seconds per page and peak memory of jixiao on corpus/scanned, next to bare RapidOCR on the same page images.

Each side runs in its own fresh child process (so peak memory is its own), sides alternate per
pass, and engine start-up is timed apart from the per-page figures.

With --photos, the same two sides also read the photo eval's combined photos (eval/photos: perspective, light,
tint, blur, noise, JPEG; tune seed) of the first three pages of each scan: what a photographed page costs.

Usage: .venv/bin/python bench/ocr_speed.py [--corpus ../shared/corpus] [--repeat 1] [--photos]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _vm_hwm_mib(pid: int) -> float:
    """Peak resident memory of a live process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _self_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare(files: list[Path], dpi: int) -> dict[str, float]:
    """What a bare RapidOCR user runs: the default RapidOCR() on every page image."""
    import pypdfium2 as pdfium
    from rapidocr import RapidOCR

    engine = None
    startup = seconds = 0.0
    pages = 0
    for f in files:  # rendered a file at a time, outside the timing: bare OCR is timed on ready page images
        pdf = pdfium.PdfDocument(f.read_bytes())
        images = [pdf[i].render(scale=dpi / 72).to_numpy() for i in range(len(pdf))]
        pdf.close()
        if engine is None:
            started = time.perf_counter()
            engine = RapidOCR(params={"Global.log_level": "error"})
            engine(images[0])  # the first call loads the models
            startup = time.perf_counter() - started
        started = time.perf_counter()
        for img in images:
            engine(img)
        seconds += time.perf_counter() - started
        pages += len(images)
    return {"pages": pages, "seconds": seconds, "startup": startup, "peak_mib": _self_peak_mib()}


def photo_images(files: list[Path]) -> list[tuple[str, list[np.ndarray]]]:
    """The combined-kind photos (tune seed) of each scan's photo-eval window, as RGB page images."""
    from eval.photos.distort import photograph
    from eval.photos.run import SPLIT, render

    out = []
    for f in files:
        doc = f.name.split(".")[0]
        pages = render(f, SPLIT["window"].get(doc, [1, 2, 3]), SPLIT["dpi"])
        out.append((doc, [photograph(p, "combined", SPLIT["tune"][0], doc, k, -1) for k, p in enumerate(pages)]))
    return out


def bare_photos(files: list[Path]) -> dict[str, float]:
    """Bare RapidOCR on the photo pages."""
    from rapidocr import RapidOCR

    docs = photo_images(files)
    started = time.perf_counter()
    engine = RapidOCR(params={"Global.log_level": "error"})
    engine(docs[0][1][0])
    startup = time.perf_counter() - started
    started = time.perf_counter()
    pages = 0
    for _, images in docs:
        for img in images:
            engine(img)
            pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - started, "startup": startup,
            "peak_mib": _self_peak_mib()}


def jixiao_photos(files: list[Path]) -> dict[str, float]:
    """The full jixiao pipeline (rectify included) on the photo pages, one TIFF per scan."""
    from eval.photos.run import to_tiff
    from extractor.api import extract
    from extractor.ocr.worker import PageTask, shared_worker
    from kernel.settings import get_settings

    settings = get_settings()
    docs = [(doc, to_tiff(images), len(images)) for doc, images in photo_images(files)]
    worker = shared_worker(settings.ocr_threads)
    started = time.perf_counter()
    worker.run(PageTask(1, photo_images(files[:1])[0][1][0], 1.0), 600)
    startup = time.perf_counter() - started
    started = time.perf_counter()
    pages = 0
    for doc, data, n in docs:
        extract(data, name=f"{doc}.photo.tif", settings=settings)
        pages += n
    seconds = time.perf_counter() - started
    worker.close()
    return {"pages": pages, "seconds": seconds, "startup": startup, "peak_mib": _self_peak_mib()}


def jixiao(files: list[Path]) -> dict[str, float]:
    """The full jixiao pipeline (render, deskew, orientation, OCR, table rebuild, mapping) per file."""
    from extractor.api import extract
    from extractor.ocr.images import pdf_pages
    from extractor.ocr.worker import PageTask, shared_worker
    from kernel.settings import get_settings

    settings = get_settings()
    worker = shared_worker(settings.ocr_threads)
    first = next(pdf_pages(files[0].read_bytes(), [1], settings.ocr_dpi))
    assert first.image is not None
    started = time.perf_counter()
    worker.run(PageTask(1, first.image, first.unit_per_px), 600)  # start the worker; the first page loads models
    startup = time.perf_counter() - started
    blobs = [(f.name, f.read_bytes()) for f in files]
    pages = 0
    indicators = 0
    started = time.perf_counter()
    for name, data in blobs:
        result = extract(data, name=name, settings=settings)
        pages += result.pages
        indicators += sum(len(p.indicators) for p in result.document.projects) if result.document else 0
    seconds = time.perf_counter() - started
    worker_peak = _vm_hwm_mib(worker.pid) if worker.pid else 0.0
    worker.close()
    return {"pages": pages, "seconds": seconds, "startup": startup, "peak_mib": _self_peak_mib(),
            "worker_peak_mib": worker_peak, "indicators": indicators}


def _run_side(side: str, corpus: Path, dpi: int) -> dict[str, float]:
    proc = subprocess.run([sys.executable, __file__, "--side", side, "--corpus", str(corpus), "--dpi", str(dpi)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=0, help="render dpi (default: jixiao's JIXIAO_OCR_DPI)")
    ap.add_argument("--photos", action="store_true", help="also time the photo eval's combined photos")
    ap.add_argument("--side", choices=list(SIDES), help=argparse.SUPPRESS)
    args = ap.parse_args()
    files = sorted((args.corpus / "scanned").glob("*.pdf"))
    if args.side:
        print(json.dumps(bare(files, args.dpi) if args.side == "bare" else SIDES[args.side](files)))
        return
    from kernel.settings import get_settings

    dpi = args.dpi or get_settings().ocr_dpi
    totals: dict[str, dict[str, float]] = {}
    for _ in range(args.repeat):
        for side in ("bare", "jixiao", *(("bare-photo", "jixiao-photo") if args.photos else ())):
            # alternate so both see the same load conditions
            got = _run_side(side, args.corpus, dpi)
            acc = totals.setdefault(side, {})
            for k, v in got.items():
                acc[k] = max(acc.get(k, 0.0), v) if "peak" in k else acc.get(k, 0.0) + v
    b, j = totals["bare"], totals["jixiao"]
    print(f"files: {len(files)}  pages per pass: {int(b['pages']) // args.repeat}  passes: {args.repeat}  dpi: {dpi}")
    print(f"  bare RapidOCR: {b['seconds'] / b['pages']:5.2f} s/page  ({b['seconds']:.1f} s; start-up "
          f"{b['startup'] / args.repeat:.1f} s)  peak RSS {b['peak_mib']:.0f} MiB")
    print(f"        jixiao: {j['seconds'] / j['pages']:5.2f} s/page  ({j['seconds']:.1f} s; start-up "
          f"{j['startup'] / args.repeat:.1f} s)  peak RSS {j['peak_mib']:.0f} MiB main + "
          f"{j['worker_peak_mib']:.0f} MiB OCR worker; {int(j['indicators']) // args.repeat} indicators")
    print(f"         ratio: jixiao time / bare OCR time = {j['seconds'] / b['seconds']:.2f} (goal <= 1.0); "
          f"goal <= 3 s/page")
    if args.photos:
        bp, jp = totals["bare-photo"], totals["jixiao-photo"]
        print(f"  photo pages: bare {bp['seconds'] / bp['pages']:5.2f} s/page, "
              f"jixiao {jp['seconds'] / jp['pages']:5.2f} s/page ({int(jp['pages']) // args.repeat} pages); "
              f"ratio {jp['seconds'] / bp['seconds']:.2f}")


SIDES: dict[str, Callable[[list[Path]], dict[str, float]]] = {
    "bare": lambda files: bare(files, 0), "jixiao": jixiao, "bare-photo": bare_photos, "jixiao-photo": jixiao_photos}

if __name__ == "__main__":
    main()
