"""The field table: the one declarative registry of TQL fields (LANGUAGE.md §2).

Adding a field is adding one entry to ``FIELDS``. The checker, the formatter, the REPL's completer,
the highlighter and the sandbox all read this table; none of them lists field names of its own.
"""

from __future__ import annotations

import os
from dataclasses import field
from enum import Enum
from functools import cache
from types import MappingProxyType
from collections.abc import Mapping

from talentql import engine
from talentql.value import frozen_value


class Kind(Enum):
    """What a field's value is, which decides how the checker reads it."""

    TEXT = "text"  # free text, sent as written
    YEARS = "years"  # a range of years, bucketed (yoe, tenure)
    SIZE = "size"  # a range of employees, bucketed (company size)
    GRADYEAR = "gradyear"  # a four-digit year or a year range
    LANGUAGE = "language"  # lower-cased on output
    PROFICIENCY = "proficiency"  # a level, or "language level"
    DEGREE = "degree"  # closed set, with aliases
    SENIORITY = "seniority"  # closed set: Freelance
    NETWORK = "network"  # closed set: 1st degree, invited
    INDUSTRY = "industry"  # a known list; unknown values warn

    # Members are singletons compared by identity: hash them so too (Enum's own __hash__ is
    # a Python function, and the checker looks readers up by kind for every term).
    __hash__ = object.__hash__

    @property
    def is_range(self) -> bool:
        return self in (Kind.YEARS, Kind.SIZE)


LANGUAGES = (
    "english", "french", "spanish", "german", "portuguese", "mandarin", "japanese", "korean",
    "arabic", "hindi", "italian", "dutch", "russian", "turkish", "polish", "swedish", "norwegian",
    "danish", "finnish", "greek", "hebrew", "czech", "romanian", "hungarian", "ukrainian",
    "vietnamese", "thai", "indonesian", "bengali", "cantonese", "catalan", "urdu", "persian",
)
PROFICIENCY_LEVELS = (
    "elementary", "limited working", "professional working", "full professional",
    "native or bilingual",
)
COMPANY_BUNDLES = ("yc startups", "fortune 500", "magnificent seven", "cac40", "french tech 120")
SCHOOL_BUNDLES = (
    "top 10 us universities", "top 100 world", "top 10 french business schools",
    "top 10 us computer science schools", "top 10 us engineering schools",
    "top 10 french engineering schools", "top 100 us universities",
)
DEGREE_ALIASES = MappingProxyType({
    "bachelors": "bachelors", "bachelor": "bachelors", "bsc": "bachelors", "ba": "bachelors",
    "masters": "masters", "master": "masters", "msc": "masters", "ma": "masters", "mba": "masters",
    "doctorates": "doctorates", "doctorate": "doctorates", "phd": "doctorates",
})
SENIORITY_ALIASES = MappingProxyType({"freelance": "Freelance"})
NETWORK_ALIASES = MappingProxyType({
    "1st": "1st degree", "1st degree": "1st degree", "invited": "invited",
})


@frozen_value
class Field:
    """One TQL field and everything the compiler needs to know about it."""

    name: str  # canonical name, written by the formatter
    filter_type: str  # the API's filterType
    kind: Kind
    summary: str  # one line for help and completion menus
    aliases: tuple[str, ...] = ()
    history: bool = False  # takes @current / @past / @any
    radius: bool = False  # takes ~N, ~Nkm, ~Nmi
    bundles: tuple[str, ...] = ()  # values the service expands (always sent fuzzy)
    # Closed fields: accepted spellings → the value sent. Empty for open fields.
    value_aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this field (canonical, aliases, API name)."""
        return (self.name, *self.aliases, self.filter_type.lower())

    @property
    def known_values(self) -> tuple[str, ...]:
        """Values worth offering in completion, canonical spelling first."""
        return tuple(dict.fromkeys((*self.value_aliases.values(), *self.bundles, *_extra_known(self))))


FIELDS: tuple[Field, ...] = (
    Field("title", "JOB_TITLE", Kind.TEXT, "job title", ("job", "role"), history=True),
    Field("location", "LOCATION", Kind.TEXT, 'place, "City, Country" is best', ("loc",), radius=True),
    Field("yoe", "YEARS_OF_EXPERIENCE", Kind.YEARS, "years of experience", ("experience", "exp")),
    Field("skill", "SKILL", Kind.TEXT, "a skill"),
    Field("keyword", "KEYWORD", Kind.TEXT, "words anywhere in the profile", ("kw",)),
    Field("lang", "LANGUAGE", Kind.LANGUAGE, "spoken language", ("language",)),
    Field("proficiency", "LANGUAGE_PROFICIENCY", Kind.PROFICIENCY, 'a level, or "language level"'),
    Field("company", "COMPANY_NAME", Kind.TEXT, "employer or company bundle", ("org",),
          history=True, bundles=COMPANY_BUNDLES),
    Field("size", "COMPANY_SIZE", Kind.SIZE, "employer size (employees)", ("company_size",)),
    Field("industry", "COMPANY_INDUSTRY", Kind.INDUSTRY, "employer industry"),
    Field("degree", "EDUCATION_DEGREE", Kind.DEGREE, "highest degree", value_aliases=DEGREE_ALIASES),
    Field("school", "EDUCATION_SCHOOL_NAME", Kind.TEXT, "school or school bundle", ("university",),
          bundles=SCHOOL_BUNDLES),
    Field("cert", "CERTIFICATION_NAME", Kind.TEXT, "certification", ("certification",)),
    Field("seniority", "SENIORITY", Kind.SENIORITY, "contract type (Freelance)", ("contract",),
          value_aliases=SENIORITY_ALIASES),
    Field("tenure", "DURATION_IN_JOB", Kind.YEARS, "years in the current job", ("duration",)),
    Field("gradyear", "GRADUATION_YEAR", Kind.GRADYEAR, "graduation year or range", ("graduated",)),
    Field("network", "LINKEDIN_RELATIONS_DEGREE", Kind.NETWORK, "relation to your LinkedIn account",
          value_aliases=NETWORK_ALIASES),
)

KEYWORD_FIELD: Field = next(f for f in FIELDS if f.filter_type == "KEYWORD")

# Every spelling (lower-cased) → its field. Field names are case-insensitive.
FIELDS_BY_NAME: Mapping[str, Field] = MappingProxyType(
    {name: f for f in FIELDS for name in f.names}
)
FIELDS_BY_FILTER_TYPE: Mapping[str, Field] = MappingProxyType({f.filter_type: f for f in FIELDS})


def lookup(name: str) -> Field | None:
    """The field a (case-insensitive) name refers to, or None."""
    return FIELDS_BY_NAME.get(name.lower())


@cache
def industries() -> tuple[str, ...]:
    """The known COMPANY_INDUSTRY values, carried as package data."""
    path = os.path.join(os.path.dirname(__file__), "data", "industries.txt")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _extra_known(f: Field) -> tuple[str, ...]:
    extra = {
        Kind.LANGUAGE: LANGUAGES,
        Kind.PROFICIENCY: PROFICIENCY_LEVELS,
        Kind.INDUSTRY: industries() if f.kind is Kind.INDUSTRY else (),
        Kind.YEARS: tuple(map(engine.bucket_label, engine.YEAR_BUCKETS)),
        Kind.SIZE: tuple(map(engine.bucket_label, engine.SIZE_BUCKETS)),
    }
    return extra.get(f.kind, ())
