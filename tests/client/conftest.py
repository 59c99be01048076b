"""Fixtures of the client tests: an isolated environment, recorded answers, the fake engine."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No real key, no user config, no user state: nothing here can reach the real service."""
    monkeypatch.delenv("KALENT_API_KEY", raising=False)
    monkeypatch.setenv("TALENTQL_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("TALENTQL_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


