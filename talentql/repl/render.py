"""Pages of talents as text: a table that fits the terminal, a full profile, JSON, JSONL, CSV.

Talents are the API's dicts; every field is optional (API.md), so each reader tolerates absence.

    >>> t = {"id": 1, "firstname": "Ada", "lastname": "Lovelace", "jobTitle": "Engineer",
    ...      "currentOrganization": {"name": "Analytical"}, "city": "London", "country": "UK"}
    >>> print(table([t], width=60, first_row=1))
    # name          title     company     location
    1 Ada Lovelace  Engineer  Analytical  London, UK
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from typing import Any, Callable, Iterable, Sequence

from prompt_toolkit.utils import get_cwidth

BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
CSV_COLUMNS = ("id", "firstname", "lastname", "jobTitle", "company", "city", "country",
               "linkedinUrl")


def name(t: dict[str, Any]) -> str:
    return " ".join(str(t[k]) for k in ("firstname", "lastname") if t.get(k)) or "(no name)"


def company(t: dict[str, Any]) -> str:
    org = t.get("currentOrganization")
    return str(org.get("name") or "") if isinstance(org, dict) else ""


def location(t: dict[str, Any]) -> str:
    return ", ".join(str(t[k]) for k in ("city", "country") if t.get(k))


# (header, reader, minimum width, share of spare room when shrinking: bigger shrinks first)
COLUMNS: tuple[tuple[str, Callable[[dict[str, Any]], str], int], ...] = (
    ("name", name, 8),
    ("title", lambda t: str(t.get("jobTitle") or ""), 8),
    ("company", company, 7),
    ("location", location, 8),
)


def table(talents: Sequence[dict[str, Any]], *, width: int, first_row: int = 1,
          color: bool = False) -> str:
    """Talents as rows numbered from ``first_row``, each line at most ``width`` cells wide."""
    number_width = len(str(first_row + max(len(talents) - 1, 0)))
    cells = [[" ".join(reader(t).split()) for _, reader, _ in COLUMNS] for t in talents]
    widths = [max([get_cwidth(h)] + [get_cwidth(row[i]) for row in cells])
              for i, (h, _, _) in enumerate(COLUMNS)]
    room = max(width - (number_width + 1) - 2 * (len(COLUMNS) - 1) - 1, 0)
    widths = _fit(widths, [m for _, _, m in COLUMNS], room)
    head = " ".join([" " * (number_width - 1) + "#", _row([h for h, _, _ in COLUMNS], widths)])
    lines = [f"{BOLD}{head.rstrip()}{RESET}" if color else head.rstrip()]
    for offset, row in enumerate(cells):
        number = str(first_row + offset).rjust(number_width)
        lines.append(f"{number} {_row(row, widths)}".rstrip())
    return "\n".join(lines)


def profile(t: dict[str, Any], *, width: int, color: bool = False) -> str:
    """One talent in full: who, where, experience, education, skills, languages."""
    wrap = max(width - 4, 20)
    b, r = (BOLD, RESET) if color else ("", "")
    out = [f"{b}{name(t)}{r}"]
    headline = t.get("headline") or " at ".join(x for x in (t.get("jobTitle"), company(t)) if x)
    if headline:
        out.append(str(headline))
    facts = [("location", location(t)), ("title", t.get("jobTitle")), ("company", company(t)),
             ("linkedin", t.get("linkedinUrl")), ("id", t.get("id"))]
    out += [f"  {label + ':':10}{value}" for label, value in facts if value not in (None, "")]
    if t.get("summary"):
        out += ["", f"{b}Summary{r}", textwrap.fill(" ".join(str(t["summary"]).split()), wrap,
                                                    initial_indent="  ", subsequent_indent="  ")]
    experiences = [e for e in t.get("experiences") or () if isinstance(e, dict)]
    if experiences:
        out += ["", f"{b}Experience{r}"]
        for e in experiences:
            org = e.get("organizationName") or (e.get("organization") or {}).get("name") or ""
            when = _dates(e.get("startDate"), e.get("endDate"), bool(e.get("isCurrent")))
            out.append(f"  {e.get('title') or '?'}" + (f" — {org}" if org else "") + when)
    educations = [e for e in t.get("educations") or () if isinstance(e, dict)]
    if educations:
        out += ["", f"{b}Education{r}"]
        for e in educations:
            degrees = ", ".join(map(str, (e.get("degrees") or []) + (e.get("majors") or [])))
            when = _dates(e.get("startDate"), e.get("endDate"), False)
            out.append(f"  {e.get('schoolName') or '?'}" + (f" — {degrees}" if degrees else "")
                       + when)
    for label, key in (("Skills", "skills"), ("Languages", "languages"),
                       ("Certifications", "certifications"), ("Interests", "interests")):
        items = [_item(x) for x in t.get(key) or ()]
        if items:
            out += ["", f"{b}{label}{r}", textwrap.fill(", ".join(items), wrap,
                                                        initial_indent="  ", subsequent_indent="  ")]
    return "\n".join(out)


def as_json(talents: Sequence[dict[str, Any]]) -> str:
    return json.dumps(list(talents), ensure_ascii=False, indent=2)


def as_jsonl(talents: Iterable[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(t, ensure_ascii=False) for t in talents)


def as_csv(talents: Iterable[dict[str, Any]], header: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for t in talents:
        writer.writerow([company(t) if c == "company" else _plain(t.get(c)) for c in CSV_COLUMNS])
    return buffer.getvalue().rstrip("\n")


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _item(x: Any) -> str:
    if isinstance(x, dict):  # e.g. {"name": "french", "level": "native or bilingual"}
        main = x.get("name") or x.get("language") or x.get("title") or ""
        extra = x.get("level") or x.get("proficiency") or ""
        return f"{main} ({extra})" if extra else str(main or json.dumps(x, ensure_ascii=False))
    return str(x)


def _dates(start: Any, end: Any, current: bool) -> str:
    if not start and not end:
        return ""
    return f"  ({start or '?'} – {'now' if current or not end else end})"


def _fit(widths: list[int], minimums: list[int], room: int) -> list[int]:
    """Shrink the widest columns first until the row fits in ``room`` cells."""
    widths = list(widths)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: (widths[i] - minimums[i], widths[i]))
        if widths[widest] <= minimums[widest]:
            break  # the terminal is narrower than the minimums: lines will wrap, nothing lost
        widths[widest] -= 1
    return widths


def _row(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(_cell(v, w) for v, w in zip(values, widths))


def _cell(text: str, width: int) -> str:
    if get_cwidth(text) <= width:
        return text + " " * (width - get_cwidth(text))
    out, used = "", 0
    for char in text:
        w = get_cwidth(char)
        if used + w > width - 1:
            break
        out, used = out + char, used + w
    return out + "…" + " " * (width - used - 1)
