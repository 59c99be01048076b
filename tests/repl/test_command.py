"""The `repl` command in the CLI frame: cheap to register, clear without a terminal."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "talentql", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_registering_the_commands_imports_no_prompt_toolkit():
    code = ("import sys, talentql.cli as c; c.build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('prompt_toolkit', 'pygments', 'lark', 'httpx')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_without_a_terminal_the_repl_says_what_to_do_instead():
    done = run(stdin="title:Designer\n")  # no arguments: the REPL
    assert done.returncode == 2
    assert "the REPL needs a terminal" in done.stderr and "talentql search" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_lists_the_repl_options():
    done = run("repl", "--help")
    assert done.returncode == 0
    for option in ("--vi", "--emacs", "--format", "--sandbox", "--api-url", "--engine"):
        assert option in done.stdout
