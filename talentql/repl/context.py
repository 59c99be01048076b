"""What the text before the cursor asks for: a field, a value, a modifier, a name, a command.

Pure functions over text, no prompt_toolkit, so the completer is testable by value and the
multi-line rule (Enter inserts a newline while a parenthesis is open) shares the same scanner.

    >>> at("title:Designer comp").kind
    'term'
    >>> at("industry:soft").field
    'industry'
    >>> at("company@pa").kind
    'history'

The scanner mirrors the grammar's tokens (grammar/talentql.lark) only as far as completion needs:
strings, comments, parentheses, ``field:`` tokens and runs of other characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds of completion context.
TERM = "term"  # a new term: field names, $names, operators
VALUE = "value"  # the value of a field (closed fields have known values)
HISTORY = "history"  # after `field@`
RADIUS = "radius"  # after `location:Paris~`
NAME = "name"  # after `$`
COMMAND = "command"  # after `\` at the start of the line
ARGUMENT = "argument"  # the argument of a backslash command (see meta.MetaCommand.argument)
NONE = "none"  # in a comment, a free-text string, after `let` …

_SCAN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*(?:"|\\?$))
  | (?P<comment>\#[^\n]*)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<field>[^\W\d]\w*(?:@[^\s:=()"]*)?[:=])
  | (?P<chunk>[^\s()"]+)
    """,
    re.VERBOSE,
)
_FIELD_PARTS = re.compile(r"([^\W\d]\w*)(?:@([^\s:=()\"]*))?([:=])")
_HISTORY_PARTIAL = re.compile(r"([^\W\d]\w*)@(\w*)")
_PREFIXES = "-!+?"


@dataclass(frozen=True)
class Token:
    kind: str  # ws, string, comment, open, close, field, chunk
    text: str
    start: int


@dataclass(frozen=True)
class Context:
    """The completion context at the cursor.

    ``partial`` is the text the completion replaces (it ends at the cursor); ``field`` the field
    name as written, for VALUE / HISTORY / RADIUS; ``quoted`` when the value has an open quote.
    """

    kind: str
    partial: str = ""
    field: str | None = None
    quoted: bool = False
    argument: str = ""  # for ARGUMENT: what the command takes
    command: str = ""  # for ARGUMENT: the command's name


def scan(text: str) -> list[Token]:
    """The text's tokens, with their offsets (every character belongs to one token)."""
    return [Token(m.lastgroup or "chunk", m.group(), m.start()) for m in _SCAN.finditer(text)]


def open_parens(text: str) -> int:
    """How many parentheses are open at the end of ``text`` (strings and comments ignored).

    >>> open_parens('title:("a (b" OR')
    1
    """
    depth = 0
    for token in scan(text):
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth = max(0, depth - 1)
    return depth


def at(text_before_cursor: str) -> Context:
    """The completion context for the text before the cursor."""
    if text_before_cursor.lstrip().startswith("\\"):
        return _meta_context(text_before_cursor.lstrip())
    stripped = text_before_cursor.lstrip()
    let = re.match(r"(?i)let\s+[A-Za-z_]\w*\s*=", stripped)
    if let:  # `let name = query`: the query part completes like any query
        return at(stripped[let.end():])
    if re.fullmatch(r"(?i)let\s+\w*|let\s+\w+\s*|import\s.*", stripped):
        return Context(NONE)
    return _query_context(scan(text_before_cursor))


def _meta_context(line: str) -> Context:
    from talentql.repl import meta

    if " " not in line:
        return Context(COMMAND, partial=line)
    name, rest = meta.split(line)
    command = meta.BY_NAME.get(name)
    if command is None:
        return Context(NONE)
    if command.argument == "query":
        if command.name == "let":
            match = re.match(r"[A-Za-z_]\w*\s*=", rest)
            return at(rest[match.end():]) if match else Context(NONE)
        return at(rest)
    if command.argument == "path" or (command.argument == "name" and " " in rest):
        return Context(ARGUMENT, partial=line.rsplit(" ", 1)[-1], argument="path",
                       command=command.name)
    if command.argument:
        return Context(ARGUMENT, partial=line.rsplit(" ", 1)[-1], argument=command.argument,
                       command=command.name)
    return Context(NONE)


def _query_context(tokens: list[Token]) -> Context:
    if not tokens:
        return Context(TERM)
    last = tokens[-1]
    previous = _previous_significant(tokens)
    field_before = _field_name(previous) if previous is not None else None
    group_field = _group_field(tokens)
    if last.kind == "comment":
        return Context(NONE)
    if last.kind == "string":
        if last.text.endswith('"') and len(last.text) > 1 and not last.text.endswith('\\"'):
            return Context(NONE)  # a closed string: the cursor stands right after it
        owner = field_before or group_field
        return Context(VALUE, partial=last.text, field=owner, quoted=True) if owner else Context(NONE)
    if last.kind in ("ws", "open", "close"):
        if last.kind == "ws" and previous is not None and previous.kind == "field":
            return Context(VALUE, field=_field_name(previous))  # `title: ` takes its value next
        if last.kind == "open" and previous is not None and previous.kind == "field":
            return Context(VALUE, field=_field_name(previous))
        if group_field and last.kind != "close":
            return Context(VALUE, field=group_field)
        return Context(TERM)
    if last.kind == "field":
        return Context(VALUE, field=_field_name(last))
    # A chunk: what kind depends on what it starts with and what stands before it.
    chunk = last.text
    adjacent_field = tokens[-2] if len(tokens) >= 2 and tokens[-2].kind == "field" else None
    if chunk.startswith("~") and len(tokens) >= 3 and tokens[-2].kind == "string" \
            and tokens[-3].kind == "field":
        adjacent_field = tokens[-3]  # `location:"Paris, France"~50km`
    owner = _field_name(adjacent_field) if adjacent_field else None
    if owner is None and previous is not None and previous.kind == "field" and tokens[-2].kind == "ws":
        owner = _field_name(previous)  # `title: Des`
    owner = owner or group_field
    if "~" in chunk and owner is not None:
        return Context(RADIUS, partial=chunk[chunk.index("~"):], field=owner)
    if owner is not None:
        return Context(VALUE, partial=chunk.lstrip(_PREFIXES) if group_field else chunk,
                       field=owner)
    bare = chunk.lstrip(_PREFIXES)
    if bare.startswith("$"):
        return Context(NAME, partial=bare)
    history = _HISTORY_PARTIAL.fullmatch(bare)
    if history:
        return Context(HISTORY, partial="@" + history.group(2), field=history.group(1))
    return Context(TERM, partial=bare)


def _group_field(tokens: list[Token]) -> str | None:
    """The field whose group the end of ``tokens`` stands in: ``company:(Google OR (M`` →
    ``company``; None outside a field group (a plain ``(…)`` groups terms, not values)."""
    stack: list[str | None] = []
    previous: Token | None = None
    for token in tokens:
        if token.kind == "open":
            opened_by_field = previous is not None and previous.kind == "field"
            stack.append(_field_name(previous) if opened_by_field else
                         (stack[-1] if stack else None))
        elif token.kind == "close" and stack:
            stack.pop()
        if token.kind != "ws":
            previous = token
    return stack[-1] if stack else None


def _previous_significant(tokens: list[Token]) -> Token | None:
    """The last non-blank token before the last token."""
    for token in reversed(tokens[:-1]):
        if token.kind != "ws":
            return token
    return None


def _field_name(token: Token | None) -> str | None:
    if token is None or token.kind != "field":
        return None
    match = _FIELD_PARTS.fullmatch(token.text)
    return match.group(1) if match else None
