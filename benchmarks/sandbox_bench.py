"""Sandbox benchmark: build a big pool, then time searches on it (prints figures; asserts nothing).

    TALENTQL_CACHE_DIR=/tmp/tqlbench python benchmarks/sandbox_bench.py --size 1000000

Reports: build time and file size (building first if the pool is not in the cache, or with
--rebuild), then for at least 50 different 4-family queries with a radius (title, location
within N km, years of experience, skill, all required): the first page on a cold engine cache,
page 50 of the same search as a client pages to it (49 transaction ids; the ranked list is
cached), and page 50 asked cold (49 ids, nothing cached). Median and p95 of each, and peak memory
(resource.getrusage). Compare figures within one run: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import statistics
import sys
import time

TITLES = ["engineer", "software engineer", "developer", "senior engineer", "data", "designer",
          "manager"]
CITIES = ["New York City, United States", "London, United Kingdom", "Paris, France",
          "Berlin, Germany", "Los Angeles, United States", "Chicago, United States",
          "Toronto, Canada", "Mumbai, India", "Madrid, Spain", "Amsterdam, The Netherlands",
          "São Paulo, Brazil", "Houston, United States", "Delhi, India", "Munich, Germany",
          "Lyon, France", "Sydney, Australia", "Stockholm, Sweden", "Warsaw, Poland",
          "Rome, Italy", "San Francisco, United States", "Seattle, United States",
          "Boston, United States", "Tokyo, Japan", "Singapore, Singapore", "Dublin, Ireland"]
RADII = [50, 100, 200]
YEARS = ["3-5", "5-10", "1-3", "10-15"]
SKILLS = ["python", "sql", "git", "agile", "javascript", "aws", "figma", "docker", "java"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def query(title, city, radius, years, skill):
    return {"filters": [
        {"filterType": "JOB_TITLE", "value": title, "isRequired": True, "isExcluded": False,
         "isExactMatch": False, "history": "CURRENT"},
        {"filterType": "LOCATION", "value": city, "isRequired": True, "isExcluded": False,
         "isExactMatch": False, "radius": radius},
        {"filterType": "YEARS_OF_EXPERIENCE", "value": years, "isRequired": True,
         "isExcluded": False, "isExactMatch": False},
        {"filterType": "SKILL", "value": skill, "isRequired": True, "isExcluded": False,
         "isExactMatch": False},
    ]}


def timed(call):
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    from talentql.sandbox import geo, label, store
    from talentql.sandbox.engine import Engine

    print(f"# sandbox benchmark — {label(args.size, args.seed)}")
    print(f"python {platform.python_version()}, sqlite {__import__('sqlite3').sqlite_version}, "
          f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f} at start")
    pool = store.info(args.size, args.seed)
    if args.rebuild or not pool.built:
        seconds, _ = timed(lambda: store.build(args.size, args.seed))
        seconds /= 1000
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pool = store.info(args.size, args.seed)
        print(f"build: {seconds:.1f} s (this run); peak memory of build workers {children:.0f} MB")
    else:
        print(f"build: {pool.build_seconds:.1f} s (recorded when the pool was built, "
              f"{pool.built_at})")
    print(f"file: {pool.path} — {pool.file_bytes / 1e6:,.0f} MB")

    ms, _ = timed(geo.gazetteer)
    print(f"gazetteer load (once per process): {ms:.0f} ms")
    ms, engine = timed(lambda: Engine.open(args.size, args.seed, quiet=True))
    print(f"engine open: {ms:.0f} ms")

    first, page50_warm, page50_cold, counts, skipped = [], [], [], [], 0
    combos = itertools.product(CITIES, TITLES, YEARS, SKILLS, RADII)
    import random

    combos = list(combos)
    random.Random(1).shuffle(combos)
    for city, title, years, skill, radius in combos:
        if len(first) >= args.queries:
            break
        body = query(title, city, radius, years, skill)
        engine.cache.clear()
        ms, (status, _h, envelope) = timed(lambda: engine.handle(body))
        assert status == 200, envelope
        count = envelope["data"]["estimationCount"]
        if count < 500:  # page 50 must exist: keep queries with ≥ 500 results
            skipped += 1
            continue
        first.append(ms)
        counts.append(count)
        tx = [envelope["data"]["searchTransactionId"]]
        for _ in range(48):
            data = engine.handle({**body, "relatedSearchTransactionIds": tx})[2]["data"]
            tx.append(data["searchTransactionId"])
        ms, (status, _h, envelope) = timed(
            lambda: engine.handle({**body, "relatedSearchTransactionIds": tx}))
        assert status == 200 and len(envelope["data"]["talents"]) == 10, envelope
        page50_warm.append(ms)
        engine.cache.clear()
        ms, (status, _h, envelope) = timed(
            lambda: engine.handle({**body, "relatedSearchTransactionIds": tx}))
        page50_cold.append(ms)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{len(first)} queries (4 required families: title, location~radius, yoe, skill; "
          f"{skipped} candidates with < 500 results skipped); results per query: median "
          f"{statistics.median(counts):,.0f}, min {min(counts):,}, max {max(counts):,}")
    print("\n| measure | median ms | p95 ms | target |")
    print("|---|---|---|---|")
    print(f"| first page (cold cache) | {statistics.median(first):.1f} | "
          f"{percentile(first, 95):.1f} | < 50 ms median |")
    print(f"| page 50, paging client (49 ids, cached search) | "
          f"{statistics.median(page50_warm):.1f} | {percentile(page50_warm, 95):.1f} | "
          f"< 100 ms median |")
    print(f"| page 50, asked cold (49 ids, nothing cached) | "
          f"{statistics.median(page50_cold):.1f} | {percentile(page50_cold, 95):.1f} | — |")
    print(f"\npeak memory (this process, RSS): {peak:.0f} MB; load average at end "
          f"{os.getloadavg()[0]:.2f}")
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
