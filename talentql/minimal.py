"""Minimality: proving a plan has the fewest searches, or finding one that has.

The planner's structural cover is usually minimal already. ``prove_minimal`` shows it cheaply:
one witness talent per search that no other search admits, no two of which any single
expressible search could admit without admitting talents the query rejects. When the proof
fails and the query has at most ``EXACT_MAX_ATOMS`` distinct atoms, ``exact_cover`` searches
the truth table. Atoms are read as independent truth values throughout.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations, product

from talentql import logic
from talentql.logic import Atom
from talentql.searches import RANGE_TYPES, Conj, EngineModel, normalize, simplify

_MAX_FREE = 12  # atoms left open when checking a candidate search by enumeration
_MAX_CANDIDATES = 64  # candidate searches tried for one pair of witnesses


def generalize(conjs: list[Conj], model: EngineModel) -> list[Conj]:
    """Drop conditions a search does not need: those whose removal only adds talents that
    another search admits anyway. ``(A ∧ B) ∨ (A ∧ ¬B ∧ C)`` becomes ``(A ∧ B) ∨ (A ∧ C)``."""
    out = list(conjs)
    changed = True
    loosened = False
    while changed:
        changed = False
        for i, conj in enumerate(out):
            others = out[:i] + out[i + 1:]
            mine = conj.atoms() if conj.alts else conj.pos | conj.neg
            ranged = _has_range(mine)
            if not ranged and not any(o.pos <= mine and o.neg <= mine for o in others):
                continue  # flipping an atom never brings another search's atoms within reach
            alt_atoms = frozenset().union(*conj.alts)
            for atom in sorted(conj.neg, key=_order) + sorted(conj.pos, key=_order):
                # ``added``: the talents the looser search admits that this one does not.
                if atom in conj.neg:
                    added_pos, added_neg = conj.pos | {atom}, conj.neg - {atom}
                    looser_pos, looser_neg = conj.pos, added_neg
                else:
                    added_pos, added_neg = conj.pos - {atom}, conj.neg | {atom}
                    looser_pos, looser_neg = added_pos, conj.neg
                if not ranged and not _may_imply(added_pos | alt_atoms, added_neg, others):
                    continue
                added = Conj(added_pos, added_neg, conj.alts)
                if all(any(part.implies(o) for o in others) for part in normalize(added, model)):
                    out[i] = Conj(looser_pos, looser_neg, conj.alts)
                    changed = loosened = True
                    break
            if changed:
                break
    return simplify(out, model) if loosened else out  # the planner's cover came simplified


def _order(atom: Atom) -> int:
    return atom.order


def _has_range(atoms) -> bool:
    for a in atoms:
        if a.filter_type in RANGE_TYPES:
            return True
    return False


def _may_imply(reachable: frozenset, excluded: frozenset, others: list[Conj]) -> bool:
    """False when no part of a search can imply another search: a quick reject.

    A part of a search (``normalize`` may split it) keeps its exclusions and requires its
    atoms plus some of its alternatives (together: ``reachable``); to imply ``o`` it must
    exclude what ``o`` excludes and require what ``o`` requires. Without ranges, a search that
    flips one atom of a satisfiable search has at least one part, so when no ``o`` passes this
    test the generalization fails.
    """
    return any(o.neg <= excluded and o.pos <= reachable for o in others)


def prove_minimal(formula: logic.Formula, conjs: list[Conj], model: EngineModel,
                  atoms: list[Atom] | tuple[Atom, ...] | None = None) -> bool:
    """True when no plan with fewer searches exists (False: not proven, maybe not minimal).

    Each search gets a witness: a truth assignment it admits and no other search does. If no
    expressible search that stays inside the query admits two witnesses, every plan needs one
    search per witness.
    """
    if len(conjs) <= 1:
        return True
    atoms = list(atoms) if atoms else logic.atoms(formula)  # ``atoms``: logic.atoms(formula)
    if len(conjs) == 2 and _no_single_search(formula, atoms, conjs[0], conjs[1], model):
        return True
    families: dict[str, list[Atom]] = {}
    for a in atoms:
        families.setdefault(a.filter_type, []).append(a)

    def share(w1: dict, w2: dict) -> bool:
        return _share_a_search(w1, w2, formula, atoms, families, model)

    # Per search, two witnesses to try (spread first); the second is found only when needed.
    others = [conjs[:i] + conjs[i + 1:] for i in range(len(conjs))]
    spread = [_witness(conj, others[i], atoms, spread=True) for i, conj in enumerate(conjs)]
    if len(conjs) == 2 and None not in spread and not share(spread[0], spread[1]):
        return True
    options = []
    for i, conj in enumerate(conjs):
        if spread[i] is not None and len(conjs) > 2:
            options.append([spread[i]])  # beyond two searches, only the first witness is used
            continue
        found = [w for w in (spread[i], _witness(conj, others[i], atoms, spread=False))
                 if w is not None]
        if not found:
            return False
        options.append(found)
    if len(conjs) == 2:
        return any(not share(a, b) for a in options[0] for b in options[1])
    witnesses = [found[0] for found in options]
    return not any(share(a, b) for a, b in combinations(witnesses, 2))


def _no_single_search(formula, atoms: list[Atom], c1: Conj, c2: Conj,
                      model: EngineModel) -> bool:
    """True when no single search equals ``c1 ∨ c2`` (False: not shown; the witnesses try).

    A search S equal to the query admits all of ``c1`` and of ``c2``: it requires only atoms
    both require (P), excludes only atoms both exclude (N), and each of its alternative sets
    holds a clause of ``c1`` and one of ``c2`` of that family (a required atom or a set of
    alternatives). So S contains one of the candidates P ∧ ¬N ∧ (one such union per family);
    if no candidate stays inside the query, S cannot either. Atoms are independent here as in
    the witness proof; a range field with conditions in both searches is left to it.
    """
    pos, neg = c1.pos & c2.pos, c1.neg & c2.neg
    choices_by_family: list[list[frozenset[Atom]]] = []
    clauses1, clauses2 = _clauses(c1), _clauses(c2)
    for family, first in clauses1.items():
        second = clauses2.get(family)
        if not second:
            continue
        if family in RANGE_TYPES:
            return False  # ranges of one field combine into one set of values: not shown here
        if model.alternatives:
            choices_by_family.append([x | y for x in first for y in second])
    count = 1
    for choices in choices_by_family:
        count *= len(choices)
    if count > _MAX_CANDIDATES:
        return False
    return not any(_inside(formula, atoms, pos, neg, [alt for alt in alts if not alt & pos])
                   for alts in product(*choices_by_family))


def _clauses(conj: Conj) -> dict[str, list[frozenset[Atom]]]:
    """The positive clauses of a search by family: each required atom, each set of
    alternatives."""
    out: dict[str, list[frozenset[Atom]]] = {}
    for a in conj.pos:
        out.setdefault(a.filter_type, []).append(frozenset((a,)))
    for alt in conj.alts:
        out.setdefault(next(iter(alt)).filter_type, []).append(alt)
    return out


def _witness(conj: Conj, others: list[Conj], atoms: list[Atom],
             spread: bool) -> dict[Atom, bool] | None:
    """A truth assignment ``conj`` admits and no other search does. ``spread`` sets true the
    atoms other searches exclude, which keeps witnesses of different searches far apart."""
    fixed = {a: True for a in conj.pos} | {a: False for a in conj.neg}
    if spread:
        fixed = {a: True for o in others for a in o.neg if a not in fixed} | fixed
    for alt in conj.alts:
        if not any(fixed.get(a) for a in alt):
            choice = next((a for a in sorted(alt, key=_order) if a not in fixed), None)
            if choice is None:
                return None
            fixed[choice] = True
    free = [a for a in atoms if a not in fixed]
    if len(free) > _MAX_FREE:
        return None
    value, full = _valuation(fixed, free)
    admitted_elsewhere = 0
    for o in others:
        admitted_elsewhere |= _conj_mask(o, value, full)
    rows = full & ~admitted_elsewhere
    if not rows:
        return None
    row = (rows & -rows).bit_length() - 1  # the first such assignment
    return fixed | {a: bool(row >> i & 1) for i, a in enumerate(free)}


def _share_a_search(w1: dict, w2: dict, formula, atoms: list[Atom],
                    families: dict[str, list[Atom]], model: EngineModel) -> bool:
    """Whether one expressible search inside the query admits both witnesses (True when unsure).

    Every expressible search admitting both contains one of the candidates built here, per
    family: the agreed values required (and, with alternatives, a pair of alternatives, one
    true in each witness); agreed falsehoods excluded. So it suffices to test the candidates.
    """
    options_by_family = []
    for family, members in families.items():
        both = [a for a in members if w1[a] and w2[a]]
        neither = frozenset(a for a in members if not w1[a] and not w2[a])
        only1 = [a for a in members if w1[a] and not w2[a]]
        only2 = [a for a in members if w2[a] and not w1[a]]
        options = [(frozenset(both), neither, None)]
        if only1 and only2 and (model.alternatives or family in RANGE_TYPES):
            if family in RANGE_TYPES:
                return True  # several alternative sets could combine here: not proven
            options += [(frozenset(), neither, frozenset((y, z))) for y in only1 for z in only2]
        options_by_family.append(options)
    count = 1
    for options in options_by_family:
        count *= len(options)
    if count > _MAX_CANDIDATES:
        return True
    for choice in product(*options_by_family):
        pos = frozenset().union(*(c[0] for c in choice))
        neg = frozenset().union(*(c[1] for c in choice))
        alts = [c[2] for c in choice if c[2] is not None]
        if _inside(formula, atoms, pos, neg, alts):
            return True
    return False


def _inside(formula, atoms: list[Atom], pos, neg, alts) -> bool:
    """Whether every assignment the candidate admits satisfies the formula."""
    # First one assignment the candidate admits (its atoms true, one per set of alternatives,
    # all else false): most candidates that are not inside fail there already.
    point = set(pos)
    point.update(min(alt, key=_order) for alt in alts if not alt & point)
    if point.isdisjoint(neg) and not logic.evaluate(formula, point.__contains__):
        return False
    free = [a for a in atoms if a not in pos and a not in neg]
    if len(free) > _MAX_FREE:
        return True  # too many to check: assume it might be, and let the exact search decide
    value, full = _valuation({a: True for a in pos} | {a: False for a in neg}, free)
    admitted = full
    for alt in alts:
        admitted &= _any_mask(alt, value)
    return admitted & ~formula_mask(formula, value, full) == 0


# --- Truth tables as integers: bit r of a mask is the value in assignment r ---------------


@cache
def patterns(count: int) -> tuple[int, ...]:
    """For ``count`` free atoms: the mask of assignments in which atom i is true, per i."""
    rows = 1 << count
    all_rows = (1 << rows) - 1
    out = []
    for i in range(count):
        half = 1 << i
        period = (1 << (2 * half)) - 1
        out.append((((1 << half) - 1) << half) * (all_rows // period))
    return tuple(out)


def _valuation(fixed: dict[Atom, bool], free: list[Atom]) -> tuple[dict[Atom, int], int]:
    full = (1 << (1 << len(free))) - 1
    value = {a: full if v else 0 for a, v in fixed.items()}
    value.update(zip(free, patterns(len(free))))
    return value, full


def formula_mask(node, value: dict[Atom, int], full: int) -> int:
    """The assignments in which ``node`` holds, all at once."""
    if isinstance(node, Atom):
        return value[node]
    if isinstance(node, logic.Not):
        return full & ~formula_mask(node.operand, value, full)
    if isinstance(node, logic.And):
        out = full
        for item in node.items:
            out &= formula_mask(item, value, full)
        return out
    out = 0
    for item in node.items:
        out |= formula_mask(item, value, full)
    return out


def _any_mask(alt, value: dict[Atom, int]) -> int:
    out = 0
    for a in alt:
        out |= value[a]
    return out


def _conj_mask(conj: Conj, value: dict[Atom, int], full: int) -> int:
    out = full
    for a in conj.pos:
        out &= value[a]
    for a in conj.neg:
        out &= full & ~value[a]
    for alt in conj.alts:
        out &= _any_mask(alt, value)
    return out


EXACT_MAX_ATOMS = 8  # minimality is guaranteed up to this many distinct atoms (LANGUAGE.md §5)
_EXACT_NODE_BUDGET = 50_000  # search steps for the exact cover before settling for best effort


def exact_cover(formula: logic.Formula, model: EngineModel,
                bound: list[Conj]) -> tuple[list[Conj], bool]:
    """A cover with fewer searches (or as many with fewer filters) than ``bound``, if one exists.

    Atoms are read as independent truth values; every search a model can express is a
    conjunction of per-family clauses, enumerated here with bit masks over the truth table.
    Returns (conjunctions, complete) where complete is False when the search budget ran out.
    """
    atoms_ = logic.atoms(formula)
    value, full = _valuation({}, atoms_)
    masks = [value[a] for a in atoms_]
    wanted = formula_mask(formula, value, full)
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
