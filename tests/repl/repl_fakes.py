"""A controllable backend for the REPL's unit tests (the sandbox tests use the real one)."""

from __future__ import annotations

import asyncio


def talent(n: int) -> dict:
    return {"id": f"t{n}", "firstname": f"First{n}", "lastname": f"Last{n}",
            "jobTitle": "Product Designer", "currentOrganization": {"name": f"Company {n}"},
            "city": "Paris", "country": "France", "skills": ["Figma", "Sketch"],
            "linkedinUrl": f"https://linkedin.example/in/t{n}",
            "experiences": [{"title": "Designer", "organizationName": "Acme", "isCurrent": True,
                             "startDate": "2020-01"}]}


class FakeBackend:
    """Pages of ``per_page`` talents until ``total``.

    ``hold()`` makes the next calls wait until ``release()``; ``started`` is set when a call
    arrives (tests await it instead of sleeping); ``fail_next`` raises once.
    """

    label = "fake backend"

    def __init__(self, total: int = 35, per_page: int = 10) -> None:
        self.total, self.per_page = total, per_page
        self.bodies: list[dict] = []
        self._gate: asyncio.Event | None = None
        self.started: asyncio.Event | None = None
        self.fail_next: Exception | None = None
        self.closed = False

    def hold(self) -> None:
        self._gate, self.started = asyncio.Event(), asyncio.Event()

    def release(self) -> None:
        if self._gate is not None:
            self._gate.set()
        self._gate = None

    async def search_talents(self, body: dict) -> dict:
        self.bodies.append(body)
        if self.started is not None:
            self.started.set()
        if self._gate is not None:
            await self._gate.wait()
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        start = len(body["relatedSearchTransactionIds"]) * self.per_page
        talents = [talent(n) for n in range(start, min(start + self.per_page, self.total))]
        return {"talents": talents, "searchTransactionId": f"tx{len(self.bodies)}",
                "estimationCount": self.total}

    async def aclose(self) -> None:
        self.closed = True
