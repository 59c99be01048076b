"""Properties of the compiler, checked on generated inputs (hypothesis).

- random ASTs → format → parse gives the same AST;
- random text of operators, quotes, parentheses and unicode never raises anything but the
  project's diagnostics;
- the plan means the query: on every assignment of truth values to the terms (and of values to
  the range fields), the union of the plan's searches, read under the engine model's meaning of
  a search, is true exactly where the query's formula is.
"""

from __future__ import annotations

import itertools
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import talentql
from talentql import logic
from talentql.errors import CompileError
from talentql.fields import FIELDS, FIELDS_BY_NAME
from talentql.syntax import ast
from talentql.syntax.format import format_program
from talentql.syntax.parser import parse

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# --- random ASTs -----------------------------------------------------------------------------

_text_chars = st.characters(codec="utf-8", categories=("L", "N", "P", "S"),
                            exclude_characters="\x00")
value_text = st.text(_text_chars, min_size=1, max_size=8).flatmap(
    lambda a: st.sampled_from([a, a + " " + a[::-1], a + "-x", "C++", ".NET", ">=5", "5-10"]))
values = value_text.map(lambda t: ast.Value(" ".join(t.split())))
values = values.filter(lambda v: v.text != "")
canonical_fields = st.sampled_from([f.name for f in FIELDS])
unknown_fields = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda name: name not in FIELDS_BY_NAME)
field_names = st.one_of(canonical_fields, unknown_fields)
histories = st.one_of(st.none(), st.from_regex(r"[a-z]{0,6}", fullmatch=True))
radii = st.one_of(st.none(), st.from_regex(r"[0-9a-z]{0,5}", fullmatch=True).map(ast.Radius))
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)

terms = st.builds(ast.Term, st.one_of(st.none(), field_names), values, st.booleans(), histories,
                  radii)
terms = terms.map(lambda t: t if t.field is not None else ast.Term(None, t.value, radius=t.radius))
group_values = st.builds(ast.GroupValue, values, radii)


def _flat(cls, items):
    out = []
    for item in items:
        out.extend(item.items if isinstance(item, cls) else (item,))
    return cls(tuple(out))


def boolean(children):
    return st.one_of(
        st.lists(children, min_size=2, max_size=3).map(lambda xs: _flat(ast.And, xs)),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: _flat(ast.Or, xs)),
        children.map(ast.Not),
        children.map(ast.Prefer),
    )


group_bodies = st.recursive(group_values, boolean, max_leaves=4).filter(
    lambda body: not isinstance(body, ast.GroupValue))
groups = st.builds(ast.FieldGroup, field_names, group_bodies, st.booleans(), histories, radii)
leaves = st.one_of(terms, terms, groups, names.map(ast.Var))
queries = st.recursive(leaves, boolean, max_leaves=6)
programs = st.builds(
    ast.Program,
    st.lists(st.one_of(st.builds(ast.Let, names, queries),
                       st.builds(ast.Import, st.text(_text_chars, max_size=6))), max_size=2)
    .map(tuple),
    st.one_of(st.none(), queries),
)


@SETTINGS
@given(programs)
def test_format_then_parse_gives_the_same_ast(program):
    text = format_program(program, "")
    parsed, problems = parse(text)
    assert not problems, (text, problems)
    assert parsed == program, text


@SETTINGS
@given(programs)
def test_format_is_idempotent(program):
    once = format_program(program, "")
    assert talentql.format(once) == once


# --- random text never breaks the compiler ------------------------------------------------------

_pieces = st.sampled_from([
    "title:", "title=", "company@past:", "location:", "yoe:", "x", "Paris", "5-10", "5", "~5km",
    "~", "AND", "OR", "NOT", "and", "&&", "||", "!", "-", "+", "?", "(", ")", '"', '\\"', "\\",
    "$", "$a", "let a =", "import", '"f.tql"', "#", "\n", " ", "é", "東京", "\t", ":", "=", "@",
    ">=", "<", ".", "..", "'", "gradyear:", "size:", "degree:", "network=", "?(", "-(",
])
noise = st.lists(st.one_of(_pieces, st.text(max_size=3)), max_size=14).map("".join)


@settings(max_examples=600, deadline=None)
@given(noise)
def test_any_text_yields_a_plan_or_diagnostics(text):
    for engine in ("gate", "strict"):
        try:
            plan = talentql.compile(text, engine=engine)
        except CompileError as error:
            assert error.diagnostics and all(d.code for d in error.diagnostics)
            for d in error.diagnostics:
                assert 1 <= d.span.line and 1 <= d.span.column
                d.render({"<query>": text})
        else:
            assert plan.to_json()["engine"] == engine
    try:
        talentql.format(text)
    except CompileError as error:
        assert error.diagnostics[0].code == "syntax"


# --- the plan means the query ----------------------------------------------------------------

TERMS = ["title:A", "title:B", "title:C", "company:X", "company:Y", "skill:S", "skill:T",
         "yoe:3-10", "yoe:5+", "yoe:0-1", "yoe:4-12", "size:11-50", "size:40-600",
         "gradyear:2019-2020", "title=A", "company@past:X"]
PREFS = ["skill:S", "title:B", "skill:U", "yoe:10-15", "company:Y"]
RANGE_POINTS = [0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 15, 20, 40, 50, 200, 501, 600, 601, 5000]

leaf_text = st.sampled_from(TERMS)
formula_text = st.recursive(
    leaf_text,
    lambda c: st.one_of(
        st.tuples(c, c).map(lambda t: f"({t[0]} {t[1]})"),
        st.tuples(c, c).map(lambda t: f"({t[0]} OR {t[1]})"),
        c.map(lambda x: f"NOT {x}"),
    ),
    max_leaves=6,
)
query_text = st.tuples(formula_text, st.lists(st.sampled_from(PREFS), max_size=2)).map(
    lambda t: t[0] + "".join(f" ?{p}" for p in t[1]))


def _key(f):
    return (f.filter_type, f.value if f.is_exact_match else f.value.casefold(), f.is_exact_match,
            f.history, f.radius)


def _in_range(text, n):
    low, _, high = text.partition("-")
    if text.endswith("+"):
        return n >= int(text[:-1])
    return int(low) <= n <= int(high)


def _admits(search, holds, model):
    families = {}
    for f in search.filters:
        families.setdefault(f.filter_type, []).append(f)
    for family in families.values():
        if any(f.is_excluded and holds(f) for f in family):
            return False
        required = [f for f in family if f.is_required and not f.is_excluded]
        optional = [f for f in family if not f.is_required and not f.is_excluded]
        if not all(holds(f) for f in required):
            return False
        if model == "gate" and not required and optional and not any(holds(f) for f in optional):
            return False
    return True


RANGE_TYPES = {"YEARS_OF_EXPERIENCE": "yoe", "COMPANY_SIZE": "size"}


def _assignments(text_atoms, range_types, rng):
    combos = list(itertools.product((False, True), repeat=len(text_atoms)))
    if len(combos) > 128:
        combos = [tuple(rng.random() < 0.5 for _ in text_atoms) for _ in range(128)]
    for truth in combos:
        for values in itertools.product(*(_points(t) for t in range_types)):
            yield dict(zip(text_atoms, truth)), dict(zip(range_types, values))


def _points(filter_type):
    """The range points a talent can have in this field (years run 0 to 100)."""
    from talentql.searches import DOMAIN

    domain = DOMAIN[filter_type]
    return [n for n in RANGE_POINTS if domain.low <= n <= domain.high]


def check_plan_means_query(text, engine):
    try:
        analysis = talentql.analyze(text)
        plan = talentql.compile(text, engine=engine, max_searches=64)
    except CompileError as error:
        assert [d.code for d in error.diagnostics] == ["too-many-searches"], error.diagnostics
        return
    codes = {w.code for w in plan.warnings}
    if "preference-gates" in codes:
        return  # the API itself gates on a lone preference: the compiler warned
    widened = "range-widened" in codes
    atoms = logic.atoms(analysis.formula) if analysis.formula is not None else []
    assert list(analysis.atoms) == atoms  # the checker's record of them is the same
    atoms += [a for a in analysis.preferences if a not in atoms]
    text_atoms = [a for a in atoms if not a.is_range]
    keys = {_key(a.to_filter()): a for a in text_atoms}
    range_types = sorted({a.filter_type for a in atoms if a.is_range})
    rng = random.Random(text)
    for truth, numbers in _assignments(text_atoms, range_types, rng):
        def atom_holds(atom):
            if atom.is_range:
                n = numbers[atom.filter_type]
                return atom.low <= n and (atom.high is None or n <= atom.high)
            return truth[atom]

        def filter_holds(f):
            if f.filter_type in numbers:
                return _in_range(f.value, numbers[f.filter_type])
            return truth[keys[_key(f)]]

        want = True if analysis.formula is None else logic.evaluate(analysis.formula, atom_holds)
        got = any(_admits(s, filter_holds, engine) for s in plan.searches)
        if widened:
            assert got or not want, (text, engine, truth, numbers)
        else:
            assert got == want, (text, engine, truth, numbers, plan.to_json())


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text)
def test_plan_means_the_query_gate(text):
    check_plan_means_query(text, "gate")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text)
def test_plan_means_the_query_strict(text):
    check_plan_means_query(text, "strict")


def check_minimality_proof(text, engine):
    """When the planner proves its cover minimal, the exhaustive search finds none smaller."""
    from talentql.minimal import EXACT_MAX_ATOMS, exact_cover, generalize, prove_minimal
    from talentql.plan import TooManySearches, _Planner
    from talentql.searches import MODELS

    analysis = talentql.analyze(text)
    if analysis.formula is None or len(logic.atoms(analysis.formula)) > EXACT_MAX_ATOMS:
        return
    model = MODELS[engine]
    try:
        conjs = _Planner(model, limit=256).cover(analysis.formula)
    except TooManySearches:
        return
    conjs = generalize(conjs, model)
    if len(conjs) >= 2 and prove_minimal(analysis.formula, conjs, model):
        smaller, complete = exact_cover(analysis.formula, model, conjs)
        assert not complete or len(smaller) >= len(conjs), (text, engine, conjs, smaller)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text)
def test_proven_minimal_plans_are_minimal(text):
    check_minimality_proof(text, "gate")
    check_minimality_proof(text, "strict")


def test_plan_examples_mean_their_query():
    for text in ["NOT (title:A title:B)", "-company:(X Y) title:A", "(yoe:3-10 NOT yoe:3-5) skill:S",
                 "title:(A OR B) ?title:C", "(title:A OR skill:S) (company:X OR title:B)",
                 "NOT yoe:4-12 title:A", "yoe:0-1 OR yoe:10+"]:
        check_plan_means_query(text, "gate")
        check_plan_means_query(text, "strict")


def test_ranges_in_the_generator_parse():
    for term in TERMS:
        assert re.match(r"\w", term) and talentql.compile(term)


# --- the lean LALR driver agrees with Lark's own parser --------------------------------------

def _everything(node):
    """A node with every field, spans and quoting included (equality leaves those out)."""
    import dataclasses

    if dataclasses.is_dataclass(node):
        return (type(node).__name__,
                tuple(_everything(getattr(node, f.name)) for f in dataclasses.fields(node)))
    if isinstance(node, tuple):
        return tuple(_everything(x) for x in node)
    return node


def _both(text):
    from talentql.syntax import lalr
    from talentql.syntax.parser import _builder, _current, _parser

    token = _current.set((text, "<query>"))
    try:
        try:
            fast = lalr.parse(text, _builder())
        except lalr.Fallback:
            fast = "fallback"
        except Exception as error:  # noqa: BLE001 - a builder error on both sides compares
            fast = type(error).__name__
        try:
            slow = _parser().parse(text)
        except Exception as error:  # noqa: BLE001
            slow = type(error).__name__
    finally:
        _current.reset(token)
    return fast, slow


@SETTINGS
@given(programs)
def test_lean_driver_builds_what_lark_builds(program):
    text = format_program(program, "")
    fast, slow = _both(text)
    assert fast != "fallback", text
    assert _everything(fast) == _everything(slow), text


@settings(max_examples=600, deadline=None)
@given(noise)
def test_lean_driver_falls_back_exactly_when_lark_fails(text):
    fast, slow = _both(text)
    if fast == "fallback":
        assert not isinstance(slow, ast.Program), text
    else:
        assert _everything(fast) == _everything(slow), text


# --- fast paths agree with the general ones ---------------------------------------------------

def _atom(filter_type, value, low=None, high=None, order=0):
    return logic.Atom(filter_type, value, low=low, high=high, order=order)


_POOL = [_atom("JOB_TITLE", "A", order=1), _atom("JOB_TITLE", "B", order=2),
         _atom("JOB_TITLE", "C", order=3), _atom("SKILL", "S", order=4),
         _atom("SKILL", "T", order=5), _atom("LOCATION", "L", order=6),
         _atom("YEARS_OF_EXPERIENCE", "3-5", 3, 5, order=7),
         _atom("YEARS_OF_EXPERIENCE", "5-10", 5, 10, order=8)]
_subsets = st.sets(st.sampled_from(_POOL), max_size=4).map(frozenset)
_families = [[a for a in _POOL if a.filter_type == t] for t in ("JOB_TITLE", "SKILL",
                                                                   "YEARS_OF_EXPERIENCE")]
_alternatives = st.sampled_from(_families).flatmap(  # two or more atoms of one family
    lambda family: st.sets(st.sampled_from(family), min_size=2).map(frozenset))


def _conj(pos, neg, alts):
    from talentql.searches import Conj

    return Conj(pos, neg, frozenset(alts))


conjunctions = st.builds(_conj, _subsets, _subsets, st.sets(_alternatives, max_size=2))


@settings(max_examples=400, deadline=None)
@given(conjunctions, st.sampled_from(["gate", "strict"]))
def test_expressible_conjunctions_normalize_to_themselves(conj, engine):
    from talentql.searches import MODELS, _expressible, _normalize

    model = MODELS[engine]
    if _expressible(conj, model):
        assert _normalize(conj, model) == [conj]
