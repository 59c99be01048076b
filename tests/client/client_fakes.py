"""A small in-memory search engine speaking the API, for unit tests of the client side.

It is deliberately simple (substring matching on a few fields, rank = pool order) but it keeps
the API's paging contract exactly: transaction ids exclude what they returned, unknown ids and
more than MAX_TRANSACTION_IDS ids are 400s, an exhausted pool says ``pool_exhausted``.
``FakeBackend`` serves it in process (the Backend protocol); ``mock_transport`` serves it over
``httpx.MockTransport`` with keys, fault injection and call counting.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from talentql import engine
from talentql.client import RetryPolicy
from talentql.errors import error_from_response

TITLES = ["Product Designer", "Software Engineer", "Data Scientist", "Product Manager", "CTO"]
CITIES = ["Paris", "Berlin", "London", "Lyon"]
SKILLS = ["figma", "python", "go", "sql", "react"]


def make_pool(size: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    pool = []
    for i in range(size):
        pool.append({
            "id": f"t{i:05d}",
            "firstname": f"First{i}",
            "lastname": f"Last{i}",
            "jobTitle": rng.choice(TITLES),
            "city": rng.choice(CITIES),
            "country": "France",
            "linkedinUrl": f"https://linkedin.example/in/t{i}",
            "currentOrganization": {"id": i % 50, "name": f"Company {i % 50}"},
            "skills": rng.sample(SKILLS, 2),
            "futureField": {"kept": True},
        })
    return pool


def _matches(talent: dict[str, Any], f: dict[str, Any]) -> bool:
    value = f["value"].lower()
    kind = f["filterType"]
    if kind == "JOB_TITLE":
        return value in talent["jobTitle"].lower()
    if kind == "LOCATION":
        return value in talent["city"].lower()
    if kind == "SKILL":
        return value in talent["skills"]
    if kind == "COMPANY_NAME":
        return value == talent["currentOrganization"]["name"].lower()
    return False


def matches(talent: dict[str, Any], filters: list[dict[str, Any]]) -> bool:
    """The gate model: per family, all required or (none required) any optional; excluded
    values remove."""
    families: dict[str, list[dict[str, Any]]] = {}
    for f in filters:
        if f.get("isExcluded"):
            if _matches(talent, f):
                return False
            continue
        families.setdefault(f["filterType"], []).append(f)
    for fs in families.values():
        required = [f for f in fs if f.get("isRequired", True)]
        if required and not all(_matches(talent, f) for f in required):
            return False
        if not required and not any(_matches(talent, f) for f in fs):
            return False
    return True


@dataclass
class FakeEngine:
    pool: list[dict[str, Any]]
    transactions: dict[str, list[str]] = field(default_factory=dict)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    calls: int = 0
    bodies: list[dict[str, Any]] = field(default_factory=list)
    found: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def search(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """(status, JSON answer) for one request body."""
        self.bodies.append(body)
        ids = body.get("relatedSearchTransactionIds", [])
        if len(ids) > engine.MAX_TRANSACTION_IDS:
            return 400, _error("too_many_search_transactions",
                               "relatedSearchTransactionIds holds more than 100 entries")
        unknown = [i for i in ids if i not in self.transactions]
        if unknown:
            return 400, _error("validation_error", "unknown transaction id",
                               {"field": "relatedSearchTransactionIds"})
        self.calls += 1
        excluded = {t for i in ids for t in self.transactions[i]}
        key = json.dumps(body["filters"], sort_keys=True)
        if key not in self.found:
            self.found[key] = [t for t in self.pool if matches(t, body["filters"])]
        found = self.found[key]
        fresh = [t for t in found if t["id"] not in excluded]
        page = fresh[: engine.PAGE_SIZE]
        tid = f"tx{next(self.counter)}"
        self.transactions[tid] = [t["id"] for t in page]
        data: dict[str, Any] = {
            "talents": page,
            "searchTransactionId": tid,
            "estimationCount": min(len(found), engine.ESTIMATION_CAP),
        }
        if len(fresh) <= engine.PAGE_SIZE:
            data["resultCompleteness"] = {"status": "partial", "reason": "pool_exhausted"}
        return 200, {"success": True, "data": data}

    def matching_ids(self, filters: list[dict[str, Any]]) -> list[str]:
        return [t["id"] for t in self.pool if matches(t, filters)]


def _error(code: str, message: str, details: dict | None = None) -> dict[str, Any]:
    return {"success": False, "error": {"code": code, "message": message,
                                        "debugTrackingCode": "dbg-1", "details": details or {}}}


class FakeBackend:
    """The Backend protocol over a FakeEngine, with optional latency and scripted failures."""

    label = "fake engine"

    def __init__(self, engine_: FakeEngine, *, latency: float = 0.0,
                 fail: Callable[[int], Exception | None] | None = None) -> None:
        self.engine = engine_
        self.latency = latency
        self.fail = fail
        self.requests = 0
        self.closed = False

    async def search_talents(self, body: dict) -> dict:
        self.requests += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.fail and (error := self.fail(self.requests)):
            raise error
        status, answer = self.engine.search(json.loads(json.dumps(body)))
        if status != 200:
            raise error_from_response(status, answer, {})
        return answer["data"]

    async def aclose(self) -> None:
        self.closed = True


@dataclass
class Faults:
    """Scripted answers for the mock server: a list consumed one per request, then the engine."""

    script: list[tuple[int, Any, dict[str, str]]] = field(default_factory=list)
    rate_504: float = 0.0
    rate_429: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(3))


def mock_transport(engine_: FakeEngine, *, keys: set[str] | None = None,
                   faults: Faults | None = None, log: list | None = None):
    """An httpx MockTransport (sync and async) serving the engine like the API would."""
    faults = faults or Faults()

    def handler(request: httpx.Request) -> httpx.Response:
        if log is not None:
            log.append(request)
        if faults.script:
            status, body, headers = faults.script.pop(0)
            if isinstance(body, str):
                return httpx.Response(status, text=body, headers=headers)
            return httpx.Response(status, json=body, headers=headers)
        if keys is not None:
            key = request.headers.get(engine.API_KEY_HEADER)
            if not key:
                return httpx.Response(401, json=_error("missing_api_key", "API key missing"))
            if key not in keys:
                return httpx.Response(401, json=_error("invalid_api_key", "API key invalid"))
        if faults.rng.random() < faults.rate_429:
            return httpx.Response(
                429, headers={"Retry-After": "0"},
                json=_error("rate_limit_exceeded", "Too many requests",
                            {"window": "minute", "limit": 60, "count": 61}))
        if faults.rng.random() < faults.rate_504:
            return httpx.Response(504, json=_error("search_timeout", "search engine timeout"))
        status, answer = engine_.search(json.loads(request.content))
        return httpx.Response(status, json=answer)

    return httpx.MockTransport(handler)


FIXTURES = Path(__file__).parent / "fixtures"

# A retry policy that keeps tests fast: tiny waits, a small total budget.
FAST = RetryPolicy(timeout=3.0, attempts=8, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)


def recorded(name: str) -> httpx.Response:
    """A recorded answer (tests/client/fixtures/NAME.json: status, headers, body)."""
    data = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    body = data["body"]
    if isinstance(body, str):
        return httpx.Response(data["status"], headers=data["headers"], text=body)
    return httpx.Response(data["status"], headers=data["headers"], json=body)
