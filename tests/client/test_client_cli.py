"""``talentql search`` / ``talentql run`` as subprocesses against loopback servers.

Every server here is a subprocess on 127.0.0.1 (the sandbox's ``sandbox serve`` and the fake
engine's server); nothing can reach the real service: there is no key in the environment and
every command gets ``--api-url`` of a loopback server.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from servers import fake_server, sandbox_available, sandbox_server, talentql_command

from talentql import engine

KEY = "sk_test_Z9y8X7w6V5u4T3s2"
SINGLE = "title:designer"
MULTI = ["title:designer", "location:berlin", "skill:python"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def base_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    config = root / "config.toml"
    config.write_text("retry_timeout = 20\nretry_wait = 0.01\nretry_wait_max = 0.1\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KALENT_", "TALENTQL_"))}
    env.update(
        TALENTQL_CONFIG=str(config), TALENTQL_STATE_DIR=str(root / "state"),
        TALENTQL_CACHE_DIR=str(root / "cache"), TALENTQL_SANDBOX_SIZE="3000",
        XDG_CONFIG_HOME=str(root / "xdg"), NO_COLOR="1", COLUMNS="100",
    )
    return env


class Servers:
    """Servers started on first use and kept for the whole session."""

    def __init__(self, env):
        self.env, self.running = env, {}

    def get(self, kind: str, *flags: str):
        key = (kind, flags)
        if key not in self.running:
            if kind == "sandbox":
                if not sandbox_available():
                    pytest.skip("the sandbox server is not available in this build")
                self.running[key] = sandbox_server(self.env, *flags)
            else:
                self.running[key] = fake_server(self.env, *flags)
        return self.running[key]

    def stop(self):
        for server in self.running.values():
            server.stop()


@pytest.fixture(scope="session")
def servers(base_env):
    pool = Servers(base_env)
    yield pool
    pool.stop()


def talentql(env, *args, key=None, timeout=120, input_=None):
    env = dict(env)
    if key:
        env["KALENT_API_KEY"] = key
    return subprocess.run([*talentql_command(), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, input=input_, check=False)


def jsonl_ids(text):
    return [json.loads(line)["id"] for line in text.splitlines() if line.strip()]


@pytest.fixture(params=["fake", "sandbox"])
def server(request, servers):
    return servers.get(request.param, "--key", KEY)


@pytest.fixture
def fake(servers):
    """For what does not depend on the server (formats, files): the fast fake engine."""
    return servers.get("fake", "--key", KEY)


# --- Paging to the end -----------------------------------------------------------------------------


def test_single_search_to_the_end(server, base_env):
    done = talentql(base_env, "search", SINGLE, "--all", "--api-url", server.url, key=KEY)
    assert done.returncode == 0, done.stderr
    ids = jsonl_ids(done.stdout)
    assert ids and len(ids) == len(set(ids))
    assert done.stderr.splitlines()[0] == f"backend: API at {server.url}"
    assert f"{len(ids):,} talents" in done.stderr
    again = talentql(base_env, "search", SINGLE, "--limit", "25", "--api-url", server.url,
                     key=KEY)
    assert jsonl_ids(again.stdout) == ids[:25]


def test_multi_search_gives_the_union_of_each_alone(server, base_env):
    alone = set()
    for query in MULTI:
        done = talentql(base_env, "search", query, "--all", "--api-url", server.url, key=KEY)
        assert done.returncode == 0, done.stderr
        alone |= set(jsonl_ids(done.stdout))
    both = talentql(base_env, "search", " OR ".join(MULTI), "--all", "--api-url", server.url,
                    key=KEY)
    assert both.returncode == 0, both.stderr
    ids = jsonl_ids(both.stdout)
    assert len(ids) == len(set(ids)) and set(ids) == alone


FAULTS = {
    "fake": ("--rate-504", "0.3", "--rate-429", "0.3"),  # 429s with details and Retry-After
    "sandbox": ("--fail-rate-504", "0.4"),
}


@pytest.mark.parametrize("kind", ["fake", "sandbox"])
def test_faults_at_high_rates_lose_nothing(servers, base_env, kind):
    clean = servers.get(kind, "--key", KEY)
    faulty = servers.get(kind, "--key", KEY, *FAULTS[kind])
    query = " OR ".join(MULTI)
    expected = talentql(base_env, "search", query, "--all", "--api-url", clean.url, key=KEY)
    started = time.monotonic()
    done = talentql(base_env, "search", query, "--all", "--api-url", faulty.url, key=KEY)
    assert done.returncode == 0, done.stderr
    assert jsonl_ids(done.stdout) == jsonl_ids(expected.stdout)
    assert time.monotonic() - started < 60


# --- Errors and exit codes ---------------------------------------------------------------------------


def test_the_100_id_limit_ends_with_a_notice(servers, base_env):
    sandbox = servers.get("sandbox", "--key", KEY)
    done = talentql(base_env, "search", "title:engineer", "--all", "--api-url", sandbox.url,
                    key=KEY)
    assert done.returncode == 0, done.stderr
    ids = jsonl_ids(done.stdout)
    assert len(ids) == len(set(ids)) == (engine.MAX_TRANSACTION_IDS + 1) * engine.PAGE_SIZE
    assert "stopped at the 100-transaction limit; refine the query" in done.stderr
    assert "101 API calls" in done.stderr


def test_a_daily_rate_limit_fails_fast_with_the_window_and_keeps_the_pages(servers, base_env):
    limited = servers.get("sandbox", "--key", KEY, "--rate-limit-per-day", "2")
    started = time.monotonic()
    done = talentql(base_env, "search", SINGLE, "--pages", "4", "--api-url", limited.url,
                    key=KEY)
    assert done.returncode == 3
    assert len(jsonl_ids(done.stdout)) == 20  # the two pages before the limit are kept
    assert "rate_limit_exceeded" in done.stderr and "window=day" in done.stderr
    assert "--resume" in done.stderr
    assert time.monotonic() - started < 30


def test_wrong_key_is_exit_4_and_never_printed(server, base_env):
    wrong = "sk_wrong_" + KEY[::-1]
    done = talentql(base_env, "search", SINGLE, "--api-url", server.url, key=wrong)
    assert done.returncode == 4, done.stderr
    assert "invalid_api_key" in done.stderr and "hint:" in done.stderr
    assert wrong not in done.stdout + done.stderr and KEY not in done.stdout + done.stderr


def test_missing_key_is_exit_4(server, base_env):
    done = talentql(base_env, "search", SINGLE, "--api-url", server.url)
    assert done.returncode == 4, done.stderr
    assert "missing_api_key" in done.stderr and "KALENT_API_KEY" in done.stderr


def test_402_is_exit_3_with_details(servers, base_env):
    paid = servers.get("fake", "--status", "402")
    done = talentql(base_env, "search", SINGLE, "--api-url", paid.url, key=KEY)
    assert done.returncode == 3
    assert "no credits left" in done.stderr and "creditsRemaining=0" in done.stderr
    assert "insufficient_credits" in done.stderr and KEY not in done.stderr


def test_400_is_exit_3_with_details_and_no_retry(servers, base_env):
    bad = servers.get("fake", "--status", "400")
    done = talentql(base_env, "search", SINGLE, "--api-url", bad.url, key=KEY)
    assert done.returncode == 3
    assert "validation_error" in done.stderr and "filterIndex=0" in done.stderr
    assert "attempts" not in done.stderr


def test_network_filter_without_a_connected_account_is_explained(servers, base_env):
    other = "sk_test_no_network_1234"
    sandbox = servers.get("sandbox", "--key", KEY, "--key-without-network", other)
    done = talentql(base_env, "search", "network:1st title:designer", "--api-url", sandbox.url,
                    key=other)
    assert done.returncode == 3, done.stderr
    assert "missing_connected_linkedin_account" in done.stderr and "LinkedIn" in done.stderr
    assert other not in done.stderr


def test_no_key_runs_on_the_embedded_sandbox(servers, base_env):
    servers.get("sandbox", "--key", KEY)  # the pool is built in the shared cache by now
    done = talentql(base_env, "search", SINGLE, "--pages", "2")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == "backend: sandbox (3,000 synthetic talents, seed 7)"
    over_http = talentql(base_env, "search", SINGLE, "--pages", "2", "--api-url",
                         servers.get("sandbox", "--key", KEY).url, key=KEY)
    assert jsonl_ids(done.stdout) == jsonl_ids(over_http.stdout)  # same engine, same answers


def test_unreachable_server_is_exit_3_after_bounded_retries(base_env):
    env = dict(base_env, TALENTQL_RETRY_TIMEOUT="1")
    started = time.monotonic()
    done = talentql(env, "search", SINGLE, "--api-url", "http://127.0.0.1:9/api")
    assert done.returncode == 3 and "cannot connect" in done.stderr
    assert time.monotonic() - started < 10


def test_invalid_query_is_exit_1_and_usage_is_exit_2(base_env):
    assert talentql(base_env, "search", "titel:CTO", "--api-url",
                    "http://127.0.0.1:9/api").returncode == 1
    assert talentql(base_env, "search", "title:CTO", "--pages", "0").returncode == 2
    assert talentql(base_env, "search", "title:CTO", "--all", "--limit", "3").returncode == 2
    missing = talentql(base_env, "run", "/nonexistent/q.tql", "--api-url", "http://127.0.0.1:9/api")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


# --- Formats and files ---------------------------------------------------------------------------


def test_formats(fake, base_env, tmp_path):
    url = ["--api-url", fake.url]
    as_json = talentql(base_env, "search", SINGLE, "--pages", "2", "--format", "json", *url,
                       key=KEY)
    as_jsonl = talentql(base_env, "search", SINGLE, "--pages", "2", *url, key=KEY)
    assert [t["id"] for t in json.loads(as_json.stdout)] == jsonl_ids(as_jsonl.stdout)
    table = talentql(dict(base_env, COLUMNS="60"), "search", SINGLE, "--format", "table", *url,
                     key=KEY)
    lines = table.stdout.splitlines()
    assert lines[0].startswith("#") and len(lines) == 11
    assert all(len(line) <= 60 for line in lines)
    out = tmp_path / "talents.csv"
    talentql(base_env, "search", SINGLE, "--pages", "2", "-o", str(out), *url, key=KEY)
    rows = out.read_text().splitlines()
    assert rows[0].startswith("name,title,company,location,linkedin_url,id")
    assert len(rows) == 21


def test_run_a_saved_query_file(fake, base_env, tmp_path):
    path = tmp_path / "q.tql"
    path.write_text("let designers = title:designer\nlet berlin = location:berlin\n"
                    "designers OR berlin\n")
    named = talentql(base_env, "run", str(path), "--query", "designers", "--all",
                     "--api-url", fake.url, key=KEY)
    direct = talentql(base_env, "search", SINGLE, "--all", "--api-url", fake.url, key=KEY)
    assert named.returncode == 0, named.stderr
    assert set(jsonl_ids(named.stdout)) == set(jsonl_ids(direct.stdout))


def test_resume_prints_the_next_pages(fake, base_env):
    url = ["--api-url", fake.url]
    first = talentql(base_env, "search", SINGLE, *url, key=KEY)
    second = talentql(base_env, "search", SINGLE, "--resume", *url, key=KEY)
    both = talentql(base_env, "search", SINGLE, "--pages", "2", *url, key=KEY)
    assert jsonl_ids(first.stdout) + jsonl_ids(second.stdout) == jsonl_ids(both.stdout)
    # A --limit cut mid-page leaves the rest of the page for the next run.
    five = talentql(base_env, "search", SINGLE, "--limit", "5", *url, key=KEY)
    next_five = talentql(base_env, "search", SINGLE, "--limit", "5", "--resume", *url, key=KEY)
    assert jsonl_ids(five.stdout) + jsonl_ids(next_five.stdout) == jsonl_ids(first.stdout)
    # Each resumed run is a whole document of its own (here: a JSON array).
    talentql(base_env, "search", SINGLE, "--format", "json", *url, key=KEY)
    third = talentql(base_env, "search", SINGLE, "--format", "json", "--resume", *url, key=KEY)
    assert [t["id"] for t in json.loads(third.stdout)] == jsonl_ids(second.stdout)


def test_resume_without_the_partial_file_starts_again(servers, base_env, tmp_path):
    from talentql.export import part_path

    slow = servers.get("fake", "--key", KEY, "--size", "800", "--latency-ms", "10")
    env = dict(base_env, KALENT_API_KEY=KEY)
    whole, cut = tmp_path / "whole.jsonl", tmp_path / "cut.jsonl"
    args = ["search", " OR ".join(MULTI), "--all", "--api-url", slow.url]
    talentql(env, *args, "-o", str(whole))
    _kill_mid_export(env, [*args, "-o", str(cut)], cut, signal.SIGKILL)
    part_path(cut).unlink()  # the partial file is lost; the saved session is not enough
    resumed = talentql(env, *args, "-o", str(cut), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "partial output file is gone" in resumed.stderr
    assert cut.read_bytes() == whole.read_bytes()

# --- Interrupted exports ---------------------------------------------------------------------------


def _kill_mid_export(env, args, out: Path, sig: int):
    """Start an --all export, wait until a few pages are checkpointed, then send ``sig``."""
    state_dir = Path(env["TALENTQL_STATE_DIR"])
    before = set(state_dir.glob("*.json")) if state_dir.exists() else set()
    process = subprocess.Popen([*talentql_command(), *args], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = set(state_dir.glob("*.json")) - before if state_dir.exists() else set()
        if states:
            state = json.loads(next(iter(states)).read_text() or "{}")
            if state.get("output", {}).get("written", 0) >= 30:
                break
        if process.poll() is not None:
            pytest.fail(f"the export ended before it could be interrupted: {process.stderr.read()}")
        time.sleep(0.01)
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    assert not out.exists()  # atomic: nothing under the real name until the export is whole
    return process.returncode, err


def test_killed_export_resumes_to_exactly_an_uninterrupted_run(servers, base_env, tmp_path):
    fmt = "jsonl"
    slow = servers.get("sandbox", "--key", KEY, "--latency-ms", "5")
    env = dict(base_env, KALENT_API_KEY=KEY)
    query = " OR ".join(MULTI)
    whole, cut = tmp_path / f"whole.{fmt}", tmp_path / f"cut.{fmt}"
    args = ["search", query, "--all", "--api-url", slow.url]
    done = talentql(env, *args, "-o", str(whole))
    assert done.returncode == 0, done.stderr
    code, _ = _kill_mid_export(env, [*args, "-o", str(cut)], cut, signal.SIGKILL)
    assert code == -signal.SIGKILL
    resumed = talentql(env, *args, "-o", str(cut), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resume: going on after" in resumed.stderr
    assert cut.read_bytes() == whole.read_bytes()
    if fmt == "jsonl":
        ids = jsonl_ids(cut.read_text())
        assert len(ids) == len(set(ids)) > 100


def test_ctrl_c_exits_130_and_resumes(servers, base_env, tmp_path):
    slow = servers.get("fake", "--key", KEY, "--size", "800", "--latency-ms", "10")
    env = dict(base_env, KALENT_API_KEY=KEY)
    whole, cut = tmp_path / "whole.csv", tmp_path / "cut.csv"  # CSV here, JSONL above
    args = ["search", " OR ".join(MULTI), "--all", "--api-url", slow.url]
    talentql(env, *args, "-o", str(whole))
    code, err = _kill_mid_export(env, [*args, "-o", str(cut)], cut, signal.SIGINT)
    assert code == 130 and "--resume" in err and "Traceback" not in err
    assert talentql(env, *args, "-o", str(cut), "--resume").returncode == 0
    assert cut.read_bytes() == whole.read_bytes()


def test_key_is_absent_from_everything_captured(server, base_env, tmp_path):
    url = ["--api-url", server.url]
    runs = [
        talentql(base_env, "search", SINGLE, "--pages", "3", *url, key=KEY),
        talentql(base_env, "search", SINGLE, "--format", "table", *url, key=KEY),
        talentql(base_env, "search", "titel:x", *url, key=KEY),
        talentql(base_env, "search", SINGLE, "--api-url", "http://127.0.0.1:9/api", key=KEY),
        talentql(base_env, "search", SINGLE, "-o", str(tmp_path / "o.csv"), *url, key=KEY),
    ]
    state_dir = Path(base_env["TALENTQL_STATE_DIR"])
    files = [p.read_text() for p in state_dir.rglob("*") if p.is_file()]
    files.append((tmp_path / "o.csv").read_text())
    for text in [r.stdout + r.stderr for r in runs] + files:
        assert KEY not in text


def test_on_a_terminal_the_default_is_a_table_that_fits(fake, base_env):
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in base_env.items() if k != "COLUMNS"}
    env.update(KALENT_API_KEY=KEY, TERM="xterm")
    child = pexpect.spawn(talentql_command()[0], ["search", SINGLE, "--pages", "2",
                                                  "--api-url", fake.url],
                          env=env, dimensions=(40, 72), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    screen = child.before.replace("\x1b[K", "")
    assert child.exitstatus == 0, screen
    # The progress line is rewritten in place (\r) and cleared: keep what is left on each line.
    lines = [line.split("\r")[-1] for line in screen.replace("\r\n", "\n").split("\n")]
    table = [line for line in lines if re.match(r"(#|\d+) {2,}", line)]
    headers = [line for line in table if line.startswith("#")]
    assert table[0].startswith("#") and len(headers) == 2  # a table per page
    assert len(table) - len(headers) == 20
    assert lines[0] == "backend: API at " + fake.url
    assert all(len(line) <= 72 for line in table)
    assert KEY not in screen
