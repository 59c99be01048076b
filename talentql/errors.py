"""Exit codes and the typed errors every layer raises (CLI.md, API.md).

The CLI turns any ``TalentQLError`` into its message and ``exit_code``; nothing else reaches a user.
The API errors are shared by the HTTP client and the in-process sandbox backend, so both report
the same failure the same way. Pure standard library: cheap to import.
"""

from __future__ import annotations

from enum import IntEnum
from collections.abc import Mapping

TYPE_CHECKING = False  # typing is not imported at run time: start-up (benchmarks/)
if TYPE_CHECKING:
    from typing import Any


class ExitCode(IntEnum):
    OK = 0
    INVALID = 1  # invalid query or file
    USAGE = 2  # bad command line
    SERVICE = 3  # service or network failure after retries
    AUTH = 4  # authentication
    INTERNAL = 70  # a bug in TalentQL (EX_SOFTWARE); the message asks for a report
    INTERRUPTED = 130


class TalentQLError(Exception):
    """Base of every error TalentQL reports to a user."""

    exit_code: ExitCode = ExitCode.INVALID

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class UsageError(TalentQLError):
    exit_code = ExitCode.USAGE


class ConfigError(TalentQLError):
    exit_code = ExitCode.USAGE


class CompileError(TalentQLError):
    """A query or file that does not compile; ``diagnostics`` holds every problem found."""

    exit_code = ExitCode.INVALID

    def __init__(self, diagnostics: list[Any], source: Any = None) -> None:
        self.diagnostics = diagnostics
        self.source = source
        first = diagnostics[0] if diagnostics else None
        super().__init__(f"{first.code}: {first.message}" if first else "invalid query")


# --- The API's errors ----------------------------------------------------------------------------


class ApiError(TalentQLError):
    """An error answer of the search API (or a failure to get a usable answer)."""

    exit_code = ExitCode.SERVICE
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
        debug_tracking_code: str | None = None,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code
        self.details = dict(details or {})
        self.debug_tracking_code = debug_tracking_code
        self.retry_after = retry_after

    def render(self) -> str:
        head = f"{self.message}"
        if self.status or self.code:
            head += f" ({', '.join(str(x) for x in (self.status, self.code) if x)})"
        lines = [head]
        if self.details:
            lines.append("  details: " + ", ".join(f"{k}={v}" for k, v in self.details.items()))
        if self.debug_tracking_code:
            lines.append(f"  debug tracking code: {self.debug_tracking_code}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


class ValidationError(ApiError):
    pass


class TooManyTransactionsError(ApiError):
    pass


class LinkedInNotConnectedError(ApiError):
    pass


class AuthenticationError(ApiError):
    exit_code = ExitCode.AUTH


class PaymentRequiredError(ApiError):
    pass


class RateLimitError(ApiError):
    retryable = True


class SearchTimeoutError(ApiError):
    retryable = True


class InternalServerError(ApiError):
    retryable = True  # at most once (API.md)


class MalformedResponseError(ApiError):
    pass


class NetworkError(ApiError):
    """No answer at all: connection refused, DNS, timeouts."""

    retryable = True


_HINTS = {
    "missing_api_key": "set KALENT_API_KEY, or put api_key in the config file "
    "(talentql --help explains); without a key TalentQL uses the embedded sandbox",
    "invalid_api_key": "check KALENT_API_KEY or the api_key in your config file",
    "missing_connected_linkedin_account": "network: filters need a LinkedIn account connected "
    "to the key's user; connect one in the service's settings or drop the network filter",
    "too_many_transactions": "refine the query instead of paginating further",
    "rate_limit_exceeded": "wait for the window to pass, or raise your plan's limit",
}

# (status, code) → class; a status alone is the fallback for codes we do not know.
_BY_CODE: dict[str, type[ApiError]] = {
    "validation_error": ValidationError,
    "too_many_transactions": TooManyTransactionsError,
    "too_many_search_transactions": TooManyTransactionsError,
    "missing_connected_linkedin_account": LinkedInNotConnectedError,
    "missing_api_key": AuthenticationError,
    "invalid_api_key": AuthenticationError,
    "plan_upgrade_required": PaymentRequiredError,
    "insufficient_credits": PaymentRequiredError,
    "rate_limit_exceeded": RateLimitError,
    "internal_error": InternalServerError,
}
_BY_STATUS: dict[int, type[ApiError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    402: PaymentRequiredError,
    429: RateLimitError,
    500: InternalServerError,
    502: SearchTimeoutError,
    503: SearchTimeoutError,
    504: SearchTimeoutError,
}


def error_from_response(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> ApiError:
    """Build the typed error for an error answer, accepting both envelope styles.

    New style: ``{"success": false, "error": {"code", "message", "debugTrackingCode", "details"}}``;
    old style: ``{"success": false, "error": "a string"}``. Anything else is described, not trusted.
    """
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        code = error.get("code") if isinstance(error.get("code"), str) else None
        message = error.get("message") if isinstance(error.get("message"), str) else None
        details = error.get("details") if isinstance(error.get("details"), dict) else {}
        tracking = error.get("debugTrackingCode")
        tracking = tracking if isinstance(tracking, str) else None
    else:
        code, details, tracking = None, {}, None
        message = error if isinstance(error, str) else None
    if code is None and status == 400 and message and "transaction" in message.lower():
        code = "too_many_transactions"
    cls = _BY_CODE.get(code or "") or _BY_STATUS.get(status) or (
        InternalServerError if status >= 500 else ApiError
    )
    retry_after = _retry_after(headers or {}, details)
    return cls(
        message or f"the service answered HTTP {status}",
        status=status,
        code=code,
        details=details,
        debug_tracking_code=tracking,
        retry_after=retry_after,
        hint=_HINTS.get(code or ""),
    )


def _retry_after(headers: Mapping[str, str], details: Mapping[str, Any]) -> float | None:
    for key in ("retry-after", "Retry-After"):
        value = headers.get(key)
        if value is not None:
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    value = details.get("retryAfter") or details.get("retryAfterSeconds")
    return float(value) if isinstance(value, (int, float)) else None
