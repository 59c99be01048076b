"""``compile``, ``explain``, ``fmt`` and ``check``: the compiler's commands. No network here."""

from __future__ import annotations

import argparse
import sys

from talentql.cli.options import add_compile_options, compile_options, read_query_input
from talentql.errors import ExitCode


def register(subparsers: argparse._SubParsersAction) -> None:
    compile_ = subparsers.add_parser(
        "compile", help="print the plan of a query as JSON",
        description="Compile a query (or a .tql file) and print its plan as JSON: the request "
        "bodies, one per search, and the warnings. Diagnostics go to stderr (exit 1).")
    _add_input(compile_)
    add_compile_options(compile_)
    compile_.add_argument("--compact", action="store_true", help="one line of JSON")
    compile_.set_defaults(handler=run_compile)

    explain = subparsers.add_parser(
        "explain", help="explain a query's plan for people",
        description="Show the canonical query, the normalized formula, each search with its "
        "filters, what one page costs in API calls, and the warnings.")
    _add_input(explain)
    add_compile_options(explain)
    explain.set_defaults(handler=run_explain)

    fmt = subparsers.add_parser(
        "fmt", help="format .tql files canonically",
        description="Rewrite .tql files in canonical form (in place, atomically). "
        "'-' formats standard input to standard output.")
    fmt.add_argument("files", nargs="+", metavar="FILE")
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="change nothing; exit 1 if a file is not formatted")
    mode.add_argument("--diff", action="store_true", help="change nothing; print a diff")
    fmt.set_defaults(handler=run_fmt)

    check = subparsers.add_parser(
        "check", help="report the diagnostics of .tql files",
        description="Check .tql files: every error and warning; exit 1 if any file has an error. "
        "A file without a final query (a library of lets) is checked let by let.")
    check.add_argument("files", nargs="+", metavar="FILE")
    add_compile_options(check)
    check.set_defaults(handler=run_check)


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", metavar="QUERY",
                        help="the query text ('-' reads standard input)")
    parser.add_argument("-f", "--file", metavar="FILE", help="a .tql file instead of QUERY")
    parser.add_argument("--query", dest="query_name", metavar="NAME",
                        help="compile the let NAME of the file instead of its final query")


def _analysis_and_plan(args):
    import talentql
    from talentql.errors import CompileError
    from talentql.plan import plan

    text, source, base_dir = read_query_input(args)
    analysis = talentql.analyze(text, source=source, query_name=args.query_name,
                                base_dir=base_dir)
    if analysis.errors:
        raise CompileError(analysis.diagnostics, analysis.sources)
    return analysis, plan(analysis, compile_options(args)), text


def run_compile(args) -> int:
    import json

    from talentql.cli.output import print_diagnostics

    analysis, plan, _ = _analysis_and_plan(args)
    if sys.stderr.isatty():
        print_diagnostics(plan.warnings, analysis.sources)
    print(json.dumps(plan.to_json(), ensure_ascii=False, indent=None if args.compact else 2))
    return ExitCode.OK


def run_explain(args) -> int:
    from talentql.explain import explain
    from talentql.syntax.format import format_program

    analysis, plan, text = _analysis_and_plan(args)
    canonical = format_program(analysis.program, text) if analysis.program else text
    if args.query_name:  # the let may come from an import: show its formula then
        from talentql.explain import formula_text
        from talentql.syntax.format import expr

        own = [s for s in analysis.program.lets if s.name == args.query_name]
        canonical = expr(own[0].expr) if own else formula_text(analysis.formula)
    print(explain(analysis, plan, canonical))
    return ExitCode.OK


def run_fmt(args) -> int:
    import difflib

    from talentql.cli.output import info, print_diagnostics
    from talentql.errors import CompileError, UsageError
    from talentql.cli.options import read_text
    from talentql.export import write_atomically
    from talentql.syntax.format import format_source

    status = ExitCode.OK
    unformatted = []
    for name in args.files:
        text = sys.stdin.read() if name == "-" else read_text(name)
        try:
            formatted = format_source(text, "<stdin>" if name == "-" else name)
        except CompileError as error:
            print_diagnostics(error.diagnostics, error.source or {})
            status = ExitCode.INVALID
            continue
        if name == "-":
            if args.check or args.diff:
                raise UsageError("--check and --diff take files, not standard input")
            sys.stdout.write(formatted)
            continue
        if formatted == text:
            continue
        unformatted.append(name)
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                text.splitlines(True), formatted.splitlines(True), f"{name} (original)",
                f"{name} (formatted)"))
        elif not args.check:
            write_atomically(name, formatted)
            info(f"formatted {name}")
    if args.check and unformatted:
        for name in unformatted:
            info(f"would reformat {name}")
        info(f"{len(unformatted)} file(s) would be reformatted; run: talentql fmt "
             + " ".join(unformatted))
        return ExitCode.INVALID
    return status


def run_check(args) -> int:
    import talentql
    from talentql.cli.output import print_diagnostics
    from talentql.errors import CompileError
    from talentql.cli.options import read_text
    from talentql.plan import plan

    options = compile_options(args)
    errors = warnings = 0
    for name in args.files:
        text = read_text(name)
        base = talentql.analyze(text, source=name, loader=talentql.file_loader("."))
        found = list(base.diagnostics)
        if base.program is not None and base.program.query is None and base.program.lets:
            found = [d for d in found if d.code != "empty-query"]
            names = [let.name for let in base.program.lets]
        else:
            names = [None]
        if not any(d.is_error for d in found):
            for query_name in names:
                analysis = talentql.analyze(text, source=name, query_name=query_name,
                                            loader=talentql.file_loader("."))
                try:
                    found.extend(plan(analysis, options).warnings)
                except CompileError as error:
                    found.extend(error.diagnostics)
        found = list({(d.code, d.message, d.span.source, d.span.start): d for d in found}.values())
        print_diagnostics(found, base.sources)
        file_errors = sum(d.is_error for d in found)
        errors += file_errors
        warnings += len(found) - file_errors
        mark = "error" if file_errors else "ok"
        print(f"{name}: {mark} ({file_errors} error(s), {len(found) - file_errors} warning(s))")
    return ExitCode.INVALID if errors else ExitCode.OK
