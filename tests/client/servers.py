"""Loopback servers for the client tests, started as subprocesses once per test session.

- ``talentql sandbox serve --port 0 ...``: the project's sandbox (the real thing);
- ``fake_server.py``: the small fake engine over HTTP, for what the sandbox cannot produce
  (a 402, an error on every call) and as a second, independent implementation of paging.

Each prints a line with its URL; ``Server.start`` waits for it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
URL = re.compile(r"(https?://127\.0\.0\.1:\d+\S*)")


def talentql_command() -> list[str]:
    """The installed ``talentql`` (beside this interpreter), as the CLI tests must run it."""
    beside = Path(sys.executable).parent / "talentql"
    found = str(beside) if beside.exists() else shutil.which("talentql")
    assert found, "the talentql command is not installed"
    return [found]


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    lines: list[str]

    @classmethod
    def start(cls, command: list[str], env: dict[str, str], timeout: float = 120) -> Server:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            start_new_session=True,
        )
        lines: list[str] = []
        found: list[str] = []
        ready = threading.Event()

        def read() -> None:  # keep draining output so the server never blocks on a full pipe
            for line in process.stdout:
                lines.append(line)
                match = URL.search(line)
                if match and not found:
                    found.append(match.group(1).rstrip("/."))
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        ready.wait(timeout)
        if not found:
            process.kill()
            raise RuntimeError(f"server did not start: {' '.join(command)}\n{''.join(lines)}")
        url = found[0]
        if not url.endswith("/api"):
            url = url.rstrip("/") + ("/api" if "/api" not in url else "")
        return cls(process, url, lines)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def fake_server(env: dict[str, str], *flags: str) -> Server:
    return Server.start([sys.executable, str(HERE / "fake_server.py"), "--port", "0", *flags],
                        env)


def sandbox_server(env: dict[str, str], *flags: str) -> Server:
    return Server.start([*talentql_command(), "sandbox", "serve", "--port", "0", *flags], env)


def sandbox_available() -> bool:
    try:
        import talentql.sandbox.server  # noqa: F401
    except ImportError:
        try:
            from talentql.cli import sandbox_cmds  # noqa: F401
        except ImportError:
            return False
    return True
