"""A Pygments lexer for TalentQL (LANGUAGE.md §1), for ``pygmentize -l tql`` and the REPL.

Regex-based and forgiving: it colours any text, broken or not (the checker reports problems, the
lexer only paints). The token rules mirror the grammar's terminals (grammar/talentql.lark).

    >>> from pygments import highlight
    >>> from pygments.formatters import NullFormatter
    >>> highlight('title:"Product Designer" -company:Google', TQLLexer(), NullFormatter())
    'title:"Product Designer" -company:Google\\n'

Only Pygments is imported here (the REPL imports this module directly, no plugin scan).
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

# What may follow the first character of a bare word (LANGUAGE.md §1): letters, digits, . + # & / ' _ -
_WORD_TAIL = r"[\w.+#&/'-]"
# An operator word ends where a bare word could not go on (so `Android` and `ORM` stay words).
_END = rf"(?!{_WORD_TAIL})"


class TQLLexer(RegexLexer):
    """Lexer for TalentQL queries and ``.tql`` files.

    Token types: fields ``Name.Attribute``, ``@history`` ``Name.Decorator``, ``:``/``=``/``~``
    and boolean operators ``Operator``/``Operator.Word``, values ``Name.Other``/``String.Double``,
    ranges and radii ``Number``, ``$names`` ``Name.Variable``, ``let``/``import`` ``Keyword``,
    comments ``Comment.Single``, characters no rule accepts ``Error``.
    """

    name = "TalentQL"
    aliases = ["tql", "talentql"]
    filenames = ["*.tql"]
    mimetypes = ["text/x-talentql"]
    url = "https://github.com/talentql/talentql"

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            # `#` starts a comment only where a token starts (`skill:C#` is a value).
            (r"#[^\n]*", Comment.Single),
            (
                r"(?i)(let)(\s+)([A-Za-z_]\w*)(\s*)(=)",
                bygroups(Keyword.Declaration, Whitespace, Name.Variable, Whitespace, Operator),
            ),
            (r"(?i)(import)(?=\s)", Keyword.Namespace),
            (r"\$[A-Za-z_]\w*", Name.Variable),
            (r"\$", Error),
            (rf"(?i)(?:and|or){_END}", Operator.Word),
            (rf"(?i)not{_END}", Operator.Word),
            (r"&&|\|\|", Operator),
            # Prefixes bind to what follows directly: `-company:Google`, `?skill:Figma`.
            (r"[-!+?](?=[^\s)])", Operator),
            # A field and its operator are one token: `title:`, `title=`, `company@past:`.
            (
                r"([^\W\d]\w*)(@[^\s:=()\"]*)?([:=])",
                bygroups(Name.Attribute, Name.Decorator, Operator),
            ),
            (r'"', String.Double, "string"),
            (r"(>=|<=|>|<)(\s*)([0-9]+)", bygroups(Operator, Whitespace, Number.Integer)),
            # Ranges and buckets: 5-10, 3..5, 10001+, 2019 (before bare words, which they resemble).
            (rf"\d+(?:-|\.\.)\d+{_END}", Number.Integer),
            (rf"\d+\+{_END}", Number.Integer),
            (rf"\d+{_END}", Number.Integer),
            (r"(~)([^\s()]*)", bygroups(Operator, Number.Integer)),
            (r"[()]", Punctuation),
            # A bare word: starts with a letter (any script), a digit or `.`.
            (rf"(?:[^\W_]|\.){_WORD_TAIL}*", Name.Other),
            (r".", Error),
        ],
        "string": [
            (r'[^"\\\n]+', String.Double),
            (r"\n", String.Double),
            (r'\\["\\]', String.Escape),
            (r"\\.?", Error),  # any other escape is a syntax error (LANGUAGE.md §1)
            (r'"', String.Double, "#pop"),
        ],
    }


__all__ = ["TQLLexer"]
