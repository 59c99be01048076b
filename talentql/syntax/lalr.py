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

from talentql.syntax import _lalr_tables as generated

SHIFT = 0


class Tok:
    """A token: what the AST builder reads of Lark's ``Token`` (type, text, position)."""

    __slots__ = ("type", "value", "start_pos", "end_pos", "line", "column", "end_line",
                 "end_column")

    def __init__(self, type_, value, start, end, line, column, end_line, end_column):
        self.type = type_
        self.value = value
        self.start_pos = start
        self.end_pos = end
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def __str__(self) -> str:
        return self.value


class Fallback(Exception):
    """The fast path stops here; Lark's parser takes over (and reports the error)."""


class _Splice(list):
    """The children of a ``_rule``, spliced into its parent's children."""


class _Rule:
    __slots__ = ("origin", "size", "keep", "expand1", "callback", "unit", "plain")

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
        self.states = {
            state: {names[token]: (action, rules[arg["@"]] if action != SHIFT else arg)
                    for token, (action, arg) in actions.items()}
            for state, actions in table["states"].items()
        }
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
        self._lexers: dict[int, re.Pattern] = {}

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

    def lexer(self, state: int) -> re.Pattern:
        """One regex for the terminals this state accepts, in Lark's order of preference.

        States that accept the same terminals share it (fewer regexes to compile at start)."""
        found = self._lexers.get(state)
        if found is None:
            accepted = [n for n in self.states[state] if n in self.terminals]
            accepted += [n for n in (*self.ignore, "_NL") if n not in accepted]
            accepted.sort(key=lambda n: (-self.terminals[n][1], -self.terminals[n][2],
                                         -self.terminals[n][3], n))
            found = _compile_lexer(tuple((n, self.terminals[n][0]) for n in accepted),
                                   self.terminals.get("WS", ("",))[0])
            self._lexers[state] = found
        return found


@cache
def _compile_lexer(terminals: tuple[tuple[str, str], ...], blanks: str) -> re.Pattern:
    # Blanks (the grammar's WS) before a token go in the same match: half the regex calls.
    prefix = f"(?:{blanks})?" if blanks else ""
    return re.compile(prefix + "(?:" + "|".join(f"(?P<{n}>{p})" for n, p in terminals) + ")")


@cache
def tables(builder) -> Tables:
    return Tables(builder)


def parse(text: str, builder) -> object:
    """Parse ``text`` into what the builder makes of it; raises Fallback on any problem."""
    t = tables(builder)
    states, ignore = t.states, t.ignore
    state_stack = [t.start]
    values: list = []
    pos, line, line_start, size = 0, 1, 0, len(text)
    depth, in_header = 0, False  # `let` lines end at a newline outside parentheses

    end_state = t.end

    def feed(kind, token, is_end=False) -> None:
        while True:
            try:
                action, arg = states[state_stack[-1]][kind]
            except KeyError:
                raise Fallback from None
            if action == SHIFT:
                if is_end:
                    raise Fallback
                state_stack.append(arg)
                values.append(token)
                return
            rule = arg
            if rule.unit:  # a ?rule of one symbol: the child stays, only the state changes
                del state_stack[-1]
                state_stack.append(states[state_stack[-1]][rule.origin][1])
                if is_end and state_stack[-1] == end_state:
                    return
                continue
            size = rule.size
            if size:
                children = values[-size:]
                del values[-size:]
                del state_stack[-size:]
            else:
                children = []
            if rule.plain:
                value = rule.callback(children)
                state_stack.append(states[state_stack[-1]][rule.origin][1])
                values.append(value)
                if is_end and state_stack[-1] == end_state:
                    return
                continue
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
            state_stack.append(states[state_stack[-1]][rule.origin][1])
            values.append(value)
            if is_end and state_stack[-1] == end_state:
                return

    last = None
    while pos < size:
        match = t.lexer(state_stack[-1]).match(text, pos)
        if match is None:
            raise Fallback
        kind = match.lastgroup
        if kind is None:  # trailing blanks
            break
        pos = match.start(kind)
        end = match.end()
        chunk = match.group(kind)
        token = None
        if kind not in ignore and (kind != "_NL" or (in_header and depth == 0)):
            token = Tok(kind, chunk, pos, end, line, pos - line_start + 1, line, 0)
        newlines = chunk.count("\n")
        if newlines:
            line += newlines
            line_start = pos + chunk.rfind("\n") + 1
        if token is not None:
            token.end_line, token.end_column = line, end - line_start + 1
            if kind == "_NL":
                in_header = False
            elif kind in ("LET", "IMPORT") and depth == 0:
                in_header = True
            elif kind == "LPAR":
                depth += 1
            elif kind == "RPAR":
                depth = max(0, depth - 1)
            feed(kind, token)
            last = token
        pos = end
    if in_header and last is not None:
        feed("_NL", Tok("_NL", "", last.end_pos, last.end_pos, last.end_line, last.end_column,
                        last.end_line, last.end_column))
    feed("$END", None, is_end=True)
    return values[-1]
