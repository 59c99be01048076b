"""The sandbox as an in-process backend: the default when no API key is configured.

Same interface as the HTTP backend (talentql/backends.py): ``await search_talents(body)`` returns
the ``data`` object of a success answer or raises the typed errors of ``talentql.errors``.

    >>> backend = SandboxBackend(size=5000, seed=3)
    >>> backend.label
    'sandbox (5,000 synthetic talents, seed 3)'
"""

from __future__ import annotations

import asyncio
import threading
from typing import Iterable, Mapping

from talentql.errors import error_from_response
from talentql.sandbox import label, pool_settings


class SandboxBackend:
    """Searches the embedded pool. The pool is opened (and built if needed) on first use.

    ``engine_model``: "gate" (the API's documented default) or "strict" (the older reading).
    ``api_keys``: keys to accept (a mapping key → network connected, or an iterable); None turns
    authentication off. ``api_key`` is the key this backend presents. ``network_connected``: whether
    the (keyless) account has a LinkedIn account connected (LINKEDIN_RELATIONS_DEGREE filters).
    """

    def __init__(self, size: int | None = None, seed: int | None = None, *,
                 engine_model: str = "gate",
                 api_keys: Mapping[str, bool] | Iterable[str] | None = None,
                 api_key: str | None = None, network_connected: bool = True,
                 quiet: bool = False) -> None:
        self.size, self.seed = pool_settings(size, seed)
        self.label = label(self.size, self.seed)
        from talentql.sandbox.generate import GENERATOR_VERSION

        self.identity = f"sandbox:g{GENERATOR_VERSION}:n{self.size}:s{self.seed}"
        self.engine_model = engine_model
        if api_keys is not None and not isinstance(api_keys, Mapping):
            api_keys = {key: True for key in api_keys}
        if api_keys is None and not network_connected:
            api_keys, api_key = {"sandbox": False}, "sandbox"
        self._api_keys = api_keys
        self._api_key = api_key
        self._quiet = quiet
        self._engine = None
        self._opening = threading.Lock()

    def __repr__(self) -> str:
        return f"SandboxBackend({self.label!r})"

    @property
    def engine(self):
        """The engine (opening the pool, building it into the cache the first time)."""
        with self._opening:
            if self._engine is None:
                from talentql.sandbox.engine import Engine

                self._engine = Engine.open(self.size, self.seed, quiet=self._quiet,
                                           engine_model=self.engine_model, api_keys=self._api_keys)
            return self._engine

    def search_talents_sync(self, body: dict) -> dict:
        """One search call, synchronously: the ``data`` object, or a typed ApiError."""
        status, headers, envelope = self.engine.handle(body, self._api_key)
        if status != 200:
            raise error_from_response(status, envelope, headers)
        return envelope["data"]

    async def search_talents(self, body: dict) -> dict:
        """One search call (runs in a worker thread, so the event loop stays responsive)."""
        return await asyncio.to_thread(self.search_talents_sync, body)

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None
