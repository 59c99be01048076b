"""The pure matcher: does one filter hold for one talent, and does a search admit a talent.

This is the rule book of SANDBOX.md in plain Python over export-format records. The engine's SQL
is kept equivalent to it (the differential tests check that), and anyone can re-run it over
``talentql sandbox export`` output.

``matches`` tests a filter's *condition* only; ``isRequired`` and ``isExcluded`` say how a search
combines conditions, which is ``search_admits``'s job.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from talentql import fields
from talentql.sandbox import geo
from talentql.sandbox.profile import (
    BAG_COLUMNS, bundles, columns_for, fact, graduation_years, text_items,
)
from talentql.sandbox.text import norm, words

BUNDLES_BY_TYPE = {
    "COMPANY_NAME": frozenset(fields.COMPANY_BUNDLES),
    "EDUCATION_SCHOOL_NAME": frozenset(fields.SCHOOL_BUNDLES),
}
NETWORK_VALUES = fields.NETWORK_ALIASES  # "1st" → "1st degree", …


def parse_range(value: str) -> tuple[int, int | None] | None:
    """``"5-10"`` → (5, 10), ``"10001+"`` → (10001, None), ``"2019"`` → (2019, 2019); else None."""
    text = value.strip()
    try:
        if text.endswith("+"):
            return int(text[:-1]), None
        low, sep, high = text.partition("-")
        if not sep:
            return int(text), int(text)
        return int(low), int(high)
    except ValueError:
        return None


def _in_range(number, value: str) -> bool:
    bounds = parse_range(value)
    if bounds is None or not isinstance(number, int) or isinstance(number, bool):
        return False
    low, high = bounds
    return number >= low and (high is None or number <= high)


def _text(f: Mapping, talent: dict) -> bool:
    filter_type = f["filterType"]
    columns = columns_for(filter_type, f.get("history"))
    value = f["value"]
    key = norm(value)
    if key in BUNDLES_BY_TYPE.get(filter_type, ()):
        held = bundles(talent)
        return any(key in held.get(col, ()) for col in columns)
    items = text_items(talent)
    value_words = set(words(value))
    if f.get("isExactMatch") or not value_words:  # a value with no words compares whole
        return any(norm(item) == key for col in columns for item in items[col])
    for col in columns:
        if col in BAG_COLUMNS:
            if value_words.issubset(words(" ".join(items[col]))):
                return True
        elif any(value_words.issubset(words(item)) for item in items[col]):
            return True
    return False


def _location(f: Mapping, talent: dict) -> bool:
    radius = f.get("radius")
    if radius is None:
        return _text(f, talent)
    point = geo.resolve(f["value"])
    lat, lon = fact(talent, "latitude"), fact(talent, "longitude")
    if point is None or lat is None or lon is None:
        return False
    return geo.distance_km(point[0], point[1], lat, lon) <= float(radius)


def _graduation(f: Mapping, talent: dict) -> bool:
    return any(_in_range(year, f["value"]) for year in graduation_years(talent))


def _size(f: Mapping, talent: dict) -> bool:
    return _in_range(fact(talent, "companyEmployees"), f["value"])


def _seniority(f: Mapping, talent: dict) -> bool:
    return norm(f["value"]) == "freelance" and bool(fact(talent, "freelance"))


def _network(f: Mapping, talent: dict) -> bool:
    wanted = NETWORK_VALUES.get(norm(f["value"]))
    return wanted is not None and fact(talent, "network") == wanted


RULES: Mapping[str, Callable[[Mapping, dict], bool]] = {
    "JOB_TITLE": _text,
    "COMPANY_NAME": _text,
    "LOCATION": _location,
    "YEARS_OF_EXPERIENCE": lambda f, t: _in_range(fact(t, "yearsOfExperience"), f["value"]),
    "DURATION_IN_JOB": lambda f, t: _in_range(fact(t, "yearsInJob"), f["value"]),
    "SKILL": _text,
    "KEYWORD": _text,
    "LANGUAGE": _text,
    "LANGUAGE_PROFICIENCY": _text,
    "COMPANY_SIZE": _size,
    "COMPANY_INDUSTRY": _text,
    "EDUCATION_DEGREE": _text,
    "EDUCATION_SCHOOL_NAME": _text,
    "CERTIFICATION_NAME": _text,
    "SENIORITY": _seniority,
    "GRADUATION_YEAR": _graduation,
    "LINKEDIN_RELATIONS_DEGREE": _network,
}


def matches(filter_, talent: dict) -> bool:
    """Whether ``filter_``'s condition holds for ``talent`` (isRequired/isExcluded ignored).

    ``filter_`` is a filter object of a request body (a dict) or a ``talentql.compiled.Filter``.

    >>> matches({"filterType": "SKILL", "value": "python"}, {"skills": ["Python", "SQL"]})
    True
    >>> matches({"filterType": "SKILL", "value": "pyth"}, {"skills": ["Python"]})
    False
    """
    if not isinstance(filter_, Mapping):  # a talentql.compiled.Filter
        filter_ = filter_.to_json()
    rule = RULES.get(filter_.get("filterType"))
    return bool(rule and rule(filter_, talent))


def search_admits(filters: Sequence[Mapping], truth: Callable[[int], bool], model: str = "gate") -> bool:
    """Whether a search admits a talent, given ``truth(i)`` = filter i's condition.

    gate (API.md "families"): per filterType, every required value must hold, or — when the family
    has no required value — at least one optional value; an excluded value that holds removes.
    strict: every required filter must hold; optional ones only rank, unless no filter at all is
    required, when at least one must hold; excluded ones remove.
    """
    excluded = [i for i, f in enumerate(filters) if f.get("isExcluded")]
    if any(truth(i) for i in excluded):
        return False
    for group in groups_of(filters, model):
        required = [i for i in group if filters[i].get("isRequired", True)]
        if required:
            if not all(truth(i) for i in required):
                return False
        elif group and not any(truth(i) for i in group):
            return False
    return True


def groups_of(filters: Sequence[Mapping], model: str) -> list[list[int]]:
    """The groups of non-excluded filters that must each pass: one per filterType (gate), or
    one for the whole search (strict). In strict, optional filters only rank when anything at
    all is required — an excluded filter is sent with isRequired true — so they form no group
    then."""
    kept = [i for i, f in enumerate(filters) if not f.get("isExcluded")]
    if model == "strict":
        if any(filters[i].get("isRequired", True) for i in kept):
            return [[i for i in kept if filters[i].get("isRequired", True)]]
        if any(f.get("isRequired", True) for f in filters):
            return []
        return [kept]
    families: dict[str, list[int]] = {}
    for i in kept:
        families.setdefault(filters[i]["filterType"], []).append(i)
    return list(families.values())


def optional_matched(filters: Sequence[Mapping], truth: Callable[[int], bool]) -> int:
    """How many optional (non-excluded) filters hold: the ranking's first key."""
    return sum(
        1 for i, f in enumerate(filters)
        if not f.get("isRequired", True) and not f.get("isExcluded") and truth(i)
    )


def admits(filters: Sequence[Mapping], talent: dict, model: str = "gate") -> bool:
    """``search_admits`` with the pure matcher as truth: the oracle for one search."""
    return search_admits(filters, lambda i: matches(filters[i], talent), model)
