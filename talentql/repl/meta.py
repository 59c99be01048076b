"""The REPL's backslash commands: one table, read by the dispatcher, the completer and ``\\help``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class MetaCommand:
    name: str  # without the backslash
    usage: str
    summary: str
    aliases: tuple[str, ...] = ()
    # What the argument is, for completion: "query", "format", "path", "name", or "" (none).
    argument: str = ""


COMMANDS: tuple[MetaCommand, ...] = (
    MetaCommand("next", "\\next", "show the next page of the current query", ("n",)),
    MetaCommand("show", "\\show N", "show the full profile of row N"),
    MetaCommand("explain", "\\explain [QUERY]", "how a query (default: the current one) is planned",
                argument="query"),
    MetaCommand("format", "\\format FMT", "show pages as table, json, jsonl or csv",
                argument="format"),
    MetaCommand("export", "\\export FILE [--pages N | --all]",
                "write the current query's talents to FILE (.csv, .jsonl or .json)", argument="path"),
    MetaCommand("let", "\\let NAME = QUERY", "name a query; use it as $NAME (plain `let` works too)",
                argument="query"),
    MetaCommand("names", "\\names", "list the names defined with let"),
    MetaCommand("load", "\\load FILE.tql", "read a .tql file's lets; run its query if it has one",
                argument="path"),
    MetaCommand("save", "\\save NAME FILE.tql",
                "write the let NAME (or the current query, as NAME) and what it uses to FILE.tql",
                argument="name"),
    MetaCommand("history", "\\history [N]", "the last N entered lines (default 20)"),
    MetaCommand("help", "\\help", "this list, and the keys", ("h", "?")),
    MetaCommand("quit", "\\quit", "leave (Ctrl-D works too)", ("q", "exit")),
)

BY_NAME: Mapping[str, MetaCommand] = MappingProxyType(
    {name: c for c in COMMANDS for name in (c.name, *c.aliases)}
)


def split(line: str) -> tuple[str, str]:
    """A meta-command line's name and argument text.

    >>> split("\\\\export out.csv --all")
    ('export', 'out.csv --all')
    """
    body = line.strip()[1:]
    name, _, rest = body.partition(" ")
    return name.strip().lower(), rest.strip()
