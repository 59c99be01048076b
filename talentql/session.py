"""Run a plan as pages of unique talents (design/API.md "Response", issue 4).

A ``Session`` keeps one transaction chain per search of the plan. ``next_page()`` returns the next
up-to-10 talents nobody has seen yet:

- the searches' results are interleaved in rank order (round robin: rank 1 of each search, then
  rank 2, ...), deduplicated by talent id (a talent two searches find shows once);
- what a call returns is buffered: no fetched talent is wasted, and a page fetches only from the
  searches whose buffers ran dry; those calls run concurrently;
- a search ends on an empty page or ``resultCompleteness.reason == "pool_exhausted"`` (a short page
  is not the end); after ``engine.MAX_TRANSACTION_IDS`` ids it ends with a notice instead of a 400;
- state changes only in synchronous steps (one answer recorded whole; one page committed whole),
  so a cancelled ``next_page`` (asyncio cancel, Ctrl-C) never loses a delivered page nor corrupts
  the state; ``to_state()``/``from_state()`` save and resume it as JSON.

>>> import asyncio
>>> from talentql.compiled import Plan
>>> class Empty:
...     label = "empty"
...     async def search_talents(self, body): return {"talents": [], "searchTransactionId": "t"}
...     async def aclose(self): pass
>>> plan = Plan.from_json({"searches": [{"filters": [{"filterType": "SKILL", "value": "Go"}]}]})
>>> s = Session(plan, Empty())
>>> asyncio.run(s.next_page()), s.exhausted, s.calls
([], True, 1)
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Self

from talentql import engine
from talentql.compiled import Plan
from talentql.errors import TooManyTransactionsError

STATE_VERSION = 1


def talent_key(talent: dict[str, Any]) -> str:
    """What makes a talent the same talent: its id (else its LinkedIn URL, else its content).

    >>> talent_key({"id": 42}), talent_key({"linkedinUrl": "https://x"})
    ('42', 'url:https://x')
    """
    if talent.get("id") not in (None, ""):
        return str(talent["id"])
    if talent.get("linkedinUrl"):
        return f"url:{talent['linkedinUrl']}"
    text = json.dumps(talent, sort_keys=True, default=str)
    return "sha1:" + hashlib.sha1(text.encode()).hexdigest()


def pool_exhausted(completeness: Any) -> bool:
    """Whether ``resultCompleteness`` says the pool ran dry (its shape is unpublished: lenient)."""
    if isinstance(completeness, dict):
        values = (completeness.get("reason"), completeness.get("status"))
        return any(isinstance(v, str) and "exhausted" in v.lower() for v in values)
    return isinstance(completeness, str) and "exhausted" in completeness.lower()


@dataclass
class _Chain:
    """One search's transaction chain and what it fetched but did not deliver yet."""

    transaction_ids: list[str] = field(default_factory=list)
    buffer: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False
    estimate: int | None = None
    stopped: str | None = None  # "empty", "pool_exhausted", "limit", "no-transaction-id"

    def to_json(self) -> dict[str, Any]:
        return {
            "transactionIds": list(self.transaction_ids),
            "buffer": list(self.buffer),
            "done": self.done,
            "estimate": self.estimate,
            "stopped": self.stopped,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Chain:
        return cls(
            transaction_ids=list(data.get("transactionIds", [])),
            buffer=list(data.get("buffer", [])),
            done=bool(data.get("done", False)),
            estimate=data.get("estimate"),
            stopped=data.get("stopped"),
        )


@dataclass
class _Draft:
    """A page being assembled without touching the session (committed only when complete)."""

    talents: list[dict[str, Any]]
    taken: list[int]  # how many buffered talents each chain gives up (duplicates included)
    turn: int
    starved: list[int]  # chains that must fetch before the page can go on


class Session:
    """Pages of unique talents for one plan on one backend (see the module's docstring)."""

    def __init__(self, plan: Plan, backend: Any, *, query: str = "") -> None:
        self.plan = plan
        self.backend = backend
        self.query = query
        self.calls = 0  # API calls answered (credits spent)
        self.pages: list[list[dict[str, Any]]] = []  # pages delivered by this object
        self.notices: list[str] = []
        self.delivered = 0  # talents delivered, over the session's whole life (resumes included)
        self.pages_delivered = 0
        self._chains = [_Chain() for _ in plan.searches]
        self._seen: dict[str, None] = {}  # ordered set of delivered talent keys
        self._turn = 0

    def __repr__(self) -> str:
        return (
            f"Session({len(self._chains)} searches, {self.pages_delivered} pages, "
            f"{self.calls} calls, exhausted={self.exhausted})"
        )

    # --- What callers read ------------------------------------------------------------------------

    @property
    def exhausted(self) -> bool:
        """True when no search can give another unseen talent."""
        return all(
            chain.done and all(talent_key(t) in self._seen for t in chain.buffer)
            for chain in self._chains
        )

    @property
    def estimate(self) -> int | None:
        """The pool estimate: the searches' ``estimationCount`` summed (overlaps counted twice),
        capped at ``engine.ESTIMATION_CAP``; None before the first answer."""
        known = [c.estimate for c in self._chains if c.estimate is not None]
        return min(sum(known), engine.ESTIMATION_CAP) if known else None

    @property
    def buffered(self) -> int:
        """Talents fetched and not yet delivered (duplicates included)."""
        return sum(len(c.buffer) for c in self._chains)

    # --- Paging -----------------------------------------------------------------------------------

    async def next_page(self, size: int = engine.PAGE_SIZE) -> list[dict[str, Any]]:
        """The next up-to-``size`` (default ``PAGE_SIZE``) unseen talents; ``[]`` once everything
        is exhausted. A smaller ``size`` (a ``--limit``) leaves the rest buffered for later."""
        size = max(1, size)
        while True:
            draft = self._draft(size)
            if len(draft.talents) == size or not draft.starved:
                return self._commit(draft)
            await self._refill(draft.starved)

    def _draft(self, size: int) -> _Draft:
        """Take talents round robin from the buffers as far as they go, changing nothing."""
        n = len(self._chains)
        taken = [0] * n
        keys: set[str] = set()
        talents: list[dict[str, Any]] = []
        turn = self._turn
        idle = 0  # consecutive chains with nothing to give; n of them means stop
        while len(talents) < size and n and idle < n:
            i = turn % n
            chain = self._chains[i]
            if taken[i] < len(chain.buffer):
                talent = chain.buffer[taken[i]]
                taken[i] += 1
                key = talent_key(talent)
                if key not in self._seen and key not in keys:
                    keys.add(key)
                    talents.append(talent)
                turn, idle = turn + 1, 0
            elif chain.done:
                turn, idle = turn + 1, idle + 1
            else:  # this search's turn, and it must fetch first
                break
        starved = [
            i for i, c in enumerate(self._chains) if not c.done and taken[i] >= len(c.buffer)
        ]
        if len(talents) == size:
            starved = []
        return _Draft(talents, taken, turn % n if n else 0, starved)

    def _commit(self, draft: _Draft) -> list[dict[str, Any]]:
        """Deliver a page: one synchronous step, so a cancellation cannot split it."""
        for chain, count in zip(self._chains, draft.taken):
            del chain.buffer[:count]
        for talent in draft.talents:
            self._seen[talent_key(talent)] = None
        self._turn = draft.turn
        if draft.talents:
            self.pages.append(draft.talents)
            self.pages_delivered += 1
            self.delivered += len(draft.talents)
        return draft.talents

    async def _refill(self, indexes: list[int]) -> None:
        """Fetch one page for each of these searches, concurrently; raise the first failure
        after every call has ended (the answers that did arrive are kept)."""
        results = await asyncio.gather(
            *(self._fetch(i) for i in indexes), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _fetch(self, i: int) -> None:
        chain = self._chains[i]
        if len(chain.transaction_ids) > engine.MAX_TRANSACTION_IDS:
            self._stop_at_limit(i)
            return
        body = self.plan.searches[i].request_body(chain.transaction_ids)
        try:
            data = await self.backend.search_talents(body)
        except TooManyTransactionsError:  # a service with a lower limit than ours
            self._stop_at_limit(i)
            return
        self._record(i, data if isinstance(data, dict) else {})

    def _record(self, i: int, data: dict[str, Any]) -> None:
        """Record one answer whole (no await in here)."""
        chain = self._chains[i]
        talents = [t for t in data.get("talents") or () if isinstance(t, dict)]
        transaction_id = data.get("searchTransactionId")
        estimate = data.get("estimationCount")
        self.calls += 1
        chain.buffer.extend(talents)
        if isinstance(estimate, int) and chain.estimate is None:
            chain.estimate = min(estimate, engine.ESTIMATION_CAP)
        if not talents:
            chain.done, chain.stopped = True, "empty"
        elif pool_exhausted(data.get("resultCompleteness")):
            chain.done, chain.stopped = True, "pool_exhausted"
        elif not isinstance(transaction_id, str) or not transaction_id:
            chain.done, chain.stopped = True, "no-transaction-id"
            self.notices.append(
                f"{self._name(i)} stopped: the answer had no searchTransactionId to page on"
            )
        if isinstance(transaction_id, str) and transaction_id:
            chain.transaction_ids.append(transaction_id)
        if not chain.done and len(chain.transaction_ids) > engine.MAX_TRANSACTION_IDS:
            self._stop_at_limit(i)

    def _stop_at_limit(self, i: int) -> None:
        chain = self._chains[i]
        if chain.stopped == "limit":
            return
        chain.done, chain.stopped = True, "limit"
        self.notices.append(
            f"{self._name(i)} stopped at the {engine.MAX_TRANSACTION_IDS}-transaction limit; "
            "refine the query to see more"
        )

    def _name(self, i: int) -> str:
        n = len(self._chains)
        return "the search" if n == 1 else f"search {i + 1} of {n}"

    # --- Saving and resuming ------------------------------------------------------------------------

    def to_state(self, *, include_pages: bool = False) -> dict[str, Any]:
        """Everything needed to go on later, as JSON-serializable data."""
        state: dict[str, Any] = {
            "version": STATE_VERSION,
            "query": self.query,
            "plan": self.plan.to_json(),
            "searches": [c.to_json() for c in self._chains],
            "seen": list(self._seen),
            "turn": self._turn,
            "calls": self.calls,
            "delivered": self.delivered,
            "pagesDelivered": self.pages_delivered,
            "notices": list(self.notices),
        }
        if include_pages:
            state["pages"] = [list(p) for p in self.pages]
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any], backend: Any) -> Session:
        """The session ``to_state`` saved, on ``backend`` (which must search the same pool)."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported session state version {state.get('version')!r}")
        plan = Plan.from_json(state["plan"])
        session = cls(plan, backend, query=state.get("query", ""))
        chains = [_Chain.from_json(c) for c in state["searches"]]
        if len(chains) != len(plan.searches):
            raise ValueError("session state does not match its plan")
        session._chains = chains
        session._seen = dict.fromkeys(state.get("seen", []))
        session._turn = int(state.get("turn", 0))
        session.calls = int(state.get("calls", 0))
        session.delivered = int(state.get("delivered", 0))
        session.pages_delivered = int(state.get("pagesDelivered", 0))
        session.notices = list(state.get("notices", []))
        session.pages = [list(p) for p in state.get("pages", [])]
        return session


class SyncSession:
    """A ``Session`` for callers without an event loop (one private loop, kept open).

    >>> # with SyncSession(Session(plan, backend)) as s: page = s.next_page()
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._runner = asyncio.Runner()

    def next_page(self) -> list[dict[str, Any]]:
        return self._runner.run(self.session.next_page())

    def close(self) -> None:
        try:
            self._runner.run(self.session.backend.aclose())
        finally:
            self._runner.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
