"""What the HTTP API adds to a search and a question: the same calls in process and through `jixiao serve` (issue 26).

The sample's seed files are ingested by the CLI into a throw-away data dir, a read token is made with `jixiao token
create`, and `jixiao serve` runs on a free 127.0.0.1 port. Each query is then run ROUNDS times in process (the
Services bundle the server opens, warm) and through the API with one keep-alive httpx client, interleaved query by
query so machine load hits both alike; p50/p95 and requests/s are printed side by side, and the API's added p50.
Run: `.venv/bin/python bench/api_speed.py [--rounds 20] [--append]` (--append adds the result to bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEARCHES = ["满意度", "见义勇为", "信息化建设", "培训人次", "办案经费", "法律援助", "安全生产", "群众满意度调查",
            "设备购置", "宣传活动"]
QUESTIONS = ["哪个部门的满意度指标最多？", "白云区有哪些满意度指标？", "哪些项目的预算超过100万元？",
             "遂宁和白云哪个项目预算更高？", "哪些项目的指标没有量化？"]


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def _line(label: str, xs: list[float]) -> str:
    ms = [x * 1000 for x in xs]
    return (f"{label:>22}: {len(xs) / sum(xs):7.1f} req/s  p50 {statistics.median(ms):7.1f} ms  "
            f"p95 {_pct(ms, 0.95):7.1f} ms  (n={len(xs)})")


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    """Ingest, serve, measure, print (and append to RESULTS.md when asked)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    corpus = Path(os.environ.get("JIXIAO_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
    data = Path(tempfile.mkdtemp(prefix="jixiao-api-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env.update({"JIXIAO_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "JIXIAO_API_RATE_PER_MINUTE": "1000000"})
    cli = [sys.executable, "-m", "cli.main"]
    subprocess.run([*cli, "ingest", *map(str, sorted((corpus / "seeds").glob("*.txt")))], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    token = subprocess.run([*cli, "token", "create", "--name", "bench", "--scope", "read"], env=env, cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    from tests.conftest import free_port, wait_for_http

    port = free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        if not wait_for_http(f"{url}/openapi.json", attempts=600):
            raise SystemExit("jixiao serve did not start")
        from kernel.settings import Settings
        from retrieval.ask.api import answer
        from retrieval.services import Services

        services = Services(Settings(data_dir=data))
        times: dict[str, list[float]] = {k: [] for k in ("search_in", "search_api", "ask_in", "ask_api")}
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as http:
            for q in SEARCHES + QUESTIONS:  # warm both sides: model, caches, connections
                services.searcher.search(q, top_k=10)
                http.get("/v1/search", params={"q": q}).raise_for_status()
            answer(QUESTIONS[0], services, mode="offline")
            http.post("/v1/ask", json={"question": QUESTIONS[0], "mode": "offline"}).raise_for_status()
            for _ in range(args.rounds):
                for q in SEARCHES:
                    times["search_in"].append(_timed(lambda q=q: services.searcher.search(q, top_k=10)))
                    times["search_api"].append(_timed(
                        lambda q=q: http.get("/v1/search", params={"q": q, "top_k": 10}).raise_for_status()))
                for q in QUESTIONS:
                    times["ask_in"].append(_timed(lambda q=q: answer(q, services, mode="offline")))
                    times["ask_api"].append(_timed(lambda q=q: http.post(
                        "/v1/ask", json={"question": q, "mode": "offline"}).raise_for_status()))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    added = {k: (statistics.median(times[f"{k}_api"]) - statistics.median(times[f"{k}_in"])) * 1000
             for k in ("search", "ask")}
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())  # the machine is shared: say how busy it was
    lines = [f"store: {len(list((corpus / 'seeds').glob('*.txt')))} seed files; rounds: {args.rounds}; "
             f"one keep-alive client, calls interleaved in process / API; load average {load}",
             _line("search in process", times["search_in"]), _line("search through API", times["search_api"]),
             _line("ask in process", times["ask_in"]), _line("ask through API", times["ask_api"]),
             f"API adds p50: search {added['search']:+.1f} ms (goal < 10 ms), ask {added['ask']:+.1f} ms"]
    print("\n".join(lines))
    if args.append:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as f:
            f.write(f"\n## HTTP API overhead (issue 26)\n\nCommand: `.venv/bin/python bench/api_speed.py --rounds "
                    f"{args.rounds}`\n\n```\n" + "\n".join(lines) + "\n```\n")


if __name__ == "__main__":
    main()
