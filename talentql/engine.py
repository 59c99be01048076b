"""The service's constants and the engine models, in one place.

Everything the compiler, the client and the sandbox must agree on about the API lives here, so a
change on the service's side is a one-line change (design/API.md). Pure data: no imports beyond
the standard library.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: start-up (benchmarks/)
if TYPE_CHECKING:
    from typing import Final

# --- Endpoint ------------------------------------------------------------------------------------
DEFAULT_API_URL: Final = "https://app.kalent.ai/api"
SEARCH_PATH: Final = "/v1/search/talents"
API_KEY_HEADER: Final = "x-api-key"
API_KEY_ENV: Final = "KALENT_API_KEY"

# --- Paging --------------------------------------------------------------------------------------
PAGE_SIZE: Final = 10
# Documented maximum of relatedSearchTransactionIds (one newer note says 300; we enforce 100).
MAX_TRANSACTION_IDS: Final = 100
# estimationCount is capped by the service ("10,000 or more").
ESTIMATION_CAP: Final = 10_000

# --- Employment history -------------------------------------------------------------------------
# Sources disagree on the "either" spelling; the newest developer notes say CURRENT_AND_PAST.
HISTORY_VALUES: Final = {"current": "CURRENT", "past": "PAST", "any": "CURRENT_AND_PAST"}
DEFAULT_HISTORY: Final = "current"

# --- Ranges and buckets -------------------------------------------------------------------------
# Buckets are closed intervals; None as an upper bound means "and up".
YEAR_BUCKETS: Final = ((0, 1), (1, 3), (3, 5), (5, 10), (10, 15), (15, 20), (20, 30), (30, 100))
SIZE_BUCKETS: Final = (
    (1, 10), (11, 50), (51, 200), (201, 500), (501, 1000), (1001, 5000), (5001, 10000),
    (10001, None),
)
YEARS_MIN: Final = 0
YEARS_MAX: Final = 100
SIZE_MIN: Final = 1
GRADYEAR_MAX_SPAN: Final = 20  # a gradyear range holds at most this many years
GRADYEAR_MIN: Final = 1900
GRADYEAR_MAX: Final = 2100

# --- Radius --------------------------------------------------------------------------------------
RADIUS_MIN_KM: Final = 1
RADIUS_MAX_KM: Final = 1000
KM_PER_MILE: Final = 1.609344

# --- Compiler options ----------------------------------------------------------------------------
# gate: filters of one filterType form a family; a family passes when all its required values
#       match, or (with no required value) at least one optional value does. Families are ANDed.
# strict: one search is a plain conjunction of required and excluded filters.
ENGINE_MODELS: Final = ("gate", "strict")
DEFAULT_ENGINE: Final = "gate"
RANGE_MODES: Final = ("buckets", "free")
DEFAULT_RANGES: Final = "buckets"
DEFAULT_MAX_SEARCHES: Final = 16


def bucket_label(bucket: tuple[int, int | None]) -> str:
    """The API's spelling of a bucket: ``(5, 10)`` → ``"5-10"``, ``(10001, None)`` → ``"10001+"``."""
    low, high = bucket
    return f"{low}+" if high is None else f"{low}-{high}"
