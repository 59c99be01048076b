"""Talents out: JSONL, JSON, CSV and table encoders, and atomic, resumable output files.

- ``jsonl``: one full talent per line, as the service sent it (unknown fields included);
- ``json``: one JSON array of full talents;
- ``csv``: flattened, one row per talent (``CSV_COLUMNS``: name, title, company, location,
  LinkedIn URL, id, ...);
- ``table``: for people (``talentql.render``).

An ``OutputFile`` writes to a hidden ``.NAME.part`` beside the target and renames it into place
when done, so the target is either absent (or the old file) or complete. ``checkpoint()`` returns
the byte offset of what is written so far; reopening with that offset truncates the part file there
and appends, which is how an interrupted export resumes with no duplicate and no gap.

>>> enc = encoder("csv")
>>> print(enc.begin() + enc.items([{"id": "t1", "firstname": "Ada", "lastname": "L"}], first=True), end="")
name,title,company,location,linkedin_url,id,headline,skills,languages,country
Ada L,,,,,t1,,,,
"""

from __future__ import annotations

import csv
from abc import ABC, abstractmethod
import io
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = ("table", "json", "jsonl", "csv")
FORMAT_BY_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
                    ".txt": "table"}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _join(values: Any) -> str:
    """A list of strings or of objects with a name → "a; b; c"."""
    if not isinstance(values, list):
        return _text(values)
    out = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("name") or value.get("language") or value.get("title") or ""
        if _text(value):
            out.append(_text(value))
    return "; ".join(out)


def full_name(t: dict[str, Any]) -> str:
    return " ".join(p for p in (_text(t.get("firstname")), _text(t.get("lastname"))) if p)


def company(t: dict[str, Any]) -> str:
    org = t.get("currentOrganization")
    if isinstance(org, dict) and _text(org.get("name")):
        return _text(org["name"])
    for exp in t.get("experiences") or ():
        if isinstance(exp, dict) and exp.get("isCurrent"):
            return _text(exp.get("organizationName"))
    return ""


def location(t: dict[str, Any]) -> str:
    parts = [_text(t.get(k)) for k in ("city", "state", "country")]
    return ", ".join(dict.fromkeys(p for p in parts if p))


# The flattened view of a talent: (column, getter), in order. One table for CSV and the terminal.
CSV_COLUMNS: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("name", full_name),
    ("title", lambda t: _text(t.get("jobTitle"))),
    ("company", company),
    ("location", location),
    ("linkedin_url", lambda t: _text(t.get("linkedinUrl"))),
    ("id", lambda t: _text(t.get("id"))),
    ("headline", lambda t: _text(t.get("headline"))),
    ("skills", lambda t: _join(t.get("skills"))),
    ("languages", lambda t: _join(t.get("languages"))),
    ("country", lambda t: _text(t.get("country"))),
)


def flatten(talent: dict[str, Any]) -> dict[str, str]:
    """One talent as the flat row CSV and tables show."""
    return {name: getter(talent) for name, getter in CSV_COLUMNS}


# --- Encoders: text for the start, for a batch of talents, and for the end ----------------------


class Encoder(ABC):
    streaming = True  # False: the format needs every row before it can start (none so far)

    def begin(self) -> str:
        return ""

    @abstractmethod
    def items(self, talents: Iterable[dict[str, Any]], *, first: bool) -> str:
        """The text for a batch of talents (``first``: the first batch of the output)."""

    def end(self, *, empty: bool) -> str:
        return ""


class JsonlEncoder(Encoder):
    def items(self, talents, *, first):
        return "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in talents)


class JsonEncoder(Encoder):
    def begin(self):
        return "["

    def items(self, talents, *, first):
        out = []
        for talent in talents:
            out.append(("\n" if first else ",\n") + json.dumps(talent, ensure_ascii=False))
            first = False
        return "".join(out)

    def end(self, *, empty):
        return "]\n" if empty else "\n]\n"


class CsvEncoder(Encoder):
    def begin(self):
        return self._rows([[name for name, _ in CSV_COLUMNS]])

    def items(self, talents, *, first):
        return self._rows([list(flatten(t).values()) for t in talents])

    @staticmethod
    def _rows(rows: list[list[str]]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue()


class TableEncoder(Encoder):
    """A table per batch (a page), numbered on from where the last one stopped."""

    def __init__(self, width: int | None = None, color: bool = False) -> None:
        self.width, self.color, self.number = width, color, 1

    def items(self, talents, *, first):
        from talentql.render import render_table

        talents = list(talents)
        text = render_table(talents, width=self.width, start=self.number, color=self.color)
        self.number += len(talents)
        return text + "\n" if talents else ""


def encoder(fmt: str, **options: Any) -> Encoder:
    """The encoder of a format name (one of ``FORMATS``)."""
    table = {"jsonl": JsonlEncoder, "json": JsonEncoder, "csv": CsvEncoder, "table": TableEncoder}
    return table[fmt](**options) if fmt == "table" else table[fmt]()


# --- Atomic, resumable output files --------------------------------------------------------------


def part_path(path: Path) -> Path:
    """Where ``path`` is written until it is complete (same directory: the rename is atomic)."""
    return path.with_name(f".{path.name}.part")


@dataclass
class OutputFile:
    """A file written in place of ``path`` only when ``finish()`` is called.

    ``OutputFile.open(p)`` starts afresh; ``OutputFile.open(p, resume_at=n)`` keeps the first
    ``n`` bytes of an earlier part file (what the last checkpoint recorded) and appends. A target
    that exists and is not a regular file (``/dev/stdout``, a FIFO, a device) is written directly:
    renaming over it would replace it.
    """

    path: Path
    part: Path
    handle: Any
    direct: bool = False

    @classmethod
    def open(cls, path: str | os.PathLike, *, resume_at: int | None = None) -> OutputFile:
        path = Path(path).absolute()
        if path.exists() and not path.is_file():
            return cls(path, path, open(path, "wb"), direct=True)
        part = part_path(path)
        if resume_at is not None and part.exists() and part.stat().st_size >= resume_at:
            handle = open(part, "r+b")  # noqa: SIM115 (kept open across pages)
            handle.truncate(resume_at)
            handle.seek(resume_at)
        else:
            handle = open(part, "wb")  # noqa: SIM115 (kept open across pages)
        return cls(path, part, handle)

    @property
    def resumable(self) -> bool:
        return not self.direct

    def write(self, text: str) -> None:
        if text:
            self.handle.write(text.encode("utf-8"))

    def checkpoint(self) -> int:
        """Push what is written to the OS (it survives the process being killed); its size."""
        self.handle.flush()
        return 0 if self.direct else self.handle.tell()

    def finish(self) -> Path:
        """Make the file complete under its real name, atomically."""
        self.handle.flush()
        if self.direct:
            self.handle.close()
            return self.path
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.part, self.path)
        return self.path

    def abandon(self) -> None:
        """Stop writing but keep the part file for a later resume."""
        if not self.handle.closed:
            self.handle.flush()
            self.handle.close()

    def discard(self) -> None:
        self.abandon()
        if not self.direct:
            self.part.unlink(missing_ok=True)


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (temp file in the same directory + rename)."""
    out = OutputFile.open(path)
    out.write(text)
    out.finish()
