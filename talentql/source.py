"""Source text and spans: where in which file a piece of a query stands."""

from __future__ import annotations

from talentql.value import frozen_value


@frozen_value
class Span:
    """A half-open character range ``[start, end)`` in one source, with its 1-based position."""

    start: int
    end: int
    line: int
    column: int
    source: str = "<query>"  # the file name, or <query> for text given on the command line

    @classmethod
    def at(cls, text: str, start: int, end: int | None = None, source: str = "<query>") -> Span:
        """The span of ``text[start:end]``, computing its line and column."""
        start = max(0, min(start, len(text)))
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        return cls(start, start if end is None else max(start, end), line, column, source)

    def cover(self, other: Span) -> Span:
        """The smallest span holding both (same source)."""
        first = self if self.start <= other.start else other
        return Span(first.start, max(self.end, other.end), first.line, first.column, self.source)
