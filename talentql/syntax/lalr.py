"""A lean LALR driver over the tables Lark generated from ``grammar/talentql.lark``.

Lark's standalone runtime is general (trees, placeholders, ambiguity, interactive parsing); a
query needs none of it, and compiling a query is on every keystroke of the REPL and in every
tool that embeds the compiler. This driver reads the same tables (``_lalr_tables``), lexes
with the same terminals in the same order per parser state (Lark's contextual lexer), and calls
the same AST builder with the children Lark would pass (anonymous and ``_`` terminals filtered,
``_rules`` spliced, ``?rules`` of one child inlined). Any input it cannot parse is handed to
Lark's own parser, which produces the syntax error: so errors read exactly as before.
"""

from __future__ import annotations

import re
from functools import cache
from operator import itemgetter

from talentql.source import Span
from talentql.syntax import _lalr_tables as generated

SHIFT = 0


class Tok(tuple):
    """A token as the AST builder reads it: ``(text, span)``, by index (``TEXT``, ``SPAN``).

    The fast driver pushes plain ``(text, span)`` pairs (a tuple costs no Python call); this
    subclass adds the terminal and the positions Lark's parser (the syntax-error fallback)
    reads by name.
    """

    __slots__ = ()

    def __new__(cls, type_: str, value: str, span: Span | None):
        return tuple.__new__(cls, (value, span, type_))

    def __str__(self) -> str:
        return self[0]

    value = property(itemgetter(0))
    span = property(itemgetter(1))
    type = property(itemgetter(2))
    start_pos = property(lambda self: self[1].start)
    end_pos = property(lambda self: self[1].end)
    line = property(lambda self: self[1].line)
    column = property(lambda self: self[1].column)
    end_line = property(lambda self: self[1].line + self[0].count("\n"))
    end_column = property(lambda self: self[1].column + len(self[0])
                          if "\n" not in self[0] else len(self[0]) - self[0].rfind("\n"))


TEXT, SPAN = 0, 1  # a token's parts


class Fallback(Exception):
    """The fast path stops here; Lark's parser takes over (and reports the error)."""


class _Splice(list):
    """The children of a ``_rule``, spliced into its parent's children."""


class _Rule:
    __slots__ = ("origin", "size", "keep", "expand1", "callback", "unit", "plain", "extend")

    def __init__(self, origin, size, keep, expand1, callback):
        self.origin = origin
        self.size = size
        self.keep = keep  # ((index, splice?), ...) of the children passed on
        self.expand1 = expand1
        self.callback = callback
        # A ?rule of one symbol: the child stays, only the state changes.
        self.unit = expand1 and size == 1 and keep == ((0, False),)
        # Every child passed on as it is, to a callback: no filtering to do.
        self.plain = (callback is not None and not expand1
                      and keep == tuple((i, False) for i in range(size)))
        # A repetition growing by one item (``__x_star: __x_star _SEP? x``): the index of the
        # item to add to the list built so far (which only this parse holds), or None.
        self.extend = (keep[1][0] if callback is None and not expand1 and len(keep) == 2
                       and keep[0] == (0, True) and not keep[1][1] else None)


class Tables:
    """Parse table, rules and per-state lexers, read once from the generated module."""

    def __init__(self, builder) -> None:
        data, memo = generated.DATA, generated.MEMO
        table = data["parser"]["parser"]
        names = table["tokens"]
        rules: dict[int, _Rule] = {}
        for key, item in memo.items():
            if item.get("__type__") == "Rule":
                rules[key] = self._rule(item, builder)
        # state number → terminal or rule name → the next state (a shift, or a goto after a
        # reduction) or the _Rule to reduce by.
        self.states = [
            {names[token]: rules[arg["@"]] if action != SHIFT else arg
             for token, (action, arg) in table["states"][state].items()}
            for state in range(len(table["states"]))
        ]
        self.start = table["start_states"]["start"]
        self.end = table["end_states"]["start"]
        lexer_conf = data["parser"]["lexer_conf"]
        self.terminals = {}
        for ref in lexer_conf["terminals"]:
            term = memo[ref["@"]]
            pattern = term["pattern"]
            text = pattern["value"] if pattern["__type__"] == "PatternRE" else re.escape(
                pattern["value"])
            flags = "".join(pattern["flags"])
            if flags:
                text = f"(?{flags}:{text})"
            width = pattern.get("_width", [0, len(pattern["value"])])[1]
            self.terminals[term["name"]] = (text, term["priority"], width, len(pattern["value"]))
        self.ignore = tuple(lexer_conf["ignore"])
        # Terminals no rule passes on to the builder (parentheses, AND, OR): no span needed.
        kept = {sym["name"] for item in memo.values() if item.get("__type__") == "Rule"
                for sym in item["expansion"]
                if sym["__type__"] == "Terminal" and not sym.get("filter_out")}
        self.dropped = frozenset(self.terminals) - kept
        self.lexers: dict[int, object] = {}  # state → its lexer's bound ``match``

    @staticmethod
    def _rule(item, builder) -> _Rule:
        origin = item["origin"]["name"]
        expansion = item["expansion"]
        keep = tuple(
            (i, not sym["__type__"] == "Terminal" and sym["name"].startswith("_"))
            for i, sym in enumerate(expansion)
            if not (sym["__type__"] == "Terminal" and sym.get("filter_out"))
        )
        alias = item.get("alias")
        expand1 = item["options"]["expand1"] and not alias
        name = alias or origin
        callback = None if origin.startswith("_") else getattr(builder, name, None)
        return _Rule(origin, len(expansion), keep, expand1, callback)

    def lexer(self, state: int):
        """The ``match`` of one regex for the terminals this state accepts, in Lark's order of
        preference. States that accept the same terminals share it (fewer regexes to compile
        at start)."""
        found = self.lexers.get(state)
        if found is None:
            accepted = [n for n in self.states[state] if n in self.terminals]
            accepted += [n for n in (*self.ignore, "_NL") if n not in accepted]
            accepted.sort(key=lambda n: (-self.terminals[n][1], -self.terminals[n][2],
                                         -self.terminals[n][3], n))
            found = _compile_lexer(tuple((n, self.terminals[n][0]) for n in accepted),
                                   self.terminals.get("WS", ("",))[0]).match
            self.lexers[state] = found
        return found


@cache
def _compile_lexer(terminals: tuple[tuple[str, str], ...], blanks: str) -> re.Pattern:
    # Blanks (the grammar's WS) before a token go in the same match: half the regex calls.
    prefix = f"(?:{blanks})?" if blanks else ""
    return re.compile(prefix + "(?:" + "|".join(f"(?P<{n}>{p})" for n, p in terminals) + ")")


@cache
def tables(builder) -> Tables:
    return Tables(builder)


def parse(text: str, builder, source: str = "<query>") -> object:
    """Parse ``text`` into what the builder makes of it; raises Fallback on any problem.

    One loop lexes a token for the current state (Lark's contextual lexer), then shifts it
    after the reductions it calls for; at the end, "$END" completes the parse. Newlines are
    blanks except at the end of a ``let``/``import`` line outside parentheses, where they end
    the statement (``_NL``); the last line's statement is ended at the end of the text.
    """
    t = tables(builder)
    states, end_state, lexers = t.states, t.end, t.lexers
    ignore, dropped = t.ignore, t.dropped
    state = t.start
    state_stack = [state]
    values: list = []
    pos, line, line_start, size = 0, 1, 0, len(text)
    depth, in_header = 0, False
    while True:
        # -- the next token: (kind, token), None at the end ----------------------------------
        if pos < size:
            match = (lexers.get(state) or t.lexer(state))(text, pos)
            if match is None:
                raise Fallback
            kind = match.lastgroup
            if kind is None:  # trailing blanks
                pos = size
                continue
            start = match.start(kind)
            pos = match.end()
            chunk = text[start:pos]
            emit = kind not in ignore and (kind != "_NL" or (in_header and depth == 0))
            if emit:
                token = (chunk, None if kind in dropped else Span(
                    start, pos, line, start - line_start + 1, source))
                if kind in _LINE_TERMINALS:  # what decides where a let or import ends
                    if kind == "_NL":
                        in_header = False
                    elif kind == "LPAR":
                        depth += 1
                    elif kind == "RPAR":
                        depth = max(0, depth - 1)
                    elif depth == 0:
                        in_header = True
            if "\n" in chunk:
                line += chunk.count("\n")
                line_start = start + chunk.rfind("\n") + 1
            if not emit:
                continue
        elif in_header:  # a let on the last line ends here
            kind, token, in_header = "_NL", ("", None), False
        else:
            kind, token = "$END", None
        # -- reduce as the token calls for, then shift it -----------------------------------
        while True:
            entry = states[state].get(kind)
            if entry is None:
                raise Fallback
            if entry.__class__ is int:  # shift
                if token is None:
                    raise Fallback  # the end cannot be shifted: the input stops too early
                state = entry
                state_stack.append(state)
                values.append(token)
                break
            rule = entry
            if rule.unit:  # a ?rule of one symbol: the child stays, only the state changes
                state = states[state_stack[-2]][rule.origin]
                state_stack[-1] = state
            else:
                size_ = rule.size
                if size_:
                    children = values[-size_:]
                    del values[-size_:]
                    del state_stack[-size_:]
                else:
                    children = []
                if rule.plain:  # every child passed on as it is
                    value = rule.callback(children)
                elif rule.extend is not None:
                    value = children[0]
                    value.append(children[rule.extend])
                else:
                    kept = []
                    for index, splice in rule.keep:
                        if splice:
                            kept.extend(children[index])
                        else:
                            kept.append(children[index])
                    if rule.expand1 and len(kept) == 1:
                        value = kept[0]
                    elif rule.callback is None:
                        value = _Splice(kept)
                    else:
                        value = rule.callback(kept)
                state = states[state_stack[-1]][rule.origin]
                state_stack.append(state)
                values.append(value)
            if token is None and state == end_state:
                return values[-1]


_LINE_TERMINALS = frozenset(("_NL", "LPAR", "RPAR", "LET", "IMPORT"))
