"""The REPL's backslash commands, ``let`` and ``import`` lines, as a mixin of ``Repl``.

Each ``\\name`` of the command table (talentql.repl.meta) has one ``_cmd_name`` method here;
``_META_HANDLERS`` maps names to them. Files (\\load, \\save, \\export) are read through the
compiler's public ``parse`` and written atomically with the project's encoders.
"""

from __future__ import annotations

import asyncio
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from talentql.errors import CompileError, TalentQLError
from talentql.export import FORMAT_BY_SUFFIX, OutputFile, encoder, write_atomically
from talentql.repl import meta, render
from talentql.repl.scope import NAME_RE, uses
from talentql.repl.settings import FORMATS


class Commands:
    """What ``Repl`` does for a backslash command, a ``let`` or an ``import`` line."""

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


_META_HANDLERS: dict[str, Callable[[Any, str], Any]] = {
    "next": Commands._cmd_next,
    "show": Commands._cmd_show,
    "explain": Commands._cmd_explain,
    "format": Commands._cmd_format,
    "export": Commands._cmd_export,
    "let": Commands._cmd_let,
    "names": Commands._cmd_names,
    "load": Commands._cmd_load,
    "save": Commands._cmd_save,
    "history": Commands._cmd_history,
    "help": Commands._cmd_help,
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


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _takes(function: Any, parameter: str) -> bool:
    import inspect

    try:
        return parameter in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
