"""The HTTP client of the search API: httpx, sync and async, with retries (design/API.md).

``ApiClient`` (sync) and ``AsyncApiClient`` (async) share one policy (``_Calls``): one connection
pool per client, timeouts, the ``x-api-key`` header, typed errors from ``talentql.errors``, and
retries run by stamina:

- 429 ``rate_limit_exceeded``: wait ``Retry-After`` (or ``details.retryAfter``) plus jitter; a
  minute window without a hint backs off exponentially; an hour/day/month window without a hint is
  not worth waiting for, so it fails at once with the details;
- 504/503/502 and network failures: exponential backoff with jitter;
- 500: at most one retry; any other 4xx: none;
- all of it within ``retry_timeout`` seconds (config file or ``TALENTQL_RETRY_TIMEOUT``): a wait
  that would overrun the budget is not started.

Malformed answers (not JSON, an HTML error page, missing fields) raise ``MalformedResponseError``.
The key is only ever put in the request header; every message that leaves this module is scrubbed
of it, and no repr shows it.

>>> from talentql.config import Config
>>> ApiClient("http://127.0.0.1:9/api", config=Config())
ApiClient('http://127.0.0.1:9/api/v1/search/talents', key=no)
"""

from __future__ import annotations

import logging
import random
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

import httpx
import stamina
import stamina.instrumentation

from talentql import engine
from talentql._version import __version__
from talentql.config import Config, Secret, load_config
from talentql.errors import (
    ApiError,
    InternalServerError,
    MalformedResponseError,
    NetworkError,
    RateLimitError,
    TooManyTransactionsError,
    UsageError,
    error_from_response,
)

log = logging.getLogger("talentql.client")


def _log_retry(details) -> None:
    # What was retried and how long we wait; never the request (its headers hold the key).
    log.debug("retry %d of a search call in %.2fs after %s", details.retry_num,
              details.wait_for, type(details.caused_by).__name__)


# stamina logs every retry as a warning by default, which would land on a user's terminal.
stamina.instrumentation.set_on_retry_hooks([_log_retry])

# Rate-limit windows worth waiting for without a Retry-After (API.md: minute, hour, day, month).
SHORT_WINDOWS = frozenset({"second", "minute"})
MAX_500_RETRIES = 1
# A refused or failed connection is rarely cured by waiting long: a few tries, not a minute's worth.
MAX_CONNECT_ATTEMPTS = 3
# Requests go out as two writes (headers, body); without TCP_NODELAY, Nagle's algorithm and the
# peer's delayed ACK can stall every call by ~40 ms.
SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


class ConnectFailedError(NetworkError):
    """The connection itself failed (refused, unreachable, DNS): retried only a few times."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often to retry one call (seconds)."""

    timeout: float = 60.0  # total time budget for one call, retries included
    attempts: int = 12
    wait_initial: float = 0.2
    wait_max: float = 10.0
    wait_jitter: float = 0.3

    @classmethod
    def from_config(cls, config: Config) -> RetryPolicy:
        return cls(
            timeout=config.retry_timeout,
            wait_initial=config.retry_wait,
            wait_max=min(config.retry_wait_max, config.retry_timeout / 2),
            wait_jitter=min(0.3, config.retry_wait),
        )


def search_url(api_url: str) -> str:
    """``BASE`` → ``BASE/v1/search/talents``; refuses what is not an http(s) URL.

    >>> search_url("http://127.0.0.1:8000/api/")
    'http://127.0.0.1:8000/api/v1/search/talents'
    """
    base = api_url.strip().rstrip("/")
    try:
        url = httpx.URL(base)
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise UsageError(
            f"--api-url {api_url!r} is not an http(s) URL",
            hint=f"for example {engine.DEFAULT_API_URL} or http://127.0.0.1:PORT/api",
        )
    return base + engine.SEARCH_PATH


@dataclass
class _Attempts:
    """Per-call retry bookkeeping, read by the backoff hook."""

    policy: RetryPolicy
    on_retry: Callable[[ApiError, float], None] | None = None
    started: float = field(default_factory=time.monotonic)
    count: int = 0
    server_errors: int = 0
    connect_errors: int = 0

    def remaining(self) -> float:
        return self.policy.timeout - (time.monotonic() - self.started)

    def backoff(self, error: Exception) -> bool | float:
        """stamina's hook: False (give up) or the seconds to wait before the next attempt."""
        if not isinstance(error, ApiError) or not error.retryable:
            return False
        if isinstance(error, InternalServerError):
            if self.server_errors >= MAX_500_RETRIES:
                return False
            self.server_errors += 1
        if isinstance(error, ConnectFailedError):
            self.connect_errors += 1
            if self.connect_errors >= MAX_CONNECT_ATTEMPTS:
                return False
        wait = self._wait_for(error)
        if wait is not None and wait > self.remaining() and error.retry_after is not None:
            error.hint = (
                f"the service asks to wait {error.retry_after:.0f}s, more than what is left of "
                f"the {self.policy.timeout:.0f}s retry budget (retry_timeout in the config file)"
            )
        if wait is None or wait > self.remaining():
            return False
        if self.on_retry is not None:
            self.on_retry(error, wait)
        return wait

    def _wait_for(self, error: ApiError) -> float | None:
        jitter = random.uniform(0, self.policy.wait_jitter)
        if isinstance(error, RateLimitError):
            if error.retry_after is not None:
                return error.retry_after + jitter
            window = str(error.details.get("window", "minute")).lower()
            if window not in SHORT_WINDOWS:
                return None  # an hour/day/month window: waiting is not a retry
            base = max(5 * self.policy.wait_initial, self.policy.wait_jitter)
        else:
            base = self.policy.wait_initial
        exp = base * 2 ** max(0, self.count - 1)
        return min(self.policy.wait_max, exp) + jitter


class _Calls:
    """What the sync and async clients share: URL, headers, answers, errors, retry policy."""

    def __init__(
        self,
        api_url: str | None = None,
        *,
        api_key: Secret | str | None = None,
        config: Config | None = None,
        policy: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        config = config if config is not None else load_config()
        self.base_url = (api_url or config.api_url or engine.DEFAULT_API_URL).strip().rstrip("/")
        self.url = search_url(self.base_url)
        key = api_key if api_key is not None else config.api_key
        self._key = Secret(key) if isinstance(key, str) else key
        self.policy = policy or RetryPolicy.from_config(config)
        self.timeout = timeout or httpx.Timeout(
            config.read_timeout, connect=config.connect_timeout
        )
        self.calls = 0  # answers received with success (credits spent)
        self.attempts = 0  # HTTP requests sent, retries included
        # Told (error, seconds) before each wait: the CLI shows it as progress on a terminal.
        self.on_retry: Callable[[ApiError, float], None] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r}, key={'yes' if self._key else 'no'})"

    @property
    def has_key(self) -> bool:
        return bool(self._key)

    def _headers(self) -> dict[str, str]:
        headers = {"user-agent": f"talentql/{__version__}", "accept": "application/json"}
        if self._key:
            headers[engine.API_KEY_HEADER] = self._key.reveal()
        return headers

    def _check_body(self, body: Mapping[str, Any]) -> None:
        ids = body.get("relatedSearchTransactionIds") or ()
        if len(ids) > engine.MAX_TRANSACTION_IDS:  # never spend a call on a certain 400
            raise TooManyTransactionsError(
                f"{len(ids)} transaction ids is more than the API's "
                f"{engine.MAX_TRANSACTION_IDS}",
                code="too_many_transactions",
                hint="refine the query instead of paginating further",
            )

    def _answer(self, response: httpx.Response) -> dict[str, Any]:
        """The ``data`` of a success answer, or the typed error to raise."""
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if 200 <= status < 300:
            if not isinstance(body, dict):
                raise self._malformed(response, "is not a JSON object")
            return self._validated(body)
        if not isinstance(body, dict):
            error = error_from_response(status, {}, response.headers)
            error.message = f"the service answered HTTP {status} {self._what(response)}"
            if status == 404:
                error.hint = f"check --api-url: requests go to {self.url}"
            raise error
        raise error_from_response(status, body, response.headers)

    def _validated(self, body: dict[str, Any]) -> dict[str, Any]:
        from pydantic import ValidationError

        from talentql.api.models import SearchResponse, describe_validation_error

        if body.get("success") is False:  # an error envelope with a 200 status
            raise error_from_response(200, body, {})
        try:
            SearchResponse.model_validate(body)
        except ValidationError as error:
            raise MalformedResponseError(
                "the service's answer is missing what paging needs: "
                + describe_validation_error(error)
            ) from None
        return body["data"]

    def _malformed(self, response: httpx.Response, what: str) -> MalformedResponseError:
        return MalformedResponseError(
            f"the service answered HTTP {response.status_code} with a body that {what} "
            f"{self._what(response)}",
            status=response.status_code,
            hint="check --api-url, or retry later",
        )

    @staticmethod
    def _what(response: httpx.Response) -> str:
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        text = " ".join(response.text[:60].split())
        return f"({kind}: {text!r})" if text else f"({kind}, empty)"

    def _network_error(self, error: httpx.HTTPError) -> ApiError:
        if isinstance(error, httpx.TimeoutException):
            kind = type(error).__name__.replace("Timeout", " timeout").lower()
            message = f"no answer from {self.base_url} in time ({kind.strip()})"
        elif isinstance(error, httpx.ConnectError):
            return ConnectFailedError(f"cannot connect to {self.base_url}: {error}")
        else:
            message = f"network failure talking to {self.base_url}: {type(error).__name__}: {error}"
        return NetworkError(message)

    def _scrub(self, error: ApiError, attempts: _Attempts) -> ApiError:
        """Say how hard we tried, and make sure the key never travels in a message."""
        if attempts.count > 1:
            error.message += (
                f" (gave up after {attempts.count} attempts in "
                f"{time.monotonic() - attempts.started:.1f}s)"
            )
        if self._key:
            secret = self._key.reveal()
            error.message = error.message.replace(secret, "***")
            error.details = {
                k: (v.replace(secret, "***") if isinstance(v, str) else v)
                for k, v in error.details.items()
            }
            error.args = (error.message,)
        return error

    def _retry_context(self, attempts: _Attempts):
        return stamina.retry_context(
            on=attempts.backoff,
            attempts=self.policy.attempts,
            timeout=self.policy.timeout,
        )


class ApiClient(_Calls):
    """The synchronous client: ``with ApiClient(url) as c: data = c.search_talents(body)``."""

    def __init__(
        self, api_url: str | None = None, *, transport: httpx.BaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(api_url, **kwargs)
        transport = transport or httpx.HTTPTransport(socket_options=SOCKET_OPTIONS)
        self._http = httpx.Client(timeout=self.timeout, transport=transport)

    def search_talents(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """One call, retried per the policy; returns the answer's ``data`` object."""
        self._check_body(body)
        attempts = _Attempts(self.policy, self.on_retry)
        try:
            for attempt in self._retry_context(attempts):
                with attempt:
                    attempts.count += 1
                    self.attempts += 1
                    try:
                        response = self._http.post(self.url, json=body, headers=self._headers())
                    except httpx.HTTPError as error:
                        raise self._network_error(error) from None
                    data = self._answer(response)
        except ApiError as error:
            raise self._scrub(error, attempts) from None
        self.calls += 1
        return data

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncApiClient(_Calls):
    """The asynchronous client; one pool shared by concurrent searches."""

    def __init__(
        self, api_url: str | None = None, *, transport: httpx.AsyncBaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(api_url, **kwargs)
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=16)
        transport = transport or httpx.AsyncHTTPTransport(
            socket_options=SOCKET_OPTIONS, limits=limits
        )
        self._http = httpx.AsyncClient(timeout=self.timeout, transport=transport, limits=limits)

    async def search_talents(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """One call, retried per the policy; returns the answer's ``data`` object."""
        self._check_body(body)
        attempts = _Attempts(self.policy, self.on_retry)
        try:
            async for attempt in self._retry_context(attempts):
                with attempt:
                    attempts.count += 1
                    self.attempts += 1
                    try:
                        response = await self._http.post(
                            self.url, json=body, headers=self._headers()
                        )
                    except httpx.HTTPError as error:
                        raise self._network_error(error) from None
                    data = self._answer(response)
        except ApiError as error:
            raise self._scrub(error, attempts) from None
        self.calls += 1
        return data

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
