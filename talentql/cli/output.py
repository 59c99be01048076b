"""Small terminal helpers shared by the commands: colour, diagnostics, messages on stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping

TYPE_CHECKING = False  # typing is not imported at run time: start-up (benchmarks/)
if TYPE_CHECKING:
    from typing import IO


def use_color(stream: IO[str] | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stderr
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def print_diagnostics(diagnostics: Iterable, sources: Mapping[str, str]) -> None:
    from talentql.diagnostics import render_all

    diagnostics = list(diagnostics)
    if diagnostics:
        print(render_all(diagnostics, sources, color=use_color(sys.stderr)), file=sys.stderr)


def info(message: str) -> None:
    """A line for people, on stderr (stdout stays clean for pipes)."""
    print(message, file=sys.stderr)
