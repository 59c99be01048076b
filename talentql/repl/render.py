"""Pages of talents as text for the REPL: the project's table and encoders, and a full profile.

The table and the JSON/JSONL/CSV forms are the project's own (talentql.render, talentql.export),
so the REPL shows a page exactly as ``talentql search`` prints it; the REPL adds ``profile`` for
``\\show N``. Every talent field is optional (API.md), so each reader tolerates absence.

    >>> t = {"id": 1, "firstname": "Ada", "lastname": "Lovelace", "jobTitle": "Engineer",
    ...      "currentOrganization": {"name": "Analytical"}, "city": "London", "country": "UK"}
    >>> print(page([t], "table", width=60, first_row=1))
    #  name          title     company     location
    1  Ada Lovelace  Engineer  Analytical  London, UK
    >>> print(profile(t, width=60).splitlines()[0])
    Ada Lovelace
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from talentql.export import company, encoder, full_name, location

BOLD, RESET = "\x1b[1m", "\x1b[0m"


def page(talents: Sequence[dict[str, Any]], fmt: str, *, width: int, first_row: int = 1,
         color: bool = False) -> str:
    """One page in a format of talentql.export.FORMATS (CSV has its header on page 1 only)."""
    if fmt == "table":
        from talentql.render import render_table

        return render_table(list(talents), width=width, start=first_row, color=color)
    enc = encoder(fmt)
    first = first_row == 1
    text = (enc.begin() if first or fmt != "csv" else "") + enc.items(talents, first=True)
    if fmt == "json":
        text += enc.end(empty=not talents)
    return text.rstrip("\n")


def name(t: dict[str, Any]) -> str:
    return full_name(t) or "(no name)"


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
