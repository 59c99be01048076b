"""Write benchmarks/RESULTS.md from the per-area results in benchmarks/results/.

    python benchmarks/assemble_results.py

Each area's figures and the exact command that produced them live in benchmarks/results/AREA.md,
written by whoever ran that benchmark; this puts them on one page under a summary of the targets.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
ORDER = ("compiler", "sandbox", "client", "repl")

SUMMARY = """\
# Benchmark results

Every figure below was measured on the shared 2-CPU development machine (Python 3.11), usually
while other sessions ran their test suites: compare ratios within one run, not absolute times.
Each section gives the exact command; `python benchmarks/assemble_results.py` rebuilds this page
from `benchmarks/results/*.md`.

| target (issue) | result | met |
|---|---|---|
| `talentql --version` within 3x `python -c pass` (2) | 1.7x | yes |
| `talentql compile QUERY` within 6x `python -c pass` (2) | 4.5x wall, 4.6x CPU | yes |
| parse + check + plan faster than luqum's parse, aim 2x (2) | 1.20x to 1.27x (TalentQL's parser alone: 3.1x to 3.2x luqum's); 2x not reached | yes |
| sandbox, 1M talents: first page under 50 ms median (3) | 35 ms | yes |
| sandbox, 1M talents: page 50 under 100 ms median (3) | 1.2 ms (37 ms asked cold) | yes |
| client: 5 pages of a 4-search plan within 1.5x of a 1-search plan, 100 ms latency (4) | 0.50x | yes |
| sandbox: build a 1,000,000-talent pool, report time and size (3) | 595 s (937 s under load), 860 MB | reported |
| REPL: lex + validate + complete per keystroke, p95 under 5 ms (5) | 1.5 ms | yes |
| REPL: start to first prompt, beside litecli's and pgcli's `--version` (5) | 449 ms; 0.52x litecli, 0.31x pgcli | reported |

"""


def _demote_headings(text: str) -> str:
    """Each area's title becomes a section of this page, its sections subsections (headings in
    fenced code blocks are left alone)."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return "\n".join(out)


def main() -> None:
    parts = [SUMMARY]
    for area in ORDER:
        path = HERE / "results" / f"{area}.md"
        if path.exists():
            text = path.read_text("utf-8").strip()
            parts.append(_demote_headings(text))
    (HERE / "RESULTS.md").write_text("\n\n".join(parts) + "\n", "utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
