"""TalentQL's whole compile pipeline beside luqum's Lucene parser, on the same corpus.

    pip install '.[bench]'    # luqum
    python benchmarks/compile_vs_luqum.py [--queries 1000] [--rounds 5] [--seed 7]

A deterministic generator writes recruiter queries as pairs: the TQL text and the equivalent
Lucene text (same fields, values, operators, groups and ranges). The mix follows how sourcers
write boolean searches: mostly one role with its location, experience, skills, exclusions and a
preference; some keyword and company-led searches; some alternatives across fields (which need
several searches); and a share of free boolean combinations of anything. TalentQL runs
parse + check + plan (``talentql.compile``); luqum runs its parse alone. Both see every query of
the corpus in each round, interleaved by chunks of 25 queries (so a noisy neighbour slows both
sides alike); the best and median rounds are reported with their ratio, and the median by
shape of query.
Target (issue 2): TalentQL's full pipeline faster than luqum's parse (aim for 2x).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

TITLES = ["Product Designer", "UX Designer", "Software Engineer", "Data Scientist", "CTO",
          "Engineering Manager", "Staff Engineer", "Product Manager", "DevOps Engineer",
          "Data Engineer", "Sales Director", "Account Executive", "Recruiter", "iOS Developer"]
COMPANIES = ["Google", "Meta", "Stripe", "Datadog", "Doctolib", "Revolut", "Spotify", "Airbnb",
             "Shopify", "Adyen", "Criteo", "Mistral", "BlaBlaCar", "Qonto"]
CITIES = ["Paris", "London", "Berlin", "Lyon", "Amsterdam", "New York", "Madrid", "Lisbon"]
SKILLS = ["Python", "Figma", "React", "Go", "Rust", "Kubernetes", "SQL", "Node.js", "Swift",
          "TypeScript", "Spark", "Machine Learning"]
LANGS = ["French", "English", "German", "Spanish", "Italian"]
RANGES = [(0, 1), (1, 3), (3, 5), (5, 10), (10, 15), (3, 10), (5, 20), (2, 8)]


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def term(rng: random.Random) -> tuple[str, str]:
    """One term as (TQL, Lucene)."""
    kind = rng.choice(["title", "title", "company", "location", "skill", "skill", "yoe", "lang",
                       "keyword", "group"])
    if kind == "title":
        v = _quoted(rng.choice(TITLES))
        return f"title:{v}", f"title:{v}"
    if kind == "company":
        v = _quoted(rng.choice(COMPANIES))
        if rng.random() < 0.3:
            return f"company@past:{v}", f"past_company:{v}"
        return f"company:{v}", f"company:{v}"
    if kind == "location":
        v = _quoted(rng.choice(CITIES))
        if rng.random() < 0.5:
            km = rng.choice([10, 25, 50, 100])
            return f"location:{v}~{km}km", f"location:{v}~{min(2, km // 25)}"
        return f"location:{v}", f"location:{v}"
    if kind == "skill":
        v = _quoted(rng.choice(SKILLS))
        return f"skill:{v}", f"skill:{v}"
    if kind == "yoe":
        low, high = rng.choice(RANGES)
        if rng.random() < 0.3:
            return f"yoe:{low}+", f"yoe:[{low} TO *]"
        return f"yoe:{low}-{high}", f"yoe:[{low} TO {high}]"
    if kind == "lang":
        v = rng.choice(LANGS)
        return f"lang:{v}", f"lang:{v}"
    if kind == "keyword":
        v = _quoted(rng.choice(SKILLS + ["B2B SaaS", "fintech", "remote"]))
        return v, v
    field, pool = rng.choice([("title", TITLES), ("company", COMPANIES), ("skill", SKILLS)])
    values = [_quoted(v) for v in rng.sample(pool, rng.randint(2, 4))]
    inner = " OR ".join(values)
    return f"{field}:({inner})", f"{field}:({inner})"


def _group(field: str, pool: list[str], rng: random.Random, most: int = 3) -> tuple[str, str]:
    values = [_quoted(v) for v in rng.sample(pool, rng.randint(1, most))]
    text = values[0] if len(values) == 1 else "(" + " OR ".join(values) + ")"
    return f"{field}:{text}", f"{field}:{text}"


def _join(parts: list[tuple[str, str]]) -> tuple[str, str]:
    return " ".join(p[0] for p in parts), " AND ".join(p[1] for p in parts)


def role_search(rng: random.Random) -> tuple[str, str]:
    """One role: titles, where, how senior, which skills, who not, what would be nice."""
    parts = [_group("title", TITLES, rng)]
    if rng.random() < 0.7:
        city = _quoted(rng.choice(CITIES))
        if rng.random() < 0.6:
            km = rng.choice([10, 25, 50, 100])
            parts.append((f"location:{city}~{km}km", f"location:{city}~{min(2, km // 25)}"))
        else:
            parts.append((f"location:{city}", f"location:{city}"))
    if rng.random() < 0.5:
        low, high = rng.choice(RANGES)
        parts.append((f"yoe:{low}-{high}", f"yoe:[{low} TO {high}]"))
    if rng.random() < 0.6:
        parts.append(_group("skill", SKILLS, rng))
    if rng.random() < 0.15:
        lang = rng.choice(LANGS)
        parts.append((f"lang:{lang}", f"lang:{lang}"))
    if rng.random() < 0.1:
        company = _quoted(rng.choice(COMPANIES))
        parts.append((f"company@past:{company}", f"past_company:{company}"))
    if rng.random() < 0.3:
        t, lu = _group("company", COMPANIES, rng, most=2)
        parts.append((f"NOT {t}", f"NOT {lu}"))
    if rng.random() < 0.25:
        skill = _quoted(rng.choice(SKILLS))
        parts.append((f"?skill:{skill}", f"skill:{skill}^2"))
    return _join(parts)


def keyword_search(rng: random.Random) -> tuple[str, str]:
    words = [_quoted(w) for w in rng.sample(SKILLS + ["B2B SaaS", "fintech", "remote"], 2)]
    parts = [(w, w) for w in words]
    if rng.random() < 0.6:
        city = _quoted(rng.choice(CITIES))
        parts.append((f"location:{city}", f"location:{city}"))
    return _join(parts)


def company_search(rng: random.Random) -> tuple[str, str]:
    values = [_quoted(v) for v in rng.sample(COMPANIES, rng.randint(2, 4))]
    group = "(" + " OR ".join(values) + ")"
    parts = [(f"company@any:{group}", f"any_company:{group}"), _group("title", TITLES, rng, 2)]
    if rng.random() < 0.5:
        parts.append((f"NOT company:{group}", f"NOT company:{group}"))
    return _join(parts)


def alternatives(rng: random.Random) -> tuple[str, str]:
    """Alternatives across fields: several searches, as recruiters do write them."""
    shape = rng.random()
    city = _quoted(rng.choice(CITIES))
    if shape < 0.4:  # a title, or a company known for that role
        t, lu = _group("title", TITLES, rng, 2)
        c = _quoted(rng.choice(COMPANIES))
        return (f"({t} OR company:{c}) location:{city}",
                f"({lu} OR company:{c}) AND location:{city}")
    if shape < 0.7:  # a title, or a skill set
        t, lu = _group("title", TITLES, rng, 2)
        a, b = (_quoted(x) for x in rng.sample(SKILLS, 2))
        return f"{t} OR (skill:{a} skill:{b})", f"{lu} OR (skill:{a} AND skill:{b})"
    t1, l1 = _group("title", TITLES, rng, 1)
    t2, l2 = _group("title", TITLES, rng, 1)
    c1, c2 = (_quoted(x) for x in rng.sample(CITIES, 2))
    return (f"({t1} location:{c1}) OR ({t2} location:{c2})",
            f"({l1} AND location:{c1}) OR ({l2} AND location:{c2})")


SHAPES = (("role", 0.55, role_search), ("keyword", 0.10, keyword_search),
          ("company", 0.10, company_search), ("alternatives", 0.15, alternatives),
          ("free boolean", 0.10, None))  # None: free_boolean, defined below


def query(rng: random.Random) -> tuple[str, str, str]:
    """One query as (shape, TQL, Lucene)."""
    roll = rng.random()
    for name, weight, make in SHAPES:
        if roll < weight:
            return (name, *(make(rng) if make else free_boolean(rng)))
        roll -= weight
    return ("free boolean", *free_boolean(rng))


def free_boolean(rng: random.Random) -> tuple[str, str]:
    """A query of 1 to 6 terms joined by AND / OR / NOT, sometimes grouped, sometimes a
    preference (Lucene: a boost)."""
    parts_tql, parts_lucene = [], []
    for i in range(rng.randint(1, 6)):
        t, lu = term(rng)
        roll = rng.random()
        if i and roll < 0.2:
            t, lu = f"NOT {t}", f"NOT {lu}"
        elif i and roll < 0.3:
            t, lu = f"?{t}", f"{lu}^2"
        joiner = " OR " if i and rng.random() < 0.2 else " AND " if i else ""
        parts_tql.append(joiner + t)
        parts_lucene.append(joiner + lu)
    tql, lucene = "".join(parts_tql), "".join(parts_lucene)
    if rng.random() < 0.2:
        extra_t, extra_l = term(rng)
        tql, lucene = f"({tql}) OR {extra_t}", f"({lucene}) OR {extra_l}"
    return tql, lucene


CHUNK = 25  # queries timed together before switching sides


def corpus(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` queries as (TQL, Lucene) pairs."""
    return [pair for _shape, *pair in labelled_corpus(n, seed)]


def labelled_corpus(n: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    return [query(rng) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from luqum.parser import parser as luqum_parser

    import talentql
    from talentql.errors import CompileError

    labelled = labelled_corpus(args.queries, args.seed)
    pairs = [(tql, lucene) for _shape, tql, lucene in labelled]
    shapes = [shape for shape, _tql, _lucene in labelled]
    failures = 0
    for tql, lucene in pairs:  # warm up both, and check the corpus is valid for both
        try:
            talentql.compile(tql, max_searches=64)
        except CompileError:
            failures += 1
        luqum_parser.parse(lucene)
    from talentql.syntax.parser import parse as tql_parse

    def compile_one(tql, _lucene):
        try:
            talentql.compile(tql, max_searches=64)
        except CompileError:
            pass

    def parse_one(tql, _lucene):
        tql_parse(tql)

    def luqum_one(_tql, lucene):
        luqum_parser.parse(lucene)

    # Interleaved finely: chunks of CHUNK queries, each timed under all three in turn (the
    # order rotating), so the noise of a shared machine falls on every side alike. Each query
    # is timed on its own too, for the figures by shape.
    indices = range(len(pairs))
    chunks = [indices[i:i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    sides = [("tql", compile_one), ("luqum", luqum_one), ("parse", parse_one)]
    times: dict[str, list[float]] = {name: [] for name, _ in sides}
    by_shape: dict[tuple[str, str], list[float]] = {}
    clock = time.perf_counter
    for _ in range(args.rounds):
        totals = {(name, shape): 0.0 for name, _ in sides for shape in set(shapes)}
        for k, chunk in enumerate(chunks):
            for name, run in sides[k % 3:] + sides[:k % 3]:
                for i in chunk:
                    start = clock()
                    run(*pairs[i])
                    totals[name, shapes[i]] += clock() - start
        for name, rounds in times.items():
            rounds.append(sum(t for (side, _), t in totals.items() if side == name))
        for key, total in totals.items():
            by_shape.setdefault(key, []).append(total)
    tql_times, luqum_times, parse_times = times["tql"], times["luqum"], times["parse"]

    n = len(pairs)
    searches = sum(len(talentql.compile(t, max_searches=64).searches) for t, _ in pairs)
    multi = sum(len(talentql.compile(t, max_searches=64).searches) > 1 for t, _ in pairs)
    print(f"corpus: {n} queries (seed {args.seed}), {searches / n:.2f} searches a query on "
          f"average, {multi} need several searches, {failures} refused; {args.rounds} rounds")
    print(f"example: {pairs[0][0]}\n         {pairs[0][1]}")
    for name, times in (("talentql parse+check+plan", tql_times), ("luqum parse", luqum_times),
                        ("talentql parse alone", parse_times)):
        print(f"{name:28} best {min(times) * 1e6 / n:7.1f} us/query   "
              f"median {statistics.median(times) * 1e6 / n:7.1f} us/query")
    ratio_best = min(luqum_times) / min(tql_times)
    ratio_median = statistics.median(luqum_times) / statistics.median(tql_times)
    print(f"speed-up of talentql over luqum: {ratio_best:.2f}x (best), {ratio_median:.2f}x (median)")
    print(f"parsers alone, talentql over luqum: {min(luqum_times) / min(parse_times):.2f}x (best), "
          f"{statistics.median(luqum_times) / statistics.median(parse_times):.2f}x (median)")
    print("by shape (median rounds):")
    for shape, _weight, _make in SHAPES:
        count = shapes.count(shape)
        tql = statistics.median(by_shape["tql", shape]) * 1e6 / count
        luqum = statistics.median(by_shape["luqum", shape]) * 1e6 / count
        print(f"  {shape:14} {count:4} queries   talentql {tql:6.1f} us   luqum {luqum:6.1f} us"
              f"   speed-up {luqum / tql:.2f}x")


if __name__ == "__main__":
    main()
