"""Talents as a table that fits the terminal (``shutil.get_terminal_size``; cells cut with …).

>>> print(render_table([{"id": "t1", "firstname": "Ada", "lastname": "Lovelace",
...                      "jobTitle": "Mathematician and first programmer"}], width=40))
#  name          title
1  Ada Lovelace  Mathematician and firs…
"""

from __future__ import annotations

import shutil
import unicodedata
from typing import Any

from talentql.export import flatten

# Columns shown: (key, heading, cut) — cut=False: never cut (a URL cut short is useless), the
# column goes instead. Text columns keep COMFORTABLE characters while a column can be dropped
# to make room, then TIGHT ones before more columns go.
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("name", "name", True),
    ("title", "title", True),
    ("company", "company", True),
    ("location", "location", True),
    ("linkedin_url", "linkedin", False),
)
COMFORTABLE, TIGHT = 18, 6
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
    num_width = max(len(n) for n in numbers + ["#"])
    room = width - len(GAP) - num_width
    # Prefer all columns at a comfortable width; then fewer columns (URL first); then tight ones.
    attempts = [(cols[:k], COMFORTABLE) for k in range(len(cols), 2, -1)]
    attempts += [(cols[:k], TIGHT) for k in range(len(cols), 0, -1)]
    for cols, least in attempts:
        widths = _fit(cols, rows, room, least)
        if widths is not None:
            break
    else:
        cols, widths = cols[:1], [max(1, room)]
    head = GAP.join(["#".ljust(num_width)] + [_cell(h, w) for (_, h, _), w in zip(cols, widths)])
    head = head.rstrip()
    if color:
        head = f"\x1b[1m{head}\x1b[0m"
    lines = [head]
    for number, row in zip(numbers, rows):
        cells = [_cell(row[key], w) for (key, _, _), w in zip(cols, widths)]
        lines.append(GAP.join([number.ljust(num_width)] + cells).rstrip())
    return "\n".join(lines)


def _fit(cols, rows, room: int, least: int) -> list[int] | None:
    """Column widths summing (with gaps) to at most ``room``, or None if even minimums overflow."""
    natural = [max([len(h)] + [width_of(r[key]) for r in rows]) for key, h, _ in cols]
    minimum = [min(n, least) if cut else n for n, (_, _, cut) in zip(natural, cols)]
    room -= len(GAP) * (len(cols) - 1)
    if sum(minimum) > room:
        return None
    widths = list(natural)
    while sum(widths) > room:  # shave the widest column one character at a time
        i = max(range(len(widths)), key=lambda k: (widths[k] - minimum[k] > 0, widths[k]))
        widths[i] -= 1
    return widths


def width_of(text: str) -> int:
    """Terminal cells a text takes: wide (CJK) characters take two, combining marks none.

    >>> width_of("Zoë"), width_of("山田太郎")
    (3, 8)
    """
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _cell(text: str, width: int) -> str:
    """``text`` padded or cut (with …) to exactly ``width`` terminal cells."""
    text = " ".join(text.split())
    used = width_of(text)
    if used <= width:
        return text + " " * (width - used)
    kept, used = [], 0
    for char in text:
        if used + _char_width(char) > width - 1:
            break
        kept.append(char)
        used += _char_width(char)
    return "".join(kept) + "…" + " " * (width - 1 - used)
