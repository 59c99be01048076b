"""Cold start of whole processes, measured beside bare Python in the same run.

    python benchmarks/cold_start.py [--runs 30] [--python PATH] [--talentql PATH]

Each command runs --runs times, interleaved (so machine noise hits all of them alike); the
table gives median and p90 wall times, median CPU time (user + system: steadier on a shared,
noisy machine), and the ratios of medians to `python -c pass`.
Targets (issue 2): `talentql --version` within 3x bare Python, `talentql compile QUERY` within 6x.
Run it against a regular (non-editable) install: pip compiles the package's bytecode at install
time, which is what users get (this machine sets PYTHONDONTWRITEBYTECODE=1, so an editable
install would recompile every module on every start).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

QUERY = 'title:"Product Designer" AND location:Paris~50km AND yoe:5-10 NOT company:Google'


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[list, list]]:
    """Wall time and CPU time (user + system, from the child's rusage) of each run."""
    times: dict[str, tuple[list, list]] = {name: ([], []) for name in commands}
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env=env)
            _, _, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            child.returncode = 0
            times[name][0].append(wall)
            times[name][1].append(usage.ru_utime + usage.ru_stime)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--talentql", default=shutil.which("talentql",
                                                           path=os.path.dirname(sys.executable)))
    parser.add_argument("--extra", action="append", default=[], metavar="NAME=COMMAND",
                        help="another command to time beside them (e.g. litecli=litecli --version)")
    args = parser.parse_args()
    commands = {
        "python -c pass": [args.python, "-c", "pass"],
        "talentql --version": [args.talentql, "--version"],
        "talentql --help": [args.talentql, "--help"],
        "talentql compile QUERY": [args.talentql, "compile", QUERY],
    }
    for extra in args.extra:
        name, _, command = extra.partition("=")
        commands[name] = command.split()
    times = measure(commands, args.runs)
    base_wall = statistics.median(times["python -c pass"][0])
    base_cpu = statistics.median(times["python -c pass"][1])
    print(f"{args.runs} runs each, interleaved")
    print(f"{'command':28} {'wall med':>9} {'wall p90':>9} {'x python':>9} {'cpu med':>9} "
          f"{'x python':>9}")
    for name, (wall, cpu) in times.items():
        wall.sort()
        p90 = wall[int(0.9 * (len(wall) - 1))]
        print(f"{name:28} {statistics.median(wall) * 1000:7.1f}ms {p90 * 1000:7.1f}ms "
              f"{statistics.median(wall) / base_wall:8.2f}x {statistics.median(cpu) * 1000:7.1f}ms "
              f"{statistics.median(cpu) / base_cpu:8.2f}x")


if __name__ == "__main__":
    main()
