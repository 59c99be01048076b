"""The REPL against the embedded sandbox (in-process backend, a small pool), driven by keys.

A person's session: type a query, page twice, show a profile, cancel a search, quit. The pool
(TALENTQL_SANDBOX_SIZE=3000) is built once for the module in a temporary cache directory.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal

import pytest
from conftest import ENTER

pytest.importorskip("talentql.sandbox.backend")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sandbox_env(sandbox_cache):
    cache = sandbox_cache
    saved = {k: os.environ.get(k) for k in ("TALENTQL_SANDBOX_SIZE", "TALENTQL_CACHE_DIR")}
    os.environ["TALENTQL_SANDBOX_SIZE"] = "3000"
    os.environ["TALENTQL_CACHE_DIR"] = str(cache)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


class Held:
    """The sandbox backend, with calls that can be held to stage a Ctrl-C mid-search."""

    def __init__(self, inner):
        self.inner, self.label = inner, inner.label
        self.calls = 0
        self.gate: asyncio.Event | None = None
        self.started: asyncio.Event | None = None

    @property
    def engine(self):  # the REPL opens the pool through it before the first search
        return self.inner.engine

    async def search_talents(self, body):
        self.calls += 1
        if self.started is not None:
            self.started.set()
        if self.gate is not None:
            await self.gate.wait()
        return await self.inner.search_talents(body)

    async def aclose(self):
        await self.inner.aclose()


def open_sandbox():
    from talentql.backends import open_backend

    return Held(open_backend(sandbox=True))


def test_a_session_on_the_sandbox(make_repl, sandbox_env):
    holder = {}

    def opener():
        holder["backend"] = open_sandbox()
        return holder["backend"]

    async def scenario():
        r = make_repl(open_backend=opener, width=120)
        r.start()
        r.type("title:Engineer" + ENTER)
        await r.until(lambda: "\n10  " in r.text, timeout=120)  # the pool is built on first use
        r.type("\\next" + ENTER)
        await r.until(lambda: "\n20  " in r.text)
        r.type("\\n" + ENTER)
        await r.until(lambda: "\n30  " in r.text)
        assert "30 shown" in r.repl.status_line() and "page 3" in r.repl.status_line()
        r.type("\\show 25" + ENTER)
        await r.until_printed("  id:")
        backend = holder["backend"]
        backend.gate, backend.started = asyncio.Event(), asyncio.Event()
        r.type("\\next" + ENTER)
        await asyncio.wait_for(backend.started.wait(), 30)
        os.kill(os.getpid(), signal.SIGINT)
        await r.until_printed("cancelled")
        backend.gate.set()
        backend.gate = backend.started = None
        r.type("\\next" + ENTER)
        await r.until(lambda: "\n40  " in r.text)
        r.type("\\quit" + ENTER)
        return r, await r.finish()

    r, code = asyncio.run(asyncio.wait_for(scenario(), 240))
    assert code == 0
    assert "using the sandbox" in r.text  # says where queries run
    rows = [line for line in r.text.splitlines() if line[:3].strip().isdigit()]
    assert [line.split()[0] for line in rows] == [str(n) for n in range(1, 41)]
    # The profile of row 25 is the 25th talent shown: it starts with that row's name.
    name = re.split(r"\s{2,}", rows[24])[1].rstrip("…")
    after_table = r.text[r.text.index(rows[29]) + len(rows[29]):]
    assert after_table.lstrip("\n").startswith(name)
    assert "the 30 talents shown so far are kept" in r.text
    assert "Traceback" not in r.text
