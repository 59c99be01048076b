"""The HTTP client against recorded answers and a mock server: parsing, errors, retries, key."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import pytest
from client_fakes import FAST, FakeEngine, Faults, make_pool, mock_transport, recorded

from talentql import engine
from talentql.client import ApiClient, AsyncApiClient, RetryPolicy, search_url
from talentql.config import Config, Secret
from talentql.errors import (
    AuthenticationError,
    ExitCode,
    InternalServerError,
    MalformedResponseError,
    NetworkError,
    PaymentRequiredError,
    RateLimitError,
    SearchTimeoutError,
    TooManyTransactionsError,
    UsageError,
    ValidationError,
)

KEY = "sk_live_SECRET_4d3c2b1a"
BODY = {"filters": [{"filterType": "SKILL", "value": "python", "isRequired": True,
                     "isExcluded": False, "isExactMatch": False}],
        "relatedSearchTransactionIds": []}


def scripted(*answers: httpx.Response | Exception, log: list | None = None):
    """A transport answering these in turn (an exception is raised as a network failure)."""
    queue = list(answers)

    def handler(request):
        if log is not None:
            log.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handler)


def client(*answers, log=None, policy=FAST, key=KEY):
    return ApiClient("http://api.test/api", api_key=key, config=Config(), policy=policy,
                     transport=scripted(*answers, log=log))


# --- Parsing recorded answers --------------------------------------------------------------------


def test_success_returns_data_with_every_field_kept():
    data = client(recorded("success")).search_talents(BODY)
    assert data["searchTransactionId"] == "6f1c2b7e-0a55-4a1e-9d0b-5b8a3c1d2e4f"
    assert [t["id"] for t in data["talents"]] == ["tal_01", "tal_02"]
    assert data["talents"][0]["experiences"][1]["organizationName"] == "Deezer"


def test_partial_talents_are_kept_whole_and_read_leniently():
    from talentql.api.models import Talent

    data = client(recorded("partial_talents")).search_talents(BODY)
    talents = [Talent.model_validate(t) for t in data["talents"]]
    assert talents[0].id == "tal_10" and talents[0].firstname is None
    assert talents[1].skills is None  # a string where a list belongs: read as None...
    assert data["talents"][1]["skills"] == "not-a-list"  # ...but the raw talent is untouched
    assert talents[1].model_extra["openToWork"] is True
    assert talents[1].currentOrganization.model_extra["employeeCount"] == 1200
    assert talents[2].model_extra["newNestedThing"] == [1, 2, 3]


def test_new_error_envelope_402_is_payment_required_with_details():
    with pytest.raises(PaymentRequiredError) as caught:
        client(recorded("error_envelope")).search_talents(BODY)
    error = caught.value
    assert error.exit_code == ExitCode.SERVICE
    assert error.code == "insufficient_credits" and error.details["creditsRemaining"] == 0
    rendered = error.render()
    assert "no credits left" in rendered and "trk_8f2a91" in rendered and "402" in rendered


def test_legacy_error_envelope_401_is_auth_error():
    log = []
    with pytest.raises(AuthenticationError) as caught:
        client(recorded("error_legacy"), log=log).search_talents(BODY)
    assert caught.value.exit_code == ExitCode.AUTH
    assert "Invalid API key" in caught.value.render()
    assert len(log) == 1  # no retry for 4xx


def test_validation_error_is_not_retried_and_shows_details():
    log = []
    with pytest.raises(ValidationError) as caught:
        client(recorded("validation_error"), log=log).search_talents(BODY)
    assert len(log) == 1
    assert "filterIndex=0" in caught.value.render()


def test_legacy_too_many_transactions_is_typed():
    with pytest.raises(TooManyTransactionsError):
        client(recorded("too_many_transactions")).search_talents(BODY)


@pytest.mark.parametrize("name", ["html_ok", "missing_fields"])
def test_malformed_success_answers_are_clear_errors(name):
    with pytest.raises(MalformedResponseError) as caught:
        client(recorded(name)).search_talents(BODY)
    message = caught.value.render()
    assert "Traceback" not in message
    assert ("text/html" in message) if name == "html_ok" else ("searchTransactionId" in message)


def test_html_502_page_is_retried_then_reported_plainly():
    log = []
    with pytest.raises(SearchTimeoutError) as caught:
        client(*[recorded("html_error")] * 3, log=log,
               policy=RetryPolicy(timeout=2, attempts=3, wait_initial=0.01, wait_max=0.02,
                                  wait_jitter=0.0)).search_talents(BODY)
    assert len(log) == 3
    assert "HTTP 502" in caught.value.message and "text/html" in caught.value.message
    assert "gave up after 3 attempts" in caught.value.message


# --- Retries -------------------------------------------------------------------------------------


def test_429_with_retry_after_then_success():
    log = []
    data = client(recorded("rate_limited"), recorded("rate_limited"), recorded("success"),
                  log=log).search_talents(BODY)
    assert len(log) == 3 and data["talents"]


def test_429_honours_retry_after_seconds():
    slow = httpx.Response(429, headers={"Retry-After": "0.3"},
                          json={"success": False, "error": {"code": "rate_limit_exceeded",
                                                            "message": "slow down"}})
    started = time.monotonic()
    client(slow, recorded("success")).search_talents(BODY)
    assert time.monotonic() - started >= 0.3


def test_429_daily_window_without_retry_after_fails_at_once_with_the_window():
    log = []
    with pytest.raises(RateLimitError) as caught:
        client(recorded("rate_limited_day"), log=log).search_talents(BODY)
    assert len(log) == 1
    assert "window=day" in caught.value.render()


def test_429_retry_after_beyond_the_budget_is_not_waited_for():
    long = httpx.Response(429, headers={"Retry-After": "3600"},
                          json={"success": False, "error": {"code": "rate_limit_exceeded",
                                                            "message": "wait an hour"}})
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        client(long).search_talents(BODY)
    assert time.monotonic() - started < 1
    assert "asks to wait 3600s" in caught.value.render()


def test_504_is_retried():
    log = []
    timeout = httpx.Response(504, json={"success": False, "error": {"code": "timeout",
                                                                    "message": "engine timeout"}})
    data = client(timeout, timeout, recorded("success"), log=log).search_talents(BODY)
    assert len(log) == 3 and data["talents"]


def test_500_is_retried_at_most_once_and_keeps_the_tracking_code():
    log = []
    with pytest.raises(InternalServerError) as caught:
        client(*[recorded("server_error")] * 4, log=log).search_talents(BODY)
    assert len(log) == 2
    assert "trk_500_abc" in caught.value.render()


def test_network_errors_are_retried_then_reported():
    log = []
    refused = httpx.ConnectError("connection refused")
    with pytest.raises(NetworkError) as caught:
        client(*[refused] * 20, log=log, policy=RetryPolicy(
            timeout=5, attempts=4, wait_initial=0.01, wait_max=0.02, wait_jitter=0)
        ).search_talents(BODY)
    assert len(log) == 3  # MAX_CONNECT_ATTEMPTS: a refused connection is not worth a minute
    assert caught.value.exit_code == ExitCode.SERVICE
    assert "cannot connect" in caught.value.message


def test_read_timeouts_are_retried_within_the_budget():
    log = []
    slow = httpx.ReadTimeout("timed out")
    data = client(slow, slow, slow, recorded("success"), log=log).search_talents(BODY)
    assert len(log) == 4 and data["talents"]


def test_total_retry_time_is_bounded():
    timeout = httpx.Response(504, json={"success": False, "error": "timeout"})
    policy = RetryPolicy(timeout=0.5, attempts=1000, wait_initial=0.05, wait_max=0.1,
                         wait_jitter=0.01)
    started = time.monotonic()
    with pytest.raises(SearchTimeoutError):
        client(*[timeout] * 1000, policy=policy).search_talents(BODY)
    assert time.monotonic() - started < 1.5


def test_more_than_100_ids_never_leaves_the_client():
    log = []
    body = dict(BODY, relatedSearchTransactionIds=[f"t{i}" for i in range(101)])
    with pytest.raises(TooManyTransactionsError):
        client(recorded("success"), log=log).search_talents(body)
    assert log == []


def test_high_fault_rates_still_answer_every_call_with_bounded_attempts():
    fake = FakeEngine(make_pool(300))
    faults = Faults(rate_504=0.4, rate_429=0.3)
    api = ApiClient("http://api.test/api", api_key=KEY, config=Config(), policy=FAST,
                    transport=mock_transport(fake, keys={KEY}, faults=faults))
    ids, tids = [], []
    while True:
        data = api.search_talents(dict(BODY, relatedSearchTransactionIds=tids))
        ids += [t["id"] for t in data["talents"]]
        tids.append(data["searchTransactionId"])
        if not data["talents"] or data.get("resultCompleteness"):
            break
    assert ids == fake.matching_ids(BODY["filters"])  # nothing lost, nothing twice
    assert api.calls == fake.calls and api.attempts > api.calls


# --- The async client ----------------------------------------------------------------------------


def test_async_client_runs_concurrent_calls_on_one_pool():
    fake = FakeEngine(make_pool(100))

    async def main():
        async with AsyncApiClient("http://api.test/api", api_key=KEY, config=Config(),
                                  policy=FAST,
                                  transport=mock_transport(fake, keys={KEY})) as api:
            return await asyncio.gather(*(api.search_talents(BODY) for _ in range(5))), api.calls

    answers, calls = asyncio.run(main())
    assert len(answers) == 5 and calls == 5


def test_async_client_maps_errors_like_the_sync_one():
    async def main():
        api = AsyncApiClient("http://api.test/api", api_key="wrong", config=Config(),
                             policy=FAST,
                             transport=mock_transport(FakeEngine(make_pool(5)), keys={KEY}))
        try:
            await api.search_talents(BODY)
        finally:
            await api.aclose()

    with pytest.raises(AuthenticationError) as caught:
        asyncio.run(main())
    assert caught.value.code == "invalid_api_key" and caught.value.hint


# --- URLs and the key ----------------------------------------------------------------------------


def test_requests_go_to_base_plus_search_path():
    log = []
    client(recorded("success"), log=log).search_talents(BODY)
    assert str(log[0].url) == "http://api.test/api" + engine.SEARCH_PATH
    assert log[0].headers[engine.API_KEY_HEADER] == KEY


def test_no_key_sends_no_header():
    log = []
    client(recorded("success"), log=log, key=None).search_talents(BODY)
    assert engine.API_KEY_HEADER not in log[0].headers


@pytest.mark.parametrize("bad", ["ftp://x/api", "not a url", "http://"])
def test_bad_api_url_is_a_usage_error(bad):
    with pytest.raises(UsageError):
        search_url(bad)


def test_key_never_shows(capsys, caplog):
    caplog.set_level(logging.DEBUG)
    echo = httpx.Response(401, json={"success": False, "error": {
        "code": "invalid_api_key", "message": f"key {KEY} is not valid",
        "details": {"received": KEY}}})
    api = client(recorded("rate_limited"), echo)
    text = [repr(api), str(api), repr(Secret(KEY)), repr(Config(api_key=Secret(KEY)))]
    with pytest.raises(AuthenticationError) as caught:
        api.search_talents(BODY)
    error = caught.value
    text += [error.render(), str(error), repr(error), repr(error.details), str(error.args)]
    captured = capsys.readouterr()
    text += [captured.out, captured.err, caplog.text]
    assert "***" in error.render()
    for chunk in text:
        assert KEY not in chunk


def test_each_wait_is_announced_to_on_retry():
    seen = []
    api = client(recorded("rate_limited"), recorded("server_error"), recorded("success"))
    api.on_retry = lambda error, wait: seen.append((type(error).__name__, wait >= 0))
    api.search_talents(BODY)
    assert seen == [("RateLimitError", True), ("InternalServerError", True)]
