"""Checked formula → Plan: the fewest searches whose union is exactly the query (LANGUAGE.md §5).

The pipeline:

1. ``_Planner.cover`` turns the formula into conjunctions one search can express (``Conj``),
   pushing NOT down as it goes, simplifying (contradictions, duplicates, absorption) and merging
   alternatives of one family into a single search where the engine model allows it.
2. For queries of at most ``EXACT_MAX_ATOMS`` distinct atoms that need two or more searches,
   ``exact_cover`` searches the truth table for a smaller cover (minimality is guaranteed there).
3. ``_emit`` writes each conjunction as filters: ranges become bucket covers (or free ranges).
4. ``_hoist`` adds every preference to every search as an optional filter, splitting a search
   where a preference would otherwise become one more alternative of an OR'd family.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations, product
from typing import Iterable

from talentql import engine, logic
from talentql.engine import DEFAULT_ENGINE, DEFAULT_MAX_SEARCHES, DEFAULT_RANGES
from talentql.checker import Analysis
from talentql.compiled import Filter, Plan, Search
from talentql.diagnostics import Diagnostic
from talentql.errors import CompileError
from talentql.fields import FIELDS, FIELDS_BY_FILTER_TYPE, Kind
from talentql.logic import Atom
from talentql.syntax.format import quote
from talentql.ranges import INF, IntervalSet, bucket_set, cover, inside, union_of

EXACT_MAX_ATOMS = 8  # minimality is guaranteed up to this many distinct atoms (LANGUAGE.md §5)
_EXACT_NODE_BUDGET = 50_000  # search steps for the exact cover before settling for best effort

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


@dataclass(frozen=True)
class EngineModel:
    """What one search can express. ``alternatives``: an OR of values within one family."""

    name: str
    alternatives: bool


MODELS = {"gate": EngineModel("gate", True), "strict": EngineModel("strict", False)}


@dataclass(frozen=True)
class Options:
    """The compiler options of LANGUAGE.md §5."""

    engine: str = DEFAULT_ENGINE
    ranges: str = DEFAULT_RANGES
    max_searches: int = DEFAULT_MAX_SEARCHES


# --- Conjunctions one search can express ------------------------------------------------------


@dataclass(frozen=True)
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
            + [alt for alt in self.alts if _family(alt) == family]
        )

    def without_positive(self, family: str) -> Conj:
        return Conj(
            frozenset(a for a in self.pos if a.filter_type != family),
            self.neg,
            frozenset(alt for alt in self.alts if _family(alt) != family),
        )

    def implies(self, other: Conj) -> bool:
        """Every talent this search admits, ``other`` admits too (checked clause by clause)."""
        if not (other.pos <= self.pos and other.neg <= self.neg):
            return False
        return all(alt & self.pos or any(mine <= alt for mine in self.alts) for alt in other.alts)


TRUE_CONJ = Conj()


def _family(alt: frozenset[Atom]) -> str:
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
        if _family(alt) == family:
            one = _positive_set(alt)
            allowed = one if allowed is None else allowed & one
    removed = _positive_set(a for a in conj.neg if a.filter_type == family)
    return allowed, removed


def normalize(conj: Conj, model: EngineModel) -> list[Conj]:
    """The conjunction as searches the model can express: [] if impossible, several if split."""
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
        allowed, removed = range_sets(conj, family)
        if not ((DOMAIN[family] if allowed is None else allowed & DOMAIN[family]) - removed):
            return []
    # A family can hold either required values or one set of alternatives (gate), none (strict).
    for alt in sorted(conj.alts, key=_alt_order):
        family = _family(alt)
        if family in RANGE_TYPES:
            continue  # ranges of one field always combine into one set of values
        crowded = any(a.filter_type == family for a in conj.pos) or any(
            other is not alt and _family(other) == family for other in conj.alts)
        if crowded or not model.alternatives:
            rest = Conj(conj.pos, conj.neg, conj.alts - {alt})
            out: list[Conj] = []
            for atom in sorted(alt, key=lambda a: a.order):
                out.extend(normalize(replace(rest, pos=rest.pos | {atom}), model))
            return out
    return [conj]


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
    families = {x.filter_type for x in a.pos ^ b.pos} | {_family(x) for x in a.alts ^ b.alts}
    if len(families) != 1:
        return None
    (family,) = families
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


def simplify(conjs: list[Conj], model: EngineModel) -> list[Conj]:
    """Drop duplicates and absorbed searches; merge pairs that one search can express."""
    out = list(dict.fromkeys(conjs))
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(out):
            if any(j != i and c.implies(d) for j, d in enumerate(out)):
                del out[i]
                changed = True
                break
        if changed:
            continue
        for i, j in combinations(range(len(out)), 2):
            merged = _merge(out[i], out[j], model)
            if merged is not None:
                replacement = normalize(merged, model)
                if len(replacement) == 1:
                    out[i] = replacement[0]
                    del out[j]
                    changed = True
                    break
    return out


class TooManySearches(Exception):
    def __init__(self, count: int, exact: bool) -> None:
        self.count = count
        self.exact = exact


class _Planner:
    """Covers a formula with conjunctions, refusing covers that cannot fit."""

    def __init__(self, model: EngineModel, limit: int) -> None:
        self.model = model
        self.limit = limit  # intermediate results above this cannot end under max_searches

    def cover(self, node: logic.Formula, negated: bool = False) -> list[Conj]:
        """Conjunctions whose union is ``node`` (or its negation), NOT pushed down on the way."""
        if isinstance(node, Atom):
            return [Conj(neg=frozenset((node,)))] if negated else [Conj(pos=frozenset((node,)))]
        if isinstance(node, logic.Not):
            return self.cover(node.operand, not negated)
        conjunctive = isinstance(node, logic.And) != negated
        if not conjunctive:
            out: list[Conj] = []
            for item in node.items:
                out.extend(self.cover(item, negated))
            return self._check(simplify(out, self.model))
        result = [TRUE_CONJ]
        for item in node.items:
            parts = self.cover(item, negated)
            result = self._check(simplify(
                [c for r in result for p in parts for c in conjoin(r, p, self.model)], self.model))
            if not result:
                break
        return result

    def _check(self, conjs: list[Conj]) -> list[Conj]:
        if len(conjs) > self.limit:
            raise TooManySearches(len(conjs), exact=False)
        return conjs


# --- Exact minimum cover for small queries --------------------------------------------------


def exact_cover(formula: logic.Formula, model: EngineModel,
                bound: list[Conj]) -> tuple[list[Conj], bool]:
    """A cover with fewer searches (or as many with fewer filters) than ``bound``, if one exists.

    Atoms are read as independent truth values; every search a model can express is a
    conjunction of per-family clauses, enumerated here with bit masks over the truth table.
    Returns (conjunctions, complete) where complete is False when the search budget ran out.
    """
    atoms_ = logic.atoms(formula)
    n = len(atoms_)
    rows = 1 << n
    full = (1 << rows) - 1
    index = {a: i for i, a in enumerate(atoms_)}
    masks = [sum(1 << r for r in range(rows) if r >> i & 1) for i in range(n)]

    def mask_of(node) -> int:
        if isinstance(node, Atom):
            return masks[index[node]]
        if isinstance(node, logic.Not):
            return full & ~mask_of(node.operand)
        parts = [mask_of(item) for item in node.items]
        if isinstance(node, logic.And):
            out = full
            for p in parts:
                out &= p
            return out
        out = 0
        for p in parts:
            out |= p
        return out

    wanted = mask_of(formula)
    families: dict[str, list[int]] = {}
    for i, a in enumerate(atoms_):
        families.setdefault(a.filter_type, []).append(i)

    # Per family: every clause it can add to a search, as (mask, pos, neg, alt).
    options_by_family = [_family_options(fam, idxs, masks, full, model)
                         for fam, idxs in families.items()]
    implicants: dict[int, tuple[int, tuple]] = {}

    def walk(k: int, mask: int, chosen: tuple) -> None:
        if not mask & wanted:
            return
        if k == len(options_by_family):
            if mask & ~wanted & full == 0:
                cost = sum(len(c[1]) + len(c[2]) + len(c[3]) for c in chosen)
                if mask not in implicants or cost < implicants[mask][0]:
                    implicants[mask] = (cost, chosen)
            return
        for option in options_by_family[k]:
            walk(k + 1, mask & option[0], (*chosen, option))

    walk(0, full, ())
    # Keep prime implicants: no other implicant covers more at no greater cost.
    ordered = sorted(implicants.items(), key=lambda kv: (-bin(kv[0]).count("1"), kv[1][0]))
    primes: list[tuple[int, int, tuple]] = []
    for mask, (cost, chosen) in ordered:
        if not any(mask & ~m == 0 and c <= cost for m, c, _ in primes):
            primes.append((mask, cost, chosen))

    best_len, best_cost = len(bound), sum(c.cost() for c in bound)
    best: list | None = None
    steps = 0

    def search(uncovered: int, picked: list, cost: int) -> None:
        nonlocal best, best_len, best_cost, steps
        steps += 1
        if steps > _EXACT_NODE_BUDGET:
            return
        if not uncovered:
            if (len(picked), cost) < (best_len, best_cost):
                best, best_len, best_cost = list(picked), len(picked), cost
            return
        if len(picked) + 1 > best_len:
            return
        low = uncovered & -uncovered
        for mask, c, chosen in primes:
            if mask & low:
                picked.append(chosen)
                search(uncovered & ~mask, picked, cost + c)
                picked.pop()

    search(wanted, [], 0)
    complete = steps <= _EXACT_NODE_BUDGET
    if best is None:
        return bound, complete
    conjs = []
    for chosen in best:
        pos = frozenset(atoms_[i] for c in chosen for i in c[1])
        neg = frozenset(atoms_[i] for c in chosen for i in c[2])
        alts = frozenset(frozenset(atoms_[i] for i in c[3]) for c in chosen if c[3])
        conjs.extend(normalize(Conj(pos, neg, alts), model))
    return conjs, complete


def _family_options(family: str, idxs: list[int], masks: list[int], full: int,
                    model: EngineModel) -> list[tuple[int, tuple, tuple, tuple]]:
    options = []
    is_range = family in RANGE_TYPES
    for roles in product((0, 1, 2), repeat=len(idxs)):  # 0 absent, 1 required, 2 excluded
        mask = full
        for i, role in zip(idxs, roles):
            mask &= masks[i] if role == 1 else (full & ~masks[i]) if role == 2 else full
        options.append((mask,
                        tuple(i for i, r in zip(idxs, roles) if r == 1),
                        tuple(i for i, r in zip(idxs, roles) if r == 2), ()))
    if model.alternatives or is_range:
        for size in range(2, len(idxs) + 1):
            for alt in combinations(idxs, size):
                rest = [i for i in idxs if i not in alt]
                any_mask = 0
                for i in alt:
                    any_mask |= masks[i]
                for roles in product((0, 1, 2) if is_range else (0, 2), repeat=len(rest)):
                    mask = any_mask
                    for i, role in zip(rest, roles):
                        mask &= masks[i] if role == 1 else (full & ~masks[i]) if role == 2 else full
                    options.append((mask,
                                    tuple(i for i, r in zip(rest, roles) if r == 1),
                                    tuple(i for i, r in zip(rest, roles) if r == 2), alt))
    options.sort(key=lambda o: len(o[1]) + len(o[2]) + len(o[3]))
    return options


# --- Writing searches as filters ------------------------------------------------------------


class _Emitted:
    """Filters of one search, each with a sort key that puts them in source order."""

    __slots__ = ("filters", "hoisted")

    def __init__(self, filters=None, hoisted=None) -> None:
        self.filters: list[tuple[tuple[int, int], Filter]] = filters or []
        self.hoisted: set[tuple[int, int]] = hoisted or set()  # keys of preference filters

    def add(self, key: tuple[int, int], f: Filter) -> None:
        self.filters.append((key, f))


class _Writer:
    """Writes conjunctions as filters and collects what it widened."""

    def __init__(self, options: Options, warnings: list[Diagnostic]) -> None:
        self.options = options
        self.warnings = warnings
        self.used: set[Atom] = set()  # atoms that made it into a filter
        self.widened: set[Atom] = set()

    def searches(self, conj: Conj) -> list[_Emitted]:
        """One conjunction as searches (several only when strict splits a bucket cover)."""
        out = [_Emitted()]
        for atom in conj.pos:
            if atom.filter_type not in RANGE_TYPES:
                out[0].add((atom.order, 0), atom.to_filter())
        for atom in conj.neg:
            if atom.filter_type not in RANGE_TYPES:
                out[0].add((atom.order, 0), atom.to_filter(excluded=True))
        for alt in conj.alts:
            if _family(alt) not in RANGE_TYPES:
                for atom in alt:
                    out[0].add((atom.order, 0), atom.to_filter(required=False))
        self.used |= {a for a in conj.atoms() if a.filter_type not in RANGE_TYPES}
        for family in sorted({a.filter_type for a in conj.atoms()} & RANGE_TYPES):
            out = self.range_family(conj, family, out)
        return out

    def range_family(self, conj: Conj, family: str, out: list[_Emitted]) -> list[_Emitted]:
        involved = sorted((a for a in conj.atoms() if a.filter_type == family),
                          key=lambda a: a.order)
        self.used.update(involved)
        key = involved[0].order
        exact = any(a.exact for a in involved if a not in conj.neg)
        allowed, removed = range_sets(conj, family)
        domain = DOMAIN[family]
        free = self.options.ranges == "free" and FIELDS_BY_FILTER_TYPE[family].kind is Kind.YEARS
        if free:
            positive = [] if allowed is None else [_label(lo, hi) for lo, hi in
                                                    (allowed & domain).parts]
            negative = [a.to_filter(excluded=True) for a in involved if a in conj.neg]
            choices = [Filter(family, v, True, False, exact) for v in positive]
            return self._place(out, key, choices, negative)
        buckets = BUCKETS[family]
        wanted = (domain if allowed is None else allowed & domain) - removed
        if allowed is None:
            chosen: tuple = ()
            excluded = inside(removed, buckets)
            admitted = domain - union_of(excluded)
        else:
            chosen = cover(wanted, buckets)
            span = union_of(chosen)
            excluded = tuple(b for b in inside(removed, buckets) if bucket_set(b) & span)
            admitted = span - union_of(excluded)
        if admitted != wanted:
            self.widen(involved, wanted, admitted, family)
        choices = [Filter(family, engine.bucket_label(b), True, False, exact) for b in chosen]
        negative = [Filter(family, engine.bucket_label(b), True, True, False) for b in excluded]
        return self._place(out, key, choices, negative)

    def _place(self, out: list[_Emitted], key: int, choices: list[Filter],
               negative: list[Filter]) -> list[_Emitted]:
        """Add a family's filters: one choice is required; several are alternatives (gate) or
        separate searches (strict)."""
        for s in out:
            for k, f in enumerate(negative):
                s.add((key, 100 + k), f)
        if len(choices) <= 1 or self.options.engine == "gate":
            required = len(choices) == 1
            for s in out:
                for k, f in enumerate(choices):
                    s.add((key, k), replace(f, is_required=required))
            return out
        split = []
        for k, f in enumerate(choices):
            for s in out:
                copy = _Emitted(list(s.filters), set(s.hoisted))
                copy.add((key, k), f)
                split.append(copy)
        return split

    def widen(self, involved: list[Atom], wanted: IntervalSet, admitted: IntervalSet,
              family: str) -> None:
        atom = involved[0]
        if atom in self.widened or atom.span is None:
            return
        self.widened.add(atom)
        unit = " years" if FIELDS_BY_FILTER_TYPE[family].kind is Kind.YEARS else " employees"
        name = FIELDS_BY_FILTER_TYPE[family].name
        self.warnings.append(Diagnostic(
            "range-widened",
            f"{name} {wanted.describe(unit)} is sent as the API's buckets, which admit "
            f"{admitted.describe(unit)}",
            atom.span,
            "write the range on bucket bounds to be exact, or use --ranges free for years",
        ))

    def preference(self, atom: Atom) -> list[Filter]:
        """A preference's optional filters (a range preference: its bucket cover)."""
        if atom.filter_type not in RANGE_TYPES:
            return [atom.to_filter(required=False)]
        wanted = IntervalSet.of(atom.low, atom.high) & DOMAIN[atom.filter_type]
        if self.options.ranges == "free" and FIELDS_BY_FILTER_TYPE[atom.filter_type].kind is Kind.YEARS:
            return [Filter(atom.filter_type, _label(lo, hi), False, False, atom.exact)
                    for lo, hi in wanted.parts]
        chosen = cover(wanted, BUCKETS[atom.filter_type])
        if union_of(chosen) != wanted:
            self.widen([atom], wanted, union_of(chosen), atom.filter_type)
        return [Filter(atom.filter_type, engine.bucket_label(b), False, False, atom.exact)
                for b in chosen]


def _label(low: int, high: float) -> str:
    return f"{low}+" if high == INF else f"{low}-{int(high)}"


def _same(a: Filter, b: Filter) -> bool:
    return (a.filter_type, a.value if a.is_exact_match else a.value.casefold(), a.is_exact_match,
            a.history, a.radius) == (b.filter_type, b.value if b.is_exact_match else
                                     b.value.casefold(), b.is_exact_match, b.history, b.radius)


def _hoist(searches: list[_Emitted], preferences: tuple[Atom, ...], writer: _Writer,
           model: EngineModel, warnings: list[Diagnostic], only_preferences: bool) -> list[_Emitted]:
    """Add each preference to each search as an optional filter (LANGUAGE.md §5, step 4 and 6)."""
    for pref in preferences:
        extra = writer.preference(pref)
        family = pref.filter_type
        added_anywhere = False
        gates = False
        next_searches: list[_Emitted] = []
        for s in searches:
            present = [f for _, f in s.filters]
            if all(any(_same(e, f) for f in present) for e in extra):
                next_searches.append(s)  # it repeats a term of this search
                continue
            optional = [(k, f) for k, f in s.filters if f.filter_type == family
                        and not f.is_required and not f.is_excluded and k not in s.hoisted]
            required = any(f.filter_type == family and f.is_required and not f.is_excluded
                           for _, f in s.filters)
            pieces = [s]
            if optional and not required and not only_preferences:
                # The preference would become one more alternative and admit talents: split.
                rest = [(k, f) for k, f in s.filters if (k, f) not in optional]
                pieces = [_Emitted(rest + [(k, replace(f, is_required=True))], set(s.hoisted))
                          for k, f in optional]
            for piece in pieces:
                has_required = any(f.filter_type == family and f.is_required and not f.is_excluded
                                   for _, f in piece.filters)
                gates = gates or not has_required
                for k, f in enumerate(extra):
                    if not any(_same(f, g) for _, g in piece.filters):
                        piece.add((pref.order, k), f)
                        piece.hoisted.add((pref.order, k))
                        added_anywhere = True
                next_searches.append(piece)
        searches = next_searches
        if pref.span is None:
            continue
        if not added_anywhere:
            warnings.append(Diagnostic("redundant", f"the preference '{_show(pref)}' repeats a "
                                       "term of the query; it is dropped", pref.span))
        elif gates and model.name == "gate" and not only_preferences:
            warnings.append(Diagnostic(
                "preference-gates",
                f"'?{_show(pref)}' is the only {FIELDS_BY_FILTER_TYPE[family].name} filter of a "
                "search, and the API then requires it: it filters as well as ranks",
                pref.span, "add a required filter of the same field, or drop the '?'"))
    return searches


def _show(atom: Atom) -> str:
    return f"{FIELDS_BY_FILTER_TYPE[atom.filter_type].name}:{quote(atom.value)}"


def plan(analysis: Analysis, options: Options = Options()) -> Plan:
    """Plan a checked query. Raises CompileError (too-many-searches) when the plan is too big.

    >>> from talentql.checker import analyze
    >>> p = plan(analyze("title:(Designer OR Researcher) location:Paris"))
    >>> len(p.searches), [f.is_required for f in p.searches[0].filters]
    (1, [False, False, True])
    """
    model = MODELS[options.engine]
    warnings: list[Diagnostic] = [d for d in analysis.diagnostics if not d.is_error]
    formula = analysis.formula
    best_effort = False
    if formula is None:  # only preferences: one search of optional filters
        conjs = [TRUE_CONJ]
    else:
        planner = _Planner(model, limit=max(256, 16 * options.max_searches))
        try:
            conjs = planner.cover(formula)
        except TooManySearches as too_many:
            raise _too_many(analysis, too_many.count, options, at_least=True) from None
        if len(conjs) >= 2:
            if len(logic.atoms(formula)) <= EXACT_MAX_ATOMS:
                conjs, complete = exact_cover(formula, model, conjs)
                best_effort = not complete
            else:
                best_effort = True
    writer = _Writer(options, warnings)
    emitted = [s for c in conjs for s in writer.searches(c)]
    if analysis.only_preferences:
        warnings.append(Diagnostic(
            "preference-gates", "the query holds only preferences: the API then returns only "
            "talents matching at least one of them", analysis.query_span,
            "add a required term to search the whole pool and rank by the preferences"))
    if emitted:
        emitted = _hoist(emitted, analysis.preferences, writer, model, warnings,
                         analysis.only_preferences)
    searches = _unique(tuple(f for _, f in sorted(s.filters, key=lambda kf: kf[0]))
                       for s in emitted)
    if formula is not None and not searches:
        warnings.append(Diagnostic("unsatisfiable", "no talent can match this query: it "
                                   "contradicts itself", analysis.query_span))
    elif formula is not None:
        for atom in logic.atoms(formula):
            if atom not in writer.used and atom.span is not None:
                warnings.append(Diagnostic(
                    "redundant", f"'{_show(atom)}' changes nothing: other terms absorb it",
                    atom.span))
    if len(searches) > options.max_searches:
        raise _too_many(analysis, len(searches), options, at_least=False)
    warnings = _sorted_unique(warnings)
    return Plan(options.engine, tuple(Search(s) for s in searches), tuple(warnings),
                options.ranges, best_effort)


def _unique(searches: Iterable[tuple[Filter, ...]]) -> list[tuple[Filter, ...]]:
    seen: dict[frozenset, tuple[Filter, ...]] = {}
    for s in searches:
        seen.setdefault(frozenset(s), s)
    return list(seen.values())


def _sorted_unique(warnings: list[Diagnostic]) -> list[Diagnostic]:
    seen = {}
    for w in warnings:
        seen.setdefault((w.code, w.message, w.span.source, w.span.start), w)
    return sorted(seen.values(), key=lambda d: (d.span.source != "<query>", d.span.source,
                                                d.span.start))


def _too_many(analysis: Analysis, count: int, options: Options, at_least: bool) -> CompileError:
    need = f"more than {count}" if at_least else str(count)
    error = Diagnostic(
        "too-many-searches",
        f"this query needs {need} searches; the limit is {options.max_searches}",
        analysis.query_span,
        "group alternatives of one field, e.g. title:(A OR B), or raise --max-searches",
    )
    return CompileError([error], analysis.sources)
