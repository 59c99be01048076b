"""Diagnostics: the errors and warnings of a query, and how they are shown (LANGUAGE.md §6).

    error[unknown-field]: unknown field 'titel' — did you mean 'title'?
     --> 1:1
      |
    1 | titel:Designer
      | ^^^^^
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from talentql.source import Span
from talentql.value import frozen_value

ERROR_CODES = frozenset({
    "syntax", "empty-query", "unknown-field", "invalid-value", "modifier-not-allowed",
    "negated-preference", "undefined-name", "duplicate-name", "import-not-found", "import-cycle",
    "too-many-searches",
})
WARNING_CODES = frozenset({
    "unknown-industry", "range-widened", "exact-ignored", "unsatisfiable", "redundant",
    "preference-gates",
})


@frozen_value
class Diagnostic:
    """One problem: a code from §6, where it is, what is wrong, and what might be meant."""

    code: str
    message: str
    span: Span
    hint: str | None = None

    @property
    def severity(self) -> str:
        return "error" if self.code in ERROR_CODES else "warning"

    @property
    def is_error(self) -> bool:
        return self.code in ERROR_CODES

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message if not self.hint else f"{self.message} ({self.hint})",
            "line": self.span.line,
            "column": self.span.column,
        }

    def render(self, sources: Mapping[str, str], color: bool = False) -> str:
        """The diagnostic as shown on stderr, with the source line and a caret under the span."""
        head = f"{self.severity}[{self.code}]: {self.message}"
        where = f"{self.span.line}:{self.span.column}"
        if self.span.source != "<query>":
            where = f"{self.span.source}:{where}"
        text = sources.get(self.span.source, "")
        lines = text.split("\n") if text else [""]
        line_text = lines[self.span.line - 1] if self.span.line <= len(lines) else ""
        gutter = " " * len(str(self.span.line))
        line_end = self.span.start - (self.span.column - 1) + len(line_text)
        width = max(1, min(self.span.end, line_end) - self.span.start)
        caret = _blank_like(line_text[: self.span.column - 1]) + "^" * _width(
            line_text[self.span.column - 1: self.span.column - 1 + width]) if width else "^"
        if color:
            paint = "\x1b[1;31m" if self.is_error else "\x1b[1;33m"
            head = f"{paint}{self.severity}[{self.code}]\x1b[0m\x1b[1m: {self.message}\x1b[0m"
            caret = f"{paint}{caret}\x1b[0m"
        out = [head, f"{gutter}--> {where}", f"{gutter} |", f"{self.span.line} | {line_text}",
               f"{gutter} | {caret}"]
        if self.hint:
            out.append(f"{gutter} = help: {self.hint}")
        return "\n".join(out)


def render_all(
    diagnostics: Iterable[Diagnostic], sources: Mapping[str, str], color: bool = False
) -> str:
    return "\n\n".join(d.render(sources, color) for d in diagnostics)


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest candidate to ``word`` (case-insensitive), if any is close enough."""
    import difflib  # only when something is wrong: keeps the happy path's start-up short

    options = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=cutoff)
    return options[match[0]] if match else None


def _width(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text) or 1


def _blank_like(text: str) -> str:
    """Blanks as wide as ``text`` on a terminal, tabs kept, so the caret lands under the span."""
    return "".join("\t" if c == "\t" else " " * _width(c) for c in text)
