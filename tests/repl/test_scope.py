"""Lets in a REPL session: defined, redefined, checked with, saved with their dependencies."""

from __future__ import annotations

import pytest

from talentql.errors import CompileError
from talentql.repl.scope import Scope, uses


def test_queries_see_the_sessions_lets():
    scope = Scope()
    assert scope.define("big", "company:(Google OR Meta)") == []
    plan = scope.compile("title:Engineer -$big")
    values = {(f.value, f.is_excluded) for s in plan.searches for f in s.filters}
    assert values == {("Engineer", False), ("Google", True), ("Meta", True)}


def test_a_bad_let_is_refused_with_its_errors():
    scope = Scope()
    errors = scope.define("x", "titel:Designer")
    assert [d.code for d in errors] == ["unknown-field"] and "x" not in scope.lets
    assert [d.code for d in scope.define("y", "$nope")] == ["undefined-name"]


def test_redefinition_keeps_the_place_and_later_lets_see_the_new_meaning():
    scope = Scope()
    scope.define("a", "skill:Go")
    scope.define("b", "$a title:Dev")
    assert scope.define("a", "skill:Rust") == []
    assert list(scope.lets) == ["a", "b"]
    plan = scope.compile("$b")
    assert {f.value for f in plan.searches[0].filters} == {"Rust", "Dev"}


def test_redefinition_that_breaks_a_later_let_is_refused():
    scope = Scope()
    scope.define("a", "skill:Go")
    scope.define("b", "$a title:Dev")
    scope.define("c", "skill:C")
    assert [d.code for d in scope.define("a", "$c")] == ["undefined-name"]  # b would break
    assert scope.lets["a"] == "skill:Go"


def test_compile_errors_point_into_the_typed_query():
    scope = Scope()
    scope.define("a", "skill:Go")
    with pytest.raises(CompileError) as caught:
        scope.compile("$a titel:x")
    (d,) = caught.value.diagnostics
    assert (d.span.line, d.span.column, d.span.source) == (1, 4, "<query>")


def test_closure_and_uses():
    scope = Scope()
    scope.define("a", "skill:Go")
    scope.define("unused", "skill:Java")
    scope.define("b", '$a title:"$not_a_name"')
    scope.define("c", "$b OR $a  # $ignored")
    assert scope.closure("c") == ["a", "b", "c"]
    assert uses('$a title:"$x" $b # $c') == ["a", "b"]
