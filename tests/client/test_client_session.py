"""Session: paging plans to the end, dedupe, buffering, limits, cancellation, saved state."""

from __future__ import annotations

import asyncio
import json
import math

import pytest
from client_fakes import FakeBackend, FakeEngine, make_pool

from talentql import engine
from talentql.compiled import Plan
from talentql.errors import NetworkError, ValidationError
from talentql.session import Session, SyncSession, pool_exhausted, talent_key


def f(kind, value, required=True, excluded=False):
    return {"filterType": kind, "value": value, "isRequired": required, "isExcluded": excluded,
            "isExactMatch": False}


def plan_of(*searches):
    return Plan.from_json({"engine": "gate", "searches": [{"filters": s} for s in searches]})


DESIGNERS = [f("JOB_TITLE", "designer")]
PARIS_PY = [f("LOCATION", "paris"), f("SKILL", "python")]
BERLIN = [f("LOCATION", "berlin")]
CTO = [f("JOB_TITLE", "cto")]


def run_all(session: Session) -> list[list[dict]]:
    async def main():
        pages = []
        while page := await session.next_page():
            pages.append(page)
        return pages

    return asyncio.run(main())


def ids(pages):
    return [t["id"] for page in pages for t in page]


def test_single_search_paged_to_the_end_is_exactly_its_matches():
    fake = FakeEngine(make_pool(400))
    session = Session(plan_of(DESIGNERS), FakeBackend(fake))
    pages = run_all(session)
    expected = fake.matching_ids(DESIGNERS)
    assert ids(pages) == expected  # same order, nothing lost, nothing twice
    assert all(len(p) == engine.PAGE_SIZE for p in pages[:-1])
    assert session.exhausted and session.pages == pages
    assert session.calls == math.ceil(len(expected) / engine.PAGE_SIZE)  # pool_exhausted: no extra
    assert session.estimate == len(expected)


def test_multi_search_gives_the_union_without_duplicates():
    fake = FakeEngine(make_pool(600))
    searches = (DESIGNERS, PARIS_PY, BERLIN, CTO)
    pages = run_all(Session(plan_of(*searches), FakeBackend(fake)))
    got = ids(pages)
    union = {i for s in searches for i in fake.matching_ids(s)}
    assert len(got) == len(set(got))
    assert set(got) == union
    # The searches overlap, so the union is smaller than the sum: dedupe did work.
    assert sum(len(fake.matching_ids(s)) for s in searches) > len(union)
    assert all(len(p) == engine.PAGE_SIZE for p in pages[:-1])


def test_multi_search_interleaves_in_rank_order():
    fake = FakeEngine(make_pool(300))
    session = Session(plan_of(DESIGNERS, BERLIN), FakeBackend(fake))
    page = asyncio.run(session.next_page())
    first_a, first_b = fake.matching_ids(DESIGNERS)[0], fake.matching_ids(BERLIN)[0]
    assert {page[0]["id"], page[1]["id"]} == {first_a, first_b} or page[0]["id"] == first_a


def test_fetched_talents_are_buffered_not_wasted():
    fake = FakeEngine(make_pool(2000))
    backend = FakeBackend(fake)
    disjoint = [[f("JOB_TITLE", t)] for t in ("designer", "engineer", "scientist", "cto")]
    session = Session(plan_of(*disjoint), backend)

    async def pages(n):
        return [await session.next_page() for _ in range(n)]

    got = asyncio.run(pages(4))
    assert session.calls == 4  # page 1 fetched once per search; pages 2-4 came from buffers
    assert sum(map(len, got)) == 40 and session.buffered == 0
    asyncio.run(pages(1))
    assert session.calls == 8 and session.buffered == 30


def test_a_short_page_is_not_the_end():
    fake = FakeEngine(make_pool(200))

    class ShortPages(FakeBackend):
        async def search_talents(self, body):
            data = await super().search_talents(body)
            data = dict(data, talents=data["talents"][:3])  # the rest stays unreturned
            data.pop("resultCompleteness", None)
            fake.transactions[data["searchTransactionId"]] = [t["id"] for t in data["talents"]]
            return data

    pages = run_all(Session(plan_of(DESIGNERS), ShortPages(fake)))
    assert ids(pages) == fake.matching_ids(DESIGNERS)


def test_the_100_id_limit_ends_a_search_with_a_notice_not_a_400():
    fake = FakeEngine(make_pool(1300))
    every = [f("JOB_TITLE", "e", required=True)]  # "e" is in every title but CTO
    session = Session(plan_of(every, CTO), FakeBackend(fake))
    pages = run_all(session)
    got = ids(pages)
    assert len(got) == len(set(got))
    max_from_first = (engine.MAX_TRANSACTION_IDS + 1) * engine.PAGE_SIZE
    from_first = set(fake.matching_ids(every))
    assert len(from_first) > max_from_first
    assert len([i for i in got if i in from_first]) == max_from_first
    assert set(fake.matching_ids(CTO)) <= set(got)  # the other search went on to its end
    assert session.exhausted
    assert session.notices == [
        "search 1 of 2 stopped at the 100-transaction limit; refine the query to see more"]
    assert max(len(b["relatedSearchTransactionIds"]) for b in fake.bodies) == 100


def test_state_round_trip_resumes_exactly(tmp_path):
    fake = FakeEngine(make_pool(500))
    plan = plan_of(DESIGNERS, BERLIN, CTO)
    first = Session(plan, FakeBackend(fake), query="q")
    before = ids([asyncio.run(first.next_page()) for _ in range(3)])
    state = json.loads(json.dumps(first.to_state()))  # JSON-serializable
    again = Session.from_state(state, FakeBackend(fake))
    assert again.calls == first.calls and again.query == "q"
    after = ids(run_all(again))
    union = {i for s in (DESIGNERS, BERLIN, CTO) for i in fake.matching_ids(s)}
    assert len(before + after) == len(set(before + after))
    assert set(before + after) == union


def test_cancelling_next_page_loses_nothing():
    fake = FakeEngine(make_pool(500))
    backend = FakeBackend(fake, latency=0.05)
    session = Session(plan_of(DESIGNERS, BERLIN), backend)

    async def main():
        delivered = [await session.next_page()]
        cancelled = []
        for _ in range(6):  # cancel calls in flight, over and over
            task = asyncio.create_task(session.next_page())
            await asyncio.sleep(0.02)
            task.cancel()
            try:
                delivered.append(await task)  # it finished from the buffers before the cancel
            except asyncio.CancelledError:
                cancelled.append(True)
            delivered.append(await session.next_page())
        while page := await session.next_page():
            delivered.append(page)
        assert cancelled  # some cancels did land in the middle of calls
        return delivered

    got = ids(asyncio.run(main()))
    union = set(fake.matching_ids(DESIGNERS)) | set(fake.matching_ids(BERLIN))
    assert len(got) == len(set(got)) and set(got) == union


def test_a_failed_call_keeps_what_other_searches_fetched():
    fake = FakeEngine(make_pool(500))
    failures = {2}  # the second request (search 2's first page) fails once
    backend = FakeBackend(fake, fail=lambda n: NetworkError("down") if n in failures else None)
    session = Session(plan_of(DESIGNERS, BERLIN), backend)
    with pytest.raises(NetworkError):
        asyncio.run(session.next_page())
    assert session.calls == 1 and session.buffered == 10 and session.pages == []
    got = ids(run_all(session))
    union = set(fake.matching_ids(DESIGNERS)) | set(fake.matching_ids(BERLIN))
    assert len(got) == len(set(got)) and set(got) == union


def test_other_api_errors_propagate():
    fake = FakeEngine(make_pool(50))
    backend = FakeBackend(fake, fail=lambda n: ValidationError("bad filter", status=400))
    with pytest.raises(ValidationError):
        asyncio.run(Session(plan_of(DESIGNERS), backend).next_page())


def test_empty_plan_is_exhausted_at_once():
    session = Session(plan_of(), FakeBackend(FakeEngine([])))
    assert asyncio.run(session.next_page()) == [] and session.exhausted and session.calls == 0


def test_sync_session_helper():
    fake = FakeEngine(make_pool(100))
    backend = FakeBackend(fake)
    with SyncSession(Session(plan_of(DESIGNERS), backend)) as s:
        first, second = s.next_page(), s.next_page()
    assert first and second and not {t["id"] for t in first} & {t["id"] for t in second}
    assert backend.closed


def test_talent_key_and_completeness_are_lenient():
    assert talent_key({"id": 7}) == "7"
    assert talent_key({"firstname": "A"}) == talent_key({"firstname": "A"})
    assert pool_exhausted({"reason": "pool_exhausted"})
    assert pool_exhausted("POOL_EXHAUSTED")
    assert not pool_exhausted({"status": "partial", "reason": None}) and not pool_exhausted(None)


def test_a_service_with_a_lower_id_limit_ends_the_search_with_a_notice():
    fake = FakeEngine(make_pool(800))

    class Lower(FakeBackend):
        async def search_talents(self, body):
            if len(body["relatedSearchTransactionIds"]) > 20:
                from talentql.errors import TooManyTransactionsError

                raise TooManyTransactionsError("too many", status=400)
            return await super().search_talents(body)

    session = Session(plan_of([f("JOB_TITLE", "e")]), Lower(fake))
    got = ids(run_all(session))
    assert len(got) == len(set(got)) == 21 * engine.PAGE_SIZE
    assert session.exhausted and "100-transaction limit" in session.notices[0]


# --- Properties: any plan, any paging pattern, saved and resumed anywhere -----------------------

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEARCHES = [DESIGNERS, PARIS_PY, BERLIN, CTO, [f("SKILL", "go")], [f("JOB_TITLE", "product")],
            [f("JOB_TITLE", "engineer"), f("LOCATION", "lyon", excluded=True)]]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chosen=st.lists(st.sampled_from(range(len(SEARCHES))), min_size=1, max_size=4, unique=True),
    size=st.integers(0, 300),
    short=st.integers(2, 10),
    save_at=st.integers(0, 12),
)
def test_any_plan_pages_to_exactly_the_union(chosen, size, short, save_at):
    fake = FakeEngine(make_pool(size, seed=size))

    class Short(FakeBackend):  # pages of `short` talents, sometimes without pool_exhausted
        async def search_talents(self, body):
            data = await super().search_talents(body)
            kept = data["talents"][:short]
            fake.transactions[data["searchTransactionId"]] = [t["id"] for t in kept]
            data = dict(data, talents=kept)
            if len(kept) < len(data["talents"]) or short < engine.PAGE_SIZE:
                data.pop("resultCompleteness", None)
            return data

    searches = [SEARCHES[i] for i in chosen]
    session = Session(plan_of(*searches), Short(fake))

    async def first_pages():
        return [await session.next_page() for _ in range(save_at)]

    before = ids(asyncio.run(first_pages()))
    resumed = Session.from_state(json.loads(json.dumps(session.to_state())), Short(fake))
    after = ids(run_all(resumed))
    got = before + after
    # Each search delivers its matches in rank order up to the 100-id limit (101 calls).
    reach = (engine.MAX_TRANSACTION_IDS + 1) * short
    union = {i for s in searches for i in fake.matching_ids(s)[:reach]}
    assert len(got) == len(set(got)) and set(got) == union
    assert resumed.exhausted
    cut = sum(len(fake.matching_ids(s)) > reach for s in searches)
    assert len(resumed.notices) == cut


def test_a_smaller_page_leaves_the_rest_for_later():
    fake = FakeEngine(make_pool(300))
    session = Session(plan_of(DESIGNERS, BERLIN), FakeBackend(fake))

    async def main():
        return [await session.next_page(3), await session.next_page(), await session.next_page(7)]

    small, full, seven = asyncio.run(main())
    assert (len(small), len(full), len(seven)) == (3, 10, 7)
    whole = Session(plan_of(DESIGNERS, BERLIN), FakeBackend(FakeEngine(make_pool(300))))
    two = ids([asyncio.run(whole.next_page()) for _ in range(2)])
    assert ids([small, full, seven]) == two  # same order, nothing skipped
