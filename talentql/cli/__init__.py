"""The ``talentql`` command line.

Each command lives in a small module of this package that exposes ``register(subparsers)``; the
module imports only argparse at the top and does its heavy imports (httpx, prompt-toolkit, the
sandbox) inside the handler, so ``--version`` and ``--help`` answer at once.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import argparse

# One module per group of commands; each exposes register(subparsers).
COMMAND_MODULES = (
    "talentql.cli.compile_cmds",
    "talentql.cli.repl_cmd",
    "talentql.cli.run_cmds",
    "talentql.cli.sandbox_cmds",
)

EPILOG = """\
exit status: 0 success, 1 invalid query or file, 2 usage, 3 service or network failure,
4 authentication, 130 interrupted.

Without KALENT_API_KEY (or api_key in the config file) queries run on the embedded sandbox.
Docs: README.md and docs/ in the project."""


def build_parser() -> argparse.ArgumentParser:
    import argparse
    import importlib

    from talentql._version import __version__

    parser = argparse.ArgumentParser(
        prog="talentql",
        description="TalentQL: write talent searches as queries, compile them, run them.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"talentql {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # the fastest path: no argparse, no command modules
        from talentql._version import __version__

        print(f"talentql {__version__}")
        return 0
    parser = build_parser()
    if not args_list:
        args_list = ["repl"] if "repl" in parser._subparsers._group_actions[0].choices else ["--help"]  # type: ignore[union-attr]
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
