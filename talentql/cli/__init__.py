"""The ``talentql`` command line.

Each command lives in a small module of this package that exposes ``register(subparsers)``; the
module imports only argparse at the top and does its heavy imports (httpx, prompt-toolkit, the
sandbox) inside the handler, so ``--version`` and ``--help`` answer at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

TYPE_CHECKING = False  # typing is not imported at run time: start-up (benchmarks/)
if TYPE_CHECKING:
    import argparse

# One module per group of commands; each exposes register(subparsers).
COMMAND_MODULES = (
    "talentql.cli.compile_cmds",
    "talentql.cli.repl_cmd",
    "talentql.cli.run_cmds",
    "talentql.cli.sandbox_cmds",
)

# The commands each module registers, so that `talentql compile ...` imports only its own module
# (cold start). A command missing here still works: every module is then loaded.
COMMANDS = {
    "compile": "talentql.cli.compile_cmds",
    "explain": "talentql.cli.compile_cmds",
    "fmt": "talentql.cli.compile_cmds",
    "check": "talentql.cli.compile_cmds",
    "repl": "talentql.cli.repl_cmd",
    "search": "talentql.cli.run_cmds",
    "run": "talentql.cli.run_cmds",
    "sandbox": "talentql.cli.sandbox_cmds",
}

EPILOG = """\
exit status: 0 success, 1 invalid query or file, 2 usage, 3 service or network failure,
4 authentication, 130 interrupted.

Without KALENT_API_KEY (or api_key in the config file) queries run on the embedded sandbox.
Docs: README.md and docs/ in the project."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``command``, only the module that registers it is imported."""
    import argparse
    import importlib

    from talentql._version import __version__

    class Formatter(argparse.RawDescriptionHelpFormatter):
        # argparse imports shutil (and with it bz2, lzma, zlib) only to learn the width: ask os.
        def __init__(self, prog: str, **kwargs) -> None:
            try:
                width = os.get_terminal_size(sys.stdout.fileno()).columns - 2
            except (OSError, ValueError, AttributeError):
                width = int(os.environ.get("COLUMNS", 80)) - 2
            super().__init__(prog, width=kwargs.pop("width", None) or max(40, width), **kwargs)

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args, formatter_class=Formatter, **kwargs) -> None:
            super().__init__(*args, formatter_class=formatter_class, **kwargs)

    parser = Parser(
        prog="talentql",
        description="TalentQL: write talent searches as queries, compile them, run them.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"talentql {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    modules = [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # the fastest path: no argparse, no command modules
        from talentql._version import __version__

        print(f"talentql {__version__}")
        return 0
    args_list = args_list or ["repl"]  # no command: the REPL (CLI.md)
    parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return int(exit_.code or 0)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return run_handler(handler, args)


def run_handler(handler, args: argparse.Namespace) -> int:
    """Run one command, turning every failure into a message and an exit status."""
    from talentql.errors import CompileError, ExitCode, TalentQLError

    try:
        return int(handler(args) or 0)
    except CompileError as error:
        from talentql.cli.output import print_diagnostics

        print_diagnostics(error.diagnostics, error.source or {})
        return error.exit_code
    except TalentQLError as error:
        print(f"talentql: error: {error.render()}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("talentql: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`talentql ... | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except Exception as error:  # a bug: say so in words, never a traceback
        if os.environ.get("TALENTQL_DEBUG"):
            raise
        print(
            f"talentql: internal error: {type(error).__name__}: {error}\n"
            "  this is a bug in TalentQL; run with TALENTQL_DEBUG=1 for details and report it",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL
