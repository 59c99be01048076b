"""The sandbox server over a real loopback socket, started and stopped by the tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from talentql import errors

pytestmark = pytest.mark.slow

URL_LINE = re.compile(r"^serving the sandbox API at (http://\S+) \((.*)\)$")
QUERY = {"filters": [{"filterType": "SKILL", "value": "python", "isRequired": True,
                      "isExcluded": False, "isExactMatch": False}]}
NETWORK = {"filters": [{"filterType": "LINKEDIN_RELATIONS_DEGREE", "value": "1st degree"}]}


class Server:
    def __init__(self, pool, *flags: str) -> None:
        size, seed = pool
        command = [sys.executable, "-m", "talentql", "sandbox", "serve", "--port", "0",
                   "--size", str(size), "--seed", str(seed), *flags]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "NO_COLOR": "1"})
        self.line = self._first_line(timeout=60)
        match = URL_LINE.match(self.line)
        assert match, self.line
        self.base = match.group(1)
        self.keys_note = match.group(2)
        self.url = self.base + "/v1/search/talents"

    def _first_line(self, timeout: float) -> str:
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()))
        reader.start()
        reader.join(timeout)
        if not box or not box[0]:
            self.process.kill()
            raise AssertionError(f"no URL line; stderr: {self.process.stderr.read()}")
        return box[0].rstrip("\n")

    def post(self, body, key: str | None = "sandbox") -> httpx.Response:
        headers = {"x-api-key": key} if key is not None else {}
        return httpx.post(self.url, json=body, headers=headers, timeout=30)

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return code, self.process.stderr.read()


@pytest.fixture(scope="module")
def server(pool):
    srv = Server(pool, "--key", "good", "--key-without-network", "nonet",
                 "--rate-limit-per-minute", "1000")
    yield srv
    code, stderr = srv.stop()
    assert code in (0, 130) and "Traceback" not in stderr, stderr


def test_url_line_is_loopback_and_hides_keys(server):
    assert server.base.startswith("http://127.0.0.1:")
    assert not server.base.endswith(":0/api")
    assert "good" not in server.line and "nonet" not in server.line
    assert server.keys_note == "1 key with network, 1 without"


def test_search_over_http(server, engine):
    response = server.post(QUERY, "good")
    assert response.status_code == 200
    data = response.json()["data"]
    assert len(data["talents"]) == 10 and data["searchTransactionId"].startswith("stx_")
    # Same answer as in-process, and transaction ids carry over between pages.
    assert [t["id"] for t in data["talents"]] == [
        t["id"] for t in engine.handle(QUERY)[2]["data"]["talents"]]
    second = server.post({**QUERY, "relatedSearchTransactionIds": [data["searchTransactionId"]]},
                         "good").json()["data"]
    assert not {t["id"] for t in second["talents"]} & {t["id"] for t in data["talents"]}


@pytest.mark.parametrize(("key", "code"), [(None, "missing_api_key"), ("", "missing_api_key"),
                                           ("bad", "invalid_api_key")])
def test_auth_errors(server, key, code):
    response = server.post(QUERY, key)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == code and error["debugTrackingCode"]
    typed = errors.error_from_response(401, response.json(), response.headers)
    assert isinstance(typed, errors.AuthenticationError)
    if key:
        assert key not in response.text


def test_network_needs_a_connected_account(server):
    assert server.post(NETWORK, "good").status_code == 200
    response = server.post(NETWORK, "nonet")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "missing_connected_linkedin_account"
    assert server.post(QUERY, "nonet").status_code == 200  # other filters are fine


def test_validation_error_over_http(server):
    response = server.post({"filters": [{"filterType": "SKILL", "value": "x", "radius": 5}]},
                           "good")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"filterIndex": 0, "field": "radius"}
    bad_json = httpx.post(server.url, content=b"{nope", headers={"x-api-key": "good"})
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "validation_error"
    assert httpx.get(server.base + "/v1/nowhere").status_code == 404


def test_rate_limit_per_minute(pool):
    srv = Server(pool, "--rate-limit-per-minute", "3")
    try:
        assert srv.keys_note == "key: sandbox"
        # Up to 3 answers a minute: the 4th is refused (or a later one, if the minute rolled).
        responses = []
        for _ in range(8):
            responses.append(srv.post(QUERY))
            if responses[-1].status_code == 429:
                break
        refused = responses[-1]
        assert refused.status_code == 429
        assert [r.status_code for r in responses[-4:-1]] == [200, 200, 200]
        error = refused.json()["error"]
        assert error["code"] == "rate_limit_exceeded"
        assert error["details"]["window"] == "minute"
        assert error["details"]["limit"] == 3 and error["details"]["count"] == 3
        retry = int(refused.headers["Retry-After"])
        assert 1 <= retry <= 60
        typed = errors.error_from_response(429, refused.json(), refused.headers)
        assert isinstance(typed, errors.RateLimitError) and typed.retry_after == retry
        # Another key has its own budget.
        assert srv.post(QUERY, key="other").status_code == 401
    finally:
        code, stderr = srv.stop()
    assert code in (0, 130) and "Traceback" not in stderr, stderr


def test_rate_limit_per_day(pool):
    srv = Server(pool, "--rate-limit-per-day", "2", "--key", "a", "--key", "b")
    try:
        assert [srv.post(QUERY, "a").status_code for _ in range(3)] == [200, 200, 429]
        assert srv.post(QUERY, "a").json()["error"]["details"]["window"] == "day"
        assert srv.post(QUERY, "b").status_code == 200
    finally:
        srv.stop()


def test_injected_faults(pool):
    srv = Server(pool, "--fail-rate-504", "1")
    try:
        response = srv.post(QUERY)
        assert response.status_code == 504
        assert isinstance(errors.error_from_response(504, response.json()),
                          errors.SearchTimeoutError)
        assert srv.post(QUERY, key="wrong").status_code == 401  # auth comes first
    finally:
        srv.stop()
    srv = Server(pool, "--fail-rate-500", "1", "--latency-ms", "300")
    try:
        started = time.perf_counter()
        response = srv.post(QUERY)
        assert time.perf_counter() - started >= 0.3
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "internal_error"
    finally:
        srv.stop()


def test_partial_fault_rate(pool):
    srv = Server(pool, "--fail-rate-504", "0.5")
    try:
        codes = [srv.post(QUERY).status_code for _ in range(40)]
    finally:
        srv.stop()
    assert set(codes) == {200, 504}


def test_bad_flags_exit_2(pool):
    for flags in (["--fail-rate-504", "2"], ["--port", "70000"], ["--size", "zero"],
                  ["--fail-rate-504", "0.7", "--fail-rate-500", "0.7"]):
        done = subprocess.run([sys.executable, "-m", "talentql", "sandbox", "serve", *flags],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, (flags, done.stderr)
        assert "Traceback" not in done.stderr and done.stderr.strip()


def test_port_in_use_is_a_clear_error(server, pool):
    port = server.base.rsplit(":", 1)[1].split("/")[0]
    done = subprocess.run([sys.executable, "-m", "talentql", "sandbox", "serve", "--port", port,
                           "--size", str(pool[0]), "--seed", str(pool[1])],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot listen" in done.stderr, done.stderr


def test_rate_limiter_windows_roll_over():
    from talentql.sandbox.server import RateLimiter

    now = [60 * 16_667 + 20.0]  # 20 s into a minute
    limiter = RateLimiter(2, 3, clock=lambda: now[0])
    assert limiter.check("k") is None and limiter.check("k") is None
    assert limiter.check("k") == ("minute", 2, 2, 40)
    assert limiter.check("other") is None  # per key
    now[0] += 40  # the next minute
    assert limiter.check("k") is None
    window, limit, count, retry = limiter.check("k")
    assert (window, limit, count) == ("day", 3, 3) and retry > 60
    assert len(limiter.counts) == 4  # one counter per key and window, however long it runs


def test_connections_send_without_nagle_delay():
    """Accepted sockets inherit TCP_NODELAY from the listening one: without it each response's
    body waited ~40 ms on Nagle's algorithm and the client's delayed ACK."""
    import socket

    from talentql.sandbox.server import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()
