"""The deterministic pool generator: (size, seed) → talents, in the API's response format.

Everything random flows from one ``random.Random`` seeded by the seed, plus Faker instances seeded
the same way and always called in the same order, so the same (size, seed) gives the same pool,
byte for byte. Change anything here that changes the output → bump ``GENERATOR_VERSION``.

Each talent also carries a ``sandbox`` object with the derived facts the matcher uses
(SANDBOX.md). Talents are generated in rank order: the i-th talent's stable score is i, which is
how the engine ranks ties (see docs/sandbox.md).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from talentql import engine, fields
from talentql.sandbox import catalog

GENERATOR_VERSION = 1
REFERENCE_DATE = date(2026, 6, 1)  # "today" for every pool, so durations never drift
_REF_MONTHS = REFERENCE_DATE.year * 12 + REFERENCE_DATE.month - 1
CITIES_PER_COUNTRY = 40


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    employees: int
    industry: str
    country: str
    bundles: tuple[str, ...]

    @property
    def size_bucket(self) -> str:
        return size_bucket(self.employees)


@dataclass(frozen=True)
class School:
    name: str
    country: str
    bundles: tuple[str, ...]


def size_bucket(employees: int) -> str:
    """The size bucket label holding ``employees`` (``engine.SIZE_BUCKETS``)."""
    for low, high in engine.SIZE_BUCKETS:
        if employees >= low and (high is None or employees <= high):
            return engine.bucket_label((low, high))
    return engine.bucket_label(engine.SIZE_BUCKETS[0])


class _Picker:
    """Weighted choice with precomputed cumulative weights (fast, deterministic)."""

    def __init__(self, items, weights) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]
        self.last = len(self.items) - 1

    def __call__(self, rng: random.Random):
        return self.items[min(self.last, bisect.bisect(self.cum, rng.random() * self.total))]


class Universe:
    """The fixed parts of a pool: places, companies, schools, name generators."""

    def __init__(self, size: int, seed: int) -> None:
        from talentql.sandbox import geo

        self.rng = random.Random(f"talentql-sandbox/{GENERATOR_VERSION}/{seed}/{size}")
        gaz = geo.gazetteer()
        self.country_names = gaz.countries
        self.country = _Picker(catalog.COUNTRIES, [c[1] for c in catalog.COUNTRIES])
        by_country: dict[str, list] = {}
        for city in gaz.cities:  # most populous first
            bucket = by_country.setdefault(city.country_code, [])
            if len(bucket) < CITIES_PER_COUNTRY:
                bucket.append(city)
        self.cities = {
            code: _Picker(cs, [c.population ** 1.1 for c in cs]) for code, cs in by_country.items()
        }
        self.city_lists = by_country
        locales = sorted({c[2] for c in catalog.COUNTRIES})
        self.fakers = {loc: _faker(loc, seed) for loc in locales}
        self.names = {loc: _NamePool(loc) for loc in locales}
        en = self.fakers["en_US"]
        self.phrases = [en.catch_phrase().lower() for _ in range(600)]
        self.roles = _Picker(catalog.ROLES, [r[2] for r in catalog.ROLES])
        self.industries = fields.industries()
        self._build_companies(size)
        self._build_schools()

    def _build_companies(self, size: int) -> None:
        rng = self.rng
        named = [
            Company(f"org-{i + 1}", name, emp, ind, home, bundles)
            for i, (name, (emp, ind, home, bundles)) in enumerate(catalog.NAMED_COMPANIES.items())
        ]
        tech = ("software development", "it services and it consulting", "technology",
                "internet", "financial services", "computer software",
                "information technology and services")
        bucket_weights = (25, 30, 22, 10, 5, 5, 1.5, 1.5)
        seen = {c.name for c in named}
        generated: list[Company] = []
        count = max(300, size // 25)
        codes = [c[0] for c in catalog.COUNTRIES]
        locale_of = {c[0]: c[2] for c in catalog.COUNTRIES}
        while len(generated) < count:
            home = self.country(rng)[0]
            name = self.fakers[locale_of[home]].company()
            if name in seen:
                continue
            seen.add(name)
            low, high = rng.choices(engine.SIZE_BUCKETS, weights=bucket_weights)[0]
            if high is None:
                employees = int(math.exp(rng.uniform(math.log(10001), math.log(300000))))
            else:
                employees = rng.randint(low, high)
            industry = rng.choice(tech) if rng.random() < 0.5 else rng.choice(self.industries)
            generated.append(Company(f"org-{len(named) + len(generated) + 1}", name, employees,
                                     industry, home, ()))
        del codes
        self.companies = named + generated
        # Employers are picked by size (big companies employ more people), named ones boosted.
        self.named_fr = _Picker([c for c in named if c.country == "FR"],
                                [c.employees ** 0.3 for c in named if c.country == "FR"])
        self.named_other = _Picker([c for c in named if c.country != "FR"],
                                   [c.employees ** 0.3 for c in named if c.country != "FR"])
        self.any_company = _Picker(generated, [c.employees ** 0.5 for c in generated])

    def _build_schools(self) -> None:
        self.named_schools = {}
        for name, (country, bundles) in catalog.NAMED_SCHOOLS.items():
            self.named_schools.setdefault(country, []).append(School(name, country, bundles))
        self.local_schools: dict[str, list[School]] = {}
        for code, cities in self.city_lists.items():
            patterns = catalog.SCHOOL_PATTERNS.get(code, catalog.DEFAULT_SCHOOL_PATTERNS)
            self.local_schools[code] = [
                School(p.format(city=c.name), code, ()) for c in cities[:12] for p in patterns
            ]
        self.world_named = [s for ss in self.named_schools.values() for s in ss]

    def company(self, rng: random.Random, country: str) -> Company:
        if rng.random() < 0.28:
            return self.named_fr(rng) if country == "FR" and rng.random() < 0.7 else self.named_other(rng)
        return self.any_company(rng)

    def school(self, rng: random.Random, country: str) -> School:
        r = rng.random()
        if r < 0.18:
            home = self.named_schools.get(country)
            return rng.choice(home) if home and r < 0.12 else rng.choice(self.world_named)
        local = self.local_schools.get(country) or self.local_schools["US"]
        return local[min(len(local) - 1, int(rng.expovariate(0.25)))]


def _faker(locale: str, seed: int):
    """A seeded Faker generator with only the person and company providers of ``locale``
    (skipping Faker's provider discovery, which costs half a second per locale)."""
    import importlib

    from faker import Generator

    gen = Generator()
    for kind in ("person", "company"):
        try:
            module = importlib.import_module(f"faker.providers.{kind}.{locale}")
        except ImportError:
            module = importlib.import_module(f"faker.providers.{kind}.en_US")
        gen.add_provider(module.Provider(gen))
    gen.seed_instance(seed)
    return gen


class _NamePool:
    """Faker's name lists for one locale (with their weights), picked by our own RNG: much
    faster than a Faker call per name, and just as deterministic."""

    def __init__(self, locale: str) -> None:
        import importlib

        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        self.female = _picker_of(provider.first_names_female)
        self.male = _picker_of(provider.first_names_male)
        self.last = _picker_of(provider.last_names)


def _picker_of(names) -> _Picker:
    if isinstance(names, dict):
        return _Picker(names.keys(), [float(w) for w in names.values()])
    unique = list(dict.fromkeys(names))
    return _Picker(unique, [1.0] * len(unique))


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}-01"


def _slug(first: str, last: str) -> str:
    text = unicodedata.normalize("NFKD", f"{first}-{last}").encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower().replace(" ", "-") if ch.isalnum() or ch == "-").strip("-")


def _prefix(rng: random.Random, years: int) -> str:
    if years >= 12:
        return rng.choice(("Principal", "Staff", "Lead", "Senior"))
    if years >= 8:
        return rng.choice(("Staff", "Senior", "Senior", "Lead"))
    if years >= 5:
        return "Senior" if rng.random() < 0.75 else ""
    if years < 2:
        return "Junior" if rng.random() < 0.5 else ""
    return ""


def _title(rng: random.Random, role, years: int) -> str:
    family, base = role[0], role[1]
    prefix = _prefix(rng, years) if family in catalog.PREFIXED_FAMILIES else ""
    return f"{prefix} {base}".strip()


def _level(rng: random.Random) -> str:
    return rng.choices(fields.PROFICIENCY_LEVELS, weights=(8, 20, 40, 25, 7))[0]


CHUNK = 2000  # talents per independently seeded chunk (lets builds run chunks in parallel)


def generate(size: int, seed: int) -> Iterator[dict]:
    """Yield ``size`` talents for ``seed``, in rank order. Deterministic.

    >>> [t["id"] for t in generate(2, 7)]  # doctest: +SKIP
    ['sbx-...', 'sbx-...']
    """
    universe = universe_for(size, seed)
    for chunk in range(chunk_count(size)):
        yield from generate_chunk(universe, size, seed, chunk)


def chunk_count(size: int) -> int:
    return (size + CHUNK - 1) // CHUNK


def generate_chunk(universe: "Universe", size: int, seed: int, chunk: int) -> Iterator[dict]:
    """The talents of one chunk: ranks ``chunk*CHUNK`` up to the next chunk's first."""
    rng = random.Random(f"talentql-sandbox-talents/{GENERATOR_VERSION}/{seed}/{size}/{chunk}")
    for index in range(chunk * CHUNK, min(size, (chunk + 1) * CHUNK)):
        yield _talent(universe, rng, seed, index)


_UNIVERSES: dict = {}


def universe_for(size: int, seed: int) -> "Universe":
    """The universe of a pool, built once per process."""
    key = (size, seed)
    if key not in _UNIVERSES:
        _UNIVERSES.clear()
        _UNIVERSES[key] = Universe(size, seed)
    return _UNIVERSES[key]


def _talent(u: Universe, rng: random.Random, seed: int, index: int) -> dict:
    code, _weight, locale, native = u.country(rng)
    city = u.cities[code](rng)
    names = u.names[locale]
    female = rng.random() < 0.45
    first = (names.female if female else names.male)(rng)
    last = names.last(rng)
    digest = hashlib.blake2b(f"{seed}:{index}".encode(), digest_size=6).hexdigest()

    # Where, jittered around the city centre (a few km).
    lat = max(-89.9, min(89.9, city.latitude + max(-0.08, min(0.08, rng.gauss(0, 0.03)))))
    scale = max(0.2, math.cos(math.radians(lat)))
    lon = city.longitude + max(-0.08, min(0.08, rng.gauss(0, 0.03))) / scale
    lon = (lon + 180) % 360 - 180
    lat, lon = round(lat, 5), round(lon, 5)

    # What they do, and for how long: years skewed young, leaders older.
    role = u.roles(rng)
    years = min(45, int(rng.gammavariate(1.7, 4.5)))
    if role[0] == "leadership":
        years = min(45, years + 6 + rng.randrange(6))
    total_months = years * 12 + rng.randrange(12)
    n_jobs = 1 + min(6, int(years / rng.uniform(2.0, 4.5)))
    n_jobs = max(1, min(n_jobs, total_months // 4 or 1))
    cuts = sorted(rng.sample(range(1, total_months), n_jobs - 1)) if n_jobs > 1 else []
    bounds = [0, *cuts, total_months]
    start = _REF_MONTHS - total_months
    skills_pool = role[3]

    jobs = []
    for j in range(n_jobs):
        job_start, job_end = start + bounds[j], start + bounds[j + 1]
        current = j == n_jobs - 1
        years_then = bounds[j] // 12
        job_role = role if current or rng.random() < 0.8 else u.roles(rng)
        if job_role[0] == "leadership" and not current:
            job_role = catalog.ROLES[0]
        company = u.company(rng, code)
        phrase = rng.choice(u.phrases)
        s1, s2 = rng.choice(job_role[3]), rng.choice(job_role[3])
        description = rng.choice(catalog.DESCRIPTIONS).format(
            phrase=phrase, skill1=s1, skill2=s2, n=rng.randint(2, 40))
        jobs.append({
            "organizationName": company.name,
            "title": _title(rng, job_role, years if current else years_then),
            "startDate": _month(job_start),
            "endDate": None if current else _month(job_end),
            "description": description,
            "isCurrent": current,
            "organization": {"name": company.name, "logoUrl": None},
            "_company": company,
        })
    jobs.reverse()  # most recent first
    current_job = jobs[0]
    employer: Company = current_job["_company"]
    tenure = (total_months - bounds[-2]) // 12

    skills = rng.sample(skills_pool, min(len(skills_pool), 3 + rng.randrange(9)))
    if rng.random() < 0.25:
        extra = u.roles(rng)[3]
        skills.append(rng.choice(extra))
    skills = list(dict.fromkeys(skills))

    languages = []
    if native != "english":
        languages.append({"name": native, "proficiency": "native or bilingual"})
        if rng.random() < 0.9:
            languages.append({"name": "english", "proficiency": _level(rng)})
    else:
        languages.append({"name": "english", "proficiency": "native or bilingual"})
    for _ in range(rng.choices((0, 1, 2), weights=(60, 30, 10))[0]):
        lang = rng.choice(fields.LANGUAGES)
        if all(entry["name"] != lang for entry in languages):
            languages.append({"name": lang, "proficiency": _level(rng)})

    # Education ends where the career starts.
    career_year = start // 12
    educations = []
    degree_steps = []
    if rng.random() < 0.85:
        degree_steps.append("bachelors")
        if rng.random() < (0.6 if role[0] in ("data", "engineering") else 0.4):
            degree_steps.append("masters")
            if rng.random() < (0.2 if role[0] == "data" else 0.04):
                degree_steps.append("doctorates")
    end_year = career_year
    majors = catalog.MAJORS.get(role[0], catalog.MAJORS["engineering"])
    for level in reversed(degree_steps):
        length = {"bachelors": 3 + rng.randrange(2), "masters": 2, "doctorates": 4}[level]
        school = u.school(rng, code)
        educations.append({
            "schoolName": school.name,
            "schoolLogo": None,
            "summary": None,
            "degrees": [rng.choice(catalog.DEGREE_NAMES[level])],
            "majors": [rng.choice(majors)],
            "minors": [],
            "startDate": f"{end_year - length:04d}-09-01",
            "endDate": f"{end_year:04d}-06-30",
            "schoolDomain": None,
            "_school": school,
        })
        end_year -= length
    highest = degree_steps[-1] if degree_steps else None

    certs_pool = catalog.CERTIFICATIONS.get(role[0], ())
    certifications = (
        rng.sample(certs_pool, min(len(certs_pool), 1 + rng.randrange(2)))
        if certs_pool and rng.random() < 0.3 else []
    )
    r = rng.random()
    network = "1st degree" if r < 0.03 else "invited" if r < 0.045 else None
    freelance = rng.random() < 0.08
    interests = rng.sample(catalog.INTERESTS, rng.randrange(4))

    fill = {
        "title": current_job["title"], "company": employer.name, "city": city.name,
        "yoe": years, "phrase": rng.choice(u.phrases), "interest": rng.choice(catalog.INTERESTS),
        "skill1": skills[0], "skill2": skills[-1], "skill3": skills[len(skills) // 2],
    }
    headline = rng.choice(catalog.HEADLINES).format(**fill)
    summary = rng.choice(catalog.SUMMARIES).format(**fill)

    company_bundles = sorted(employer.bundles)
    past_bundles = sorted({b for job in jobs[1:] for b in job["_company"].bundles})
    school_bundles = sorted({b for e in educations for b in e["_school"].bundles})
    for job in jobs:
        del job["_company"]
    for edu in educations:
        del edu["_school"]

    slug = _slug(first, last)
    return {
        "id": f"sbx-{digest}",
        "firstname": first,
        "lastname": last,
        "gender": "female" if female else "male",
        "city": city.name,
        "state": city.state,
        "country": city.country,
        "jobTitle": current_job["title"],
        "headline": headline,
        "summary": summary,
        "photoUrl": None,
        "linkedinUrl": f"https://www.linkedin.com/in/{slug + '-' if slug else ''}{digest[:6]}",
        "currentOrganization": {"id": employer.id, "name": employer.name, "logoUrl": None},
        "experiences": jobs,
        "educations": educations,
        "skills": skills,
        "interests": interests,
        "languages": languages,
        "certifications": certifications,
        "sandbox": {
            "yearsOfExperience": years,
            "yearsInJob": tenure,
            "companySize": employer.size_bucket,
            "companyEmployees": employer.employees,
            "companyIndustry": employer.industry,
            "highestDegree": highest,
            "freelance": freelance,
            "network": network,
            "latitude": lat,
            "longitude": lon,
            "companyBundles": company_bundles,
            "pastCompanyBundles": past_bundles,
            "schoolBundles": school_bundles,
        },
    }
