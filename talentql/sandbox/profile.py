"""What the matcher and the index read from a talent record (export format).

One extraction for both, so the SQL index and the pure matcher cannot disagree on what a field
holds. Text "columns" are lists of items (strings); a filter matches per item (SANDBOX.md), except
KEYWORD, whose words may come from anywhere in the profile, and LOCATION, whose items are the
city, the country and "City, Country".
"""

from __future__ import annotations

from typing import Any

TEXT_COLUMNS = (
    "title_cur", "title_past", "company_cur", "company_past", "location", "skill", "keyword",
    "lang", "prof", "industry", "degree", "school", "cert",
)
# Columns where one talent has several items: a multi-word fuzzy value must fit in ONE item.
MULTI_ITEM_COLUMNS = frozenset(
    {"title_past", "company_past", "skill", "lang", "prof", "school", "cert"}
)
# Columns whose words are matched as one bag (the value's words may come from different items).
BAG_COLUMNS = frozenset({"keyword", "location"})

# filterType (and history) → the columns it reads.
COLUMNS_BY_TYPE = {
    "SKILL": ("skill",),
    "KEYWORD": ("keyword",),
    "LOCATION": ("location",),
    "LANGUAGE": ("lang",),
    "LANGUAGE_PROFICIENCY": ("prof",),
    "COMPANY_INDUSTRY": ("industry",),
    "EDUCATION_DEGREE": ("degree",),
    "EDUCATION_SCHOOL_NAME": ("school",),
    "CERTIFICATION_NAME": ("cert",),
}
HISTORY_COLUMNS = {
    "JOB_TITLE": {"CURRENT": ("title_cur",), "PAST": ("title_past",),
                  "CURRENT_AND_PAST": ("title_cur", "title_past")},
    "COMPANY_NAME": {"CURRENT": ("company_cur",), "PAST": ("company_past",),
                     "CURRENT_AND_PAST": ("company_cur", "company_past")},
}
# Older spelling of "either" (API.md): accepted as a synonym.
HISTORY_SYNONYMS = {"CURRENT_OR_PAST": "CURRENT_AND_PAST"}


def columns_for(filter_type: str, history: str | None) -> tuple[str, ...]:
    if filter_type in HISTORY_COLUMNS:
        key = HISTORY_SYNONYMS.get(history or "CURRENT", history or "CURRENT")
        return HISTORY_COLUMNS[filter_type][key]
    return COLUMNS_BY_TYPE[filter_type]


def _past(talent: dict) -> list[dict]:
    return [e for e in talent.get("experiences") or () if not e.get("isCurrent")]


_CACHE: dict[int, tuple[dict, dict]] = {}
_CACHE_MAX = 200_000


def text_items(talent: dict) -> dict[str, list[str]]:
    """Every text column's items. ``text_items(t)["skill"]`` → ``["Python", "SQL", …]``.

    Memoized per record object (records are treated as immutable), which makes evaluating many
    filters over one pool cheap.
    """
    hit = _CACHE.get(id(talent))
    if hit is not None and hit[0] is talent:
        return hit[1]
    items = _text_items(talent)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[id(talent)] = (talent, items)
    return items


def _text_items(talent: dict) -> dict[str, list[str]]:
    sandbox = talent.get("sandbox") or {}
    past = _past(talent)
    title = talent.get("jobTitle")
    company = (talent.get("currentOrganization") or {}).get("name")
    city, country = talent.get("city"), talent.get("country")
    languages = talent.get("languages") or ()
    skills = list(talent.get("skills") or ())
    past_titles = [e["title"] for e in past if e.get("title")]
    past_companies = [e["organizationName"] for e in past if e.get("organizationName")]
    keyword = [
        *([title] if title else []), *past_titles,
        *[x for x in (talent.get("headline"), talent.get("summary")) if x],
        *skills,
        *[e["description"] for e in talent.get("experiences") or () if e.get("description")],
        *([company] if company else []), *past_companies,
    ]
    location = [x for x in (city, country) if x]
    if city and country:
        location.append(f"{city}, {country}")
    return {
        "title_cur": [title] if title else [],
        "title_past": past_titles,
        "company_cur": [company] if company else [],
        "company_past": past_companies,
        "location": location,
        "skill": skills,
        "keyword": keyword,
        "lang": [entry["name"] for entry in languages if entry.get("name")],
        "prof": [
            x for entry in languages if entry.get("proficiency")
            for x in (entry["proficiency"], f"{entry.get('name', '')} {entry['proficiency']}".strip())
        ],
        "industry": [sandbox["companyIndustry"]] if sandbox.get("companyIndustry") else [],
        "degree": [sandbox["highestDegree"]] if sandbox.get("highestDegree") else [],
        "school": [e["schoolName"] for e in talent.get("educations") or () if e.get("schoolName")],
        "cert": list(talent.get("certifications") or ()),
    }


def bundles(talent: dict) -> dict[str, list[str]]:
    """Bundle names per column: the current employer's, past employers', schools'."""
    sandbox = talent.get("sandbox") or {}
    return {
        "company_cur": list(sandbox.get("companyBundles") or ()),
        "company_past": list(sandbox.get("pastCompanyBundles") or ()),
        "school": list(sandbox.get("schoolBundles") or ()),
    }


def graduation_years(talent: dict) -> list[int]:
    years = []
    for edu in talent.get("educations") or ():
        end = edu.get("endDate")
        if isinstance(end, str) and end[:4].isdigit():
            years.append(int(end[:4]))
    return years


def fact(talent: dict, key: str) -> Any:
    return (talent.get("sandbox") or {}).get(key)
