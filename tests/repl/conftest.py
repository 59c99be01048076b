"""Fixtures for the REPL tests: a REPL on prompt-toolkit's pipe input, driven by real keys."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from talentql.repl.app import Repl, ReplOptions

ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"
TAB = "\t"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No test reads the user's config or writes the user's history."""
    monkeypatch.setenv("TALENTQL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TALENTQL_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("KALENT_API_KEY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


class Driven:
    """A REPL running on pipe input; ``out`` collects what it prints."""

    def __init__(self, repl: Repl, pipe: Any, out: io.StringIO) -> None:
        self.repl, self.pipe, self.out = repl, pipe, out
        self.task: asyncio.Task | None = None

    def type(self, text: str) -> None:
        self.pipe.send_text(text)

    def start(self) -> None:
        self.task = asyncio.ensure_future(self.repl.run())

    async def until(self, condition: Callable[[], bool], timeout: float = 20.0) -> None:
        """Wait until ``condition()`` holds (polling the loop), or fail after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            if self.task is not None and self.task.done():
                self.task.result()  # surface a crash
                raise AssertionError("the REPL ended before the condition held:\n" + self.text)
            if loop.time() > deadline:
                raise AssertionError("timed out; the REPL printed:\n" + self.text)
            await asyncio.sleep(0.005)

    async def until_printed(self, fragment: str, count: int = 1, timeout: float = 20.0) -> None:
        await self.until(lambda: self.text.count(fragment) >= count, timeout)

    async def finish(self, timeout: float = 20.0) -> int:
        assert self.task is not None
        return await asyncio.wait_for(self.task, timeout)

    @property
    def text(self) -> str:
        return self.out.getvalue()


@pytest.fixture
def make_repl() -> Iterator[Callable[..., Driven]]:
    """Build a REPL on pipe input: ``make_repl(backend=FakeBackend(), history=..., ...)``."""
    pipes = []

    def build(backend: Any = None, **options: Any) -> Driven:
        pipe_cm = create_pipe_input()
        pipe = pipe_cm.__enter__()
        pipes.append(pipe_cm)
        out = io.StringIO()
        options.setdefault("history", InMemoryHistory())
        options.setdefault("width", 100)
        if backend is not None:
            options["open_backend"] = lambda: backend
        repl = Repl(ReplOptions(input=pipe, output=DummyOutput(), stdout=out,
                                stderr=io.StringIO(), **options))
        return Driven(repl, pipe, out)

    yield build
    for pipe_cm in pipes:
        pipe_cm.__exit__(None, None, None)


@pytest.fixture(scope="session")
def sandbox_cache(tmp_path_factory):
    """One sandbox cache for the REPL's sandbox and terminal tests: the pool is built once."""
    return tmp_path_factory.mktemp("sandbox-cache")
