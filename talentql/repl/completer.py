"""Context-aware completion for the REPL: fields, modifiers, values of closed fields, $names.

Every field name and value comes from the field table (talentql.fields); nothing is listed here.
Matching is fuzzy and ranked: prefix matches first, then substrings, then subsequences
(``sfw`` finds ``computer software``), so the menu stays short as you type.

    >>> from prompt_toolkit.document import Document
    >>> [c.text for c in TQLCompleter().get_completions(Document("degree:ma"), None)][:1]
    ['masters']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from prompt_toolkit.completion import (
    CompleteEvent,
    Completer,
    Completion,
    PathCompleter,
)
from prompt_toolkit.document import Document

from talentql import engine, fields
from talentql.repl import context, meta
from talentql.repl.settings import FORMATS

OPERATORS = ("AND", "OR", "NOT")
RADII_KM = (10, 25, 50, 100)
# A value can go bare when it is one bare word (LANGUAGE.md §1); otherwise it is quoted.
_BARE = re.compile(r"(?:[^\W_]|\.)[\w.+#&/'-]*")


@dataclass(frozen=True)
class Candidate:
    text: str  # what is inserted
    key: str  # what the typed text is matched against
    meta: str = ""
    display: str | None = None


def rank(typed: str, key: str) -> tuple[int, int, int] | None:
    """How well ``typed`` matches ``key`` (lower is better), or None; case-insensitive.

    >>> rank("ti", "title") < rank("le", "title") < rank("tle", "tItLe ")
    True
    >>> rank("xyz", "title") is None
    True
    """
    typed, key = typed.lower(), key.lower()
    if not typed:
        return (0, 0, 0)  # nothing typed: keep the table's order
    if key.startswith(typed):
        return (0, 0, len(key))
    where = key.find(typed)
    if where >= 0:
        return (1, where, len(key))
    # Subsequence: every typed character in order; a tighter spread ranks higher.
    position, first = -1, -1
    for char in typed:
        position = key.find(char, position + 1)
        if position < 0:
            return None
        first = position if first < 0 else first
    return (2, position - first, len(key))


def best(typed: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates matching ``typed``, best first (stable among equals)."""
    scored = [(score, i, c) for i, c in enumerate(candidates)
              if (score := rank(typed, c.key)) is not None]
    return [c for _, _, c in sorted(scored, key=lambda item: (item[0], item[1]))]


def quote(value: str) -> str:
    """A value as it must be written: bare when it is one bare word, else quoted.

    >>> quote("masters"), quote("yc startups"), quote('say "hi"')
    ('masters', '"yc startups"', '"say \\\\"hi\\\\""')
    """
    if _BARE.fullmatch(value) and value.lower() not in ("and", "or", "not"):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class TQLCompleter(Completer):
    """Completes TQL queries and backslash commands.

    ``names`` returns the session's lets (name → query text), read at each completion so new
    lets show up at once.
    """

    def __init__(self, names: Callable[[], Mapping[str, str]] = dict) -> None:
        self._names = names
        self._paths = PathCompleter(expanduser=True)
        self._field_candidates = tuple(_field_candidates())

    def get_completions(self, document: Document, complete_event: CompleteEvent | None
                        ) -> Iterator[Completion]:
        ctx = context.at(document.text_before_cursor)
        requested = complete_event is not None and complete_event.completion_requested
        if ctx.kind == context.TERM and not ctx.partial and not requested:
            return  # every field after each space would be noise: Tab asks for them
        if ctx.kind == context.ARGUMENT and ctx.argument == "path":
            yield from self._paths.get_completions(Document(ctx.partial), complete_event
                                                   or CompleteEvent())
            return
        typed, candidates = self.candidates(ctx)
        for candidate in best(typed, candidates):
            yield Completion(candidate.text, start_position=-len(ctx.partial),
                             display=candidate.display, display_meta=candidate.meta)

    def candidates(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        """What to match (the typed text) and against which candidates, for one context."""
        handler = _HANDLERS.get(ctx.kind)
        return handler(self, ctx) if handler else ("", [])

    # One method per context kind (see _HANDLERS).

    def _term(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        typed = ctx.partial
        out = list(self._field_candidates)
        exact = fields.lookup(typed) if typed else None
        if exact is not None:  # `title` typed in full: offer its modifiers too
            out[:0] = _modifier_candidates(typed, exact)
        out += [Candidate(f"${name}", name, _short(query)) for name, query in self._names().items()]
        if typed:  # operators only once something is typed: they are short to write anyway
            out += [Candidate(op, op, "operator") for op in OPERATORS]
        return typed, out

    def _value(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        field = fields.lookup(ctx.field or "")
        if field is None:
            return "", []
        values = field.known_values
        if ctx.quoted:
            typed = ctx.partial[1:].replace('\\"', '"')
            quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
            return typed, [Candidate(q, v, field.name) for q, v in zip(quoted, values)]
        return ctx.partial, [Candidate(quote(v), v, field.name) for v in values]

    def _history(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        field = fields.lookup(ctx.field or "")
        if field is None or not field.history:
            return "", []
        return ctx.partial[1:], [
            Candidate(f"@{word}:", word, f"{field.name}: {api.lower().replace('_', ' ')}")
            for word, api in engine.HISTORY_VALUES.items()
        ]

    def _radius(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        field = fields.lookup(ctx.field or "")
        if field is None or not field.radius:
            return "", []
        return ctx.partial[1:], [Candidate(f"~{km}km", f"{km}km", "radius") for km in RADII_KM]

    def _name(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        return ctx.partial[1:], [Candidate(f"${name}", name, _short(query))
                                 for name, query in self._names().items()]

    def _command(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        return ctx.partial[1:], [Candidate(f"\\{c.name}", c.name, c.summary, c.usage)
                                 for c in meta.COMMANDS]

    def _argument(self, ctx: context.Context) -> tuple[str, list[Candidate]]:
        if ctx.argument == "format":
            return ctx.partial, [Candidate(f, f, "page format") for f in FORMATS]
        if ctx.argument == "name":
            return ctx.partial, [Candidate(n, n, _short(q)) for n, q in self._names().items()]
        return "", []


_HANDLERS: Mapping[str, Callable[[TQLCompleter, context.Context], tuple[str, list[Candidate]]]] = {
    context.TERM: TQLCompleter._term,
    context.VALUE: TQLCompleter._value,
    context.HISTORY: TQLCompleter._history,
    context.RADIUS: TQLCompleter._radius,
    context.NAME: TQLCompleter._name,
    context.COMMAND: TQLCompleter._command,
    context.ARGUMENT: TQLCompleter._argument,
}


def _field_candidates() -> Iterator[Candidate]:
    for field in fields.FIELDS:
        yield Candidate(f"{field.name}:", field.name, field.summary)
        for alias in field.aliases:
            yield Candidate(f"{alias}:", alias, f"= {field.name}: {field.summary}")


def _modifier_candidates(typed: str, field: fields.Field) -> list[Candidate]:
    """`title` → `title:` (fuzzy), `title=` (exact), `title@current:` …; `location` → radius hint."""
    out = [Candidate(f"{typed}:", typed, "fuzzy match"), Candidate(f"{typed}=", typed, "exact match")]
    if field.history:
        out += [Candidate(f"{typed}@{word}:", typed, f"history {api}")
                for word, api in engine.HISTORY_VALUES.items()]
    return out


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
