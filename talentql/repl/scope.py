"""The lets of a REPL session, and checking and compiling queries with them in scope.

The REPL does not re-implement names: a query typed after ``let a = …`` is checked and compiled
as the ``.tql`` text the language already defines (LANGUAGE.md §4) — the session's lets, one per
line, then the query — and the diagnostics' spans are moved back onto the typed line.

    >>> scope = Scope()
    >>> scope.prefix()
    ''
    >>> scope.lets["big"] = "company:(Google OR Meta)"
    >>> scope.prefix()
    'let big = company:(Google OR Meta)\\n'
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from talentql.diagnostics import Diagnostic
from talentql.repl import context
from talentql.source import Span

_VAR = re.compile(r"\$([A-Za-z_]\w*)")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Scope:
    """Names defined in the session (name → query text, in definition order)."""

    def __init__(self, compiler: Any = None) -> None:
        self.lets: dict[str, str] = {}
        self._compiler = compiler  # the talentql module (or a fake in tests); loaded lazily

    @property
    def compiler(self) -> Any:
        if self._compiler is None:
            import talentql

            self._compiler = talentql
        return self._compiler

    def prefix(self) -> str:
        """The session's lets as the header of a ``.tql`` text."""
        return "".join(f"let {name} = {text}\n" for name, text in self.lets.items())

    def check(self, query: str) -> list[Diagnostic]:
        """Diagnostics of ``query`` with the session's lets in scope, spans on ``query``."""
        prefix = self.prefix()
        found = self.compiler.check(prefix + query)
        return _shift_all(found, prefix)

    def compile(self, query: str, **options: Any) -> Any:
        """The plan of ``query`` with the session's lets in scope.

        Raises ``CompileError`` whose diagnostics point into ``query``.
        """
        from talentql.errors import CompileError

        prefix = self.prefix()
        try:
            plan = self.compiler.compile(prefix + query, **options)
        except CompileError as error:
            raise CompileError(_shift_all(error.diagnostics, prefix), {"<query>": query}) from None
        warnings = getattr(plan, "warnings", None)
        if warnings is not None and prefix:
            plan = replace(plan, warnings=tuple(_shift_all(warnings, prefix)))
        return plan

    def define(self, name: str, query: str) -> list[Diagnostic]:
        """Bind ``name`` (redefining it is allowed in a session); the errors, if it was refused.

        A redefined name keeps its place, so lets that use it see the new meaning.
        """
        errors = [d for d in self.check(query) if d.is_error]
        if errors:
            return errors
        previous = dict(self.lets)
        self.lets[name] = " ".join(query.split()) if "#" not in query else query.strip()
        if name in previous:
            # Lets written after it may now fail (e.g. the new text uses a later name).
            problems = [d for d in self.compiler.check(self.prefix() + "$" + name) if d.is_error]
            if problems:
                self.lets = previous
                return _shift_all(problems, self.prefix())
        return []

    def closure(self, name: str) -> list[str]:
        """``name`` and every let it uses, directly or not, in definition order."""
        needed: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current in needed or current not in self.lets:
                continue
            needed.add(current)
            pending.extend(uses(self.lets[current]))
        return [n for n in self.lets if n in needed]


def uses(query: str) -> list[str]:
    """The ``$names`` a query uses (not those inside strings or comments).

    >>> uses('$a title:"$not_a_name" $b # $c')
    ['a', 'b']
    """
    found: list[str] = []
    for token in context.scan(query):
        if token.kind == "chunk":
            found.extend(_VAR.findall(token.text))
    return found


def _shift_all(diagnostics: Any, prefix: str) -> list[Diagnostic]:
    if not prefix:
        return list(diagnostics)
    shift = _shifter(prefix)
    return [moved for d in diagnostics if (moved := shift(d)) is not None]


def _shifter(prefix: str) -> Callable[[Diagnostic], Diagnostic | None]:
    """Move a diagnostic from the combined text onto the typed query (None: it is in a let)."""
    offset, lines = len(prefix), prefix.count("\n")

    def shift(d: Diagnostic) -> Diagnostic | None:
        span = d.span
        if span.start < offset:
            # The session's lets were checked when defined; a problem there is not this line's.
            return None if not d.is_error else replace(d, span=Span(0, 0, 1, 1, span.source))
        return replace(d, span=Span(span.start - offset, span.end - offset, span.line - lines,
                                    span.column, span.source))

    return shift
