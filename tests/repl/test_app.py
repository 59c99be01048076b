"""The REPL driven by real key sequences on prompt-toolkit's pipe input (fake backend).

The backend here is a controllable fake so cancellation and failures can be staged exactly;
test_sandbox.py runs the same kind of session against the embedded sandbox.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal

from conftest import CTRL_C, CTRL_D, ENTER
from prompt_toolkit.history import InMemoryHistory
from repl_fakes import FakeBackend

from talentql.errors import RateLimitError
from talentql.repl import live


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def test_query_pages_twice_shows_a_profile_and_quits(make_repl):
    backend = FakeBackend(total=35)

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("title:Designer lang:french" + ENTER)
        await r.until_printed("First9 Last9")
        r.type("\\next" + ENTER)
        await r.until_printed("First19 Last19")
        r.type("\\n" + ENTER)
        await r.until_printed("First29 Last29")
        assert "page 3" in r.repl.status_line() and "30 shown" in r.repl.status_line()
        r.type("\\show 12" + ENTER)
        await r.until_printed("Experience")
        r.type("\\quit" + ENTER)
        assert await r.finish() == 0
        return r

    r = run(scenario())
    # Rows are numbered across pages, so \show 12 is the second talent of page 2.
    assert "\n12  First11 Last11" in r.text
    profile = r.text[r.text.index("Experience") - 300:]
    assert "First11 Last11" in profile and "linkedin.example/in/t11" in profile
    # Page 2 and 3 excluded what the pages before returned (transaction ids are chained).
    assert [len(b["relatedSearchTransactionIds"]) for b in backend.bodies] == [0, 1, 2]
    assert backend.bodies[0]["filters"][0]["filterType"] == "JOB_TITLE"
    assert backend.closed


def test_ctrl_c_cancels_a_running_search_and_keeps_the_pages(make_repl):
    backend = FakeBackend(total=50)

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("skill:Figma" + ENTER)
        await r.until_printed("First9 Last9")
        backend.hold()
        r.type("\\next" + ENTER)
        await asyncio.wait_for(backend.started.wait(), 20)
        os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C sends while a search runs
        await r.until_printed("cancelled")
        backend.release()
        assert "10 shown" in r.repl.status_line()
        # The session goes on: \show still sees page 1, and \next fetches page 2 afresh.
        r.type("\\show 3" + ENTER)
        await r.until_printed("First2 Last2", count=2)
        r.type("\\next" + ENTER)
        await r.until_printed("First19 Last19")
        r.type(CTRL_D)
        assert await r.finish() == 0
        return r

    r = run(scenario())
    assert "the 10 talents shown so far are kept" in r.text
    assert "First10 Last10" in r.text
    # SIGINT is ours only while a search runs: Python's default handler is back afterwards.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_at_the_prompt_clears_the_line_and_ctrl_d_leaves(make_repl):
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("title:Half typed" + CTRL_C)
        r.type("skill:Go" + ENTER)
        await r.until_printed("First0 Last0")
        r.type(CTRL_D)
        return r, await r.finish()

    _, code = run(scenario())
    assert code == 0
    assert len(backend.bodies) == 1
    assert [f["value"] for f in backend.bodies[0]["filters"]] == ["Go"]


def test_service_errors_are_words_and_the_session_goes_on(make_repl):
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("skill:Go" + ENTER)
        await r.until_printed("First9 Last9")
        backend.fail_next = RateLimitError("rate limit exceeded", status=429,
                                           code="rate_limit_exceeded")
        r.type("\\next" + ENTER)
        await r.until_printed("the search failed")
        r.type("\\next" + ENTER)
        await r.until_printed("First19 Last19")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    assert "rate limit exceeded (429, rate_limit_exceeded)" in r.text
    assert "(the 10 talents shown are kept; \\next goes on with them)" in r.text
    assert "Traceback" not in r.text


def test_compile_errors_use_the_diagnostics_rendering(make_repl):
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("titel:Designer yoe:5" + ENTER)
        await r.until_printed("error[invalid-value]")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    assert "error[unknown-field]" in r.text and "did you mean 'title'" in r.text
    assert " --> 1:1" in r.text and "^^^^^" in r.text
    assert backend.bodies == []  # nothing ran


def test_open_parenthesis_makes_enter_insert_a_newline(make_repl):
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("title:(Designer" + ENTER + "OR Researcher)" + ENTER)
        await r.until_printed("First0 Last0")
        r.type("\\quit" + ENTER)
        await r.finish()

    run(scenario())
    assert len(backend.bodies) == 1  # one query of two lines, run once
    values = sorted(f["value"] for f in backend.bodies[0]["filters"])
    assert values == ["Designer", "Researcher"]


def test_lets_names_and_dollar_names(make_repl):
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("let big = company:(Google OR Meta)" + ENTER)
        await r.until_printed("$big defined")
        r.type("\\let eng = title:Engineer" + ENTER)
        await r.until_printed("$eng defined")
        r.type("\\names" + ENTER)
        await r.until_printed("$eng")
        r.type("$eng -$big" + ENTER)
        await r.until_printed("First0 Last0")
        r.type("let bad = titel:x" + ENTER)
        await r.until_printed("error[unknown-field]")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    filters = backend.bodies[0]["filters"]
    assert {(f["filterType"], f["value"], f["isExcluded"]) for f in filters} == {
        ("JOB_TITLE", "Engineer", False), ("COMPANY_NAME", "Google", True),
        ("COMPANY_NAME", "Meta", True)}
    assert "bad" not in r.repl.scope.lets


def test_export_save_and_load(make_repl, tmp_path):
    backend = FakeBackend(total=45)
    csv_path, tql_path = tmp_path / "out.csv", tmp_path / "saved.tql"

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("skill:Figma" + ENTER)
        await r.until_printed("First9 Last9")
        r.type(f"\\export {csv_path} --pages 3" + ENTER)
        await r.until_printed("wrote 30 talents")
        r.type(f"\\export {tmp_path / 'all.jsonl'} --all" + ENTER)
        await r.until_printed("wrote 45 talents")
        r.type("\\next" + ENTER)  # page 2 was fetched by the export: shown, not fetched again
        await r.until_printed("First19 Last19")
        r.type(f"\\save figma {tql_path}" + ENTER)
        await r.until_printed("saved $figma")
        r.type(f"\\load {tql_path}" + ENTER)
        await r.until_printed("running the query of saved.tql")
        await r.until_printed("First0 Last0", count=2)
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    run(scenario())
    lines = csv_path.read_text().splitlines()
    assert len(lines) == 31 and lines[0].startswith("name,")
    jsonl = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert [t["id"] for t in jsonl] == [f"t{n}" for n in range(45)]
    assert not list(tmp_path.glob(".*.part"))  # written atomically, nothing left behind
    saved = tql_path.read_text()
    assert "let figma = skill:Figma" in saved and saved.rstrip().endswith("$figma")
    # First query: 1 call, 2 more for --pages 3, 3 more for --all (pages 4 and 5, then the
    # empty answer that ends it: a short page is not the end); the loaded query: 1.
    assert len(backend.bodies) == 7


def test_format_switch_and_unknown_commands(make_repl):
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("\\format jsonl" + ENTER)
        r.type("skill:Go" + ENTER)
        await r.until_printed('"id": "t9"')
        r.type("\\format xml" + ENTER)
        await r.until_printed("choose one of")
        r.type("\\frobnicate" + ENTER)
        await r.until_printed("unknown command")
        r.type("\\show 99" + ENTER)
        await r.until_printed("usage: \\show N")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    rows = [json.loads(line) for line in r.text.splitlines() if line.startswith("{")]
    assert [t["id"] for t in rows] == [f"t{n}" for n in range(10)]


def test_explain_and_help_and_history(make_repl):
    history = InMemoryHistory()

    async def scenario():
        r = make_repl(FakeBackend(), history=history)
        r.start()
        r.type("\\explain title:CTO OR company:Stripe" + ENTER)
        await r.until_printed("2 searches")
        r.type("\\help" + ENTER)
        await r.until_printed("Ctrl-R")
        r.type("\\history" + ENTER)
        await r.until_printed("\\help")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    assert "search 1" in r.text and "search 2" in r.text and "[JOB_TITLE]" in r.text
    assert "[COMPANY_NAME]" in r.text and "formula   title:CTO OR company:Stripe" in r.text
    for command in ("\\next", "\\show N", "\\export FILE", "\\load FILE.tql", "\\save NAME"):
        assert command in r.text
    assert list(history.get_strings())[0] == "\\explain title:CTO OR company:Stripe"


def test_errors_show_while_typing_in_the_toolbar_and_the_buffer(make_repl):
    async def scenario():
        r = make_repl(FakeBackend())
        r.start()
        r.type("skill:Go titel:Designer")
        buffer = lambda: r.repl.prompt.app.current_buffer
        await r.until(lambda: buffer().text == "skill:Go titel:Designer")
        await r.until(lambda: r.repl.checker.get(buffer().text) is not None)
        toolbar = "".join(text for _, text, *_ in r.repl.toolbar_for(buffer().text))
        lexer = r.repl.prompt.app.layout.current_control.lexer
        fragments = lexer.lex_document(buffer().document)(0)
        r.type(CTRL_C + CTRL_D)
        await r.finish()
        return toolbar, fragments

    toolbar, fragments = run(scenario())
    assert "col 10: unknown field 'titel'" in toolbar
    marked = "".join(text for style, text, *_ in fragments if live.ERROR_CLASS in style)
    assert marked == "titel"


def test_history_is_persistent_and_never_holds_the_key(make_repl, tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTQL_DATA_DIR", str(tmp_path / "data"))
    secret = "sk-live-0123456789"

    async def scenario():
        r = make_repl(FakeBackend(), history=None, secrets=(secret,))
        r.start()
        r.type("skill:Go" + ENTER)
        await r.until_printed("First0 Last0")
        r.type(f"keyword:{secret}" + ENTER)
        await r.until_printed("First0 Last0", count=2)
        r.type("\\quit" + ENTER)
        await r.finish()

    run(scenario())
    stored = (tmp_path / "data" / "history").read_text()
    assert "skill:Go" in stored and secret not in stored
    assert (tmp_path / "data" / "history").stat().st_mode & 0o077 == 0


def test_vi_mode_edits_with_vi_keys(make_repl):
    from dataclasses import replace

    from talentql.repl.settings import ReplSettings

    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend, settings=replace(ReplSettings(), editing_mode="vi"))
        r.start()
        # Type, leave insert mode (Esc), `0x` deletes the first character, `A` appends.
        from prompt_toolkit.key_binding.vi_state import InputMode

        r.type("Xskill:Rust")
        await r.until(lambda: r.repl.prompt.app.current_buffer.text == "Xskill:Rust")
        r.type("\x1b")
        await r.until(lambda: r.repl.prompt.app.vi_state.input_mode == InputMode.NAVIGATION)
        r.type("0x" + "A" + " lang:french" + ENTER)
        await r.until_printed("First0 Last0")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    assert "vi" in r.repl.status_line()
    assert {f["value"] for f in backend.bodies[0]["filters"]} == {"Rust", "french"}


def test_ctrl_r_finds_an_earlier_query_and_the_grey_suggestion_completes_one(make_repl):
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("skill:Golang" + ENTER)
        await r.until(lambda: len(backend.bodies) == 1)
        r.type("skill:Rust" + ENTER)
        await r.until(lambda: len(backend.bodies) == 2)
        r.type("\x12" + "Gol" + ENTER)  # Ctrl-R, what to look for; Enter ends the search
        await r.until(lambda: r.repl.prompt.default_buffer.text == "skill:Golang")
        r.type(ENTER)  # and runs the line found
        await r.until(lambda: len(backend.bodies) == 3)
        r.type("skill:R")
        await r.until(lambda: r.repl.prompt.default_buffer.suggestion is not None)
        r.type("\x1b[C" + ENTER)  # → accepts the suggestion from history
        await r.until(lambda: len(backend.bodies) == 4)
        r.type("\\quit" + ENTER)
        await r.finish()

    run(scenario())
    assert [b["filters"][0]["value"] for b in backend.bodies] == ["Golang", "Rust", "Golang",
                                                                  "Rust"]


def test_load_follows_imports_and_reports_problems(make_repl, tmp_path):
    (tmp_path / "common.tql").write_text("let big = company:(Google OR Meta)\n")
    (tmp_path / "main.tql").write_text(
        '# designers\nimport "common.tql"\nlet designers = title:Designer\n\n'
        "$designers -$big\n")
    (tmp_path / "broken.tql").write_text("let x = title:(a OR\n")
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type(f"\\load {tmp_path / 'main.tql'}" + ENTER)
        await r.until_printed("First0 Last0")
        r.type(f"\\load {tmp_path / 'broken.tql'}" + ENTER)
        await r.until_printed("error[syntax]")
        r.type(f"\\load {tmp_path / 'missing.tql'}" + ENTER)
        await r.until_printed("No such file")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    assert list(r.repl.scope.lets) == ["big", "designers"]
    filters = {(f["value"], f["isExcluded"]) for f in backend.bodies[0]["filters"]}
    assert filters == {("Designer", False), ("Google", True), ("Meta", True)}
    assert "cannot use" in r.text and "missing.tql" in r.text


def test_a_new_query_that_is_cancelled_or_fails_leaves_the_previous_one(make_repl):
    backend = FakeBackend(total=50)

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("skill:Go" + ENTER)
        await r.until_printed("First9 Last9")
        backend.hold()
        r.type("skill:Rust" + ENTER)
        await asyncio.wait_for(backend.started.wait(), 20)
        os.kill(os.getpid(), signal.SIGINT)
        await r.until_printed("cancelled")
        backend.release()
        backend.fail_next = RateLimitError("rate limit exceeded", status=429)
        r.type("skill:Java" + ENTER)
        await r.until_printed("the previous query's 10 talents shown are kept")
        r.type("\\next" + ENTER)  # goes on with skill:Go
        await r.until_printed("First19 Last19")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    assert r.repl.query == "skill:Go"
    went_on = backend.bodies[-1]
    assert went_on["filters"][0]["value"] == "Go"
    assert went_on["relatedSearchTransactionIds"] == ["tx1"]


def test_an_unusable_data_dir_only_costs_the_history(make_repl, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("TALENTQL_DATA_DIR", str(blocker / "talentql"))
    backend = FakeBackend()

    async def scenario():
        r = make_repl(backend, history=None)
        r.start()
        r.type("skill:Go" + ENTER)
        await r.until_printed("First0 Last0")
        r.type("\\quit" + ENTER)
        await r.finish()
        return r

    r = run(scenario())
    assert "history is not kept" in r.text


def test_pager_setting(monkeypatch):
    from talentql.repl.app import _pager_command

    assert _pager_command("off") is None
    assert _pager_command("less -S") == "less -S"
    monkeypatch.delenv("PAGER", raising=False)
    assert _pager_command("auto") == "less -SRXF"
    monkeypatch.setenv("PAGER", "more")
    assert _pager_command("auto") == "more"


def test_ctrl_c_during_an_export_writes_nothing_and_keeps_the_pages(make_repl, tmp_path):
    backend = FakeBackend(total=100)
    target = tmp_path / "all.csv"

    async def scenario():
        r = make_repl(backend)
        r.start()
        r.type("skill:Go" + ENTER)
        await r.until_printed("First9 Last9")
        backend.hold()
        r.type(f"\\export {target} --all" + ENTER)
        await asyncio.wait_for(backend.started.wait(), 20)
        os.kill(os.getpid(), signal.SIGINT)
        await r.until_printed("export cancelled; nothing written")
        backend.release()
        r.type("\\next" + ENTER)
        await r.until_printed("First19 Last19")
        r.type("\\quit" + ENTER)
        await r.finish()

    run(scenario())
    assert not target.exists() and not list(tmp_path.glob(".*"))
