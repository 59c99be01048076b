"""The REPL's settings: the ``[repl]`` table of the config file, with defaults.

    [repl]
    editing_mode = "vi"        # emacs (default) | vi
    format = "table"           # table | json | jsonl | csv  (how pages are shown)
    color = "auto"             # auto | always | never  (NO_COLOR always wins)
    style = "default"          # a Pygments style name for highlighting
    pager = "auto"             # auto ($PAGER or less when output is taller than the screen) | off | a command

Read through ``talentql.config.load_config`` (``$TALENTQL_CONFIG`` or
``$XDG_CONFIG_HOME/talentql/config.toml``). Bad values are reported, never fatal: the REPL
starts with the default and says why.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

EDITING_MODES = ("emacs", "vi")
FORMATS = ("table", "json", "jsonl", "csv")
COLOR_CHOICES = ("auto", "always", "never")


@dataclass(frozen=True)
class ReplSettings:
    """What the user may configure about the REPL."""

    editing_mode: str = "emacs"
    format: str = "table"
    color: str = "auto"
    style: str = "default"
    pager: str = "auto"
    # Problems found while reading the config, shown once at startup.
    problems: tuple[str, ...] = field(default=(), compare=False)

    def wants_color(self, is_tty: bool) -> bool:
        """Colour decision: NO_COLOR wins, then the setting, then whether we talk to a terminal.

        >>> ReplSettings(color="always").wants_color(False) or bool(os.environ.get("NO_COLOR"))
        True
        """
        if os.environ.get("NO_COLOR"):
            return False
        if self.color == "always":
            return True
        if self.color == "never":
            return False
        return is_tty and os.environ.get("TERM") != "dumb"


# Setting → the values it accepts (None: any string).
_CHOICES: Mapping[str, tuple[str, ...] | None] = {
    "editing_mode": EDITING_MODES,
    "format": FORMATS,
    "color": COLOR_CHOICES,
    "style": None,
    "pager": None,
}


def from_table(table: Mapping[str, Any]) -> ReplSettings:
    """Settings from a ``[repl]`` table; unknown keys and bad values become ``problems``.

    >>> from_table({"editing_mode": "vi"}).editing_mode
    'vi'
    >>> from_table({"format": "xml"}).problems
    ("config [repl] format: 'xml' is not one of table, json, jsonl, csv; using 'table'",)
    """
    settings, problems = ReplSettings(), []
    for key, value in table.items():
        if key not in _CHOICES:
            problems.append(f"config [repl]: unknown setting {key!r} (ignored)")
            continue
        if key == "color" and isinstance(value, bool):  # color = true / false reads naturally
            value = "auto" if value else "never"
        choices = _CHOICES[key]
        default = getattr(settings, key)
        if not isinstance(value, str) or (choices and value.lower() not in choices):
            allowed = ", ".join(choices) if choices else "a string"
            problems.append(
                f"config [repl] {key}: {value!r} is not one of {allowed}; using {default!r}"
            )
            continue
        settings = replace(settings, **{key: value.lower() if choices else value})
    return replace(settings, problems=tuple(problems))


def load() -> ReplSettings:
    """The user's REPL settings (defaults when there is no config file)."""
    try:
        table = _repl_table()
    except Exception as error:  # a broken config must not stop the REPL from starting
        return replace(ReplSettings(), problems=(f"config: {error}; using default REPL settings",))
    return from_table(table)


def _repl_table() -> Mapping[str, Any]:
    from talentql.config import load_config

    table = load_config().extra.get("repl", {})
    if not isinstance(table, Mapping):
        raise ValueError("[repl] must be a table")
    return table
