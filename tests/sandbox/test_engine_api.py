"""API behaviour of the engine and the in-process backend (API.md, SANDBOX.md)."""

from __future__ import annotations

import asyncio

import pytest

from talentql import engine as api
from talentql import errors

TITLE = {"filterType": "JOB_TITLE", "value": "engineer", "history": "CURRENT"}


def body(*filters, **extra):
    return {"filters": list(filters), **extra}


def error_of(engine, request):
    status, headers, envelope = engine.handle(request)
    assert status != 200
    assert envelope["success"] is False
    error = envelope["error"]
    assert set(error) >= {"code", "message", "debugTrackingCode", "details"}
    return status, error


def test_pagination_never_repeats_and_exhausts(exhaust, talents, engine):
    from talentql.sandbox.match import admits

    request = body({"filterType": "SKILL", "value": "python"},
                   {"filterType": "LOCATION", "value": "United States"})
    ids = exhaust(request)
    assert len(ids) == len(set(ids))
    want = [t["id"] for t in talents if admits(request["filters"], t)]
    assert 10 < len(want) < 990
    assert ids == want  # everything, in rank order (no optional filters: the stable score)


def test_pages_are_ten_and_the_last_says_exhausted(engine):
    request = body({"filterType": "SKILL", "value": "figma"})
    status, _h, first = engine.handle(request)
    data = first["data"]
    assert status == 200 and len(data["talents"]) == api.PAGE_SIZE
    assert data["resultCompleteness"] == {"status": "complete"}
    total = data["estimationCount"]
    tx = [data["searchTransactionId"]]
    while True:
        data = engine.handle({**request, "relatedSearchTransactionIds": tx})[2]["data"]
        tx.append(data["searchTransactionId"])
        if data["resultCompleteness"].get("reason") == "pool_exhausted":
            break
        assert len(data["talents"]) == api.PAGE_SIZE
    assert data["resultCompleteness"]["status"] == "partial"
    assert (len(tx) - 1) * api.PAGE_SIZE + len(data["talents"]) == total
    # After exhaustion: an empty page, still exhausted.
    after = engine.handle({**request, "relatedSearchTransactionIds": tx})[2]["data"]
    assert after["talents"] == [] and after["resultCompleteness"]["reason"] == "pool_exhausted"


def test_transactions_exclude_across_searches(engine):
    first = engine.handle(body({"filterType": "SKILL", "value": "python"}))[2]["data"]
    seen = {t["id"] for t in first["talents"]}
    other = engine.handle(body({"filterType": "SKILL", "value": "python"},
                               {"filterType": "SKILL", "value": "sql", "isRequired": False},
                               relatedSearchTransactionIds=[first["searchTransactionId"]]))
    assert not seen & {t["id"] for t in other[2]["data"]["talents"]}


def test_transaction_ids_survive_a_new_engine(pool, engine):
    from talentql.sandbox.engine import Engine

    first = engine.handle(body(TITLE))[2]["data"]
    fresh = Engine.open(*pool, quiet=True)
    try:
        status, _h, envelope = fresh.handle(body(TITLE, relatedSearchTransactionIds=[
            first["searchTransactionId"]]))
        assert status == 200
        second = {t["id"] for t in envelope["data"]["talents"]}
        assert second and not second & {t["id"] for t in first["talents"]}
    finally:
        fresh.close()


def test_too_many_transaction_ids(engine):
    tx = [engine.handle(body(TITLE))[2]["data"]["searchTransactionId"]] * 2
    ids = [engine.handle(body(TITLE))[2]["data"]["searchTransactionId"] for _ in range(101)]
    assert engine.handle(body(TITLE, relatedSearchTransactionIds=ids[:100]))[0] == 200
    status, error = error_of(engine, body(TITLE, relatedSearchTransactionIds=ids))
    assert status == 400 and error["code"] == "too_many_transactions"
    assert error["details"]["limit"] == api.MAX_TRANSACTION_IDS
    assert engine.handle(body(TITLE, relatedSearchTransactionIds=tx))[0] == 200


def test_unknown_transaction_id(engine):
    good = engine.handle(body(TITLE))[2]["data"]["searchTransactionId"]
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    for bad in ("nope", "stx_", forged):
        status, error = error_of(engine, body(TITLE, relatedSearchTransactionIds=[good, bad]))
        assert status == 400 and error["code"] == "validation_error"
        assert error["details"]["field"] == "relatedSearchTransactionIds"
        assert error["details"]["unknownIds"] == [bad]


VALIDATION = [
    (body({"filterType": "JOB_TITEL", "value": "x"}), 0, "filterType"),
    (body(TITLE, {"filterType": "COMPANY_SIZE", "value": "51-300"}), 1, "value"),
    (body({"filterType": "YEARS_OF_EXPERIENCE", "value": "five"}), 0, "value"),
    (body({"filterType": "YEARS_OF_EXPERIENCE", "value": "5"}), 0, "value"),
    (body({"filterType": "YEARS_OF_EXPERIENCE", "value": "10-5"}), 0, "value"),
    (body({"filterType": "SKILL", "value": "python", "radius": 10}), 0, "radius"),
    (body({"filterType": "LOCATION", "value": "Paris", "radius": 0}), 0, "radius"),
    (body({"filterType": "LOCATION", "value": "Paris", "radius": 5000}), 0, "radius"),
    (body({"filterType": "LOCATION", "value": "Paris", "radius": 5, "isExactMatch": True}),
     0, "isExactMatch"),
    (body({"filterType": "SKILL", "value": "python", "history": "PAST"}), 0, "history"),
    (body({"filterType": "JOB_TITLE", "value": "x", "history": "SOMETIMES"}), 0, "history"),
    (body(TITLE, {"filterType": "SKILL"}), 1, "value"),
    (body({"filterType": "SKILL", "value": "   "}), 0, "value"),
    (body({"filterType": "SKILL", "value": 3}), 0, "value"),
    (body({"filterType": "SKILL", "value": "x", "isRequired": "yes"}), 0, "isRequired"),
    (body({"filterType": "SENIORITY", "value": "Intern"}), 0, "value"),
    (body({"filterType": "EDUCATION_DEGREE", "value": "diploma"}), 0, "value"),
    (body({"filterType": "LINKEDIN_RELATIONS_DEGREE", "value": "2nd degree"}), 0, "value"),
    (body({"filterType": "COMPANY_NAME", "value": "cac40", "isExactMatch": True}),
     0, "isExactMatch"),
    (body({"filterType": "GRADUATION_YEAR", "value": "last year"}), 0, "value"),
]


@pytest.mark.parametrize(("request_", "index", "field"), VALIDATION,
                         ids=lambda x: str(x)[:50])
def test_validation_errors_name_the_filter_and_field(engine, request_, index, field):
    status, error = error_of(engine, request_)
    assert status == 400 and error["code"] == "validation_error"
    assert error["details"]["filterIndex"] == index
    assert error["details"]["field"] == field
    typed = errors.error_from_response(status, {"success": False, "error": error})
    assert isinstance(typed, errors.ValidationError)


def test_no_filters_is_everyone(engine, talents):
    data = engine.handle({"filters": []})[2]["data"]
    assert data["estimationCount"] == len(talents)
    assert [t["id"] for t in data["talents"]] == [t["id"] for t in talents[:10]]


@pytest.mark.parametrize("bad", [None, [], {}, {"filters": "x"}, {"filters": [3]},
                                 {"filters": [TITLE], "relatedSearchTransactionIds": "x"},
                                 {"filters": [TITLE], "sandboxEngineModel": "loose"}])
def test_malformed_bodies(engine, bad):
    status, error = error_of(engine, bad)
    assert status == 400 and error["code"] == "validation_error"


def test_free_ranges_and_buckets_agree(collect):
    bucketed = collect(body({"filterType": "YEARS_OF_EXPERIENCE", "value": "5-10",
                             "isRequired": False},
                            {"filterType": "YEARS_OF_EXPERIENCE", "value": "10-15",
                             "isRequired": False}))
    free = collect(body({"filterType": "YEARS_OF_EXPERIENCE", "value": "5-15"}))
    assert bucketed == free and free
    assert collect(body({"filterType": "YEARS_OF_EXPERIENCE", "value": "5+"})) == collect(
        body({"filterType": "YEARS_OF_EXPERIENCE", "value": "5-100"}))


def test_estimation_count_is_capped(engine, talents):
    data = engine.handle(body({"filterType": "SKILL", "value": "python", "isExcluded": True}))[
        2]["data"]
    assert data["estimationCount"] == min(api.ESTIMATION_CAP,
                                          sum("Python" not in t["skills"] for t in talents))


def test_estimation_cap_constant(engine, monkeypatch):
    from talentql.sandbox import engine as module

    monkeypatch.setattr(module.api, "ESTIMATION_CAP", 100)
    data = engine.handle(body({"filterType": "SKILL", "value": "sql"}))[2]["data"]
    assert data["estimationCount"] == 100


def test_ranking_counts_optional_filters_then_score(engine, talents):
    from talentql.sandbox.match import matches

    optional = [{"filterType": "SKILL", "value": v, "isRequired": False}
                for v in ("python", "sql", "docker")]
    request = body(TITLE, *optional)
    ids = []
    tx = []
    for _ in range(5):
        data = engine.handle({**request, "relatedSearchTransactionIds": tx})[2]["data"]
        ids += [t["id"] for t in data["talents"]]
        tx.append(data["searchTransactionId"])
    rank = {t["id"]: i for i, t in enumerate(talents)}
    by_id = {t["id"]: t for t in talents}
    keys = [(-sum(matches(o, by_id[i]) for o in optional), rank[i]) for i in ids]
    assert keys == sorted(keys)
    assert keys[0][0] == -3


def test_results_are_deterministic(pool, engine):
    from talentql.sandbox.engine import Engine

    request = body(TITLE, {"filterType": "LOCATION", "value": "London", "radius": 200},
                   {"filterType": "SKILL", "value": "git", "isRequired": False})
    fresh = Engine.open(*pool, quiet=True)
    try:
        a = [t["id"] for t in engine.handle(request)[2]["data"]["talents"]]
        b = [t["id"] for t in fresh.handle(request)[2]["data"]["talents"]]
    finally:
        fresh.close()
    assert a == b and a


def test_strict_switch(collect, talents):
    from talentql.sandbox.match import admits

    request = body(TITLE, {"filterType": "SKILL", "value": "rust", "isRequired": False})
    gate, strict = collect(request), collect(request, model="strict")
    assert gate < strict
    assert strict == {t["id"] for t in talents if admits(request["filters"], t, "strict")}


def test_response_talents_have_the_api_shape(engine):
    data = engine.handle(body(TITLE))[2]["data"]
    talent = data["talents"][0]
    assert "sandbox" not in talent
    for key in ("id", "firstname", "lastname", "jobTitle", "currentOrganization", "experiences",
                "educations", "skills", "languages", "certifications", "city", "country"):
        assert key in talent
    current = [e for e in talent["experiences"] if e["isCurrent"]]
    assert len(current) == 1 and current[0]["title"] == talent["jobTitle"]


# --- The in-process backend -------------------------------------------------------------------------

def test_backend_interface(pool):
    from talentql.sandbox.backend import SandboxBackend

    backend = SandboxBackend(*pool, quiet=True)
    assert backend.label == f"sandbox ({pool[0]:,} synthetic talents, seed {pool[1]})"
    data = asyncio.run(backend.search_talents(body(TITLE)))
    assert set(data) == {"talents", "searchTransactionId", "estimationCount",
                         "resultCompleteness"}
    assert backend.search_talents_sync(body(TITLE))["talents"] == data["talents"]
    with pytest.raises(errors.ValidationError) as caught:
        backend.search_talents_sync(body({"filterType": "NOPE", "value": "x"}))
    assert caught.value.status == 400 and caught.value.details["filterIndex"] == 0
    with pytest.raises(errors.TooManyTransactionsError):
        backend.search_talents_sync(body(TITLE, relatedSearchTransactionIds=["x"] * 101))
    asyncio.run(backend.aclose())


def test_backend_network_and_keys(pool):
    from talentql.sandbox.backend import SandboxBackend

    network = body({"filterType": "LINKEDIN_RELATIONS_DEGREE", "value": "1st degree"})
    with pytest.raises(errors.LinkedInNotConnectedError):
        SandboxBackend(*pool, network_connected=False, quiet=True).search_talents_sync(network)
    assert SandboxBackend(*pool, quiet=True).search_talents_sync(network)["talents"]
    with pytest.raises(errors.AuthenticationError) as caught:
        SandboxBackend(*pool, api_keys=["right"], api_key="wrong",
                       quiet=True).search_talents_sync(network)
    assert caught.value.code == "invalid_api_key" and "wrong" not in caught.value.render()
    with pytest.raises(errors.AuthenticationError) as caught:
        SandboxBackend(*pool, api_keys=["right"], quiet=True).search_talents_sync(network)
    assert caught.value.code == "missing_api_key"


def test_stored_order_searches_stop_at_a_prefix(engine, monkeypatch):
    """Without optional filters the rank is the stored order: the engine reads only a prefix
    long enough for the capped count and any page 100 transactions allow."""
    from talentql.sandbox import engine as module

    monkeypatch.setattr(module.api, "ESTIMATION_CAP", 50)
    monkeypatch.setattr(module.api, "MAX_TRANSACTION_IDS", 3)
    engine.cache.clear()
    try:
        for request in (body({"filterType": "SKILL", "value": "sql"}),
                        body({"filterType": "LOCATION", "value": "United States", "radius": 1000})):
            filters, _tx, model = engine.validate(request)
            ranked = engine.ranked(filters, model)
            assert not ranked.complete and ranked.total == module.prefix_limit() == 51
            tx = []
            for _ in range(3):  # the deepest page a client may ask for is still full
                data = engine.handle({**request, "relatedSearchTransactionIds": tx})[2]["data"]
                assert len(data["talents"]) == 10 and data["estimationCount"] == 50
                assert data["resultCompleteness"] == {"status": "complete"}
                tx.append(data["searchTransactionId"])
    finally:
        engine.cache.clear()
