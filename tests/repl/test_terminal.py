"""End to end: the installed ``talentql`` in a pseudo-terminal, used as a person would."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("talentql.sandbox.backend")

pytestmark = pytest.mark.slow
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
CPR_REQUEST = re.escape("\x1b[6n")  # "where is the cursor?" — a terminal answers it


def expect(child, pattern: str) -> str:
    """Wait for ``pattern`` (a regex), answering cursor-position requests as a terminal does
    (prompt_toolkit draws its bottom toolbar only once it knows where the cursor is)."""
    seen = ""
    while child.expect([CPR_REQUEST, pattern]) == 0:
        seen += child.before
        child.send("\x1b[1;1R")
    return seen + child.before + child.after


def screen_text(raw: str) -> str:
    """What was drawn, without the terminal's control sequences."""
    return ANSI.sub("", raw)


def talentql_command() -> str:
    beside = Path(sys.executable).parent / "talentql"
    return str(beside) if beside.exists() else (shutil.which("talentql") or "talentql")


def test_start_query_page_and_quit_in_a_terminal(tmp_path, sandbox_cache):
    env = {**os.environ, "TALENTQL_SANDBOX_SIZE": "3000",
           "TALENTQL_CACHE_DIR": str(sandbox_cache),
           "TALENTQL_DATA_DIR": str(tmp_path / "data"),
           "TALENTQL_CONFIG": str(tmp_path / "none.toml"),
           "TERM": "xterm-256color"}
    env.pop("KALENT_API_KEY", None)
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(talentql_command(), [], env=env, encoding="utf-8", timeout=60,
                          dimensions=(40, 120))
    try:
        seen = expect(child, re.escape("tql> "))
        seen += expect(child, "Enter runs")  # the toolbar's hint line
        child.send("title:Engineer")
        seen += expect(child, "Engineer")  # echoed, highlighted, as typed
        child.send("\r")
        page1 = screen_text(expect(child, r"\n\s*10\s+\S"))  # the tenth row of page 1
        page1 += screen_text(expect(child, "10 shown"))  # the toolbar under the next prompt
        child.send("\\next\r")
        page2 = screen_text(expect(child, r"\n\s*20\s+\S"))
        page2 += screen_text(expect(child, "20 shown"))
        child.send("\\quit\r")
        child.expect(pexpect.EOF)
        seen += page1 + page2 + child.before
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert "using the sandbox" in page1 and "page 1" in page1
    assert re.search(r"#\s+name\s+title", page1)  # the table's header
    assert re.search(r"\n\s*1\s+\S", page1) and re.search(r"\n\s*11\s+\S", page2)
    assert "Traceback" not in screen_text(seen)
    history = (tmp_path / "data" / "history").read_text()
    assert "title:Engineer" in history and "\\next" in history


def test_ctrl_c_in_a_terminal_cancels_a_hanging_search(tmp_path):
    """A service that never answers (a loopback socket nobody serves): Ctrl-C gets the prompt
    back at once, and the session goes on."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/api"
        env = {**os.environ, "TALENTQL_DATA_DIR": str(tmp_path / "data"),
               "TALENTQL_CONFIG": str(tmp_path / "none.toml"), "TERM": "xterm-256color"}
        env.pop("KALENT_API_KEY", None)
        child = pexpect.spawn(talentql_command(), ["repl", "--api-url", url], env=env,
                              encoding="utf-8", timeout=30, dimensions=(40, 120))
        try:
            expect(child, "Enter runs")
            child.send("skill:Go\r")
            expect(child, "searching")  # the spinner: the call is under way
            child.sendcontrol("c")
            after = screen_text(expect(child, "cancelled"))
            expect(child, "Enter runs")  # a new prompt, with its toolbar
            child.send("\\quit\r")
            child.expect(pexpect.EOF)
        finally:
            child.close(force=True)
    assert child.exitstatus == 0
    assert "Traceback" not in after
