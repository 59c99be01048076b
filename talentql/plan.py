"""Checked formula → Plan: the fewest searches whose union is exactly the query (LANGUAGE.md §5).

The pipeline:

1. ``_Planner.cover`` turns the formula into conjunctions one search can express
   (``searches.Conj``), pushing NOT down as it goes, simplifying (contradictions, duplicates,
   absorption) and merging alternatives of one family where the engine model allows it.
2. ``minimal.generalize`` drops conditions a search does not need; ``minimal.prove_minimal``
   shows the cover is the smallest, or ``minimal.exact_cover`` finds a smaller one.
3. ``_Writer`` writes each conjunction as filters: ranges become bucket covers (or free ranges).
4. ``_hoist`` adds every preference to every search as an optional filter, splitting a search
   where a preference would otherwise become one more alternative of an OR'd family.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from operator import itemgetter

from talentql import engine, logic
from talentql.checker import Analysis
from talentql.compiled import Filter, Plan, Search
from talentql.diagnostics import Diagnostic
from talentql.engine import DEFAULT_ENGINE, DEFAULT_MAX_SEARCHES, DEFAULT_RANGES
from talentql.errors import CompileError
from talentql.fields import FIELDS_BY_FILTER_TYPE, Kind
from talentql.logic import Atom
from talentql.ranges import INF, IntervalSet, bucket_set, cover, inside, union_of
from talentql.searches import (
    BUCKETS,
    DOMAIN,
    MODELS,
    RANGE_TYPES,
    TRUE_CONJ,
    Conj,
    EngineModel,
    conjoin,
    normalize,
    range_sets,
    simplify,
)
from talentql.syntax.format import quote
from talentql.value import frozen_value


@frozen_value
class Options:
    """The compiler options of LANGUAGE.md §5."""

    engine: str = DEFAULT_ENGINE
    ranges: str = DEFAULT_RANGES
    max_searches: int = DEFAULT_MAX_SEARCHES


@cache
def _planner(engine: str, max_searches: int) -> _Planner:
    """The planner for an engine model and a limit (it holds nothing else: one serves every
    plan)."""
    return _Planner(MODELS[engine], limit=max(256, 16 * max_searches))


_NONE: frozenset = frozenset()


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
            one = frozenset((node,))
            return [Conj(_NONE, one, _NONE)] if negated else [Conj(one, _NONE, _NONE)]
        if isinstance(node, logic.Not):
            return self.cover(node.operand, not negated)
        conjunctive = isinstance(node, logic.And) != negated
        direct = _direct(node, negated, conjunctive)
        if direct is not None:  # the common shape, read straight into one search
            return self._check(simplify(normalize(direct, self.model), self.model))
        if not conjunctive:
            out: list[Conj] = []
            for item in node.items:
                out.extend(self.cover(item, negated))
            return self._check(simplify(out, self.model))
        # Literals first, as one conjunction: only the other items branch.
        pos, neg, rest = set(), set(), []
        for item in node.items:
            literal = _literal(item, negated)
            if literal is None:
                rest.append(item)
            else:
                (pos if literal[1] else neg).add(literal[0])
        result = normalize(Conj(frozenset(pos), frozenset(neg)), self.model) if pos or neg \
            else [TRUE_CONJ]
        for item in rest:
            if not result:
                break
            parts = self.cover(item, negated)
            result = self._check(simplify(
                [c for r in result for p in parts for c in conjoin(r, p, self.model)], self.model))
        return result

    def _check(self, conjs: list[Conj]) -> list[Conj]:
        if len(conjs) > self.limit:
            raise TooManySearches(len(conjs), exact=False)
        return conjs


def _literal(node, negated: bool) -> tuple[Atom, bool] | None:
    """(atom, holds?) when ``node`` is an atom or a negated atom (read under ``negated``)."""
    if isinstance(node, logic.Not):
        node, negated = node.operand, not negated
    return (node, not negated) if isinstance(node, Atom) else None


def _direct(node, negated: bool, conjunctive: bool) -> Conj | None:
    """One conjunction for the shapes most queries have, or None to take the general path.

    A conjunction of literals, of conjunctions, and of ORs of positive atoms of one family
    (``title:A company:(X OR Y) NOT skill:(Z OR W)``), or an OR of positive atoms of one family.
    """
    if not conjunctive:
        alt = _alternatives(node, negated)
        return None if alt is None else Conj(alts=frozenset((alt,)))
    pos: set[Atom] = set()
    neg: set[Atom] = set()
    alts: list[frozenset[Atom]] = []
    if not _gather(node, negated, pos, neg, alts):
        return None
    return Conj(frozenset(pos), frozenset(neg), frozenset(alts))


def _gather(node, negated: bool, pos: set, neg: set, alts: list) -> bool:
    """Collect the literals and alternative sets of a conjunctive node; False for any other
    shape of item."""
    for item in node.items:
        inner, inner_negated = item, negated
        if inner.__class__ is logic.Not:
            inner, inner_negated = inner.operand, not negated
        kind = inner.__class__
        if kind is Atom:  # a literal
            (neg if inner_negated else pos).add(inner)
            continue
        if kind is logic.Not:
            return False
        if (kind is logic.And) != inner_negated:  # a conjunction within: flatten
            if not _gather(inner, inner_negated, pos, neg, alts):
                return False
            continue
        alt = _alternatives(inner, inner_negated)
        if alt is None:
            return False
        alts.append(alt)
    return True


def _alternatives(node, negated: bool) -> frozenset[Atom] | None:
    """The atoms of a disjunctive node (nested disjunctions too) when they are positive atoms
    of one family."""
    members: list[Atom] = []
    return frozenset(members) if _collect_alternatives(node, negated, members) else None


def _collect_alternatives(node, negated: bool, members: list[Atom]) -> bool:
    for item in node.items:
        kind = item.__class__
        if kind is Atom or (kind is logic.Not and item.operand.__class__ is Atom):
            atom, holds = (item, not negated) if kind is Atom else (item.operand, negated)
            if not holds or (members and atom.filter_type != members[0].filter_type):
                return False  # a negative literal, or another family
            members.append(atom)
        elif kind is logic.Not or (kind is logic.Or) == negated:
            return False  # a negation within, or not a disjunction within
        elif not _collect_alternatives(item, negated, members):
            return False
    return True


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
        first = _Emitted()
        add, used = first.filters.append, self.used
        ranged: dict[str, list[Atom]] = {}  # range family → its atoms, written later as buckets
        for atoms, required, excluded in ((conj.pos, True, False), (conj.neg, True, True)):
            for atom in atoms:
                if atom.filter_type in RANGE_TYPES:
                    ranged.setdefault(atom.filter_type, []).append(atom)
                else:
                    add(((atom.order, 0), atom.to_filter(required, excluded)))
                    used.add(atom)
        for alt in conj.alts:
            for atom in alt:
                if atom.filter_type in RANGE_TYPES:
                    ranged.setdefault(atom.filter_type, []).append(atom)
                else:
                    add(((atom.order, 0), atom.to_filter(False)))
                    used.add(atom)
        out = [first]
        for family in sorted(ranged) if ranged else ():
            out = self.range_family(conj, family, ranged[family], out)
        return out

    def range_family(self, conj: Conj, family: str, involved: list[Atom],
                     out: list[_Emitted]) -> list[_Emitted]:
        involved = sorted(set(involved), key=_order)
        self.used.update(involved)
        key = involved[0].order
        exact = any(a.exact for a in involved if a not in conj.neg)
        free = self.options.ranges == "free" and FIELDS_BY_FILTER_TYPE[family].kind is Kind.YEARS
        if not free and len(involved) == 1 and involved[0] in conj.pos:  # the common case
            atom = involved[0]
            labels, wanted, admitted = _bucket_range(family, atom.low, atom.high)
            if admitted is not None:
                self.widen(involved, wanted, admitted, family)
            return self._place(out, key, [Filter(family, label, True, False, exact)
                                          for label in labels], [])
        allowed, removed = range_sets(conj, family)
        if free:
            positive = [] if allowed is None else [_label(lo, hi) for lo, hi in
                                                    (allowed & DOMAIN[family]).parts]
            negative = [a.to_filter(excluded=True) for a in involved if a in conj.neg]
            choices = [Filter(family, v, True, False, exact) for v in positive]
            return self._place(out, key, choices, negative)
        chosen, excluded, wanted, admitted = _buckets_for(family, allowed, removed)
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
            if len(choices) > 1:  # alternatives: each one optional
                choices = [Filter(f.filter_type, f.value, False, False, f.is_exact_match)
                           for f in choices]
            for s in out:
                for k, f in enumerate(choices):
                    s.add((key, k), f)
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


@cache
def _buckets_for(family: str, allowed: IntervalSet | None,
                 removed: IntervalSet) -> tuple[tuple, tuple, IntervalSet, IntervalSet]:
    """The buckets a range family's conditions are sent as: (required choices, excluded
    buckets, the values wanted, the values the buckets admit). Cached: a pure function of a
    few small values, met again and again."""
    domain, buckets = DOMAIN[family], BUCKETS[family]
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
    return chosen, excluded, wanted, admitted


@cache
def _bucket_range(family: str, low: int, high: int | None) -> tuple:
    """One required range as (the labels of its buckets, the values wanted, the values the
    buckets admit when they admit more, else None)."""
    chosen, _, wanted, admitted = _buckets_for(family, IntervalSet.of(low, high), IntervalSet())
    return (tuple(engine.bucket_label(b) for b in chosen), wanted,
            admitted if admitted != wanted else None)


def _order(atom: Atom) -> int:
    return atom.order


def _label(low: int, high: float) -> str:
    return f"{low}+" if high == INF else f"{low}-{int(high)}"


def _sameness(f: Filter) -> tuple:
    """What two filters asking for the same thing share (a fuzzy value regardless of case);
    whether they are required or excluded aside."""
    return (f.filter_type, f.value if f.is_exact_match else f.value.casefold(), f.is_exact_match,
            f.history, f.radius)


def _hoist(searches: list[_Emitted], preferences: tuple[Atom, ...], writer: _Writer,
           model: EngineModel, warnings: list[Diagnostic], only_preferences: bool) -> list[_Emitted]:
    """Add each preference to each search as an optional filter (LANGUAGE.md §5, step 4 and 6)."""
    for pref in preferences:
        extra = writer.preference(pref)
        extra_keys = [_sameness(e) for e in extra]
        family = pref.filter_type
        added_anywhere = False
        gates = False
        next_searches: list[_Emitted] = []
        for s in searches:
            # The preference's filters are all of its family: only that family's filters matter.
            mine = [(k, f) for k, f in s.filters if f.filter_type == family]
            present = {_sameness(f) for _, f in mine}
            if all(key in present for key in extra_keys):
                next_searches.append(s)  # it repeats a term of this search
                continue
            optional = [(k, f) for k, f in mine
                        if not f.is_required and not f.is_excluded and k not in s.hoisted]
            required = any(f.is_required and not f.is_excluded for _, f in mine)
            pieces = [s]
            if optional and not required and not only_preferences:
                # The preference would become one more alternative and admit talents: split.
                rest = [(k, f) for k, f in s.filters if (k, f) not in optional]
                pieces = [_Emitted(rest + [(k, replace(f, is_required=True))], set(s.hoisted))
                          for k, f in optional]
            for piece in pieces:
                has_required = required or piece is not s  # a split piece requires its value
                gates = gates or not has_required
                keys = present if piece is s else {_sameness(g) for _, g in piece.filters
                                                   if g.filter_type == family}
                for k, f in enumerate(extra):
                    if extra_keys[k] not in keys:
                        keys.add(extra_keys[k])
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
    warnings: list[Diagnostic] = [d for d in analysis.diagnostics if not d.is_error] \
        if analysis.diagnostics else []
    formula = analysis.formula
    best_effort = False
    if formula is None:  # only preferences: one search of optional filters
        conjs = [TRUE_CONJ]
    else:
        planner = _planner(options.engine, options.max_searches)
        try:
            conjs = planner.cover(formula)
        except TooManySearches as too_many:
            raise _too_many(analysis, too_many.count, options, at_least=True) from None
        if len(conjs) >= 2:  # only then is minimality in question
            minimal = _minimal()
            conjs = minimal.generalize(conjs, model)
            atoms = analysis.atoms or logic.atoms(formula)
            if not minimal.prove_minimal(formula, conjs, model, atoms):
                if len(atoms) <= minimal.EXACT_MAX_ATOMS:
                    conjs, complete = minimal.exact_cover(formula, model, conjs)
                    best_effort = not complete
                else:
                    best_effort = True
    writer = _Writer(options, warnings)
    emitted = [s for c in conjs for s in writer.searches(c)]
    only_preferences = formula is None and bool(analysis.preferences)
    if only_preferences:
        warnings.append(Diagnostic(
            "preference-gates", "the query holds only preferences: the API then returns only "
            "talents matching at least one of them", analysis.query_span,
            "add a required term to search the whole pool and rank by the preferences"))
    if emitted and analysis.preferences:
        emitted = _hoist(emitted, analysis.preferences, writer, model, warnings, only_preferences)
    searches = _unique([_in_order(s.filters) for s in emitted])
    if formula is not None and not searches:
        warnings.append(Diagnostic("unsatisfiable", "no talent can match this query: it "
                                   "contradicts itself", analysis.query_span))
    elif formula is not None:
        atoms = analysis.atoms or logic.atoms(formula)
        # ``used`` holds only atoms of the formula: as many means every one made it.
        for atom in atoms if len(writer.used) < len(atoms) else ():
            if atom not in writer.used and atom.span is not None:
                warnings.append(Diagnostic(
                    "redundant", f"'{_show(atom)}' changes nothing: other terms absorb it",
                    atom.span))
    if len(searches) > options.max_searches:
        raise _too_many(analysis, len(searches), options, at_least=False)
    warnings = _sorted_unique(warnings)
    return Plan(options.engine, tuple([Search(s) for s in searches]), tuple(warnings),
                options.ranges, best_effort)


@cache
def _minimal():
    """The minimality module, loaded when a plan first has two searches or more."""
    from talentql import minimal

    return minimal


_first = itemgetter(0)  # a filter's sort key, from its (key, filter) pair


def _in_order(filters: list[tuple[tuple[int, int], Filter]]) -> tuple[Filter, ...]:
    """A search's filters in source order."""
    if len(filters) > 1:
        filters = sorted(filters, key=_first)
    return tuple([f for _, f in filters])


def _unique(searches: list[tuple[Filter, ...]]) -> list[tuple[Filter, ...]]:
    if len(searches) < 2:
        return searches
    seen: dict[frozenset, tuple[Filter, ...]] = {}
    for s in searches:
        seen.setdefault(frozenset(s), s)
    return list(seen.values())


def _sorted_unique(warnings: list[Diagnostic]) -> list[Diagnostic]:
    if len(warnings) < 2:
        return warnings
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
