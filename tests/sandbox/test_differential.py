"""The differential test: the compiler's plan, run on the sandbox, finds exactly the talents for
which the query's formula is true — evaluated directly over the pool with the pure matcher.

For random TQL queries built from values that occur in the pool (so results are not trivially
empty), under both engine models: compile, run every search of the plan to exhaustion, union the
ids; compare with ``evaluate(analyze(text).formula, matches)``. The compiler's free range mode
(years sent as one "min-max" value) is checked too. Bucket widening (a
``range-widened`` warning) may only add talents; a gating preference (``preference-gates``) may
only remove some.
"""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

import talentql
from talentql import logic
from talentql.errors import CompileError
from talentql.sandbox.match import matches

pytestmark = pytest.mark.slow

# Per engine model: 200 queries, under a minute on two cores. For a longer hunt:
# TALENTQL_DIFFERENTIAL_EXAMPLES=2000 TALENTQL_DIFFERENTIAL_RANDOM=1 pytest tests/sandbox -k plan_union
# (TALENTQL_DIFFERENTIAL_LEAVES=10 for bigger queries).
EXAMPLES = int(os.environ.get("TALENTQL_DIFFERENTIAL_EXAMPLES", "100"))
DERANDOMIZE = not os.environ.get("TALENTQL_DIFFERENTIAL_RANDOM")


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def values(talents):
    """Values that occur in the pool, per field (sorted: the strategies must be reproducible)."""
    rng = random.Random(5)
    sample = rng.sample(talents, 400)

    def pick(items, n=40):
        items = sorted(set(items))
        return rng.sample(items, min(n, len(items)))

    title_words = {w for t in sample for w in t["jobTitle"].split()}
    return PoolValues({
        "title": pick(t["jobTitle"] for t in sample) + pick(title_words, 12),
        "title_past": pick(e["title"] for t in sample for e in t["experiences"]),
        "company": pick(e["organizationName"] for t in sample for e in t["experiences"])
        + ["magnificent seven", "fortune 500", "yc startups", "cac40", "french tech 120"],
        "city": pick((t["city"] for t in sample), 25),
        "country": pick((t["country"] for t in sample), 12),
        "citycountry": pick((f"{t['city']}, {t['country']}" for t in sample), 25),
        "skill": pick(s for t in sample for s in t["skills"]),
        "kw": pick(w for t in sample for w in t["headline"].split() if w.isalpha()),
        "lang": pick(x["name"] for t in sample for x in t["languages"]),
        "proficiency": pick(x["proficiency"] for t in sample for x in t["languages"])
        + pick((f"{x['name']} {x['proficiency']}" for t in sample for x in t["languages"]), 10),
        "industry": pick(t["sandbox"]["companyIndustry"] for t in sample),
        "school": pick(e["schoolName"] for t in sample for e in t["educations"])
        + ["top 100 world", "top 10 us universities", "top 10 french engineering schools",
           "university"],
        "cert": pick(c for t in sample for c in t["certifications"]),
        "gradyear": pick(int(e["endDate"][:4]) for t in sample for e in t["educations"]),
    })


class PoolValues(dict):
    """The value table, with a short repr (hypothesis prints strategy arguments)."""

    def __repr__(self) -> str:
        return "<pool values>"


RANGES = ["0-1", "1-3", "3-5", "5-10", "10-15", "3-10", "4-12", "5+", ">8", "<3", "2..6",
          "15+", "20-30", "0-2"]
SIZES = ["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+",
         "100-300", "1001+", "<51", "51-500"]


@st.composite
def terms(draw, values):
    kind = draw(st.sampled_from([
        "title", "title", "company", "location", "yoe", "tenure", "skill", "skill", "kw",
        "lang", "proficiency", "size", "industry", "degree", "school", "cert", "seniority",
        "gradyear", "network",
    ]))
    exact = draw(st.booleans()) and draw(st.booleans())
    op = "=" if exact else ":"
    if kind == "title":
        history = draw(st.sampled_from(["", "", "@past", "@any", "@current"]))
        pool = values["title_past"] if history == "@past" and draw(st.booleans()) else values["title"]
        return f"title{history}{op}{quote(draw(st.sampled_from(pool)))}"
    if kind == "company":
        history = draw(st.sampled_from(["", "@past", "@any"]))
        return f"company{history}{op}{quote(draw(st.sampled_from(values['company'])))}"
    if kind == "location":
        source = draw(st.sampled_from(["city", "country", "citycountry"]))
        place = quote(draw(st.sampled_from(values[source])))
        if draw(st.booleans()):
            return f"location:{place}~{draw(st.sampled_from([5, 20, 50, 150, 400]))}km"
        return f"location{op}{place}"
    if kind in ("yoe", "tenure"):
        return f"{kind}:{draw(st.sampled_from(RANGES))}"
    if kind == "size":
        return f"size:{draw(st.sampled_from(SIZES))}"
    if kind == "degree":
        return f"degree:{draw(st.sampled_from(['bachelors', 'masters', 'phd', 'msc']))}"
    if kind == "seniority":
        return "seniority:freelance"
    if kind == "network":
        return f"network:{draw(st.sampled_from(['1st', 'invited']))}"
    if kind == "gradyear":
        year = draw(st.sampled_from(values["gradyear"]))
        span = draw(st.sampled_from([0, 0, 2, 5]))
        return f"gradyear:{year}" if not span else f"gradyear:{year}-{year + span}"
    return f"{kind}{op}{quote(draw(st.sampled_from(values[kind])))}"


def queries(values):
    leaf = terms(values)

    def extend(children):
        return st.one_of(
            st.tuples(children, children).map(lambda ab: f"({ab[0]} AND {ab[1]})"),
            st.tuples(children, children).map(lambda ab: f"({ab[0]} OR {ab[1]})"),
            st.tuples(children, children).map(lambda ab: f"{ab[0]} {ab[1]}"),
            children.map(lambda a: f"NOT {a}"),
        )

    leaves = int(os.environ.get("TALENTQL_DIFFERENTIAL_LEAVES", "5"))
    body = st.recursive(leaf, extend, max_leaves=leaves)
    preference = st.one_of(st.just(""), st.just(""), st.just(""), leaf.map(lambda t: f" ?{t}"))
    return st.tuples(body, preference).map(lambda bp: bp[0] + bp[1])


@pytest.fixture(scope="module")
def oracle(talents):
    cache: dict[str, frozenset[str]] = {}

    def truth_set(atom) -> frozenset[str]:
        filter_ = atom.to_filter().to_json()
        key = repr(sorted(filter_.items()))
        if key not in cache:
            cache[key] = frozenset(t["id"] for t in talents if matches(filter_, t))
        return cache[key]

    def expected(text: str) -> set[str]:
        formula = talentql.analyze(text).formula
        sets = {atom: truth_set(atom) for atom in logic.atoms(formula)}
        return {t["id"] for t in talents
                if logic.evaluate(formula, lambda atom, i=t["id"]: i in sets[atom])}

    expected.talents = talents
    return expected


def check(text: str, model: str, collect, oracle, *, in_hypothesis: bool = True,
          ranges: str = "buckets") -> int:
    """Compare plan and formula for one query; returns how many talents the formula admits."""
    try:
        plan = talentql.compile(text, engine=model, ranges=ranges)
    except CompileError as error:
        codes = {d.code for d in error.diagnostics}
        if in_hypothesis:
            assume(codes == {"too-many-searches"})  # a legitimate refusal; else a bug
            return 0
        raise
    got: set[str] = set()
    for search in plan.searches:
        got |= collect(search.request_body(), model=plan.engine, page_limit=20)
    want = oracle(text)
    warnings = {w.code for w in plan.warnings}
    report = (f"query: {text}\nengine: {model}\nwarnings: {sorted(warnings)}\n"
              f"searches: {plan.to_json()['searches']}\n"
              f"missing: {sorted(want - got)[:5]}\nextra: {sorted(got - want)[:5]}")
    if in_hypothesis:
        note(report)
    widened = "range-widened" in warnings
    gating = "preference-gates" in warnings
    if widened and gating:
        return len(want)
    if widened:
        assert want <= got, report
    elif gating:
        assert got <= want, report
    else:
        assert got == want, report
    return len(want)


@pytest.mark.parametrize(("model", "ranges", "examples"), [
    ("gate", "buckets", EXAMPLES), ("strict", "buckets", EXAMPLES),
    ("gate", "free", max(1, EXAMPLES * 2 // 5)),
])
def test_plan_union_equals_formula(model, ranges, examples, values, collect, oracle):
    @settings(max_examples=examples, deadline=None, derandomize=DERANDOMIZE, database=None,
              suppress_health_check=list(HealthCheck))
    @given(queries(values))
    def run(text):
        sizes.append(check(text, model, collect, oracle, ranges=ranges))

    sizes: list[int] = []
    run()
    # The queries must exercise the engine: most find someone, and not everyone.
    found = [n for n in sizes if 0 < n < len(oracle.talents)]
    assert len(found) >= len(sizes) // 3, f"too many trivial queries: {sorted(sizes)[:20]}"


EXAMPLES_FIXED = [
    'title:"Product Designer" AND location:"Paris, France"~50km AND yoe:5-10 NOT company:Google',
    '(title:Designer OR title:"UX Designer") lang:French ?skill:Figma',
    'title:CTO OR company:"yc startups"',
    'NOT (company:Google OR company:Meta) title:Engineer',
    'skill:Rust AND NOT skill:Rust',
    'company@any:"magnificent seven" -company:"magnificent seven"',
    'yoe:4-12 size:100-300',
    'NOT yoe:4-12 title:engineer',
    'school:"top 100 world" OR school:"top 10 french business schools" degree:masters',
    'gradyear:2014-2018 network:1st',
]


@pytest.mark.parametrize("model", ["gate", "strict"])
@pytest.mark.parametrize("text", EXAMPLES_FIXED)
def test_documented_examples(text, model, collect, oracle):
    check(text, model, collect, oracle, in_hypothesis=False)
