"""The lets of a REPL session, and checking and compiling queries with them in scope.

The REPL does not re-implement names: the compiler takes the session's lets (``lets=``, name →
query text, in definition order; each let sees the ones before it) and resolves ``$names``
itself (LANGUAGE.md §4). Diagnostics about a let's own text carry the source ``<let NAME>``.

    >>> scope = Scope()
    >>> scope.define("big", "company:(Google OR Meta)")
    []
    >>> [d.code for d in scope.check("title:CTO -$big $nope")]
    ['undefined-name']
    >>> scope.sources("x")["<let big>"]
    'company:(Google OR Meta)'
"""

from __future__ import annotations

import re
from typing import Any

from talentql.diagnostics import Diagnostic
from talentql.repl import context

_VAR = re.compile(r"\$([A-Za-z_]\w*)")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
QUERY_SOURCE = "<query>"


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

    def sources(self, query: str) -> dict[str, str]:
        """Source texts by name, for rendering diagnostics (the query and every let)."""
        return {QUERY_SOURCE: query, **{f"<let {n}>": t for n, t in self.lets.items()}}

    def check(self, query: str, **options: Any) -> list[Diagnostic]:
        """Diagnostics of ``query`` with the session's lets in scope (never raises)."""
        found = self.compiler.check(query, lets=dict(self.lets), **options)
        # A let's own problems were reported when it was defined; keep the line's.
        return [d for d in found if d.span.source == QUERY_SOURCE]

    def compile(self, query: str, **options: Any) -> Any:
        """The plan of ``query`` with the session's lets in scope; raises ``CompileError``."""
        return self.compiler.compile(query, lets=dict(self.lets), **options)

    def explain(self, query: str, **options: Any) -> str:
        """``talentql explain``'s text for ``query`` with the session's lets in scope."""
        from talentql.errors import CompileError
        from talentql.explain import explain
        from talentql.syntax.format import format_program

        analysis = self.compiler.analyze(query, lets=dict(self.lets))
        if analysis.errors:
            raise CompileError(analysis.diagnostics, analysis.sources)
        plan = self.compile(query, **options)
        canonical = format_program(analysis.program, query) if analysis.program else query
        return explain(analysis, plan, canonical)

    def define(self, name: str, query: str) -> list[Diagnostic]:
        """Bind ``name`` (redefining it is allowed in a session); the errors, if it was refused.

        A redefined name keeps its place, so lets written after it see the new meaning.
        """
        query = query.strip()
        errors = [d for d in self.check(query) if d.is_error]
        if errors:
            return errors
        previous = dict(self.lets)
        self.lets[name] = query
        if name in previous:
            later = list(previous)[list(previous).index(name) + 1:]
            problems = [d for n in later
                        for d in self.compiler.check(f"${n}", lets=self.lets) if d.is_error]
            if problems:
                self.lets = previous
                return problems
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

