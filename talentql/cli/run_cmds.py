"""``talentql search QUERY`` and ``talentql run FILE.tql``: run a query, print or export talents.

Only argparse at the top: the client, the session and the sandbox load inside the handler.
See docs/running.md for backends, formats, exports, ``--resume`` and exit codes.
"""

from __future__ import annotations

import argparse
import os
import sys

from talentql.cli.options import add_backend_options, add_compile_options, positive_int

FORMATS = ("table", "json", "jsonl", "csv")
STATE_DIR_ENV = "TALENTQL_STATE_DIR"


def register(subparsers: argparse._SubParsersAction) -> None:
    search = subparsers.add_parser(
        "search",
        help="run a query and print talents (first page by default)",
        description="Run a TalentQL query and print the talents it finds.",
        epilog="example: talentql search 'title:\"Product Designer\" location:Paris' --pages 3",
    )
    search.add_argument("query", help="the query, e.g. 'title:Designer location:Paris'")
    _add_options(search)
    search.set_defaults(handler=handle_search)

    run = subparsers.add_parser(
        "run",
        help="run a saved query from a .tql file",
        description="Run the query of a .tql file (or one of its named queries).",
        epilog="example: talentql run designers.tql --query senior --all -o senior.csv",
    )
    run.add_argument("file", help="a .tql file")
    run.add_argument("--query", dest="query_name", metavar="NAME",
                     help="run the named query (a `let`) instead of the file's main query")
    _add_options(run)
    run.set_defaults(handler=handle_run)


def _add_options(parser: argparse.ArgumentParser) -> None:
    amount = parser.add_argument_group("how many talents").add_mutually_exclusive_group()
    amount.add_argument("--pages", type=positive_int, metavar="N", help="pages of 10 (default 1)")
    amount.add_argument("--limit", type=positive_int, metavar="N", help="at most N talents")
    amount.add_argument("--all", action="store_true", help="every talent the query finds")

    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=FORMATS,
                     help="default: table on a terminal, jsonl on a pipe; for --output, "
                          "from the file's extension (.csv, .json, .jsonl)")
    out.add_argument("--output", "-o", metavar="FILE",
                     help="write to FILE (atomically: complete or not at all)")
    out.add_argument("--resume", action="store_true",
                     help="go on from where the same command stopped (an interrupted export, "
                          "or the next pages)")

    add_backend_options(parser)
    add_compile_options(parser)


def handle_search(args: argparse.Namespace) -> int:
    return run_command(args, query=args.query)


def handle_run(args: argparse.Namespace) -> int:
    return run_command(args, file=args.file, query_name=args.query_name)


# --- Running (heavy imports stay inside the functions) -------------------------------------------


def run_command(
    args: argparse.Namespace, *, query: str | None = None, file: str | None = None,
    query_name: str | None = None,
) -> int:
    """Compile, choose the backend, run the session, write the talents; the exit status."""
    import asyncio

    from talentql.backends import backend_identity, open_backend
    from talentql.errors import ExitCode, UsageError

    if args.api_url and (args.size or args.seed is not None):
        raise UsageError("--size and --seed choose a sandbox pool; they do not go with --api-url")
    plan, text = _compile(args, query=query, file=file, query_name=query_name)
    backend = open_backend(
        api_url=args.api_url, sandbox=args.sandbox, size=args.size, seed=args.seed
    )
    _info(f"backend: {backend.label}")
    if (args.size or args.seed is not None) and not args.sandbox and backend_identity(
        backend
    ).startswith("http:"):
        _info("note: --size/--seed apply to the sandbox only (a key is set); add --sandbox")
    _print_warnings(plan, text)

    fmt = _format(args)
    run = _Run(args, plan, backend, fmt, source=query if query is not None else
               f"file:{os.path.abspath(file or '')}#{query_name or ''}")
    try:
        asyncio.run(run.drive())
    except KeyboardInterrupt:
        _info(f"talentql: interrupted after {run.written} talents; "
              "run the same command with --resume to go on")
        return ExitCode.INTERRUPTED
    return ExitCode.OK


def _compile(args, *, query, file, query_name):
    import talentql
    from talentql.cli.options import read_text

    options = {"engine": args.engine, "ranges": args.ranges, "max_searches": args.max_searches}
    if file is None:
        return (talentql.compile(query, source="<query>", base_dir=os.getcwd(), **options),
                {"<query>": query})
    text = read_text(file)  # a clear message (exit 1) for a missing or unreadable file
    return talentql.compile_file(file, query_name=query_name, **options), {file: text}


def _print_warnings(plan, sources) -> None:
    if plan.warnings:
        from talentql.cli.output import print_diagnostics

        print_diagnostics(plan.warnings, sources)


def _format(args: argparse.Namespace) -> str:
    from talentql.export import FORMAT_BY_SUFFIX

    if args.format:
        return args.format
    if args.output and args.output != "-":
        return FORMAT_BY_SUFFIX.get(os.path.splitext(args.output)[1].lower(), "jsonl")
    return "table" if sys.stdout.isatty() else "jsonl"


def _info(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def state_dir():
    """Where saved sessions live: ``TALENTQL_STATE_DIR``, else the XDG state directory."""
    from pathlib import Path

    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_state_dir("talentql")) / "sessions"


class _Run:
    """One run of a command: a session feeding an encoder, checkpointed after every page."""

    def __init__(self, args, plan, backend, fmt: str, *, source: str) -> None:
        import hashlib
        import json

        from talentql.backends import backend_identity

        self.args, self.plan, self.backend, self.fmt = args, plan, backend, fmt
        self.to_file = bool(args.output and args.output != "-")
        self.output_path = os.path.abspath(args.output) if self.to_file else "-"
        key = json.dumps({
            "source": source, "engine": args.engine, "ranges": args.ranges,
            "max_searches": args.max_searches, "format": fmt, "output": self.output_path,
            "backend": backend_identity(backend),
        }, sort_keys=True)
        self.state_path = state_dir() / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".json")
        self.query_text = source
        self.written = 0  # talents written to the destination (a file: over every resumed run)
        self.session = None
        self.progress = sys.stderr.isatty()

    def _remaining(self, written_here: int, pages_here: int) -> tuple[int | None, int | None]:
        """(talents still wanted, pages still wanted); None means no bound. A file counts what
        it holds over resumed runs; stdout counts this run (``--resume`` prints the next pages)."""
        if self.args.all:
            return None, None
        if self.args.limit:
            return self.args.limit - (self.written if self.to_file else written_here), None
        pages = self.args.pages or 1
        return None, pages - (self.pages_in_file if self.to_file else pages_here)

    async def drive(self) -> None:
        from talentql import engine
        from talentql.errors import ApiError
        from talentql.session import Session

        state = self._load_state() if self.args.resume else None
        if self.args.resume and state is None:
            _info("resume: no saved session for this command; starting from the beginning")
        offset = None
        if state and self.to_file:
            offset = int(state.get("output", {}).get("offset", 0))
            if not self._part_holds(offset):
                _info("resume: the partial output file is gone or shorter than saved; "
                      "starting from the beginning")
                state = None
        self.pages_in_file = 0
        if state:
            try:
                self.session = Session.from_state(state["session"], self.backend)
            except (ValueError, KeyError, TypeError):
                _info("resume: the saved session is not usable; starting from the beginning")
                state, offset = None, None
        if state:
            if self.to_file:  # the file goes on; stdout starts a new stream
                self.written = int(state["output"].get("written", 0))
                self.pages_in_file = int(state["output"].get("pages", 0))
            _info(f"resume: going on after {self.session.delivered} talents "
                  f"({self.session.calls} API calls so far)")
        else:
            self.session = Session(self.plan, self.backend, query=self.query_text)
        client = getattr(self.backend, "client", None)
        if self.progress and client is not None:
            client.on_retry = self._show_retry
        out = self._open(offset if state else None)
        enc = self._encoder()
        fresh = not (state and self.to_file)
        written_here = pages_here = 0
        try:
            if fresh:
                out.write(enc.begin())
            while True:
                limit, pages_left = self._remaining(written_here, pages_here)
                if (limit is not None and limit <= 0) or (pages_left is not None
                                                          and pages_left <= 0):
                    break
                self._progress(f"fetching page {self.session.pages_delivered + 1}…")
                size = min(limit, engine.PAGE_SIZE) if limit is not None else engine.PAGE_SIZE
                page = await self.session.next_page(size)
                self._progress(None)  # clear the line before talents reach the same terminal
                if not page:
                    break
                out.write(enc.items(page, first=self.written == 0))
                self.written += len(page)
                written_here += len(page)
                pages_here += 1
                self.pages_in_file += 1
                self._save_state(out.checkpoint())
            self._progress(None)
            out.write(enc.end(empty=self.written == 0))
            self._finish(out)
        except ApiError:
            self._progress(None)
            self._abandon(out)
            if self.written:
                _info(f"talentql: stopped after {self.written} talents; "
                      "fix the problem and run the same command with --resume to go on")
            raise
        except OSError as error:  # the disk is full, the file went away...
            if isinstance(error, BrokenPipeError):
                self._abandon(out)
                raise
            self._progress(None)
            self._abandon(out)
            from talentql.errors import TalentQLError

            raise TalentQLError(
                f"cannot write {self.args.output or 'the output'}: {error.strerror or error}",
                hint="fix it and run the same command with --resume to go on",
            ) from None
        except BaseException:  # cancelled (Ctrl-C): the last checkpoint is the saved state
            self._progress(None)
            self._abandon(out)
            raise
        finally:
            await self.backend.aclose()
        self._summary()

    # --- Destination ---------------------------------------------------------------------------

    def _open(self, offset):
        from talentql.export import OutputFile

        if self.to_file:
            try:
                return OutputFile.open(self.output_path, resume_at=offset)
            except OSError as error:
                from talentql.errors import UsageError

                raise UsageError(f"cannot write {self.args.output}: "
                                 f"{error.strerror or error}") from None
        return _Stdout()

    def _part_holds(self, offset: int) -> bool:
        from pathlib import Path

        from talentql.export import part_path

        part = part_path(Path(self.output_path))
        return part.exists() and part.stat().st_size >= offset

    def _encoder(self):
        from talentql.export import encoder

        if self.fmt == "table":
            import shutil

            from talentql.cli.output import use_color

            width = shutil.get_terminal_size((100, 24)).columns if not self.to_file else 200
            return encoder("table", width=width, color=not self.to_file and use_color(sys.stdout))
        return encoder(self.fmt)

    def _finish(self, out) -> None:
        if self.to_file:
            out.finish()
            self._drop_state()
        else:
            out.checkpoint()
            if self.session.exhausted:
                self._drop_state()

    def _abandon(self, out) -> None:
        if self.to_file:
            out.abandon()

    # --- Saved state (written atomically after every page) --------------------------------------

    def _save_state(self, offset: int) -> None:
        import json

        from talentql.export import write_atomically

        state = {
            "session": self.session.to_state(),
            "output": {"path": self.output_path, "offset": offset, "written": self.written,
                       "pages": self.pages_in_file, "format": self.fmt},
        }
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.state_path, json.dumps(state))

    def _load_state(self):
        import json

        try:
            state = json.loads(self.state_path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            _info(f"resume: the saved session {self.state_path} is unreadable; starting afresh")
            return None
        if not isinstance(state, dict) or "session" not in state:
            return None
        return state

    def _drop_state(self) -> None:
        self.state_path.unlink(missing_ok=True)

    # --- People-facing lines on stderr ----------------------------------------------------------

    def _progress(self, message: str | None) -> None:
        if not self.progress:
            return
        line = "" if message is None else f"{message}  {self.written} talents · " \
            f"{self.session.calls} API calls"
        sys.stderr.write("\r\x1b[K" + line)
        sys.stderr.flush()

    def _show_retry(self, error, wait: float) -> None:
        reason = error.code or (f"HTTP {error.status}" if error.status else "no answer")
        self._progress(f"retrying in {wait:.1f}s ({reason})…")

    def _summary(self) -> None:
        s = self.session
        for notice in s.notices:
            _info(f"note: {notice}")
        estimate = s.estimate
        if estimate is None:
            about = ""
        else:
            from talentql import engine

            plus = "+" if estimate >= engine.ESTIMATION_CAP else ""
            about = f" · about {estimate:,}{plus} match"
        where = f" to {self.args.output}" if self.to_file else ""
        more = "" if s.exhausted else " · more with --resume (or --pages N / --all)"
        if self.written == 0 and s.exhausted:
            _info(f"no talent matches this query · {s.calls} API calls")
            return
        _info(f"{self.written:,} talents{where} · {s.calls} API calls{about}"
              f"{more if not self.to_file else ''}")


class _Stdout:
    """stdout with the OutputFile interface (nothing to rename; flushed every page)."""

    def write(self, text: str) -> None:
        if text:
            sys.stdout.write(text)

    def checkpoint(self) -> int:
        sys.stdout.flush()
        return 0
