"""The canonical printer: ``parse(format(q)) == parse(q)`` for every valid ``q``.

Canonical means: canonical field names, ``NOT`` for every negation, juxtaposition for AND, the
fewest parentheses that keep the meaning, values quoted only when they must be, one statement a
line, comments kept (a comment on a statement's last line stays there; others stand on their own
lines before the statement they precede). A long final query breaks at its top-level operators.
"""

from __future__ import annotations

import re

from talentql.errors import CompileError
from talentql.syntax import ast
from talentql.syntax.parser import parse

LINE_WIDTH = 100

# Patterns as strings: `re` compiles (and caches) them on first use, not at import.
_BARE_WORD = r"(?:[^\W_]|\.)[\w.+#&/'-]*"
_COMPARISON = r"(>=|<=|>|<)[0-9]+"
_RESERVED = {"and", "or", "not", "let", "import"}
# The pieces of TQL text, just enough to find comments: strings, comments, words, anything else.
_PIECES = r'"(?:[^"\\]|\\.)*"?|#[^\n]*|[\w.][\w.+#&/\'-]*|[\s\S]'

# Binding strength: a child binding more loosely than its context is parenthesized.
_OR, _AND, _UNARY = 1, 2, 3


def quote(text: str) -> str:
    """A value as written in canonical form: bare when it lexes as one word, else quoted."""
    if (re.fullmatch(_BARE_WORD, text) and text.lower() not in _RESERVED) or re.fullmatch(
            _COMPARISON, text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(value: ast.Value) -> str:
    return quote(value.text)


def _radius(radius: ast.Radius | None) -> str:
    return f"~{radius.text}" if radius is not None else ""


def _field(node) -> str:
    history = f"@{node.history}" if node.history is not None else ""
    return f"{node.field}{history}{'=' if node.exact else ':'}"


def _term(node: ast.Term, strength: int) -> str:
    prefix = "" if node.field is None else _field(node)
    return f"{prefix}{_value(node.value)}{_radius(node.radius)}"


def _group(node: ast.FieldGroup, strength: int) -> str:
    return f"{_field(node)}({expr(node.body, 0)}){_radius(node.radius)}"


def _group_value(node: ast.GroupValue, strength: int) -> str:
    return f"{_value(node.value)}{_radius(node.radius)}"


def _and(node: ast.And, strength: int) -> str:
    text = " ".join(expr(item, _AND) for item in node.items)
    return f"({text})" if strength > _AND else text


def _or(node: ast.Or, strength: int) -> str:
    text = " OR ".join(expr(item, _OR) for item in node.items)
    return f"({text})" if strength > _OR else text


def _not(node: ast.Not, strength: int) -> str:
    return f"NOT {expr(node.operand, _UNARY)}"


def _prefer(node: ast.Prefer, strength: int) -> str:
    return f"?{expr(node.operand, _UNARY)}"


def _var(node: ast.Var, strength: int) -> str:
    return f"${node.name}"


PRINTERS = {
    ast.Term: _term,
    ast.FieldGroup: _group,
    ast.GroupValue: _group_value,
    ast.And: _and,
    ast.Or: _or,
    ast.Not: _not,
    ast.Prefer: _prefer,
    ast.Var: _var,
}


def expr(node, strength: int = 0) -> str:
    """One expression in canonical form, parenthesized as ``strength`` (its context) needs."""
    return PRINTERS[type(node)](node, strength)


def _query_lines(query) -> list[str]:
    text = expr(query)
    if len(text) <= LINE_WIDTH or not isinstance(query, (ast.And, ast.Or)):
        return [text]
    if isinstance(query, ast.Or):
        items = [expr(item, _OR) for item in query.items]
        return [items[0], *(f"OR {item}" for item in items[1:])]
    return [expr(item, _AND) for item in query.items]


def _statement_lines(statement) -> list[str]:
    if isinstance(statement, ast.Let):
        return [f"let {statement.name} = {expr(statement.expr)}"]
    if isinstance(statement, ast.Import):
        return [f"import {quote_path(statement.path)}"]
    return _query_lines(statement)


def quote_path(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def comments(text: str) -> list[tuple[int, int, str]]:
    """Every comment of a TQL text as (offset, line, text), found as the lexer finds them."""
    found = []
    for match in re.finditer(_PIECES, text):
        piece = match.group()
        if piece.startswith("#"):
            found.append((match.start(), text.count("\n", 0, match.start()) + 1, piece.rstrip()))
    return found


def format_program(program: ast.Program, text: str) -> str:
    """Print a parsed program with the comments of its source ``text``."""
    elements = [*program.statements, *([program.query] if program.query is not None else [])]
    pending = comments(text)
    lines: list[str] = []
    last_line = 0  # the source line where the previous element ended
    for element in elements:
        start, end = element.span.line, _end_line(text, element.span.end)
        before = [c for c in pending if c[0] < element.span.start or c[1] <= end]
        trailing = [c for c in before if c[1] == end and c[0] >= element.span.end]
        leading = [c for c in before if c not in trailing]
        pending = [c for c in pending if c not in before]
        first_line = min([start, *(c[1] for c in leading)])
        if lines and _blank_between(text, last_line, first_line):
            lines.append("")
        lines.extend(c[2] for c in leading)
        body = _statement_lines(element)
        if trailing:
            body[-1] += "  " + "  ".join(c[2] for c in trailing)
        lines.extend(body)
        last_line = end
    if pending:
        if lines and _blank_between(text, last_line, pending[0][1]):
            lines.append("")
        lines.extend(c[2] for c in pending)
    return "\n".join(lines) + "\n" if lines else ""


def _end_line(text: str, offset: int) -> int:
    return text.count("\n", 0, max(0, offset - 1)) + 1 if offset else 1


def _blank_between(text: str, after_line: int, before_line: int) -> bool:
    """Whether the source has a blank line between two lines (kept as one blank line)."""
    lines = text.split("\n")
    return any(not lines[i].strip() for i in range(after_line, min(before_line - 1, len(lines))))


def format_source(text: str, source: str = "<query>") -> str:
    """Format TQL text; raises CompileError on a syntax error (nothing is half-formatted)."""
    program, problems = parse(text, source)
    if program is None:
        raise CompileError(problems, {source: text})
    return format_program(program, text)
