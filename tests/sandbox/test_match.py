"""The matching rule of every filter type (SANDBOX.md), on hand-made records, then the engine's
SQL against the pure matcher on the session pool, one filter type at a time."""

from __future__ import annotations

import copy

import pytest

from talentql.sandbox import geo
from talentql.sandbox.match import admits, matches, parse_range

BASE = {
    "id": "t1", "city": "Lyon", "state": None, "country": "France",
    "jobTitle": "Senior Product Designer",
    "headline": "Designer who ships", "summary": "I love B2B SaaS and design systems.",
    "currentOrganization": {"id": "o1", "name": "Doctolib", "logoUrl": None},
    "experiences": [
        {"organizationName": "Doctolib", "title": "Senior Product Designer", "isCurrent": True,
         "description": "Led the booking flow."},
        {"organizationName": "Google", "title": "UX Designer", "isCurrent": False,
         "description": "Maps for everyone."},
        {"organizationName": "Acme Corp", "title": "Graphic Designer", "isCurrent": False},
    ],
    "educations": [
        {"schoolName": "HEC Paris", "endDate": "2016-06-30"},
        {"schoolName": "Université de Lyon", "endDate": "2014-06-30"},
    ],
    "skills": ["Figma", "Design Systems", "C++", "User Research"],
    "languages": [{"name": "french", "proficiency": "native or bilingual"},
                  {"name": "english", "proficiency": "full professional"}],
    "certifications": ["Google UX Design Certificate"],
    "sandbox": {
        "yearsOfExperience": 10, "yearsInJob": 3, "companySize": "1001-5000",
        "companyEmployees": 2800, "companyIndustry": "software development",
        "highestDegree": "masters", "freelance": True, "network": "1st degree",
        "latitude": 45.75, "longitude": 4.85,
        "companyBundles": ["french tech 120"], "pastCompanyBundles": ["fortune 500",
                                                                      "magnificent seven"],
        "schoolBundles": ["top 10 french business schools"],
    },
}


def talent(**sandbox) -> dict:
    record = copy.deepcopy(BASE)
    record["sandbox"].update(sandbox)
    return record


def f(filter_type, value, **flags) -> dict:
    return {"filterType": filter_type, "value": value, **flags}


CASES = [
    # JOB_TITLE: fuzzy = every word, any order, case-insensitive; history picks the jobs.
    (f("JOB_TITLE", "product designer"), True),
    (f("JOB_TITLE", "DESIGNER product"), True),
    (f("JOB_TITLE", "designer senior"), True),
    (f("JOB_TITLE", "design"), False),  # a word is whole, not a prefix
    (f("JOB_TITLE", "UX Designer"), False),  # past title, history CURRENT by default
    (f("JOB_TITLE", "UX Designer", history="PAST"), True),
    (f("JOB_TITLE", "UX Designer", history="CURRENT_AND_PAST"), True),
    (f("JOB_TITLE", "Product Designer", history="PAST"), False),
    (f("JOB_TITLE", "ux graphic", history="PAST"), False),  # words must share one item
    (f("JOB_TITLE", "Senior Product Designer", isExactMatch=True), True),
    (f("JOB_TITLE", "  senior   product designer ", isExactMatch=True), True),
    (f("JOB_TITLE", "Product Designer", isExactMatch=True), False),
    # COMPANY_NAME: names and bundles, by history.
    (f("COMPANY_NAME", "doctolib"), True),
    (f("COMPANY_NAME", "google"), False),
    (f("COMPANY_NAME", "google", history="PAST"), True),
    (f("COMPANY_NAME", "acme", history="CURRENT_AND_PAST"), True),
    (f("COMPANY_NAME", "french tech 120"), True),
    (f("COMPANY_NAME", "magnificent seven"), False),
    (f("COMPANY_NAME", "Magnificent  Seven", history="PAST"), True),
    (f("COMPANY_NAME", "magnificent seven", history="CURRENT_AND_PAST"), True),
    (f("COMPANY_NAME", "cac40", history="CURRENT_AND_PAST"), False),
    # LOCATION: city, country, "City, Country"; exact compares one of them whole.
    (f("LOCATION", "Lyon"), True),
    (f("LOCATION", "france"), True),
    (f("LOCATION", "Lyon, France"), True),
    (f("LOCATION", "Paris"), False),
    (f("LOCATION", "Lyon, France", isExactMatch=True), True),
    (f("LOCATION", "lyon france", isExactMatch=True), False),
    (f("LOCATION", "France", isExactMatch=True), True),
    # Years and tenure: inclusive ranges, buckets share their edges; free "min-max" and "N+".
    (f("YEARS_OF_EXPERIENCE", "5-10"), True),
    (f("YEARS_OF_EXPERIENCE", "10-15"), True),
    (f("YEARS_OF_EXPERIENCE", "3-5"), False),
    (f("YEARS_OF_EXPERIENCE", "10+"), True),
    (f("YEARS_OF_EXPERIENCE", "11-100"), False),
    (f("DURATION_IN_JOB", "1-3"), True),
    (f("DURATION_IN_JOB", "3-5"), True),
    (f("DURATION_IN_JOB", "0-1"), False),
    # SKILL: per skill.
    (f("SKILL", "figma"), True),
    (f("SKILL", "systems design"), True),
    (f("SKILL", "figma research"), False),
    (f("SKILL", "c++", isExactMatch=True), True),
    (f("SKILL", "c#", isExactMatch=True), False),
    (f("SKILL", "C"), True),  # "C++" has the word "c"
    (f("SKILL", "++"), False),  # no word: compared whole
    # KEYWORD: words from anywhere in the profile.
    (f("KEYWORD", "saas booking"), True),
    (f("KEYWORD", "maps doctolib"), True),
    (f("KEYWORD", "kubernetes"), False),
    (f("KEYWORD", "Designer who ships", isExactMatch=True), True),
    # Languages and levels.
    (f("LANGUAGE", "French"), True),
    (f("LANGUAGE", "german"), False),
    (f("LANGUAGE_PROFICIENCY", "full professional"), True),
    (f("LANGUAGE_PROFICIENCY", "english full professional"), True),
    (f("LANGUAGE_PROFICIENCY", "french full professional"), False),
    (f("LANGUAGE_PROFICIENCY", "limited working"), False),
    (f("LANGUAGE_PROFICIENCY", "native or bilingual", isExactMatch=True), True),
    # The current employer's size (by its head count) and industry.
    (f("COMPANY_SIZE", "1001-5000"), True),
    (f("COMPANY_SIZE", "501-1000"), False),
    (f("COMPANY_SIZE", "2000-3000"), True),
    (f("COMPANY_SIZE", "10001+"), False),
    (f("COMPANY_INDUSTRY", "software development"), True),
    (f("COMPANY_INDUSTRY", "software"), True),
    (f("COMPANY_INDUSTRY", "software", isExactMatch=True), False),
    # Degree (the highest), schools and bundles, certifications.
    (f("EDUCATION_DEGREE", "masters"), True),
    (f("EDUCATION_DEGREE", "bachelors"), False),
    (f("EDUCATION_SCHOOL_NAME", "hec"), True),
    (f("EDUCATION_SCHOOL_NAME", "université lyon"), True),
    (f("EDUCATION_SCHOOL_NAME", "universite de lyon"), False),  # accents are letters
    (f("EDUCATION_SCHOOL_NAME", "top 10 french business schools"), True),
    (f("EDUCATION_SCHOOL_NAME", "top 100 world"), False),
    (f("CERTIFICATION_NAME", "ux design"), True),
    (f("CERTIFICATION_NAME", "aws"), False),
    # Closed values.
    (f("SENIORITY", "Freelance"), True),
    (f("SENIORITY", "Intern"), False),
    (f("GRADUATION_YEAR", "2016"), True),
    (f("GRADUATION_YEAR", "2014"), True),
    (f("GRADUATION_YEAR", "2015"), False),
    (f("GRADUATION_YEAR", "2010-2014"), True),
    (f("LINKEDIN_RELATIONS_DEGREE", "1st degree"), True),
    (f("LINKEDIN_RELATIONS_DEGREE", "invited"), False),
    (f("UNKNOWN_TYPE", "x"), False),
]


@pytest.mark.parametrize(("filter_", "expected"), CASES, ids=lambda x: str(x)[:60])
def test_matching_rule(filter_, expected):
    assert matches(filter_, talent()) is expected


def test_network_none_and_invited():
    assert matches(f("LINKEDIN_RELATIONS_DEGREE", "invited"), talent(network="invited"))
    assert not matches(f("LINKEDIN_RELATIONS_DEGREE", "1st degree"), talent(network=None))


def test_radius_edges():
    paris = geo.resolve("Paris, France")
    lyon = (45.75, 4.85)
    distance = geo.distance_km(*paris, *lyon)
    assert 385 < distance < 400  # Paris–Lyon, great circle
    record = talent(latitude=lyon[0], longitude=lyon[1])
    assert matches(f("LOCATION", "Paris, France", radius=distance + 0.01), record)
    assert not matches(f("LOCATION", "Paris, France", radius=distance - 0.01), record)
    assert matches(f("LOCATION", "Paris", radius=400), record)  # a city alone: the biggest
    assert not matches(f("LOCATION", "Atlantis", radius=1000), record)  # unknown place
    # A country resolves to its capital.
    assert matches(f("LOCATION", "France", radius=400), record)
    assert not matches(f("LOCATION", "Germany", radius=400), record)


def test_radius_across_the_antimeridian():
    suva = geo.resolve("Suva")
    east = talent(latitude=suva[0], longitude=179.99)
    west = talent(latitude=suva[0], longitude=-179.99)
    assert matches(f("LOCATION", "Suva", radius=300), east)
    assert matches(f("LOCATION", "Suva", radius=300), west)


def test_parse_range():
    assert parse_range("5-10") == (5, 10)
    assert parse_range("10001+") == (10001, None)
    assert parse_range("2019") == (2019, 2019)
    assert parse_range("five") is None


def test_gate_families():
    record = talent()
    title_a = f("JOB_TITLE", "designer", isRequired=False)
    title_b = f("JOB_TITLE", "engineer", isRequired=False)
    skill = f("SKILL", "kubernetes", isRequired=False)
    # A family with only optional values needs one of them.
    assert admits([title_a, title_b], record)
    assert not admits([title_b], record)
    # Each family must pass: the optional SKILL family fails.
    assert not admits([title_a, skill], record)
    # With a required value in the family, optional values only rank.
    assert admits([f("SKILL", "figma"), skill], record)
    # Excluded values remove.
    assert not admits([title_a, f("COMPANY_NAME", "doctolib", isExcluded=True)], record)


def test_strict_reading():
    record = talent()
    skill = f("SKILL", "kubernetes", isRequired=False)
    # strict: optional filters only rank when something is required...
    assert admits([f("SKILL", "figma"), skill], record, "strict")
    assert admits([f("JOB_TITLE", "designer"), skill], record, "strict")
    assert not admits([f("JOB_TITLE", "designer"), skill], record, "gate")
    # ...and with nothing required, one of them must hold.
    assert not admits([skill], record, "strict")
    assert admits([skill, f("SKILL", "figma", isRequired=False)], record, "strict")


# --- The engine agrees with the matcher, filter type by filter type --------------------------------

def _pool_filters(talents):
    """A few filters of every type, with values taken from the pool."""
    t = talents[0]
    s = t["sandbox"]
    past = [e for e in t["experiences"] if not e["isCurrent"]]
    some = next(x for x in talents if x["certifications"])
    return [
        f("JOB_TITLE", t["jobTitle"]), f("JOB_TITLE", t["jobTitle"], isExactMatch=True),
        f("JOB_TITLE", "senior engineer", history="PAST"),
        f("JOB_TITLE", "engineer", history="CURRENT_AND_PAST"),
        f("COMPANY_NAME", t["currentOrganization"]["name"]),
        f("COMPANY_NAME", "magnificent seven", history="CURRENT_AND_PAST"),
        f("COMPANY_NAME", "fortune 500", history="PAST"),
        *([f("COMPANY_NAME", past[0]["organizationName"], history="PAST",
             isExactMatch=True)] if past else []),
        f("LOCATION", t["city"]), f("LOCATION", f"{t['city']}, {t['country']}"),
        f("LOCATION", t["country"], isExactMatch=True),
        f("LOCATION", f"{t['city']}, {t['country']}", radius=80),
        f("LOCATION", "London", radius=300), f("LOCATION", "United States", radius=1000),
        f("YEARS_OF_EXPERIENCE", "5-10"), f("YEARS_OF_EXPERIENCE", "3-100"),
        f("YEARS_OF_EXPERIENCE", "0-1"), f("DURATION_IN_JOB", "1-3"),
        f("DURATION_IN_JOB", "20+"),
        f("SKILL", t["skills"][0]), f("SKILL", "machine learning"), f("SKILL", "c++",
                                                                           isExactMatch=True),
        f("KEYWORD", "python startups"), f("KEYWORD", t["headline"], isExactMatch=True),
        f("LANGUAGE", "french"), f("LANGUAGE_PROFICIENCY", "professional working"),
        f("LANGUAGE_PROFICIENCY", "english full professional"),
        f("COMPANY_SIZE", s["companySize"]), f("COMPANY_SIZE", "10001+"),
        f("COMPANY_INDUSTRY", s["companyIndustry"]), f("COMPANY_INDUSTRY", "software"),
        f("EDUCATION_DEGREE", "doctorates"), f("EDUCATION_DEGREE", "bachelors"),
        f("EDUCATION_SCHOOL_NAME", "university"), f("EDUCATION_SCHOOL_NAME", "top 100 world"),
        f("EDUCATION_SCHOOL_NAME", "institute technology"),
        f("CERTIFICATION_NAME", some["certifications"][0], isExactMatch=True),
        f("CERTIFICATION_NAME", "aws certified"),
        f("SENIORITY", "Freelance"), f("GRADUATION_YEAR", "2015"),
        f("GRADUATION_YEAR", "2010-2014"),
        f("LINKEDIN_RELATIONS_DEGREE", "1st degree"), f("LINKEDIN_RELATIONS_DEGREE", "invited"),
    ]


def test_engine_equals_matcher_per_filter_type(talents, collect):
    from talentql import fields

    checked = set()
    for filter_ in _pool_filters(talents):
        for flags in ({}, {"isExcluded": True}, {"isRequired": False}):
            body = {"filters": [{**filter_, **flags}]}
            got = collect(body)
            want = {t["id"] for t in talents if admits(body["filters"], t)}
            assert got == want, (filter_, flags, len(got), len(want))
        checked.add(filter_["filterType"])
    assert checked == set(fields.FIELDS_BY_FILTER_TYPE)


def test_every_filter_type_finds_someone(engine, talents):
    """The pool is rich enough that the per-type agreement above is not vacuous."""
    empty = [flt for flt in _pool_filters(talents)
             if not any(matches(flt, t) for t in talents)]
    assert len(empty) <= 3, empty
