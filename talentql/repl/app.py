"""The REPL: a prompt-toolkit session that checks, completes, runs and pages TalentQL queries.

    repl = Repl(ReplOptions(...))
    exit_code = asyncio.run(repl.run())

One event loop for the whole session (the backend and the paging ``Session`` are async). Each line
is a query, a ``let``, or a backslash command (talentql.repl.meta). A search runs as a task that
Ctrl-C (SIGINT) cancels; the pages fetched before stay. Failures are reported in words and the
loop goes on: nothing but Ctrl-D, ``\\quit`` or end of input ends the session.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app_or_none
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import ColorDepth, Output
from prompt_toolkit.styles import Style, merge_styles, style_from_pygments_cls

from talentql import engine
from talentql.errors import ApiError, CompileError, TalentQLError
from talentql.repl import context, live, render
from talentql.repl.commands import Commands
from talentql.repl.completer import TQLCompleter
from talentql.repl.scope import Scope
from talentql.repl.settings import ReplSettings

T = TypeVar("T")

DATA_DIR_ENV = "TALENTQL_DATA_DIR"
PROMPT = "tql> "
CONTINUATION = "...> "
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
UI_STYLE = {
    "error-span": "underline #ff5f5f",
    "meta-command": "bold #5fafff",
    "meta-argument": "",
    "bottom-toolbar": "noreverse bg:#262626 #d0d0d0",
    "bottom-toolbar.error": "bold #ff5f5f",
    "bottom-toolbar.warning": "#ffaf00",
    "bottom-toolbar.hint": "#8a8a8a",
    "bottom-toolbar.status": "#d0d0d0",
    "bottom-toolbar.key": "bold",
    "prompt": "bold #5fd7af",
}


def data_dir() -> Path:
    """Where history lives: ``$TALENTQL_DATA_DIR``, else the user data dir (XDG on Linux)."""
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_data_dir("talentql"))


class PrivateHistory(FileHistory):
    """History in a file only its owner can read, never holding a secret (the API key)."""

    def __init__(self, filename: Path, secrets: Iterable[str] = ()) -> None:
        filename.parent.mkdir(parents=True, exist_ok=True)
        if not filename.exists():
            filename.touch(mode=0o600)
        super().__init__(str(filename))
        self._secrets = tuple(s for s in secrets if s)

    def store_string(self, string: str) -> None:
        if any(secret in string for secret in self._secrets):
            return
        super().store_string(string)


@dataclass
class ReplOptions:
    """How to build a REPL; tests pass pipe input, a dummy output and string streams."""

    settings: ReplSettings = field(default_factory=ReplSettings)
    # Opens the backend (called on the first query, so the first prompt appears at once).
    open_backend: Callable[[], Any] | None = None
    planned_backend: str = "sandbox"  # what the toolbar says before the backend is open
    input: Input | None = None
    output: Output | None = None
    stdout: IO[str] | None = None  # pages, profiles, messages
    stderr: IO[str] | None = None  # spinner and progress (only shown on a terminal)
    history: History | None = None
    secrets: tuple[str, ...] = ()  # never stored in history
    compiler: Any = None  # the talentql module (fakes in unit tests)
    compile_options: dict[str, Any] = field(default_factory=dict)
    width: int | None = None  # table width; default: the terminal's


class Repl(Commands):
    """One interactive session (see the module's docstring)."""

    def __init__(self, options: ReplOptions) -> None:
        self.options = options
        self.settings = options.settings
        self.out = options.stdout or sys.stdout
        self.err = options.stderr or sys.stderr
        self.format = self.settings.format
        self.scope = Scope(options.compiler)
        self.checker = live.LiveChecker(self.scope.check, on_update=self._invalidate)
        self.backend: Any = None
        self._backend_ready = False  # the sandbox's pool is open (built if it had to be)
        self.session: Any = None  # talentql.session.Session of the current query
        self.query: str | None = None  # the current query's text
        self.rows: list[dict[str, Any]] = []  # talents shown for the current query, in order
        self.displayed = 0  # pages of session.pages shown so far
        self._notices_shown = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._work: asyncio.Future[Any] | None = None  # the search Ctrl-C would cancel
        self._sigint_before: Any = None  # the SIGINT handler before the session
        self.color = self.settings.wants_color(_isatty(self.out))
        self.prompt = self._build_prompt_session()

    # --- Building ---------------------------------------------------------------------------------

    def _build_prompt_session(self) -> PromptSession[str]:
        history = self.options.history
        if history is None:
            path = data_dir() / "history"
            try:
                history = PrivateHistory(path, self.options.secrets)
            except OSError as error:  # a read-only home must not stop the REPL
                self._say(f"history is not kept: cannot use {path} ({error.strerror or error})")
                history = InMemoryHistory()
        buffer_open = Condition(lambda: context.open_parens(self._buffer_text()) > 0)
        return PromptSession(
            message=[("class:prompt", PROMPT)],
            multiline=buffer_open,  # Enter inserts a newline while a parenthesis is open
            prompt_continuation=lambda width, line, wrap: CONTINUATION.rjust(width),
            lexer=live.DiagnosticLexer(self.checker),
            completer=TQLCompleter(names=lambda: self.scope.lets),
            complete_in_thread=True,
            complete_while_typing=True,
            auto_suggest=AutoSuggestFromHistory(),
            history=history,
            enable_history_search=False,  # Up walks history; Ctrl-R searches it
            bottom_toolbar=self._toolbar,
            style=self._style(),
            include_default_pygments_style=False,
            color_depth=ColorDepth.MONOCHROME if not self.color else None,
            editing_mode=EditingMode.VI if self.settings.editing_mode == "vi" else EditingMode.EMACS,
            input=self.options.input,
            output=self.options.output,
            refresh_interval=None,
            mouse_support=False,
        )

    def _style(self) -> Style:
        from pygments.styles import get_style_by_name
        from pygments.util import ClassNotFound

        try:
            pygments_style = get_style_by_name(self.settings.style)
        except ClassNotFound:
            self._say(f"config [repl] style: unknown Pygments style {self.settings.style!r}; "
                      "using 'default'")
            pygments_style = get_style_by_name("default")
        return merge_styles([style_from_pygments_cls(pygments_style), Style.from_dict(UI_STYLE)])

    # --- The loop ---------------------------------------------------------------------------------

    async def run(self) -> int:
        """Read, evaluate, print, until Ctrl-D or \\quit. Returns the exit status (0)."""
        self._loop = asyncio.get_running_loop()
        # Load the compiler in the checker's thread just after the first prompt is drawn, so the
        # first keystroke's check does not pay for it (the prompt itself never waits for it).
        self._loop.call_later(0.2, self.checker.get, "title:x")
        for problem in self.settings.problems:
            self._say(problem)
        where = self.options.planned_backend
        if where == "sandbox":
            where = "the embedded sandbox (no API key set)"
        self._say(f"TalentQL REPL, queries run on {where}. Type a query and Enter to run it; "
                  "\\help lists commands; Ctrl-D leaves.")
        try:
            while True:
                try:
                    line = await self.prompt.prompt_async()
                except KeyboardInterrupt:  # Ctrl-C at the prompt clears the line
                    continue
                except EOFError:  # Ctrl-D (or the end of piped input)
                    break
                self._catch_sigint(True)
                if not await self.handle(line):
                    break
        finally:
            self._catch_sigint(False)
            await self.close()
        return 0

    async def handle(self, line: str) -> bool:
        """Evaluate one entered line; False when the session should end."""
        text = line.strip()
        if not text:
            return True
        try:
            if text.startswith("\\"):
                return await self._meta(text)
            let = re.match(r"(?i)let\s+(\S+?)\s*=(.*)\Z", text, re.DOTALL)
            if let:
                self._define(let.group(1), let.group(2))
            elif re.match(r"(?i)import\s", text):
                self._import(text)
            else:
                await self.run_query(text)
        except CompileError as error:
            self._diagnostics(error.diagnostics, _sources(error, self.scope.sources(text)))
        except ApiError as error:  # e.g. while \export fetches pages
            self._api_failure(error, kept="the" if self.rows else None)
        except TalentQLError as error:
            self._say(f"error: {error.render()}")
        except OSError as error:
            where = f" {error.filename}" if error.filename else ""
            self._say(f"error: cannot use{where}: {error.strerror or error}")
        except ValueError as error:
            self._say(f"error: {error}")
        except Exception as error:  # a bug: say so, keep the session
            if os.environ.get("TALENTQL_DEBUG"):
                raise
            self._say(f"internal error: {type(error).__name__}: {error} "
                      "(a bug in TalentQL; TALENTQL_DEBUG=1 shows details)")
        return True

    async def close(self) -> None:
        if self.backend is not None:
            try:
                await self.backend.aclose()
            except Exception:  # closing must not hide how the session ended
                pass
            self.backend = None

    # --- Queries and pages ------------------------------------------------------------------------

    async def run_query(self, text: str) -> None:
        """Compile ``text`` with the session's lets and show its page 1.

        The new query replaces the current one only once its first page is in: a cancelled or
        failed first page leaves the previous query, and its pages, as they were.
        """
        plan = self.scope.compile(text, **self.options.compile_options)
        self._warnings(plan, text)
        from talentql.session import Session

        backend = await self._ensure_backend()
        session = Session(plan, backend, query=text)
        page: list[dict[str, Any]] | None = []
        if plan.searches:
            try:
                page = await self._cancellable(session.next_page(), "searching")
            except ApiError as error:
                self._api_failure(error, kept="the previous query's" if self.rows else None)
                return
            if page is None:
                return
        self.session, self.query = session, text
        self.rows, self.displayed, self._notices_shown = [], 0, 0
        if not plan.searches:
            self._say("this query can never match: nothing to search")
            return
        self._show(page)

    async def next_page(self) -> None:
        if self.session is None:
            self._say("no query yet: type one first")
            return
        if self.displayed < len(self.session.pages):  # fetched earlier (e.g. by \export)
            page = self.session.pages[self.displayed]
        else:
            if self.session.exhausted and self.displayed:
                self._say("no more talents for this query")
                return
            try:
                page = await self._cancellable(self.session.next_page(), "searching")
            except ApiError as error:
                self._api_failure(error, kept="the" if self.rows else None)
                return
            if page is None:
                return
        self._show(page)

    def _show(self, page: list[dict[str, Any]]) -> None:
        self._show_notices()
        if not page:
            self._say("no talents match" if not self.rows else "no more talents for this query")
            return
        self.displayed += 1
        first = len(self.rows) + 1
        self.rows.extend(page)
        self._print_page(page, first)

    def _api_failure(self, error: ApiError, kept: str | None) -> None:
        """A failed call, in words; the session goes on with what it had."""
        self._say(f"the search failed: {error.render()}")
        if kept:
            self._say(f"({kept} {len(self.rows)} talents shown are kept; \\next goes on "
                      "with them)")

    def _print_page(self, page: list[dict[str, Any]], first_row: int) -> None:
        text = render.page(page, self.format, width=self._width(), first_row=first_row,
                           color=self.color)
        if self.format == "table":
            self._page_out(text)
        else:
            self._echo(text)

    async def _ensure_backend(self) -> Any:
        if self.backend is None:
            opener = self.options.open_backend
            if opener is None:
                from talentql.backends import open_backend

                opener = open_backend
            self.backend = opener()
            label = getattr(self.backend, "label", "backend")
            if "sandbox" in label.lower():
                self._say(f"using the {label}: no API key is set")
        if not self._backend_ready:
            await self._prepare_pool(self.backend)
            self._backend_ready = True
        return self.backend

    async def _prepare_pool(self, backend: Any) -> None:
        """Open the sandbox's pool before the first search (building it shows its own progress,
        which the spinner would scribble over); in a thread, so Ctrl-C still answers."""
        if not isinstance(getattr(type(backend), "engine", None), property):
            return
        opened = await self._cancellable(asyncio.to_thread(lambda: backend.engine),
                                         "opening the pool", spinner=False)
        if opened is None:
            raise TalentQLError("the query did not run: the sandbox pool is still being "
                                "prepared; run it again to wait for it")

    async def _cancellable(self, work: Awaitable[T], label: str, spinner: bool = True
                           ) -> T | None:
        """Run ``work`` with a spinner; Ctrl-C (SIGINT) cancels it and returns None."""
        task = asyncio.ensure_future(work)
        self._work = task
        spin = asyncio.ensure_future(self._spin(label)) if spinner and _isatty(self.err) else None
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            self._work = None
            if spin is not None:
                spin.cancel()
                await asyncio.wait({spin})
        if task.cancelled():
            kept = f"; the {len(self.rows)} talents shown so far are kept" if self.rows else ""
            self._say(f"cancelled{kept}")
            return None
        return task.result()

    def _catch_sigint(self, on: bool) -> None:
        """Own SIGINT between prompts: it cancels the running search, if any, and nothing else.

        (At the prompt, the terminal is in raw mode and Ctrl-C is a key; prompt_toolkit takes the
        signal over while it prompts and gives it back to Python's default when it returns.)
        """
        loop = self._loop
        if loop is None:
            return
        try:
            if on:
                if self._sigint_before is None:
                    self._sigint_before = signal.getsignal(signal.SIGINT)
                loop.add_signal_handler(signal.SIGINT, self._on_sigint)
            else:
                loop.remove_signal_handler(signal.SIGINT)
                # prompt_toolkit puts back the Python-level handler it found (asyncio's no-op
                # while ours was set): put back the one from before the session.
                if self._sigint_before is not None:
                    signal.signal(signal.SIGINT, self._sigint_before)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, not the main thread
            pass

    def _on_sigint(self) -> None:
        if self._work is not None and not self._work.done():
            self._work.cancel()

    async def _spin(self, label: str) -> None:
        message = f"{label}… (Ctrl-C cancels)"
        try:
            for i in range(1 << 30):
                self.err.write(f"\r{SPINNER[i % len(SPINNER)]} {message}")
                self.err.flush()
                await asyncio.sleep(0.08)
        finally:
            self.err.write("\r\x1b[K")  # erase the spinner (and a ^C the terminal echoed)
            self.err.flush()

    # --- Output -------------------------------------------------------------------------------------

    def _echo(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _say(self, text: str) -> None:
        """A message for the person (on the same stream as pages, so it reads in order)."""
        self._echo(text)

    def _page_out(self, text: str) -> None:
        """Long output through the pager when it would not fit on the screen."""
        pager = _pager_command(self.settings.pager)
        rows = self._height()
        if pager and _isatty(self.out) and text.count("\n") + 2 > rows:
            import subprocess

            try:
                subprocess.run(pager, shell=True, input=text + "\n", text=True, check=False,
                               env={**os.environ, "LESSCHARSET": "utf-8"})
                return
            except OSError:
                pass
        self._echo(text)

    def _diagnostics(self, diagnostics: Iterable[Any], sources: Mapping[str, str]) -> None:
        from talentql.diagnostics import render_all

        self._echo(render_all(list(diagnostics), sources, color=self.color))

    def _warnings(self, plan: Any, text: str) -> None:
        warnings = list(getattr(plan, "warnings", ()) or ())
        if warnings:
            self._diagnostics(warnings, self.scope.sources(text))

    def _show_notices(self) -> None:
        notices = getattr(self.session, "notices", [])
        for notice in notices[self._notices_shown:]:
            self._say(f"note: {notice}")
        self._notices_shown = len(notices)

    def _width(self) -> int:
        if self.options.width:
            return self.options.width
        try:
            return max(self.prompt.output.get_size().columns, 20)
        except Exception:
            return 80

    def _height(self) -> int:
        try:
            return max(self.prompt.output.get_size().rows, 5)
        except Exception:
            return 24

    # --- The toolbar --------------------------------------------------------------------------------

    def _toolbar(self) -> StyleAndTextTuples:
        return self.toolbar_for(self._buffer_text())

    def toolbar_for(self, text: str) -> StyleAndTextTuples:
        """Two lines: the first error of ``text`` (or a hint), then the session's status."""
        diagnostics = self.checker.get(text) if text.strip() else ()
        error = live.first_error(diagnostics)
        if error is not None:
            first: StyleAndTextTuples = [("class:bottom-toolbar.error", " ✗ " + live.describe(error))]
        elif diagnostics:
            first = [("class:bottom-toolbar.warning",
                      f" ⚠ {len(diagnostics)} warning{'s' if len(diagnostics) > 1 else ''}: "
                      + live.describe(diagnostics[0]))]
        elif context.open_parens(text):
            first = [("class:bottom-toolbar.hint", " ( open: Enter adds a line; close it to run")]
        else:
            first = [("class:bottom-toolbar.hint",
                      " Enter runs · Tab completes · \\n next page · \\help · Ctrl-D quits")]
        return first + [("", "\n"), ("class:bottom-toolbar.status", " " + self.status_line())]

    def status_line(self) -> str:
        """Backend · page · shown · pool estimate · API calls spent."""
        label = getattr(self.backend, "label", None) or f"{self.options.planned_backend} (idle)"
        parts = [label]
        session = self.session
        if session is not None:
            estimate = getattr(session, "estimate", None)
            pool = "?" if estimate is None else (
                f"{engine.ESTIMATION_CAP:,}+" if estimate >= engine.ESTIMATION_CAP else f"~{estimate:,}")
            parts += [f"page {self.displayed}", f"{len(self.rows)} shown", f"pool {pool}",
                      f"{session.calls} call{'s' if session.calls != 1 else ''}"]
        parts.append(f"{self.format}")
        parts.append(self._mode())
        return " │ ".join(parts)

    def _mode(self) -> str:
        """``emacs``, or ``vi`` with its input mode (``vi insert``, ``vi navigation``…)."""
        if self.settings.editing_mode != "vi":
            return "emacs"
        app = get_app_or_none()
        try:
            return app.vi_state.input_mode.value.replace("-", " ") if app is not None else "vi"
        except AttributeError:
            return "vi"

    def _buffer_text(self) -> str:
        app = get_app_or_none()
        try:
            return app.current_buffer.text if app is not None else ""
        except Exception:
            return ""

    def _invalidate(self) -> None:
        """Redraw (called from the checker's thread: hop onto the loop's thread first)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._redraw)
        except RuntimeError:  # the loop closed meanwhile
            pass

    def _redraw(self) -> None:
        app = self.prompt.app
        if app.is_running:
            app.invalidate()


def _pager_command(setting: str) -> str | None:
    if setting in ("off", "never", "none", ""):
        return None
    if setting == "auto":
        return os.environ.get("PAGER") or "less -SRXF"
    return setting


def _sources(error: CompileError, fallback: Mapping[str, str]) -> Mapping[str, str]:
    source = error.source
    return {**fallback, **source} if isinstance(source, dict) else fallback


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False
