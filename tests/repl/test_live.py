"""Diagnostics while typing: the background checker, the error-span lexer, the toolbar line."""

from __future__ import annotations

import threading

from prompt_toolkit.document import Document

from talentql.repl import live
from talentql.repl.scope import Scope


def test_query_part_finds_the_query_in_commands_and_lets():
    assert live.query_part("title:x") == (0, "title:x")
    assert live.query_part("\\explain  title:x") == (10, "title:x")
    assert live.query_part("let a = title:x") == (8, "title:x")
    assert live.query_part("\\let a = title:x") == (9, "title:x")
    assert live.query_part("\\export x.csv") is None
    assert live.query_part('import "x.tql"') is None


def test_get_never_blocks_and_the_answer_arrives_from_the_worker():
    release, ready = threading.Event(), threading.Event()
    calls = []

    def slow_check(text):
        calls.append(text)
        release.wait(10)
        return Scope().check(text)

    checker = live.LiveChecker(slow_check, on_update=ready.set)
    assert checker.get("titel:x") is None  # asked, not waited for
    assert checker.get("titel:x") is None
    release.set()
    assert ready.wait(10)
    found = checker.get("titel:x")
    assert [d.code for d in found] == ["unknown-field"]
    assert calls.count("titel:x") == 1  # cached, not checked twice


def test_only_the_newest_pending_text_is_checked():
    started, release = threading.Event(), threading.Event()
    seen = []

    def check(text):
        seen.append(text)
        started.set()
        release.wait(10)
        return []

    done = threading.Event()
    checker = live.LiveChecker(check, on_update=lambda: done.set() if len(seen) >= 2 else None)
    checker.get("a")
    assert started.wait(10)
    for text in ("ab", "abc", "abcd"):  # typed while "a" is being checked
        checker.get(text)
    release.set()
    assert done.wait(10)
    assert seen == ["a", "abcd"]


def test_a_crashing_checker_never_reaches_the_prompt():
    def broken(text):
        raise RuntimeError("boom")

    assert live.LiveChecker(broken).check_now("title:x") == ()


def test_spans_move_onto_the_whole_line_for_commands():
    checker = live.LiveChecker(Scope().check)
    (d,) = checker.check_now("\\explain skill:Go titel:x")
    assert d.code == "unknown-field" and d.span.column == len("\\explain skill:Go ") + 1
    assert live.describe(d).startswith("col 19: unknown field 'titel'")


def test_lexer_marks_the_error_span_and_keeps_the_highlighting():
    checker = live.LiveChecker(Scope().check)
    text = "skill:Go\ntitel:Designer"
    checker.check_now(text)
    lexer = live.DiagnosticLexer(checker)
    get_line = lexer.lex_document(Document(text))
    first, second = get_line(0), get_line(1)
    assert not [t for s, t, *_ in first if live.ERROR_CLASS in s]
    assert "".join(t for s, t, *_ in second if live.ERROR_CLASS in s) == "titel"
    assert any("pygments.name.attribute" in s for s, t, *_ in first)


def test_lexer_hash_changes_when_an_answer_arrives():
    checker = live.LiveChecker(Scope().check)
    lexer = live.DiagnosticLexer(checker)
    before = lexer.invalidation_hash()
    checker.check_now("title:x")
    assert lexer.invalidation_hash() != before


def test_meta_lines_are_styled_as_commands():
    lexer = live.DiagnosticLexer(None)
    fragments = lexer.lex_document(Document("\\export out.csv"))(0)
    assert fragments[0] == ("class:meta-command", "\\export")


def test_after_a_slow_check_the_checker_waits_for_a_pause():
    import time as clock

    seen, first_done, done = [], threading.Event(), threading.Event()

    def check(text):
        seen.append(text)
        first_done.set()
        if text == "abcde":
            done.set()
        return []

    checker = live.LiveChecker(check)
    checker.slow_check, checker.settle = -1.0, 1.0  # every check counts as slow; pause = 1 s
    checker.get("a")
    assert first_done.wait(10)
    for text in ("ab", "abc", "abcd", "abcde"):  # typed well within the pause
        checker.get(text)
        clock.sleep(0.01)
    assert done.wait(10)
    assert seen == ["a", "abcde"]  # the texts in between were never checked
