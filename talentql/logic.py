"""The checked query as a boolean formula over atoms: what the planner plans and oracles evaluate.

The checker turns the AST into this form: names resolved, field groups distributed, values
normalized to what the API is sent, preferences set apart. An ``Atom`` is one condition the API
can test with one filter (a range is one atom with bounds; the planner buckets it).
"""

from __future__ import annotations

from dataclasses import field

from talentql.compiled import Filter
from talentql.source import Span
from talentql.value import frozen_value


@frozen_value
class Atom:
    """One testable condition: a filter type and a normalized value, with its modifiers.

    Atoms are hashed and compared a great deal while planning, so their identity (every field
    but the value as written, the span and the order) is computed once.
    """

    filter_type: str
    # The value as sent (ranges: "low-high" or "low+"). Two fuzzy values that differ only in case
    # or spacing are the same condition, so equality goes by ``key``, not by ``value``.
    value: str = field(compare=False)
    exact: bool = False
    history: str | None = None  # the API's spelling, JOB_TITLE and COMPANY_NAME only
    radius: int | None = None  # km, LOCATION only
    low: int | None = None  # ranges (yoe, tenure, size): inclusive lower bound
    high: int | None = None  # inclusive upper bound; None means no upper bound
    # Where the atom was first written, and its position among all atoms (for output order).
    span: Span | None = field(default=None, compare=False, repr=False)
    order: int = field(default=0, compare=False, repr=False)
    key: str = ""  # derived from value: casefolded for fuzzy values, as written for exact ones

    def __init__(self, filter_type: str, value: str, exact: bool = False, history: str | None = None,
                 radius: int | None = None, low: int | None = None, high: int | None = None,
                 span: Span | None = None, order: int = 0, key: str = "") -> None:
        # Written by hand, not generated: atoms are built for every term of every query, and
        # their identity is computed here at once (frozen_value checks the parameters).
        if not key:
            if exact:
                key = value
            else:
                words = value.split()
                key = (words[0] if len(words) == 1 else " ".join(words)).casefold()
        identity = (filter_type, key, exact, history, radius, low, high)
        d = self.__dict__
        d["filter_type"] = filter_type
        d["value"] = value
        d["exact"] = exact
        d["history"] = history
        d["radius"] = radius
        d["low"] = low
        d["high"] = high
        d["span"] = span
        d["order"] = order
        d["key"] = key
        d["_identity"] = identity
        d["_hash"] = hash(identity)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Atom) and self._identity == other._identity  # type: ignore

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]

    @property
    def is_range(self) -> bool:
        return self.low is not None

    def to_filter(self, required: bool = True, excluded: bool = False) -> Filter:
        """This atom as one filter object. A range atom is sent as ``"low-high"`` (free form)."""
        value = self.value
        if self.low is not None:
            value = f"{self.low}+" if self.high is None else f"{self.low}-{self.high}"
        return Filter(self.filter_type, value, required, excluded, self.exact, self.radius,
                      self.history)


@frozen_value
class Not:
    """The operand does not hold."""

    operand: Formula


@frozen_value
class And:
    """Every item holds; ``And(())`` is true."""

    items: tuple[Formula, ...]


@frozen_value
class Or:
    """Some item holds; ``Or(())`` is false."""

    items: tuple[Formula, ...]


Formula = Atom | Not | And | Or

TRUE = And(())  # the empty conjunction
FALSE = Or(())  # the empty disjunction


def evaluate(formula: Formula, truth) -> bool:
    """Evaluate ``formula`` with ``truth(atom) -> bool`` giving each atom's value."""
    if isinstance(formula, Atom):
        return bool(truth(formula))
    if isinstance(formula, Not):
        return not evaluate(formula.operand, truth)
    if isinstance(formula, And):
        return all(evaluate(item, truth) for item in formula.items)
    return any(evaluate(item, truth) for item in formula.items)


def atoms(formula: Formula) -> list[Atom]:
    """The distinct atoms of a formula, in order of first appearance."""
    seen: dict[Atom, None] = {}

    def walk(node: Formula) -> None:
        if isinstance(node, Atom):
            seen.setdefault(node, None)
        elif isinstance(node, Not):
            walk(node.operand)
        else:
            for item in node.items:
                walk(item)

    walk(formula)
    return list(seen)
