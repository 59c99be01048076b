"""The sandbox: an embedded talent search engine that speaks the API (docs/sandbox.md).

Light to import: the generator, the store and the server load only when used.

    >>> from talentql.sandbox import pool_settings
    >>> pool_settings(5000, 3)
    (5000, 3)
"""

from __future__ import annotations

import os

from talentql.errors import ConfigError

DEFAULT_SIZE = 20_000
DEFAULT_SEED = 7
SIZE_ENV = "TALENTQL_SANDBOX_SIZE"
SEED_ENV = "TALENTQL_SANDBOX_SEED"
CACHE_ENV = "TALENTQL_CACHE_DIR"
MAX_SIZE = 10_000_000


def pool_settings(size: int | None = None, seed: int | None = None) -> tuple[int, int]:
    """The pool to use: explicit arguments, else TALENTQL_SANDBOX_SIZE / TALENTQL_SANDBOX_SEED,
    else (20,000, 7). Raises ConfigError (exit 2) for a bad value.
    """
    if size is None:
        size = _env_int(SIZE_ENV, DEFAULT_SIZE)
    if seed is None:
        seed = _env_int(SEED_ENV, DEFAULT_SEED)
    if not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
        raise ConfigError(f"sandbox size must be a whole number from 1 to {MAX_SIZE:,}, not {size!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"sandbox seed must be a whole number ≥ 0, not {seed!r}")
    return size, seed


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw.replace(",", "").replace("_", ""))
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def label(size: int, seed: int) -> str:
    """How the sandbox names itself: ``sandbox (20,000 synthetic talents, seed 7)``."""
    return f"sandbox ({size:,} synthetic talents, seed {seed})"


__all__ = ["pool_settings", "label", "DEFAULT_SIZE", "DEFAULT_SEED"]
