"""Reading a field's value: one reader per value kind of the field table (LANGUAGE.md §2, §3).

A reader takes the value as written and returns what is sent, or the problem with it. Readers are
pure and table-driven: ``READERS[field.kind]``.
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import cache
from collections.abc import Callable

from talentql import engine
from talentql.diagnostics import did_you_mean
from talentql.fields import FIELDS_BY_FILTER_TYPE, Field, Kind, industries
from talentql.value import frozen_value


@frozen_value
class Problem:
    """A diagnostic without its place: the caller knows the span."""

    code: str
    message: str
    hint: str | None = None


@frozen_value
class Reading:
    """What a value means: the value sent, or a range, or years; plus any problems found."""

    value: str = ""
    low: int | None = None
    high: int | None = None
    years: tuple[int, ...] = ()  # gradyear: one filter per year, as alternatives
    fuzzy_only: bool = False  # bundles and network are always sent fuzzy
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems or not any(p.code in _ERRORS for p in self.problems)


_ERRORS = {"invalid-value"}


def _invalid(message: str, hint: str | None = None) -> Reading:
    return Reading(problems=(Problem("invalid-value", message, hint),))


# --- Ranges --------------------------------------------------------------------------------------

# Patterns as strings: `re` compiles (and caches) them on first use, not at import.
_RANGE_FORMS: tuple[tuple[str, Callable[[int, int], tuple[int, int | None]]], ...] = (
    (r"^(\d+)\s*(?:-|\.\.)\s*(\d+)$", lambda a, b: (a, b)),
    (r"^(\d+)\+$", lambda a, _: (a, None)),
    (r"^>=(\d+)$", lambda a, _: (a, None)),
    (r"^>(\d+)$", lambda a, _: (a + 1, None)),
    (r"^<=(\d+)$", lambda a, _: (-1, a)),
    (r"^<(\d+)$", lambda a, _: (-1, a - 1)),
)

# (lowest, highest) a bound may take; None: no upper bound.
_RANGE_DOMAIN = {Kind.YEARS: (engine.YEARS_MIN, engine.YEARS_MAX), Kind.SIZE: (engine.SIZE_MIN, None)}
_RANGE_UNIT = {Kind.YEARS: "years", Kind.SIZE: "employees"}


def read_range(f: Field, text: str) -> Reading:
    """``5-10``, ``5..10``, ``5+``, ``>5``, ``>=5``, ``<5``, ``<=5``, ``10001+`` → bounds."""
    minimum, maximum = _RANGE_DOMAIN[f.kind]
    unit = _RANGE_UNIT[f.kind]
    if re.fullmatch(r"\d+", text):
        n = int(text)
        return _invalid(
            f"'{f.name}:{text}' is ambiguous: a single number is not a range",
            f"write {f.name}:{n}+ for {n} or more {unit}, or {f.name}:{n}-{n} for exactly {n}",
        )
    for pattern, bounds in _RANGE_FORMS:
        match = re.match(pattern, text)
        if not match:
            continue
        numbers = [int(g) for g in match.groups()] + [0]
        low, high = bounds(numbers[0], numbers[1])
        low = minimum if low == -1 else low
        if high is None and maximum is not None:
            high = maximum
        if high is not None and low > high:
            return _invalid(f"the range '{text}' is empty: {low} is above {high}")
        if low < minimum or (maximum is not None and high is not None and high > maximum):
            span = f"{minimum} to {maximum}" if maximum is not None else f"{minimum} up"
            return _invalid(f"'{text}' is out of bounds: {unit} run from {span}")
        label = f"{low}+" if high is None else f"{low}-{high}"
        return Reading(value=label, low=low, high=high)
    buckets = ", ".join(map(engine.bucket_label, _buckets(f.kind)))
    return _invalid(
        f"'{text}' is not a range of {unit}",
        f"write A-B, A..B, N+, >N, >=N, <N or <=N; the buckets are {buckets}",
    )


def _buckets(kind: Kind):
    return engine.YEAR_BUCKETS if kind is Kind.YEARS else engine.SIZE_BUCKETS


def read_gradyear(f: Field, text: str) -> Reading:
    match = re.fullmatch(r"(\d{4})(?:\s*(?:-|\.\.)\s*(\d{4}))?", text)
    if not match:
        return _invalid(f"'{text}' is not a graduation year",
                        "write a four-digit year (2020) or a range (2018-2020)")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not (engine.GRADYEAR_MIN <= first <= engine.GRADYEAR_MAX
            and engine.GRADYEAR_MIN <= last <= engine.GRADYEAR_MAX):
        return _invalid(f"'{text}' is out of bounds: years run from {engine.GRADYEAR_MIN} to "
                        f"{engine.GRADYEAR_MAX}")
    if first > last:
        return _invalid(f"the range '{text}' is empty: {first} is after {last}")
    if last - first + 1 > engine.GRADYEAR_MAX_SPAN:
        return _invalid(f"'{text}' spans {last - first + 1} years; a range may hold at most "
                        f"{engine.GRADYEAR_MAX_SPAN}")
    return Reading(value=text, years=tuple(range(first, last + 1)))


# --- Closed and known values ------------------------------------------------------------------


def read_closed(f: Field, text: str) -> Reading:
    """A value of a closed field (degree, seniority, network), accepted in any case and alias."""
    canonical = f.value_aliases.get(text.lower())
    if canonical is None:
        options = sorted(set(f.value_aliases.values()))
        guess = did_you_mean(text, f.value_aliases)
        canonical_guess = f.value_aliases[guess.lower()] if guess else None
        hint = None if not guess else f"did you mean '{guess}'?" if guess == canonical_guess \
            else f"did you mean '{guess}' ({canonical_guess})?"
        return _invalid(f"'{text}' is not a {f.summary} value; expected one of: "
                        f"{', '.join(options)}", hint)
    return Reading(value=canonical, fuzzy_only=f.kind is Kind.NETWORK)


def read_language(f: Field, text: str) -> Reading:
    return Reading(value=text.lower())


def read_industry(f: Field, text: str) -> Reading:
    known = {value.lower(): value for value in industries()}
    if text.lower() in known:
        return Reading(value=known[text.lower()])
    guess = did_you_mean(text, known.values(), cutoff=0.7)
    return Reading(
        value=text,
        problems=(Problem(
            "unknown-industry",
            f"'{text}' is not a known industry; it is sent as written",
            f"did you mean '{guess}'?" if guess else "the known values are in talentql/data/industries.txt",
        ),),
    )


def read_text(f: Field, text: str) -> Reading:
    if f.bundles:
        bundle = _bundles_by_name(f.filter_type).get(text.lower())
        if bundle:
            return Reading(value=bundle, fuzzy_only=True)
    return Reading(text)


@cache
def _bundles_by_name(filter_type: str) -> dict[str, str]:
    """A field's bundles by their lower-cased name."""
    return {b.lower(): b for b in FIELDS_BY_FILTER_TYPE[filter_type].bundles}


READERS: dict[Kind, Callable[[Field, str], Reading]] = {
    Kind.TEXT: read_text,
    Kind.YEARS: read_range,
    Kind.SIZE: read_range,
    Kind.GRADYEAR: read_gradyear,
    Kind.LANGUAGE: read_language,
    Kind.PROFICIENCY: read_text,
    Kind.DEGREE: read_closed,
    Kind.SENIORITY: read_closed,
    Kind.NETWORK: read_closed,
    Kind.INDUSTRY: read_industry,
}


def read_value(f: Field, text: str) -> Reading:
    """Read ``text`` as a value of field ``f``.

    >>> from talentql.fields import lookup
    >>> read_value(lookup("degree"), "PhD").value
    'doctorates'
    >>> read_value(lookup("yoe"), ">4").value
    '5-100'
    """
    if not text.strip():
        return _invalid("the value is empty", f"write a value after '{f.name}:'")
    return READERS[f.kind](f, text)


# --- Modifiers ---------------------------------------------------------------------------------

_RADIUS = r"^(\d+)\s*(km|mi)?$"


def read_radius(text: str) -> tuple[int | None, Problem | None]:
    """``50``, ``50km``, ``10mi`` → whole kilometres (miles × 1.609344, rounded)."""
    match = re.match(_RADIUS, text, re.I)
    if not match:
        return None, Problem("invalid-value", f"'~{text}' is not a radius",
                             "write ~N (km), ~Nkm or ~Nmi, e.g. Paris~50km")
    amount = int(match.group(1))
    km = round(amount * engine.KM_PER_MILE) if (match.group(2) or "").lower() == "mi" else amount
    if not engine.RADIUS_MIN_KM <= km <= engine.RADIUS_MAX_KM:
        return None, Problem("invalid-value", f"a radius of {km} km is out of bounds",
                             f"a radius runs from {engine.RADIUS_MIN_KM} to "
                             f"{engine.RADIUS_MAX_KM} km")
    return km, None


def read_history(text: str) -> tuple[str | None, Problem | None]:
    value = engine.HISTORY_VALUES.get(text.lower())
    if value is None:
        guess = did_you_mean(text, engine.HISTORY_VALUES)
        return None, Problem(
            "invalid-value", f"'@{text}' is not an employment history",
            f"did you mean '@{guess}'?" if guess else "write @current, @past or @any",
        )
    return value, None
