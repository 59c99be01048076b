"""Talents as a table that fits the terminal (``shutil.get_terminal_size``; cells cut with …).

>>> print(render_table([{"id": "t1", "firstname": "Ada", "lastname": "Lovelace",
...                      "jobTitle": "Mathematician and first programmer"}], width=40))
#  name          title
1  Ada Lovelace  Mathematician and firs…
"""

from __future__ import annotations

import shutil
from typing import Any

from talentql.export import flatten

# Columns shown, with the least width each keeps before being dropped from the right.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "name", 8),
    ("title", "title", 8),
    ("company", "company", 8),
    ("location", "location", 8),
    ("linkedin_url", "linkedin", 12),
)
GAP = "  "


def render_table(
    talents: list[dict[str, Any]], *, width: int | None = None, start: int = 1,
    color: bool = False,
) -> str:
    """Rows numbered from ``start``; columns shrink (widest first) to fit ``width``."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    rows = [flatten(t) for t in talents]
    numbers = [str(start + i) for i in range(len(rows))]
    cols = [c for c in COLUMNS if any(r[c[0]] for r in rows)] or list(COLUMNS[:2])
    while True:
        widths = _fit(cols, rows, width - len(GAP) - max(len(n) for n in numbers + ["#"]))
        if widths is not None or len(cols) <= 1:
            break
        cols = cols[:-1]  # too narrow for every column: drop from the right
    widths = widths or [max(1, width - 4)]
    num_width = max(len(n) for n in numbers + ["#"])
    head = GAP.join(["#".ljust(num_width)] + [_cell(h, w) for (_, h, _), w in zip(cols, widths)])
    head = head.rstrip()
    if color:
        head = f"\x1b[1m{head}\x1b[0m"
    lines = [head]
    for number, row in zip(numbers, rows):
        cells = [_cell(row[key], w) for (key, _, _), w in zip(cols, widths)]
        lines.append(GAP.join([number.ljust(num_width)] + cells).rstrip())
    return "\n".join(lines)


def _fit(cols, rows, room: int) -> list[int] | None:
    """Column widths summing (with gaps) to at most ``room``, or None if even minimums overflow."""
    natural = [max([len(h)] + [len(r[key]) for r in rows]) for key, h, _ in cols]
    minimum = [min(n, m) for n, (_, _, m) in zip(natural, cols)]
    room -= len(GAP) * (len(cols) - 1)
    if sum(minimum) > room:
        return None
    widths = list(natural)
    while sum(widths) > room:  # shave the widest column one character at a time
        i = max(range(len(widths)), key=lambda k: (widths[k] - minimum[k] > 0, widths[k]))
        widths[i] -= 1
    return widths


def _cell(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text.ljust(width) if len(text) <= width else text[: max(0, width - 1)] + "…"
