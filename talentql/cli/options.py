"""Command-line options and inputs shared by the commands that compile queries."""

from __future__ import annotations

import argparse
import os
import sys

from talentql import engine


def whole_number(text: str, *, least: int = 0, most: int | None = None) -> int:
    """An argparse type: a whole number within bounds (``1,000`` and ``1_000`` are accepted)."""
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < least or (most is not None and value > most):
        bounds = f"from {least} to {most}" if most is not None else f"of at least {least}"
        raise argparse.ArgumentTypeError(f"expected a number {bounds}, got {value}")
    return value


def positive_int(text: str) -> int:
    return whole_number(text, least=1)


def natural_int(text: str) -> int:
    return whole_number(text, least=0)


def port(text: str) -> int:
    return whole_number(text, least=0, most=65535)


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """--api-url | --sandbox, and the sandbox pool's --size/--seed (docs/running.md)."""
    backend = parser.add_argument_group("backend")
    where = backend.add_mutually_exclusive_group()
    where.add_argument("--api-url", metavar="URL",
                       help="API base URL (requests go to URL/v1/search/talents)")
    where.add_argument("--sandbox", action="store_true", help="use the embedded sandbox")
    backend.add_argument("--size", type=positive_int, metavar="N", help="sandbox pool size")
    backend.add_argument("--seed", type=natural_int, metavar="N", help="sandbox pool seed")


def add_compile_options(parser: argparse.ArgumentParser) -> None:
    """--engine, --ranges, --max-searches: the compiler's options (LANGUAGE.md §5)."""
    group = parser.add_argument_group("compiler")
    group.add_argument("--engine", choices=engine.ENGINE_MODELS, default=engine.DEFAULT_ENGINE,
                       help="what one search can express (default: %(default)s)")
    group.add_argument("--ranges", choices=engine.RANGE_MODES, default=engine.DEFAULT_RANGES,
                       help="years as API buckets or free min-max ranges (default: %(default)s)")
    group.add_argument("--max-searches", type=positive_int, default=engine.DEFAULT_MAX_SEARCHES,
                       metavar="N", help="refuse plans of more searches (default: %(default)s)")


def compile_options(args: argparse.Namespace):
    from talentql.plan import Options

    return Options(args.engine, args.ranges, args.max_searches)


def read_text(path: str) -> str:
    """A file's text, or a clear error (exit 1) — never a traceback."""
    from talentql.errors import TalentQLError

    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise TalentQLError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise TalentQLError(f"{path} is a directory, not a .tql file") from None
    except UnicodeDecodeError as error:
        raise TalentQLError(f"{path} is not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise TalentQLError(f"cannot read {path}: {error.strerror or error}") from None


def read_query_input(args: argparse.Namespace) -> tuple[str, str, str]:
    """(text, source name, directory imports are relative to) from QUERY or -f FILE."""
    from talentql.errors import UsageError

    if args.file and args.query:
        raise UsageError("give a QUERY or -f FILE, not both")
    if args.file:
        if args.file == "-":
            return sys.stdin.read(), "<stdin>", os.getcwd()
        return read_text(args.file), args.file, os.path.dirname(os.path.abspath(args.file))
    if args.query is None:
        raise UsageError("give a QUERY (in quotes) or -f FILE; see --help")
    if args.query == "-":
        return sys.stdin.read(), "<stdin>", os.getcwd()
    if args.query_name:
        raise UsageError("--query NAME names a let of a file; use it with -f FILE")
    return args.query, "<query>", os.getcwd()
