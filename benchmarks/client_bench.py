"""Running queries: API calls per delivered talent, and what concurrency buys multi-search plans.

    /work/venv/bin/python benchmarks/client_bench.py [--size 5000] [--rounds 5] [--latency-ms 100]

Both parts run against ``talentql sandbox serve`` on a loopback port (a subprocess, the pool in a
throwaway cache directory unless TALENTQL_CACHE_DIR is set), through the real client
(``HttpBackend``) and ``Session``:

1. Calls per delivered talent. Each plan is paged to the end (or to the 100-transaction limit);
   the ideal is one call per 10 new talents, ``ceil(talents / 10)``. A multi-search plan pays
   for overlaps (a talent two searches return is fetched twice, delivered once) and for the last,
   short page of each search. Also the calls spent on the first 5 pages only.
2. Wall time of 5 pages, 1-search plan vs 4-search plan, against the server with --latency-ms
   added to every answer. Target: 4-search <= 1.5x 1-search. Rounds alternate the two plans
   (noise hits both alike); medians are reported with the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import talentql
from talentql.backends import HttpBackend
from talentql.client import RetryPolicy
from talentql.config import Config, Secret
from talentql.session import Session

KEY = "bench-key"
SINGLE = "title:engineer"
FOUR = "title:engineer OR skill:python OR location:paris OR company:google"
PLANS = {
    "1 search: title:engineer": "title:engineer",
    "1 search: title:designer location:paris": "title:designer location:paris",
    "1 search: title:(designer OR researcher)": "title:(designer OR researcher)",
    "2 searches: title:designer OR skill:figma": "title:designer OR skill:figma",
    "3 searches: title:designer OR location:berlin OR skill:python":
        "title:designer OR location:berlin OR skill:python",
    "4 searches: " + FOUR: FOUR,
}


def start_server(env: dict[str, str], *flags: str) -> tuple[subprocess.Popen, str]:
    talentql_bin = Path(sys.executable).parent / "talentql"
    process = subprocess.Popen(
        [str(talentql_bin), "sandbox", "serve", "--port", "0", "--key", KEY, *flags],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    for line in process.stdout:
        if "http://" in line:
            url = line[line.index("http://"):].split()[0]
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, url
    raise SystemExit("the sandbox server did not start")


def backend(url: str) -> HttpBackend:
    return HttpBackend(url, config=Config(api_key=Secret(KEY)),
                       policy=RetryPolicy(timeout=60))


async def page_through(url: str, query: str, pages: int | None) -> tuple[int, int, int, float]:
    """(talents, calls, searches, seconds) for ``pages`` pages (None: to the end)."""
    plan = talentql.compile(query)
    b = backend(url)
    session = Session(plan, b, query=query)
    talents, started = 0, time.perf_counter()
    try:
        while pages is None or session.pages_delivered < pages:
            page = await session.next_page()
            if not page:
                break
            talents += len(page)
    finally:
        await b.aclose()
    return talents, session.calls, len(plan.searches), time.perf_counter() - started


def calls_table(url: str) -> list[str]:
    lines = ["| plan | talents | calls | ideal | calls / ideal | calls for 5 pages |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, query in PLANS.items():
        talents, calls, _, _ = asyncio.run(page_through(url, query, None))
        _, calls5, _, _ = asyncio.run(page_through(url, query, 5))
        ideal = math.ceil(talents / 10)
        lines.append(f"| {name} | {talents:,} | {calls} | {ideal} | {calls / ideal:.2f} | "
                     f"{calls5} |")
    return lines


def latency_table(url: str, rounds: int, latency: int) -> tuple[list[str], float]:
    times: dict[str, list[float]] = {"1-search": [], "4-search": []}
    calls: dict[str, int] = {}
    for _ in range(rounds):
        for name, query in (("1-search", SINGLE), ("4-search", FOUR)):
            talents, n_calls, _, seconds = asyncio.run(page_through(url, query, 5))
            assert talents == 50, (name, talents)
            times[name].append(seconds)
            calls[name] = n_calls
    one, four = statistics.median(times["1-search"]), statistics.median(times["4-search"])
    lines = ["| plan | median wall time, 5 pages (s) | min | max | calls |",
             "|---|---:|---:|---:|---:|"]
    for name, seconds in times.items():
        lines.append(f"| {name} | {statistics.median(seconds):.3f} | "
                     f"{min(seconds):.3f} | {max(seconds):.3f} | {calls[name]} |")
    return lines, four / one


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()

    env = dict(os.environ)
    env.pop("KALENT_API_KEY", None)
    env.setdefault("TALENTQL_CACHE_DIR", tempfile.mkdtemp(prefix="talentql-bench-"))
    env["TALENTQL_SANDBOX_SIZE"] = str(args.size)
    fast, fast_url = start_server(env)
    slow, slow_url = start_server(env, "--latency-ms", str(args.latency_ms))
    try:
        print(f"sandbox pool: {args.size:,} talents (seed 7); server {fast_url}\n")
        print("## API calls per delivered talent (ideal: one call per 10 new talents)\n")
        print("\n".join(calls_table(fast_url)))
        print(f"\n## 5 pages with {args.latency_ms} ms added latency per call, "
              f"{args.rounds} rounds\n")
        lines, ratio = latency_table(slow_url, args.rounds, args.latency_ms)
        print("\n".join(lines))
        verdict = "meets" if ratio <= 1.5 else "MISSES"
        print(f"\nratio 4-search / 1-search = {ratio:.2f} ({verdict} the <= 1.5 target)")
    finally:
        for process in (fast, slow):
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    main()
