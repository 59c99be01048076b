"""Shared fixtures: one small pool per test session, built in a temporary cache directory."""

from __future__ import annotations

import os

import pytest

POOL_SIZE = 4000
POOL_SEED = 11


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    """TALENTQL_CACHE_DIR → a temporary directory for the whole session (never the user's)."""
    path = tmp_path_factory.mktemp("talentql-cache")
    old = os.environ.get("TALENTQL_CACHE_DIR")
    os.environ["TALENTQL_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("TALENTQL_CACHE_DIR", None)
    else:
        os.environ["TALENTQL_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def pool(cache_dir):
    from talentql.sandbox import store

    store.ensure(POOL_SIZE, POOL_SEED, quiet=True)
    return POOL_SIZE, POOL_SEED


@pytest.fixture(scope="session")
def engine(pool):
    from talentql.sandbox.engine import Engine

    engine = Engine.open(*pool, quiet=True)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def talents(engine):
    """The pool's export records, in rank order."""
    from talentql.sandbox import store

    return list(store.iter_talents(engine.conn))


@pytest.fixture(scope="session")
def ids_by_rowid(talents):
    return {rowid: t["id"] for rowid, t in enumerate(talents, start=1)}


def run_to_exhaustion(engine, body: dict, *, model: str | None = None) -> list[str]:
    """Page one search through the API until the pool runs dry; the talent ids in order."""
    body = dict(body)
    if model:
        body["sandboxEngineModel"] = model
    ids: list[str] = []
    transactions: list[str] = []
    while True:
        status, _headers, envelope = engine.handle({**body, "relatedSearchTransactionIds":
                                                    transactions})
        assert status == 200, envelope
        data = envelope["data"]
        ids.extend(t["id"] for t in data["talents"])
        transactions.append(data["searchTransactionId"])
        if data["resultCompleteness"].get("reason") == "pool_exhausted" or not data["talents"]:
            return ids
        assert len(transactions) < 100, "search does not exhaust within 100 pages"


def all_ids(engine, body: dict, ids_by_rowid, *, model: str | None = None,
            page_limit: int = 99) -> set[str]:
    """Every talent a search admits: paged through the API when it fits in 100 pages, else the
    engine's ranked list (the API would refuse a 101st transaction id)."""
    body = dict(body)
    if model:
        body["sandboxEngineModel"] = model
    status, _h, envelope = engine.handle(body)
    assert status == 200, envelope
    if envelope["data"]["estimationCount"] < page_limit * 10:
        return set(run_to_exhaustion(engine, body))
    filters, _tx, chosen = engine.validate(body)
    ranked = engine.ranked(filters, chosen)
    assert ranked.complete, "the test pool is smaller than the ranking prefix"
    return {ids_by_rowid[r] for r in ranked.ids}


@pytest.fixture(scope="session")
def collect(engine, ids_by_rowid):
    """collect(body, model=None) → every talent id the search admits (see all_ids)."""
    return lambda body, model=None, page_limit=99: all_ids(engine, body, ids_by_rowid,
                                                             model=model, page_limit=page_limit)


@pytest.fixture(scope="session")
def exhaust(engine):
    """exhaust(body) → talent ids, paging through the API until the pool runs dry."""
    return lambda body, model=None: run_to_exhaustion(engine, body, model=model)
