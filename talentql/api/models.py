"""The search API's messages as pydantic models (design/API.md).

- ``SearchRequest``: a request body; its ``filters`` are a union discriminated on ``filterType``,
  one model per filter type of ``talentql.fields.FIELDS`` (17), built from that table so a new
  field is one entry there. ``radius`` exists only on LOCATION, ``history`` only on JOB_TITLE and
  COMPANY_NAME; unknown keys are refused, as the service does.
- ``SearchResponse`` / ``SearchData``: a success answer. ``talents`` stay plain dicts (the
  service adds fields over time; nothing is dropped); ``Talent`` reads one leniently.
- ``Talent``: every field optional, unknown fields kept (``extra="allow"``); a field of an
  unexpected type becomes None rather than failing the whole answer.
- ``ErrorEnvelope`` and ``LegacyErrorEnvelope``: the two error styles.

>>> SearchRequest.model_validate({"filters": [{"filterType": "SKILL", "value": "Go"}]}).filters[0].isRequired
True
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    create_model,
    field_validator,
)

from talentql import engine
from talentql.fields import FIELDS

HISTORY = Literal[tuple(engine.HISTORY_VALUES.values())]  # type: ignore[valid-type]


class _FilterBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str = Field(min_length=1)
    isRequired: bool = True
    isExcluded: bool = False
    isExactMatch: bool = False


def _filter_model(field) -> type[_FilterBase]:
    extra: dict[str, Any] = {"filterType": (Literal[field.filter_type], ...)}
    if field.radius:
        extra["radius"] = (
            Annotated[int, Field(ge=engine.RADIUS_MIN_KM, le=engine.RADIUS_MAX_KM)] | None,
            None,
        )
    if field.history:
        extra["history"] = (HISTORY | None, None)
    name = "".join(part.title() for part in field.filter_type.split("_")) + "Filter"
    return create_model(name, __base__=_FilterBase, __module__=__name__, **extra)


# filterType → its model, from the field table (one source of truth).
FILTER_MODELS: dict[str, type[_FilterBase]] = {f.filter_type: _filter_model(f) for f in FIELDS}
# Union[...] of a runtime tuple: the X | Y spelling cannot be built from a tuple.
AnyFilter = Annotated[
    Union[tuple(FILTER_MODELS.values())],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="filterType"),
]


class SearchRequest(BaseModel):
    """One ``POST /v1/search/talents`` body."""

    model_config = ConfigDict(extra="forbid")

    filters: list[AnyFilter]
    relatedSearchTransactionIds: list[str] = Field(
        default_factory=list, max_length=engine.MAX_TRANSACTION_IDS
    )


# --- Answers -------------------------------------------------------------------------------------


class _Lenient(BaseModel):
    """Every field optional, unknown fields kept, a wrongly typed field read as None."""

    model_config = ConfigDict(extra="allow")

    @field_validator("*", mode="wrap")
    @classmethod
    def _none_if_invalid(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            return None


class Organization(_Lenient):
    id: str | int | None = None
    name: str | None = None
    logoUrl: str | None = None


class Experience(_Lenient):
    organizationName: str | None = None
    title: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    description: str | None = None
    isCurrent: bool | None = None
    organization: Organization | None = None


class Education(_Lenient):
    schoolName: str | None = None
    schoolLogo: str | None = None
    summary: str | None = None
    degrees: list[str] | None = None
    majors: list[str] | None = None
    minors: list[str] | None = None
    startDate: str | None = None
    endDate: str | None = None
    schoolDomain: str | None = None


class Talent(_Lenient):
    """One talent as the service returns it; read with ``Talent.model_validate(d)``."""

    id: str | int | None = None
    firstname: str | None = None
    lastname: str | None = None
    gender: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    jobTitle: str | None = None
    headline: str | None = None
    summary: str | None = None
    photoUrl: str | None = None
    linkedinUrl: str | None = None
    currentOrganization: Organization | None = None
    experiences: list[Experience] | None = None
    educations: list[Education] | None = None
    skills: list[Any] | None = None
    interests: list[Any] | None = None
    languages: list[Any] | None = None
    certifications: list[Any] | None = None


class SearchData(BaseModel):
    """The ``data`` object of a success answer; required fields are the ones paging needs."""

    model_config = ConfigDict(extra="allow")

    talents: list[dict[str, Any]]
    searchTransactionId: str = Field(min_length=1)
    estimationCount: int | None = None
    resultCompleteness: Any = None  # shape unpublished: read leniently by the session


class SearchResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    success: Literal[True]
    data: SearchData


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str | None = None
    message: str | None = None
    debugTrackingCode: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorEnvelope(BaseModel):
    """``{"success": false, "error": {"code", "message", "debugTrackingCode", "details"}}``."""

    model_config = ConfigDict(extra="allow")

    success: Literal[False] = False
    error: ErrorBody


class LegacyErrorEnvelope(BaseModel):
    """The older style: ``{"success": false, "error": "a string"}``."""

    model_config = ConfigDict(extra="allow")

    success: Literal[False] = False
    error: str


def describe_validation_error(error: ValidationError, limit: int = 3) -> str:
    """A short, human account of what is missing or wrong (values are never echoed)."""
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(p) for p in item["loc"]) or "the answer"
        parts.append(f"{where}: {item['msg'].lower()}")
    more = len(error.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
