"""The compiler's output: plans of searches of filters, as frozen values (LANGUAGE.md §5).

A ``Plan`` serializes to the JSON that ``talentql compile`` prints; ``Search.request_body`` is the
body of one ``POST /v1/search/talents`` call.
"""

from __future__ import annotations

from dataclasses import field
from collections.abc import Iterable

TYPE_CHECKING = False  # typing is not imported at run time: start-up (benchmarks/)
if TYPE_CHECKING:
    from typing import Any

from talentql.diagnostics import Diagnostic
from talentql.value import frozen_value

# Filter types that carry a history value, always present on output.
HISTORY_FILTER_TYPES = frozenset({"JOB_TITLE", "COMPANY_NAME"})


@frozen_value
class Filter:
    """One filter object of a request body."""

    filter_type: str
    value: str
    is_required: bool = True
    is_excluded: bool = False
    is_exact_match: bool = False
    radius: int | None = None
    history: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The API's object, keys in the documented order."""
        out: dict[str, Any] = {
            "filterType": self.filter_type,
            "value": self.value,
            "isRequired": self.is_required,
            "isExcluded": self.is_excluded,
            "isExactMatch": self.is_exact_match,
        }
        if self.radius is not None:
            out["radius"] = self.radius
        if self.filter_type in HISTORY_FILTER_TYPES:
            out["history"] = self.history or "CURRENT"
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Filter:
        return cls(
            filter_type=data["filterType"],
            value=data["value"],
            is_required=data.get("isRequired", True),
            is_excluded=data.get("isExcluded", False),
            is_exact_match=data.get("isExactMatch", False),
            radius=data.get("radius"),
            history=data.get("history"),
        )


@frozen_value
class Search:
    """One search: the filters of one request body, paged with its own transaction chain."""

    filters: tuple[Filter, ...]

    def to_json(self) -> dict[str, Any]:
        return {"filters": [f.to_json() for f in self.filters]}

    def request_body(self, transaction_ids: Iterable[str] = ()) -> dict[str, Any]:
        """The body of one API call for this search, excluding earlier pages' talents."""
        return {
            "filters": [f.to_json() for f in self.filters],
            "relatedSearchTransactionIds": list(transaction_ids),
        }


@frozen_value
class Plan:
    """What a query compiles to: searches whose union is the query, and the warnings."""

    engine: str
    searches: tuple[Search, ...]
    warnings: tuple[Diagnostic, ...] = ()
    ranges: str = "buckets"
    # True when the query was too large for the exhaustive minimality search (LANGUAGE.md §5).
    best_effort: bool = field(default=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "searches": [s.to_json() for s in self.searches],
            "warnings": [w.to_json() for w in self.warnings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """Rebuild a plan from its JSON (warnings are not kept: they are for compile time)."""
        searches = tuple(
            Search(tuple(Filter.from_json(f) for f in s["filters"])) for s in data["searches"]
        )
        return cls(engine=data.get("engine", "gate"), searches=searches)
