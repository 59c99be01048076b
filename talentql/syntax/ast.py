"""The TQL syntax tree: frozen dataclasses, each node with its source span.

Spans (and how a value was quoted) do not take part in equality, so two parses of the same query
written differently compare equal — ``parse(format(q)) == parse(q)`` is a one-line test.

The parser normalizes what has no meaning of its own: ``+x`` is ``x``, nested ANDs and ORs are
flattened, and a field group of one value is a plain term (``title:(A)`` is ``title:A``).
Field names are stored in their canonical spelling when the field is known.
"""

from __future__ import annotations

from dataclasses import field

from talentql.source import Span
from talentql.value import frozen_value

_NO_SPAN = Span(0, 0, 1, 1)


class _NamesAField:
    """A node that starts with ``field:`` (a term or a field group)."""

    @property
    def field_span(self) -> Span:
        """Where the field's name is written: the start of the span (for diagnostics)."""
        span = self.span  # type: ignore[attr-defined]
        return Span(span.start, span.start + len(self.field_text or ""),  # type: ignore[attr-defined]
                    span.line, span.column, span.source)


def _span() -> Span:
    return field(default=_NO_SPAN, compare=False, repr=False)


@frozen_value
class Value:
    """A value as written: a bare word or a quoted string (trimmed, inner spaces collapsed)."""

    text: str
    quoted: bool = field(default=False, compare=False)
    span: Span = _span()


@frozen_value
class Radius:
    """``~50km``: the text after the tilde, read by the checker (``50km``, ``10mi``, ``25``)."""

    text: str
    span: Span = _span()


@frozen_value
class Term(_NamesAField):
    """``field:value``, ``field=value``, ``field@past:value``, ``location:Paris~50km``.

    ``field`` is None for a bare value (a KEYWORD). ``field_text`` is the name as written.
    """

    field: str | None
    value: Value
    exact: bool = False
    history: str | None = None
    radius: Radius | None = None
    span: Span = _span()
    field_text: str | None = field(default=None, compare=False, repr=False)


@frozen_value
class GroupValue:
    """One value inside a field group, with its own radius if it has one."""

    value: Value
    radius: Radius | None = None
    span: Span = _span()


@frozen_value
class FieldGroup(_NamesAField):
    """``company:(Google OR Meta)``: the field distributes over the values of the group."""

    field: str
    body: GroupExpr
    exact: bool = False
    history: str | None = None
    radius: Radius | None = None
    span: Span = _span()
    field_text: str | None = field(default=None, compare=False, repr=False)


@frozen_value
class And:
    """Every item holds (explicit AND or juxtaposition)."""

    items: tuple[Node, ...]
    span: Span = _span()


@frozen_value
class Or:
    """At least one item holds."""

    items: tuple[Node, ...]
    span: Span = _span()


@frozen_value
class Not:
    """``NOT x``, ``-x``, ``!x``."""

    operand: Node
    span: Span = _span()


@frozen_value
class Prefer:
    """``?x``: a preference, which ranks and does not filter."""

    operand: Node
    span: Span = _span()


@frozen_value
class Var:
    """``$name``: a use of a ``let``."""

    name: str
    span: Span = _span()


@frozen_value
class Let:
    """``let name = query``."""

    name: str
    expr: Expr
    span: Span = _span()
    name_span: Span = _span()


@frozen_value
class Import:
    """``import "path"``: brings that file's lets into scope."""

    path: str
    span: Span = _span()


@frozen_value
class Program:
    """A query or a ``.tql`` file: lets and imports, then at most one final query."""

    statements: tuple[Let | Import, ...] = ()
    query: Expr | None = None

    @property
    def lets(self) -> tuple[Let, ...]:
        return tuple(s for s in self.statements if isinstance(s, Let))

    @property
    def imports(self) -> tuple[Import, ...]:
        return tuple(s for s in self.statements if isinstance(s, Import))


Expr = Term | FieldGroup | And | Or | Not | Prefer | Var
GroupExpr = GroupValue | And | Or | Not | Prefer
Node = Expr | GroupValue
