"""The user's configuration: the API key, the base URL and the client's limits (CLI.md).

The file is TOML at ``$XDG_CONFIG_HOME/talentql/config.toml`` (``TALENTQL_CONFIG`` overrides the
path)::

    api_key = "..."            # or KALENT_API_KEY in the environment, which wins
    api_url = "https://app.kalent.ai/api"
    retry_timeout = 60         # seconds spent retrying one call, at most
    retry_wait = 0.2           # first backoff wait (doubles each retry, plus jitter)
    retry_wait_max = 10        # longest backoff wait (a Retry-After is honoured beyond it)
    connect_timeout = 5
    read_timeout = 30

A file holding a key must not be readable by group or others: TalentQL refuses it and says how to
fix it. The key is kept in a ``Secret`` whose ``repr`` and ``str`` never show it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talentql import engine
from talentql.errors import ConfigError

CONFIG_ENV = "TALENTQL_CONFIG"
# Environment overrides of the client's limits (tests set them small).
RETRY_TIMEOUT_ENV = "TALENTQL_RETRY_TIMEOUT"

DEFAULT_RETRY_TIMEOUT = 60.0
DEFAULT_RETRY_WAIT = 0.2
DEFAULT_RETRY_WAIT_MAX = 10.0
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0


class Secret:
    """A value that never shows itself: ``repr(Secret("k"))`` → ``Secret('***')``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class Config:
    """What the config file and the environment say, merged (the environment wins)."""

    path: Path | None = None
    api_key: Secret | None = None
    key_source: str | None = None  # "KALENT_API_KEY" or the file's path, for messages
    api_url: str | None = None
    retry_timeout: float = DEFAULT_RETRY_TIMEOUT
    retry_wait: float = DEFAULT_RETRY_WAIT
    retry_wait_max: float = DEFAULT_RETRY_WAIT_MAX
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


def config_path() -> Path:
    """Where the config file is: ``TALENTQL_CONFIG``, else the XDG config directory."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "talentql" / "config.toml"


def load_config(path: Path | None = None, *, environ: dict[str, str] | None = None) -> Config:
    """Read the config file (if any) and the environment.

    >>> load_config(Path("/nonexistent.toml"), environ={}).api_key is None
    True
    """
    env = os.environ if environ is None else environ
    path = path or config_path()
    data = _read_toml(path)
    key, source = None, None
    if env.get(engine.API_KEY_ENV, "").strip():
        key, source = Secret(env[engine.API_KEY_ENV].strip()), engine.API_KEY_ENV
    elif data.get("api_key"):
        if not isinstance(data["api_key"], str):
            raise ConfigError(f"{path}: api_key must be a string")
        _check_private(path)
        key, source = Secret(data["api_key"].strip()), str(path)
    api_url = data.get("api_url")
    if api_url is not None and not isinstance(api_url, str):
        raise ConfigError(f"{path}: api_url must be a string")
    retry_timeout = _number(env.get(RETRY_TIMEOUT_ENV), RETRY_TIMEOUT_ENV) or _number(
        data.get("retry_timeout"), f"{path}: retry_timeout"
    )
    known = {"api_key", "api_url", "retry_timeout", "retry_wait", "retry_wait_max",
             "connect_timeout", "read_timeout"}
    return Config(
        path=path if data else None,
        api_key=key,
        key_source=source,
        api_url=api_url,
        retry_timeout=retry_timeout or DEFAULT_RETRY_TIMEOUT,
        retry_wait=_number(data.get("retry_wait"), f"{path}: retry_wait") or DEFAULT_RETRY_WAIT,
        retry_wait_max=_number(data.get("retry_wait_max"), f"{path}: retry_wait_max")
        or DEFAULT_RETRY_WAIT_MAX,
        connect_timeout=_number(data.get("connect_timeout"), f"{path}: connect_timeout")
        or DEFAULT_CONNECT_TIMEOUT,
        read_timeout=_number(data.get("read_timeout"), f"{path}: read_timeout")
        or DEFAULT_READ_TIMEOUT,
        extra={k: v for k, v in data.items() if k not in known},
    )


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"cannot read the config file {path}: {error.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        # The message names the line, never echoes the content (it may hold the key).
        raise ConfigError(f"the config file {path} is not valid TOML: {error}") from None


def _check_private(path: Path) -> None:
    """Refuse a key file that group or others can read (CLI.md)."""
    if os.name != "posix":
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"the config file {path} holds an API key but group or others can read it "
            f"(mode {stat.filemode(mode)})",
            hint=f"run: chmod 600 {path}",
        )


def _number(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number of seconds, not {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{name} must be positive, not {value!r}")
    return number
