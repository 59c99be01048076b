"""What one search can express, under each engine model (LANGUAGE.md §5).

A ``Conj`` is a search before it is written as filters: required atoms, excluded atoms, and sets
of alternatives (an OR of values within one family). ``normalize`` makes a conjunction
expressible under a model (splitting it where it is not); ``simplify`` drops duplicates and
absorbed searches and merges pairs that one search can express.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from collections.abc import Iterable

from talentql import engine
from talentql.fields import FIELDS, Kind
from talentql.logic import Atom
from talentql.ranges import IntervalSet
from talentql.value import frozen_value

RANGE_TYPES = frozenset(f.filter_type for f in FIELDS if f.kind.is_range)
# The values a range field can hold: a search's range conditions are intersected within these.
DOMAIN = {
    f.filter_type: IntervalSet.of(engine.YEARS_MIN, engine.YEARS_MAX) if f.kind is Kind.YEARS
    else IntervalSet.of(engine.SIZE_MIN, None)
    for f in FIELDS if f.kind.is_range
}
BUCKETS = {
    f.filter_type: engine.YEAR_BUCKETS if f.kind is Kind.YEARS else engine.SIZE_BUCKETS
    for f in FIELDS if f.kind.is_range
}

@frozen_value
class EngineModel:
    """What one search can express. ``alternatives``: an OR of values within one family."""

    name: str
    alternatives: bool


MODELS = {"gate": EngineModel("gate", True), "strict": EngineModel("strict", False)}
# --- Conjunctions one search can express ------------------------------------------------------


@frozen_value
class Conj:
    """A search before it is written as filters: required, excluded, and OR'd alternatives.

    ``alts`` holds sets of two or more atoms of one family, at least one of which must match.
    """

    pos: frozenset[Atom] = frozenset()
    neg: frozenset[Atom] = frozenset()
    alts: frozenset[frozenset[Atom]] = frozenset()

    def atoms(self) -> set[Atom]:
        return {*self.pos, *self.neg, *(a for alt in self.alts for a in alt)}

    def cost(self) -> int:
        return len(self.pos) + len(self.neg) + sum(len(alt) for alt in self.alts)

    def positive_part(self, family: str) -> frozenset:
        """The positive clauses of one family: its required atoms and its alternative sets."""
        return frozenset(
            [a for a in self.pos if a.filter_type == family]
            + [alt for alt in self.alts if family_of(alt) == family]
        )

    def without_positive(self, family: str) -> Conj:
        return Conj(
            frozenset(a for a in self.pos if a.filter_type != family),
            self.neg,
            frozenset(alt for alt in self.alts if family_of(alt) != family),
        )

    def implies(self, other: Conj) -> bool:
        """Every talent this search admits, ``other`` admits too (checked clause by clause)."""
        if not (other.pos <= self.pos and other.neg <= self.neg):
            return False
        return all(alt & self.pos or any(mine <= alt for mine in self.alts) for alt in other.alts)


TRUE_CONJ = Conj()


def family_of(alt: frozenset[Atom]) -> str:
    """The filter type of a set of alternatives (all of one family)."""
    return next(iter(alt)).filter_type


def _positive_set(atoms_: Iterable[Atom]) -> IntervalSet:
    out = IntervalSet()
    for atom in atoms_:
        out = out | IntervalSet.of(atom.low, atom.high)
    return out


def range_sets(conj: Conj, family: str) -> tuple[IntervalSet | None, IntervalSet]:
    """(values the search's positive conditions allow or None, values its exclusions remove)."""
    allowed: IntervalSet | None = None
    for atom in conj.pos:
        if atom.filter_type == family:
            one = IntervalSet.of(atom.low, atom.high)
            allowed = one if allowed is None else allowed & one
    for alt in conj.alts:
        if family_of(alt) == family:
            one = _positive_set(alt)
            allowed = one if allowed is None else allowed & one
    removed = _positive_set(a for a in conj.neg if a.filter_type == family)
    return allowed, removed


def normalize(conj: Conj, model: EngineModel) -> list[Conj]:
    """The conjunction as searches the model can express: [] if impossible, several if split."""
    if _expressible(conj, model):
        return [conj]
    return _normalize(conj, model)


def _normalize(conj: Conj, model: EngineModel) -> list[Conj]:
    pos, neg = set(conj.pos), conj.neg
    if pos & neg:
        return []
    alts: list[frozenset[Atom]] = []
    for alt in conj.alts:
        alt = alt - neg
        if not alt:
            return []
        if alt & conj.pos:
            continue  # a required atom already satisfies it
        if len(alt) == 1:
            pos |= alt
        else:
            alts.append(alt)
    if pos & neg:
        return []
    alts = [a for a in set(alts) if not any(b < a for b in alts)]  # (A|B) implies (A|B|C)
    alts = [a for a in alts if not a & pos]
    conj = Conj(frozenset(pos), neg, frozenset(alts))
    for family in {a.filter_type for a in conj.atoms()} & RANGE_TYPES:
        involved = [a for a in conj.atoms() if a.filter_type == family]
        if len(involved) == 1 and involved[0] in conj.pos:
            continue  # one range, checked within bounds: never empty
        allowed, removed = range_sets(conj, family)
        if not ((DOMAIN[family] if allowed is None else allowed & DOMAIN[family]) - removed):
            return []
    # A family can hold either required values or one set of alternatives (gate), none (strict).
    for alt in sorted(conj.alts, key=_alt_order):
        family = family_of(alt)
        if family in RANGE_TYPES:
            continue  # ranges of one field always combine into one set of values
        crowded = any(a.filter_type == family for a in conj.pos) or any(
            other is not alt and family_of(other) == family for other in conj.alts)
        if crowded or not model.alternatives:
            rest = Conj(conj.pos, conj.neg, conj.alts - {alt})
            out: list[Conj] = []
            for atom in sorted(alt, key=lambda a: a.order):
                out.extend(normalize(replace(rest, pos=rest.pos | {atom}), model))
            return out
    return [conj]


def _expressible(conj: Conj, model: EngineModel) -> bool:
    """Whether ``normalize`` would return the conjunction as it is (the common case, checked
    quickly): no contradiction, each set of alternatives alone in its family, untouched by
    the other atoms, and at most one range condition, required."""
    if not conj.pos.isdisjoint(conj.neg):
        return False
    if conj.alts:
        if not model.alternatives:
            return False
        families = {a.filter_type for a in conj.pos}
        for alt in conj.alts:
            family = family_of(alt)
            if (len(alt) < 2 or family in families or family in RANGE_TYPES
                    or not alt.isdisjoint(conj.neg) or not alt.isdisjoint(conj.pos)):
                return False
            families.add(family)
    if any(a.filter_type in RANGE_TYPES for a in conj.neg):
        return False  # an excluded range might leave no value
    required = 0
    for a in conj.pos:
        if a.filter_type in RANGE_TYPES:
            required += 1
    return required < 2  # two required ranges might not meet


def _alt_order(alt: frozenset[Atom]) -> tuple[int, int]:
    return (len(alt), min(a.order for a in alt))


def conjoin(a: Conj, b: Conj, model: EngineModel) -> list[Conj]:
    return normalize(Conj(a.pos | b.pos, a.neg | b.neg, a.alts | b.alts), model)


def _merge(a: Conj, b: Conj, model: EngineModel) -> Conj | None:
    """One search equal to ``a OR b``, when there is one."""
    if a.alts == b.alts and a.neg != b.neg:
        # Resolution: (B ∧ x) ∨ (B ∧ ¬x) = B
        flipped = a.pos ^ b.pos
        if len(flipped) == 1 and flipped == a.neg ^ b.neg:
            (x,) = flipped
            if (x in a.pos) != (x in a.neg):
                return Conj(a.pos - {x}, a.neg - {x}, a.alts)
        return None
    if a.neg != b.neg:
        return None
    family = None  # the one family the two differ in, if they differ in one
    for x in a.pos ^ b.pos:
        if family is None:
            family = x.filter_type
        elif x.filter_type != family:
            return None
    for alt in a.alts ^ b.alts:
        if family is None:
            family = family_of(alt)
        elif family_of(alt) != family:
            return None
    if family is None:
        return None
    part_a, part_b = a.positive_part(family), b.positive_part(family)
    if len(part_a) != 1 or len(part_b) != 1:
        return None
    if family not in RANGE_TYPES and not model.alternatives:
        return None
    members = frozenset().union(*(_members(x) for x in (*part_a, *part_b)))
    base = a.without_positive(family)
    return Conj(base.pos, base.neg, base.alts | {members})


def _members(clause) -> frozenset[Atom]:
    return clause if isinstance(clause, frozenset) else frozenset((clause,))


def _absorbed(conjs: list[Conj]) -> int | None:
    """The index of the first search that implies another, if any."""
    for i, c in enumerate(conjs):
        for d in conjs:
            if d is not c and c.implies(d):
                return i
    return None


def simplify(conjs: list[Conj], model: EngineModel) -> list[Conj]:
    """Drop duplicates and absorbed searches; merge pairs that one search can express."""
    if len(conjs) < 2:
        return list(conjs)
    out = list(dict.fromkeys(conjs))
    while len(out) > 1:
        absorbed = _absorbed(out)
        if absorbed is not None:
            del out[absorbed]
            continue
        for i, j in combinations(range(len(out)), 2):
            merged = _merge(out[i], out[j], model)
            if merged is not None:
                replacement = normalize(merged, model)
                if len(replacement) == 1:
                    out[i] = replacement[0]
                    del out[j]
                    break
        else:
            break  # nothing absorbed, nothing merged
    return out
