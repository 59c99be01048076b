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
import shlex
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
from talentql.export import FORMAT_BY_SUFFIX, OutputFile, encoder, write_atomically
from talentql.repl import context, live, meta, render
from talentql.repl.completer import TQLCompleter
from talentql.repl.scope import NAME_RE, Scope, uses
from talentql.repl.settings import FORMATS, ReplSettings

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


class Repl:
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

    # --- Backslash commands -------------------------------------------------------------------------

    async def _meta(self, text: str) -> bool:
        name, argument = meta.split(text)
        command = meta.BY_NAME.get(name)
        if command is None:
            self._say(f"unknown command \\{name}; \\help lists them")
            return True
        if command.name == "quit":
            return False
        result = _META_HANDLERS[command.name](self, argument)
        if asyncio.iscoroutine(result):
            await result
        return True

    async def _cmd_next(self, argument: str) -> None:
        await self.next_page()

    def _cmd_show(self, argument: str) -> None:
        if not self.rows:
            self._say("nothing shown yet: run a query first")
            return
        if not argument.isdigit() or not 1 <= int(argument) <= len(self.rows):
            self._say(f"usage: \\show N, with N a row number from 1 to {len(self.rows)}")
            return
        talent = self.rows[int(argument) - 1]
        self._page_out(render.profile(talent, width=self._width(), color=self.color))

    def _cmd_explain(self, argument: str) -> None:
        text = argument or self.query
        if not text:
            self._say("usage: \\explain QUERY (or run a query first)")
            return
        self._echo(self.scope.explain(text, **self.options.compile_options))

    def _cmd_format(self, argument: str) -> None:
        if argument.lower() not in FORMATS:
            self._say(f"format is {self.format}; choose one of {', '.join(FORMATS)}")
            return
        self.format = argument.lower()
        self._say(f"pages are now shown as {self.format}")

    async def _cmd_export(self, argument: str) -> None:
        if self.session is None:
            self._say("nothing to export: run a query first")
            return
        try:
            words = shlex.split(argument)
        except ValueError as error:
            self._say(f"usage: \\export FILE [--pages N | --all] ({error})")
            return
        path, pages = _export_arguments(words, self.displayed)
        if path is None:
            self._say("usage: \\export FILE [--pages N | --all]   (.csv, .jsonl or .json)")
            return
        kind = _export_kind(path)
        if kind is None:
            self._say(f"cannot tell the format of {path}: use a .csv, .jsonl or .json name")
            return
        while (pages is None or len(self.session.pages) < pages) and not self.session.exhausted:
            page = await self._cancellable(self.session.next_page(),
                                           f"fetching page {len(self.session.pages) + 1}")
            if page is None:
                self._say("export cancelled; nothing written")
                return
            if not page:
                break
        self._show_notices()
        chosen = self.session.pages if pages is None else self.session.pages[:pages]
        talents = [t for page in chosen for t in page]
        write_export(Path(path).expanduser(), kind, talents)
        self._say(f"wrote {len(talents)} talents ({len(chosen)} pages) to {path}")

    def _cmd_let(self, argument: str) -> None:
        match = re.match(r"(\S+?)\s*=(.*)\Z", argument, re.DOTALL)
        if not match:
            self._say("usage: \\let NAME = QUERY")
            return
        self._define(match.group(1), match.group(2))

    def _cmd_names(self, argument: str) -> None:
        if not self.scope.lets:
            self._say("no names yet: define one with  let NAME = QUERY")
            return
        width = max(len(n) for n in self.scope.lets)
        for name, text in self.scope.lets.items():
            self._echo(f"${name.ljust(width)}  {text}")

    async def _cmd_load(self, argument: str) -> None:
        if not argument:
            self._say("usage: \\load FILE.tql")
            return
        path = Path(_unquote(argument)).expanduser()
        query = self._load_lets(path)
        if query:
            self._say(f"running the query of {path.name}")
            await self.run_query(query)

    def _cmd_save(self, argument: str) -> None:
        words = argument.split(None, 1)
        if len(words) != 2 or not NAME_RE.fullmatch(words[0]):
            self._say("usage: \\save NAME FILE.tql")
            return
        name, target = words[0], Path(_unquote(words[1])).expanduser()
        if name not in self.scope.lets:
            if not self.query:
                self._say(f"${name} is not defined and no query has run yet")
                return
            problems = self.scope.define(name, self.query)
            if problems:
                self._diagnostics(problems, self.scope.sources(self.query))
                return
            self.checker.forget()
        names = self.scope.closure(name)
        body = "".join(f"let {n} = {self.scope.lets[n]}\n" for n in names)
        text = f"# saved from the TalentQL REPL\n{body}\n${name}\n"
        write_atomically(target, text)
        self._say(f"saved ${name} ({len(names)} let{'s' if len(names) > 1 else ''}) to {target}")

    def _cmd_history(self, argument: str) -> None:
        count = int(argument) if argument.isdigit() else 20
        strings = list(self.prompt.history.get_strings())[-count:]
        for number, entry in enumerate(strings, start=1):
            self._echo(f"{number:4}  " + entry.replace("\n", "\n      "))

    def _cmd_help(self, argument: str) -> None:
        self._echo(help_text())

    # --- lets and imports ---------------------------------------------------------------------------

    def _define(self, name: str, query: str) -> None:
        if not NAME_RE.fullmatch(name):
            self._say(f"{name!r} is not a name: use letters, digits and _, not starting with "
                      "a digit")
            return
        if not query.strip():
            self._say("usage: let NAME = QUERY")
            return
        if name in uses(query):
            self._say(f"${name} cannot use itself")
            return
        redefined = name in self.scope.lets
        problems = self.scope.define(name, query.strip())
        if problems:
            self._diagnostics(problems, self.scope.sources(query.strip()))
            return
        self.checker.forget()
        self._say(f"${name} {'redefined' if redefined else 'defined'}")

    def _import(self, line: str) -> None:
        match = re.match(r'(?i)import\s+"((?:[^"\\]|\\.)*)"\s*\Z', line)
        if not match:
            self._say('usage: import "FILE.tql"')
            return
        self._load_lets(Path(match.group(1)).expanduser(), run=False)

    def _load_lets(self, path: Path, run: bool = True, seen: frozenset[Path] = frozenset()
                   ) -> str | None:
        """Define the lets of a .tql file (and of its imports); return its query text, if any."""
        from talentql.syntax.format import expr  # canonical text of a let's query

        text = path.read_text("utf-8")
        program = self._parse(text, str(path))
        resolved = path.resolve()
        if resolved in seen:
            raise TalentQLError(f"import cycle through {path}")
        defined = 0
        for statement in getattr(program, "statements", ()):
            if hasattr(statement, "expr"):  # a let
                body = expr(statement.expr)
                problems = self.scope.define(statement.name, body)
                if problems:
                    self._diagnostics(problems, {**self.scope.sources(body),
                                                 str(path): text})
                    continue
                defined += 1
            else:  # an import, relative to the importing file
                self._load_lets(path.parent / statement.path, run=False, seen=seen | {resolved})
        self.checker.forget()
        if defined:
            self._say(f"{path.name}: {defined} name{'s' if defined != 1 else ''} defined")
        query = getattr(program, "query", None)
        if query is None or not run:
            return None
        return expr(query)

    def _parse(self, text: str, source: str) -> Any:
        """The file's AST, through the compiler's public ``parse`` (errors as diagnostics)."""
        compiler = self.scope.compiler
        result = compiler.parse(text, source=source) if _takes(compiler.parse, "source") \
            else compiler.parse(text)
        program, diagnostics = result if isinstance(result, tuple) else (result, [])
        errors = [d for d in diagnostics if d.is_error]
        if errors or program is None:
            raise CompileError(errors or diagnostics, {source: text})
        return program

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
        parts.append(self.settings.editing_mode)
        return " │ ".join(parts)

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


_META_HANDLERS: dict[str, Callable[[Repl, str], Any]] = {
    "next": Repl._cmd_next,
    "show": Repl._cmd_show,
    "explain": Repl._cmd_explain,
    "format": Repl._cmd_format,
    "export": Repl._cmd_export,
    "let": Repl._cmd_let,
    "names": Repl._cmd_names,
    "load": Repl._cmd_load,
    "save": Repl._cmd_save,
    "history": Repl._cmd_history,
    "help": Repl._cmd_help,
}

KEYS_HELP = """\
keys:
  Enter          run the query (adds a line while a parenthesis is open)
  Tab            complete: fields, @current/@past/@any, values, $names, commands
  →  / Ctrl-E    accept the grey suggestion from history
  ↑ ↓            walk the history;  Ctrl-R searches it
  Ctrl-C         clear the line; while a search runs, cancel it (pages shown are kept)
  Ctrl-D         leave"""


def help_text() -> str:
    width = max(len(c.usage) for c in meta.COMMANDS)
    lines = ["commands:"]
    for c in meta.COMMANDS:
        also = ", ".join("\\" + a for a in c.aliases)
        alias = f"  (also {also})" if c.aliases else ""
        lines.append(f"  {c.usage.ljust(width)}  {c.summary}{alias}")
    lines.append("  let NAME = QUERY".ljust(width + 2) + "  define $NAME (same as \\let)")
    return "\n".join(lines) + "\n\n" + KEYS_HELP


def write_export(path: Path, kind: str, talents: list[dict[str, Any]]) -> None:
    """Write talents with the project's encoders, atomically (complete or not at all)."""
    enc = encoder(kind)
    out = OutputFile.open(path)
    try:
        out.write(enc.begin() + enc.items(talents, first=True) + enc.end(empty=not talents))
    except BaseException:
        out.discard()
        raise
    out.finish()


def _export_arguments(words: list[str], displayed: int) -> tuple[str | None, int | None]:
    """``FILE [--pages N | --all]`` → (file, pages; None pages means all)."""
    path, pages = None, max(displayed, 1)
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--all":
            pages = None
        elif word == "--pages" and index + 1 < len(words) and words[index + 1].isdigit():
            pages, index = max(int(words[index + 1]), 1), index + 1
        elif word.startswith("--pages=") and word[8:].isdigit():
            pages = max(int(word[8:]), 1)
        elif path is None and not word.startswith("--"):
            path = word
        else:
            return None, None
        index += 1
    return path, pages


def _export_kind(path: str) -> str | None:
    kind = FORMAT_BY_SUFFIX.get(Path(path).suffix.lower())
    return kind if kind != "table" else None


def _pager_command(setting: str) -> str | None:
    if setting in ("off", "never", "none", ""):
        return None
    if setting == "auto":
        return os.environ.get("PAGER") or "less -SRXF"
    return setting


def _sources(error: CompileError, fallback: Mapping[str, str]) -> Mapping[str, str]:
    source = error.source
    return {**fallback, **source} if isinstance(source, dict) else fallback


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


def _takes(function: Any, parameter: str) -> bool:
    import inspect

    try:
        return parameter in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
