"""Stand-ins for the compiler and a backend, for unit tests of the REPL's own logic.

The fake compiler understands just enough TQL for the REPL's tests: ``let`` lines, ``$names``,
``field:value`` terms whose field the field table knows; anything else is an error with a span.
"""

from __future__ import annotations

import asyncio
import re
import types

from talentql import fields
from talentql.compiled import Filter, Plan, Search
from talentql.diagnostics import Diagnostic
from talentql.errors import CompileError
from talentql.source import Span

_TERM = re.compile(r'(?P<field>[A-Za-z_]\w*)(?:@\w+)?[:=](?P<value>"[^"]*"|\S+)|\$(?P<var>\w+)|(?P<word>[^\s()]+)')


def _split(text: str) -> tuple[dict[str, tuple[int, str]], int, str]:
    lets: dict[str, tuple[int, str]] = {}
    offset = 0
    lines = text.split("\n")
    body_start = 0
    for line in lines:
        match = re.match(r"let\s+(\w+)\s*=\s*(.*)", line)
        if not match:
            break
        lets[match.group(1)] = (offset + match.start(2), match.group(2))
        offset += len(line) + 1
        body_start = offset
    return lets, body_start, text[body_start:]


def check(text: str, **options) -> list[Diagnostic]:
    lets, start, body = _split(text)
    found = []
    pieces = [(s, t) for s, t in lets.values()] + [(start, body)]
    defined: set[str] = set()
    names = list(lets)
    for index, (base, piece) in enumerate(pieces):
        for m in _TERM.finditer(piece):
            if m.group("field") and fields.lookup(m.group("field")) is None:
                found.append(Diagnostic("unknown-field", f"unknown field '{m.group('field')}'",
                                        Span.at(text, base + m.start(), base + m.start() + len(m.group('field')))))
            if m.group("var") and m.group("var") not in defined:
                found.append(Diagnostic("undefined-name", f"${m.group('var')} is not defined",
                                        Span.at(text, base + m.start(), base + m.end())))
        if index < len(names):
            defined.add(names[index])
    if not body.strip() and not found:
        found.append(Diagnostic("empty-query", "empty query", Span.at(text, len(text))))
    return found


def _filters(text: str, lets: dict[str, str]) -> list[Filter]:
    out = []
    for m in _TERM.finditer(text):
        if m.group("var"):
            out += _filters(lets[m.group("var")], lets)
        elif m.group("field"):
            field = fields.lookup(m.group("field"))
            out.append(Filter(field.filter_type, m.group("value").strip('"')))
        elif m.group("word").upper() not in ("AND", "OR", "NOT"):
            out.append(Filter("KEYWORD", m.group("word")))
    return out


def compile(text: str, **options) -> Plan:
    errors = [d for d in check(text) if d.is_error]
    if errors:
        raise CompileError(errors, {"<query>": text})
    lets, _, body = _split(text)
    filters = _filters(body, {k: v for k, (_, v) in lets.items()})
    if body.strip() == "nothing":
        return Plan("gate", ())
    return Plan("gate", (Search(tuple(filters)),))


def parse(text: str, source: str = "<query>"):
    """A Program-like value: lets with expr spans, and the final query."""
    lets, start, body = _split(text)
    statements = [types.SimpleNamespace(name=n, expr=types.SimpleNamespace(
        span=Span.at(text, s, s + len(v)))) for n, (s, v) in lets.items()]
    stripped = body.strip()
    query = None
    if stripped:
        q_start = start + body.index(stripped)
        query = types.SimpleNamespace(span=Span.at(text, q_start, q_start + len(stripped)))
    return types.SimpleNamespace(statements=tuple(statements), query=query), []


COMPILER = types.SimpleNamespace(check=check, compile=compile, parse=parse)


def talent(n: int) -> dict:
    return {"id": f"t{n}", "firstname": f"First{n}", "lastname": f"Last{n}",
            "jobTitle": "Product Designer", "currentOrganization": {"name": f"Company {n}"},
            "city": "Paris", "country": "France", "skills": ["Figma", "Sketch"],
            "experiences": [{"title": "Designer", "organizationName": "Acme", "isCurrent": True,
                             "startDate": "2020-01"}]}


class FakeBackend:
    """Pages of ``per_page`` talents until ``total``; ``gate`` (an Event) can hold a call."""

    label = "fake backend"

    def __init__(self, total: int = 35, per_page: int = 10) -> None:
        self.total, self.per_page = total, per_page
        self.bodies: list[dict] = []
        self.gate: asyncio.Event | None = None
        self.started: asyncio.Event | None = None
        self.fail_next: Exception | None = None
        self.closed = False

    async def search_talents(self, body: dict) -> dict:
        self.bodies.append(body)
        if self.started is not None:
            self.started.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        start = len(body["relatedSearchTransactionIds"]) * self.per_page
        talents = [talent(n) for n in range(start, min(start + self.per_page, self.total))]
        return {"talents": talents, "searchTransactionId": f"tx{len(self.bodies)}",
                "estimationCount": self.total}

    async def aclose(self) -> None:
        self.closed = True
