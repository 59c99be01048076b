"""Where queries run: the Kalent API over HTTP, or the embedded sandbox (CLI.md "Backend").

Both speak one protocol, ``Backend``: a ``label`` for people, ``async search_talents(body)``
returning the ``data`` object of a success answer (or raising ``talentql.errors.ApiError``
subclasses), and ``aclose()``. ``open_backend`` chooses:

- ``sandbox=True`` → the sandbox;
- a key (``KALENT_API_KEY``, else ``api_key`` in the config file) → the service at ``api_url``
  (else the config's ``api_url``, else ``engine.DEFAULT_API_URL``);
- no key but an explicit ``api_url`` (argument or config) → that URL without a key (the sandbox
  server accepts that when started without keys);
- nothing → the in-process sandbox.

>>> import os; os.environ.pop("KALENT_API_KEY", None) and None
>>> from talentql.config import Config
>>> open_backend(api_url="http://127.0.0.1:9/api", config=Config()).label
'API at http://127.0.0.1:9/api (no key)'
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from talentql import engine
from talentql.config import Config, load_config
from talentql.errors import ConfigError


@runtime_checkable
class Backend(Protocol):
    """What a session needs from wherever searches run."""

    label: str

    async def search_talents(self, body: dict) -> dict: ...

    async def aclose(self) -> None: ...


class HttpBackend:
    """The search API over HTTP (the service, or ``talentql sandbox serve``)."""

    def __init__(
        self,
        api_url: str | None = None,
        *,
        config: Config | None = None,
        transport: Any = None,
        policy: Any = None,
    ) -> None:
        from talentql.client import AsyncApiClient

        self.client = AsyncApiClient(api_url, config=config, transport=transport, policy=policy)
        base = self.client.base_url
        name = "Kalent API" if base == engine.DEFAULT_API_URL else "API"
        self.label = f"{name} at {base}" + ("" if self.client.has_key else " (no key)")
        # Identifies the pool for saved sessions (transaction ids only mean something there).
        self.identity = f"http:{base}"

    def __repr__(self) -> str:
        return f"HttpBackend({self.label!r})"

    @property
    def attempts(self) -> int:
        return self.client.attempts

    async def search_talents(self, body: dict) -> dict:
        return await self.client.search_talents(body)

    async def aclose(self) -> None:
        await self.client.aclose()


def open_backend(
    *,
    api_url: str | None = None,
    sandbox: bool = False,
    size: int | None = None,
    seed: int | None = None,
    config: Config | None = None,
) -> Backend:
    """The backend the options and the environment choose (see the module's docstring)."""
    if sandbox:
        return _sandbox(size, seed)
    config = config if config is not None else load_config()
    if config.api_key or api_url or config.api_url:
        return HttpBackend(api_url, config=config)
    return _sandbox(size, seed)


def backend_identity(backend: Backend) -> str:
    """A stable name for the pool a backend searches (keys saved sessions)."""
    identity = getattr(backend, "identity", None)
    return str(identity) if identity else backend.label


def _sandbox(size: int | None, seed: int | None) -> Backend:
    try:
        from talentql.sandbox.backend import SandboxBackend
    except ImportError as error:  # only while the sandbox is not installed in this build
        raise ConfigError(f"the embedded sandbox is not available ({error})") from None
    return SandboxBackend(size=size, seed=seed)
