"""``talentql repl`` (and plain ``talentql``): the interactive REPL.

Only argparse at the top: prompt_toolkit, the compiler and the backend load inside the handler,
and the backend (the sandbox pool) only when the first query runs. See docs/repl.md.
"""

from __future__ import annotations

import argparse

from talentql.cli.options import add_backend_options, add_compile_options

FORMATS = ("table", "json", "jsonl", "csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    repl = subparsers.add_parser(
        "repl",
        help="the interactive REPL (also what `talentql` alone starts)",
        description="Type queries with highlighting, completion and live errors; run them and "
                    "page through the talents. \\help inside lists the commands.",
        epilog="example: talentql repl --vi --sandbox",
    )
    mode = repl.add_mutually_exclusive_group()
    mode.add_argument("--vi", dest="editing_mode", action="store_const", const="vi",
                      help="vi editing keys (default: emacs, or [repl] editing_mode)")
    mode.add_argument("--emacs", dest="editing_mode", action="store_const", const="emacs",
                      help="emacs editing keys")
    repl.add_argument("--format", "-f", choices=FORMATS,
                      help="how pages are shown (default: table, or [repl] format)")
    add_backend_options(repl)
    add_compile_options(repl)
    repl.set_defaults(handler=handle_repl)


def handle_repl(args: argparse.Namespace) -> int:
    import asyncio
    import sys
    from dataclasses import replace

    from talentql.config import load_config
    from talentql.errors import UsageError
    from talentql.repl import settings as repl_settings

    if not sys.stdin.isatty():
        raise UsageError("the REPL needs a terminal",
                         hint="to run a query from a script, use: talentql search QUERY")
    settings = repl_settings.load()
    if args.editing_mode:
        settings = replace(settings, editing_mode=args.editing_mode)
    if args.format:
        settings = replace(settings, format=args.format)
    config = load_config()  # a bad config (e.g. a key file others can read) stops us here

    from talentql.repl.app import Repl, ReplOptions

    def open_it():
        from talentql.backends import open_backend

        return open_backend(api_url=args.api_url, sandbox=args.sandbox, size=args.size,
                            seed=args.seed, config=config)

    uses_service = not args.sandbox and bool(config.api_key or args.api_url or config.api_url)
    url = args.api_url or config.api_url
    planned = (f"the API at {url}" if url else "the Kalent API") if uses_service else "sandbox"
    secrets = (config.api_key.reveal(),) if config.api_key else ()
    options = ReplOptions(
        settings=settings,
        open_backend=open_it,
        planned_backend=planned,
        secrets=secrets,
        compile_options={"engine": args.engine, "ranges": args.ranges,
                         "max_searches": args.max_searches},
    )
    return asyncio.run(Repl(options).run())
