"""Diagnostics while typing: checked off the keystroke path, shown in the toolbar and the buffer.

``LiveChecker`` checks the latest text in one background thread (newer text replaces older text
still waiting, so a slow check never queues up) and keeps the answers in a small cache; the UI
only ever reads the cache, so typing never waits for the checker. ``DiagnosticLexer`` paints
the query with the TQL Pygments lexer and underlines the spans of the errors the checker found.

    >>> query_part("\\\\explain title:CTO")
    (9, 'title:CTO')
    >>> query_part("let big = company:Google")
    (10, 'company:Google')
    >>> query_part("\\\\next") is None
    True
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer, PygmentsLexer

from talentql.diagnostics import Diagnostic
from talentql.repl import meta
from talentql.syntax.highlight import TQLLexer

ERROR_CLASS = "class:error-span"
SLOW_CHECK = 0.03  # seconds; a check slower than this makes the next one wait for a pause
SETTLE = 0.12  # seconds of no typing that count as a pause
_LET = re.compile(r"(\s*(?:\\let|(?i:let))\s+[A-Za-z_]\w*\s*=\s*)")


def query_part(line: str) -> tuple[int, str] | None:
    """Where the query in a REPL line starts, and its text (None: the line holds no query)."""
    let = _LET.match(line)
    if let:
        return let.end(), line[let.end():]
    stripped = line.lstrip()
    if stripped.startswith("\\"):
        name, _ = meta.split(stripped)
        command = meta.BY_NAME.get(name)
        if command is not None and command.name == "explain":
            start = line.index("explain") + len("explain") if "explain" in line else len(line)
            rest = line[start:]
            return start + (len(rest) - len(rest.lstrip())), rest.lstrip()
        return None
    if re.match(r"(?i)\s*import\s", line):
        return None
    return 0, line


class LiveChecker:
    """Checks queries in a background thread; ``get(text)`` never blocks.

    ``check`` is the checking function (the session scope's ``check``); ``on_update`` is called
    from the worker thread when a new answer is ready (the app's ``invalidate``, thread-safe).
    """

    def __init__(self, check: Callable[[str], Sequence[Diagnostic]],
                 on_update: Callable[[], None] = lambda: None, cache_size: int = 64) -> None:
        self._check = check
        self.on_update = on_update
        self._cache: OrderedDict[str, tuple[Diagnostic, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._pending: str | None = None
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self.generation = 0  # bumps on every new answer (the lexer's invalidation hash)
        self._slow = False  # the last check took long: let typing settle before the next
        self.slow_check, self.settle = SLOW_CHECK, SETTLE

    def get(self, text: str) -> tuple[Diagnostic, ...] | None:
        """The diagnostics of ``text`` if known; otherwise ask for them and return None."""
        with self._wake:
            found = self._cache.get(text)
            if found is not None:
                self._cache.move_to_end(text)
                return found
            self._pending = text
            self._wake.notify()
        self._ensure_thread()
        return None

    def check_now(self, text: str) -> tuple[Diagnostic, ...]:
        """Check in the caller's thread (tests, benchmarks, the Enter key)."""
        result = self._safe_check(text)
        self._store(text, result)
        return result

    def forget(self) -> None:
        """Drop cached answers (the lets in scope changed)."""
        with self._wake:
            self._cache.clear()
            self.generation += 1

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="tql-live-check", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None:
                    self._wake.wait()
                if self._slow:
                    self._settle()
                text, self._pending = self._pending, None
                if text in self._cache:
                    continue
            started = time.perf_counter()
            result = self._safe_check(text)
            self._slow = time.perf_counter() - started > self.slow_check
            self._store(text, result)
            try:
                self.on_update()
            except Exception:  # a redraw request must never kill the checker
                pass

    def _settle(self) -> None:
        """After a slow check, wait until typing pauses (or SETTLE passes) before the next one,
        so a big query is not re-planned for every character. Called holding the lock."""
        deadline = time.monotonic() + self.settle
        while (remaining := deadline - time.monotonic()) > 0:
            seen = self._pending
            self._wake.wait(remaining)
            if self._pending is not seen:  # another keystroke: wait again from now
                deadline = time.monotonic() + self.settle

    def _safe_check(self, text: str) -> tuple[Diagnostic, ...]:
        located = query_part(text)
        if located is None or not located[1].strip():
            return ()
        offset, query = located
        try:
            found = self._check(query)
        except Exception:  # the checker must never take the prompt down; Enter reports it
            return ()
        return tuple(_moved(d, offset, text) for d in found)

    def _store(self, text: str, result: tuple[Diagnostic, ...]) -> None:
        with self._wake:
            self._cache[text] = result
            self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            self.generation += 1


def first_error(diagnostics: Sequence[Diagnostic] | None) -> Diagnostic | None:
    """The error to show in the toolbar (errors before warnings, in source order)."""
    if not diagnostics:
        return None
    errors = [d for d in diagnostics if d.is_error]
    return errors[0] if errors else None


def describe(diagnostic: Diagnostic) -> str:
    """One toolbar line: ``line 1, col 7: unknown field 'titel' (did you mean 'title'?)``."""
    where = f"col {diagnostic.span.column}"
    if diagnostic.span.line > 1:
        where = f"line {diagnostic.span.line}, {where}"
    hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
    return f"{where}: {diagnostic.message}{hint}"


class DiagnosticLexer(Lexer):
    """The TQL lexer, plus the error class on the characters of each known error's span."""

    def __init__(self, checker: LiveChecker | None) -> None:
        self._pygments = PygmentsLexer(TQLLexer, sync_from_start=True)
        self._checker = checker

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        text = document.text
        stripped = text.lstrip()
        located = query_part(text)
        if stripped.startswith("\\") and (located is None or located[0] == 0):
            return _meta_line(document)
        base = self._pygments.lex_document(document)
        if located is not None and located[0] > 0:
            base = _with_meta_head(document, base, located[0])
        diagnostics = self._checker.get(text) if self._checker is not None else None
        errors = [d for d in diagnostics or () if d.is_error]
        if not errors:
            return base
        starts = _line_starts(text)

        def get_line(number: int) -> StyleAndTextTuples:
            fragments = base(number)
            line_start = starts[number] if number < len(starts) else len(text)
            marked: set[int] = set()
            for d in errors:
                end = max(d.span.end, d.span.start + 1)
                marked.update(range(d.span.start - line_start, end - line_start))
            return _mark(fragments, marked)

        return get_line

    def invalidation_hash(self) -> object:
        return self._checker.generation if self._checker is not None else 0


def _moved(d: Diagnostic, offset: int, text: str) -> Diagnostic:
    """A diagnostic on the query part moved onto the whole line (``\\explain``, ``let``)."""
    if offset == 0:
        return d
    from dataclasses import replace

    from talentql.source import Span

    span = Span.at(text, d.span.start + offset, d.span.end + offset, d.span.source)
    return replace(d, span=span)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _mark(fragments: StyleAndTextTuples, marked: set[int]) -> StyleAndTextTuples:
    """Split fragments so the characters at ``marked`` columns carry the error class."""
    if not marked:
        return fragments
    out: StyleAndTextTuples = []
    column = 0
    for fragment in fragments:
        style, chunk = fragment[0], fragment[1]
        for char in chunk:
            out.append((f"{style} {ERROR_CLASS}" if column in marked else style, char))
            column += 1
    return out


def _meta_line(document: Document) -> Callable[[int], StyleAndTextTuples]:
    lines = document.lines

    def get_line(number: int) -> StyleAndTextTuples:
        line = lines[number] if number < len(lines) else ""
        head, _, rest = line.partition(" ")
        return [("class:meta-command", head), ("class:meta-argument", (" " + rest) if _ else "")]

    return get_line


def _with_meta_head(document: Document, base: Callable[[int], StyleAndTextTuples], offset: int
                    ) -> Callable[[int], StyleAndTextTuples]:
    """``\\explain QUERY`` / ``let x = QUERY``: the head as a command, the rest as TQL."""

    def get_line(number: int) -> StyleAndTextTuples:
        fragments = base(number)
        if number != 0:
            return fragments
        out: StyleAndTextTuples = []
        column = 0
        for fragment in fragments:
            style, chunk = fragment[0], fragment[1]
            if column + len(chunk) <= offset and document.text.lstrip().startswith("\\"):
                out.append(("class:meta-command", chunk))
            else:
                out.append((style, chunk))
            column += len(chunk)
        return out

    return get_line
