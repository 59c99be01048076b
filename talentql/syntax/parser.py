"""Text → AST. The grammar is ``grammar/talentql.lark``.

A Lark LALR parser with a contextual lexer builds the AST directly while parsing (no parse tree
is built first). The parser is Lark's standalone module generated from the grammar
(``_lalr_parser.py``, see ``generate.py``), so starting it costs no grammar analysis. Syntax errors
become ``syntax`` diagnostics in words: Lark's terminal names never reach a user.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import cache

from talentql import fields
from talentql.diagnostics import Diagnostic
from talentql.source import Span
from talentql.syntax import ast, lalr
from talentql.syntax.lalr import SPAN, TEXT

# Lark's own runtime (talentql.syntax._lalr_parser) is imported only to report a syntax error:
# valid queries never load it (see lalr.py).
TYPE_CHECKING = False  # typing is not imported at run time: start-up (benchmarks/)
if TYPE_CHECKING:
    from talentql.syntax._lalr_parser import Token

# What each terminal is, in words, for error messages.
TERMINAL_WORDS = {
    "VALUE": "a value",
    "FIELD": "a field like title:",
    "VAR": "a $name",
    "NAME": "a name",
    "LPAR": "'('",
    "RPAR": "')'",
    "EQUAL": "'='",
    "RADIUS": "a radius like ~50km",
    "_AND": "AND",
    "_OR": "OR",
    "NOT_WORD": "NOT",
    "NOT_SIGN": "'-' or '!'",
    "PLUS": "'+'",
    "QMARK": "'?'",
    "LET": "let",
    "IMPORT": "import",
    "_NL": "the end of the line",
    "$END": "the end of the query",
}
# The few terminal groups worth naming when many are possible.
_VALUE_START = {"VALUE"}
_TERM_START = {"VALUE", "FIELD", "VAR", "LPAR", "NOT_WORD", "NOT_SIGN", "QMARK"}

# Patterns as strings: `re` compiles (and caches) them on first use, not at import.
_ESCAPE = r"\\(.)"
_SPACES = r"\s+"


class SyntaxProblem(Exception):
    """A syntax error found while building the AST (an escape the language does not have)."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


class _HeaderLines:
    """Post-lexer: a ``let``/``import`` ends at its line's end unless a parenthesis is open.

    Newlines elsewhere are whitespace, so they are dropped here; an end of statement is also
    emitted at the end of the input when the last line is a ``let``.
    """

    always_accept = ("_NL",)

    def process(self, stream):
        """Lark's tokens, as the fast parser's ``Tok`` (so the builder reads one kind)."""
        source = _current.get()[1]
        depth = 0
        in_header = False
        last = None
        for token in stream:
            kind = token.type
            if kind == "_NL":
                if in_header and depth == 0:
                    in_header = False
                    yield _tok_of(token, source)
                continue
            if kind in ("LET", "IMPORT") and depth == 0:
                in_header = True
            elif kind == "LPAR":
                depth += 1
            elif kind == "RPAR":
                depth = max(0, depth - 1)
            last = token
            yield _tok_of(token, source)
        if in_header and last is not None:
            yield lalr.Tok("_NL", "", Span(last.end_pos, last.end_pos, last.end_line,
                                           last.end_column, source))


def _tok_of(token: Token, source: str) -> lalr.Tok:
    return lalr.Tok(token.type, str(token), Span(token.start_pos, token.end_pos, token.line,
                                                 token.column, source))


# The source being parsed; the builder is shared by every parse, so it reads these per call.
_current: ContextVar[tuple[str, str]] = ContextVar("talentql_parse_source", default=("", "<query>"))


class _Builder:
    """Builds AST nodes as the parser reduces rules: one method per rule or alias of the grammar,
    called with the rule's children (Lark's inline transformation)."""

    @property
    def text(self) -> str:
        return _current.get()[0]

    @property
    def source(self) -> str:
        return _current.get()[1]

    # -- program -------------------------------------------------------------------------------
    def start(self, children):
        if len(children) == 1 and not isinstance(children[0], (ast.Let, ast.Import)):
            return ast.Program((), children[0])  # the common case: a query alone
        statements = tuple(c for c in children if isinstance(c, (ast.Let, ast.Import)))
        rest = [c for c in children if not isinstance(c, (ast.Let, ast.Import))]
        return ast.Program(statements, rest[-1] if rest else None)

    def let_stmt(self, children):
        let, name, expr = children
        return ast.Let(name[TEXT], expr, _spanning(let[SPAN], expr.span), name[SPAN])

    def import_stmt(self, children):
        keyword, path = children
        if not path[TEXT].startswith('"'):
            raise SyntaxProblem("an import takes a quoted path, like import \"exclusions.tql\"",
                                path[SPAN])
        return ast.Import(self._unquote(path), _spanning(keyword[SPAN], path[SPAN]))

    # -- boolean structure ---------------------------------------------------------------------
    def _flat(self, cls, items):
        flat: list = []
        for item in items:
            flat.extend(item.items if isinstance(item, cls) else (item,))
        if len(flat) == 1:
            return flat[0]
        return cls(tuple(flat), _spanning(flat[0].span, flat[-1].span))  # items in source order

    def expr(self, items):  # an OR
        return self._flat(ast.Or, items)

    def and_expr(self, items):
        return self._flat(ast.And, items)

    gexpr = expr  # the same rules inside a field group
    gand = and_expr

    def not_(self, children):
        sign, operand = children
        return ast.Not(operand, _spanning(sign[SPAN], operand.span))

    g_not = not_

    def required(self, children):  # `+x` is a no-op kept for Lucene habits
        return children[1]

    g_required = required

    def preference(self, children):
        sign, operand = children
        return ast.Prefer(operand, _spanning(sign[SPAN], operand.span))

    g_preference = preference

    def var(self, children):
        (token,) = children
        return ast.Var(token[TEXT][1:], token[SPAN])

    # -- terms ---------------------------------------------------------------------------------
    @staticmethod
    def _field(token: lalr.Tok):
        """(canonical name, name as written, exact?, history) of a FIELD token."""
        text = token[TEXT]
        found = _FIELD_TOKENS.get(text)
        if found is None:
            found = _read_field(text)
            if len(_FIELD_TOKENS) < 512:  # a few spellings of 17 fields, kept
                _FIELD_TOKENS[text] = found
        return found

    def field_term(self, children):
        token = children[0]
        value = self.value(children[1])
        radius = self.radius(children[2]) if len(children) > 2 else None
        name, written, exact, history = self._field(token)
        span = _spanning(token[SPAN], (radius or value).span)
        return ast.Term(name, value, exact, history, radius, span, written)

    def field_group(self, children):
        token, body, *rest = children
        radius = self.radius(rest[0]) if rest else None
        name, written, exact, history = self._field(token)
        close = self._closing_paren(body.span.end)
        end = radius.span.end if radius else close
        start = token[SPAN]
        span = Span(start.start, end, start.line, start.column, start.source)
        if isinstance(body, ast.GroupValue):  # title:(A) is title:A
            return ast.Term(name, body.value, exact, history, body.radius or radius, span,
                            written)
        return ast.FieldGroup(name, body, exact, history, radius, span, written)

    def _closing_paren(self, offset: int) -> int:
        """The offset just past the ')' that closes a group whose body ends at ``offset``
        (the parser drops the parenthesis tokens; blanks and comments may stand before it)."""
        text = self.text
        while offset < len(text):
            char = text[offset]
            if char == ")":
                return offset + 1
            if char == "#":
                newline = text.find("\n", offset)
                offset = len(text) if newline < 0 else newline
            else:
                offset += 1
        return offset

    def keyword_term(self, children):
        value = self.value(children[0])
        if len(children) == 1:
            return ast.Term(None, value, False, None, None, value.span)
        radius = self.radius(children[1])
        return ast.Term(None, value, False, None, radius, _spanning(value.span, radius.span))

    def g_value(self, children):
        value = self.value(children[0])
        if len(children) == 1:
            return ast.GroupValue(value, None, value.span)
        radius = self.radius(children[1])
        return ast.GroupValue(value, radius, _spanning(value.span, radius.span))

    def value(self, token: lalr.Tok) -> ast.Value:
        """A VALUE token: a quoted string, a comparison (>=5) or a bare word."""
        text, span = token[TEXT], token[SPAN]
        first = text[:1]
        if first == '"':
            return ast.Value(_collapse(self._unquote(token) if "\\" in text else text[1:-1]),
                             True, span)
        if first in "<>":
            return ast.Value(re.sub(_SPACES, "", text), False, span)
        return ast.Value(text, False, span)

    def radius(self, token: lalr.Tok) -> ast.Radius:
        return ast.Radius(token[TEXT][1:], token[SPAN])

    def _unquote(self, token: lalr.Tok) -> str:
        body = token[TEXT][1:-1]

        def escape(match: re.Match) -> str:
            char = match.group(1)
            if char in '"\\':
                return char
            start = token[SPAN].start + 1 + match.start()
            raise SyntaxProblem(
                f"unknown escape '\\{char}' in a quoted value; only \\\" and \\\\ are escapes",
                Span.at(self.text, start, start + 2, self.source),
            )

        return re.sub(_ESCAPE, escape, body, flags=re.S)


_FIELD_TOKENS: dict[str, tuple] = {}


def _read_field(text: str) -> tuple:
    head, op = text[:-1], text[-1]
    name, _, history = head.partition("@")
    known = fields.FIELDS_BY_NAME.get(name.lower())
    return (known.name if known else name.lower(), name, op == "=",
            history.lower() if "@" in head else None)


def _spanning(first: Span, last: Span) -> Span:
    """From the start of ``first`` to the end of ``last``, which comes after it."""
    return Span(first.start, last.end, first.line, first.column, first.source)


def _collapse(text: str) -> str:
    """Trimmed, each run of blanks as one space (str.split and regex ``\\s`` agree on blanks)."""
    return " ".join(text.split())


@cache
def _builder() -> _Builder:
    return _Builder()


@cache
def _parser():
    from talentql.syntax._lalr_parser import Lark_StandAlone

    return Lark_StandAlone(transformer=_builder(), postlex=_HeaderLines())


def parse(text: str, source: str = "<query>") -> tuple[ast.Program | None, list[Diagnostic]]:
    """Parse TQL text into a Program, or report the first syntax error as a diagnostic.

    >>> program, problems = parse('title:"Product Designer" location:Paris~50km')
    >>> program.query.items[1].radius.text
    '50km'
    """
    token = _current.set((text, source))
    try:
        try:
            return lalr.parse(text, _builder(), source), []
        except lalr.Fallback:  # not a valid query: Lark's parser says why, in its own terms
            return _parse_with_lark(text, source)
        except SyntaxProblem as problem:
            return None, [Diagnostic("syntax", problem.message, problem.span)]
    finally:
        _current.reset(token)


def _parse_with_lark(text: str, source: str) -> tuple[ast.Program | None, list[Diagnostic]]:
    from talentql.syntax._lalr_parser import UnexpectedInput

    try:
        return _parser().parse(text), []
    except SyntaxProblem as problem:
        return None, [Diagnostic("syntax", problem.message, problem.span)]
    except UnexpectedInput as error:
        return None, [_syntax_diagnostic(error, text, source)]


# --- Syntax errors in words ------------------------------------------------------------------


def _syntax_diagnostic(error, text: str, source: str) -> Diagnostic:
    from talentql.syntax._lalr_parser import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(error, text, source)
    if isinstance(error, UnexpectedToken):
        token = error.token
        expected = _expected(error.expected if hasattr(error, "expected") else set())
        if token.type == "$END" or token.type == "_NL" and not str(token):
            end = len(text.rstrip())
            span = Span.at(text, max(0, end - 1), end, source) if end else Span.at(text, 0, 0, source)
            return Diagnostic("syntax", f"the query ends too early: expected {expected}", span)
        span = Span.at(text, token.start_pos, token.end_pos, source)
        what = _describe_token(token)
        message = f"unexpected {what}; expected {expected}"
        hint = None
        if token.type == "RPAR":
            message = f"unexpected ')': no '(' is open here; expected {expected}"
        elif token.type == "_NL":
            message = f"unexpected end of line; expected {expected}"
        elif token.type in ("_AND", "_OR") or token.type == "NOT_WORD":
            hint = f"to search for the word {str(token)!r}, quote it: \"{token}\""
        elif token.type == "LET" or re.match(_LET_LINE, _line_before(text, token.start_pos)):
            message = "a 'let' must come before the final query"
            hint = "move the let above the query, or quote \"let\" to search for the word"
        return Diagnostic("syntax", message, span, hint)
    if isinstance(error, UnexpectedEOF):
        end = len(text)
        return Diagnostic("syntax", f"the query ends too early: expected "
                          f"{_expected(error.expected)}", Span.at(text, max(0, end - 1), end, source))
    return Diagnostic("syntax", "invalid query", Span.at(text, 0, 1, source))


def _unexpected_character(error, text: str, source: str) -> Diagnostic:
    pos = error.pos_in_stream
    char = text[pos] if pos < len(text) else ""
    span = Span.at(text, pos, pos + 1, source)
    if char == '"':
        return Diagnostic("syntax", "this quoted value has no closing '\"'", span,
                          'close it with ", and write \\" for a quote inside')
    if char in "-!?+":
        return Diagnostic("syntax", f"'{char}' must be followed directly by what it applies to, "
                          "with no space", span)
    if char in ":=@" and pos > 0 and text[pos - 1].isspace():
        return Diagnostic("syntax", f"no space may stand before '{char}'", span,
                          "write field:value, e.g. title:Designer")
    if char in ":=@":
        return Diagnostic("syntax", f"unexpected '{char}': expected a field name before it", span)
    if char == "$":
        return Diagnostic("syntax", "'$' must be followed by a name, like $designers", span)
    if char == "~":
        return Diagnostic("syntax", "a radius must follow a value, like Paris~50km", span)
    shown = repr(char) if char.strip() else "whitespace"
    allowed = getattr(error, "allowed", None) or set()
    return Diagnostic("syntax", f"unexpected character {shown}; expected {_expected(allowed)}", span)


_LET_LINE = r"(?i)^\s*let\s+[A-Za-z_]\w*\s*$"


def _line_before(text: str, offset: int) -> str:
    return text[text.rfind("\n", 0, offset) + 1:offset]


def _describe_token(token) -> str:
    words = {"RPAR": "')'", "LPAR": "'('", "$END": "end of the query", "_NL": "end of line"}
    if token.type in words:
        return words[token.type]
    if token.type in ("_AND", "_OR", "NOT_WORD"):
        return f"operator {str(token)!r}"
    if token.type == "FIELD":
        return f"field {str(token)!r}"
    return repr(str(token))


def _expected(names) -> str:
    names = set(names)
    parts: list[str] = []
    if _TERM_START <= names:
        parts.append("a term (a value, field:value, $name or '(')")
        names -= _TERM_START
    elif _VALUE_START <= names:
        parts.append("a value")
        names -= _VALUE_START
    skip = {"_NL", "PLUS", "_AND", "NOT_SIGN", "QMARK", "NOT_WORD"} if parts else set()
    for name in sorted(names - skip, key=lambda n: (n == "$END", n)):
        words = TERMINAL_WORDS.get(name)
        if words and words not in parts:
            parts.append(words)
    if not parts:
        return "something else"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
