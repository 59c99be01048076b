"""Checker: every diagnostic code of LANGUAGE.md §6, with its span and its words."""

from __future__ import annotations

import pytest

import talentql
from talentql.diagnostics import ERROR_CODES, WARNING_CODES


def diagnostics(text, **options):
    return talentql.check(text, **options)


def only(text, code, **options):
    found = [d for d in diagnostics(text, **options) if d.code == code]
    assert found, f"no {code} in {[d.code for d in diagnostics(text, **options)]}"
    return found[0]


def spanned(d, text):
    return text[d.span.start:d.span.end]


# --- errors --------------------------------------------------------------------------------------

def test_syntax():
    d = only("title:(Designer", "syntax")
    assert d.span.line == 1 and "ends too early" in d.message and "')'" in d.message


def test_empty_query():
    assert only("", "empty-query").message == "the query is empty"
    assert only("   # just a comment\n", "empty-query")
    d = only("let a = title:A\nlet b = title:B", "empty-query")
    assert "a, b" in d.message and "--query" in d.hint


def test_unknown_field_suggests_the_closest_name():
    text = "location:Paris titel:Designer"
    d = only(text, "unknown-field")
    assert spanned(d, text) == "titel" and d.span.column == 16
    assert d.message == "unknown field 'titel' — did you mean 'title'?"


def test_unknown_field_without_a_close_name_lists_the_fields():
    d = only("zzzz:x", "unknown-field")
    assert "title" in d.hint and "gradyear" in d.hint


@pytest.mark.parametrize("text, bad, words", [
    ("yoe:5", "5", "yoe:5+"),
    ("tenure:3", "3", "tenure:3+"),
    ("size:50", "50", "size:50-50"),
    ("yoe:10-5", "10-5", "empty"),
    ("yoe:0-200", "0-200", "out of bounds"),
    ("size:0-10", "0-10", "out of bounds"),
    ("yoe:lots", "lots", "not a range"),
    ("degree:phx", "phx", "phd"),
    ("seniority:staff", "staff", "Freelance"),
    ("network:2nd", "2nd", "invited"),
    ("gradyear:1990-2020", "1990-2020", "at most 20"),
    ("gradyear:20", "20", "four-digit"),
    ('title:""', '""', "empty"),
    ("location:Paris~0km", "~0km", "out of bounds"),
    ("location:Paris~abc", "~abc", "not a radius"),
    ("location:Paris~2000", "~2000", "out of bounds"),
    ("title@later:CTO", "title", "@current"),
])
def test_invalid_value(text, bad, words):
    d = only(text, "invalid-value")
    assert spanned(d, text) == bad
    assert words in d.message + " " + (d.hint or "")


def test_bare_number_offers_both_readings():
    d = only("yoe:5", "invalid-value")
    assert d.hint == "write yoe:5+ for 5 or more years, or yoe:5-5 for exactly 5"


@pytest.mark.parametrize("text, bad, words", [
    ("skill:Python~5km", "~5km", "only to location"),
    ("Paris~5km", "~5km", "only to location"),
    ("skill@past:Python", "skill", "only title and company"),
])
def test_modifier_not_allowed(text, bad, words):
    d = only(text, "modifier-not-allowed")
    assert spanned(d, text) == bad and words in d.message


@pytest.mark.parametrize("text", ["NOT ?skill:React", "-?skill:React", "NOT (a ?b)",
                                  "let p = ?skill:A\nNOT $p"])
def test_negated_preference(text):
    assert only(text, "negated-preference")


def test_undefined_name_and_forward_reference():
    d = only("let designers = title:Designer\n$designer", "undefined-name")
    assert d.hint == "did you mean '$designers'?" and d.span.line == 2
    assert only("let a = $b\nlet b = x\n$a", "undefined-name").span.line == 1


def test_duplicate_name():
    d = only("let a = x\nlet a = y\n$a", "duplicate-name")
    assert d.span.line == 2 and "1:5" in d.message


def test_import_not_found_and_cycle(tmp_path):
    (tmp_path / "a.tql").write_text('import "b.tql"\nlet a = x\n')
    (tmp_path / "b.tql").write_text('import "a.tql"\nlet b = y\n')
    (tmp_path / "main.tql").write_text('import "a.tql"\nimport "missing.tql"\n$a')
    text = (tmp_path / "main.tql").read_text()
    found = talentql.check(text, source=str(tmp_path / "main.tql"),
                           loader=talentql.file_loader(str(tmp_path)))
    codes = [d.code for d in found]
    assert "import-not-found" in codes and "import-cycle" in codes
    missing = next(d for d in found if d.code == "import-not-found")
    assert missing.span.line == 2 and "missing.tql" in missing.message


def test_too_many_searches():
    text = " ".join(f"(title:T{i} OR skill:S{i})" for i in range(5))  # 2^5 = 32 searches
    d = only(text, "too-many-searches")
    assert "32" in d.message and "16" in d.message
    assert not [x for x in diagnostics(text, max_searches=32) if x.is_error]


def test_all_problems_are_reported_together_in_source_order():
    found = diagnostics("titel:x yoe:5 skill:a~5 degree:phx $nope")
    assert [d.code for d in found] == ["unknown-field", "invalid-value", "modifier-not-allowed",
                                       "invalid-value", "undefined-name"]
    assert [d.span.column for d in found] == sorted(d.span.column for d in found)


# --- warnings -------------------------------------------------------------------------------------

def test_unknown_industry_warns_and_sends_as_written():
    d = only('industry:"softwre development"', "unknown-industry")
    assert d.hint == "did you mean 'software development'?"
    plan = talentql.compile('industry:"Softwre Development"')
    assert plan.searches[0].filters[0].value == "Softwre Development"
    plan = talentql.compile('industry:"Software Development"')
    assert plan.searches[0].filters[0].value == "software development"


@pytest.mark.parametrize("text", ['company="yc startups"', "network=invited",
                                  "location=Paris~5km", 'school="Top 100 World"'])
def test_exact_ignored(text):
    assert only(text, "exact-ignored")
    assert not talentql.compile(text).searches[0].filters[0].is_exact_match


def test_range_widened_names_the_real_span():
    d = only("yoe:4-12", "range-widened")
    assert "3-15" in d.message and d.span.column == 1
    assert only("NOT yoe:4-12", "range-widened")


def test_unsatisfiable():
    assert only("skill:Rust -skill:Rust", "unsatisfiable")
    assert only("yoe:0-3 yoe:10+", "unsatisfiable")


def test_redundant():
    text = "skill:Rust skill:rust"
    d = only(text, "redundant")
    assert d.span.start == text.index("skill:rust")
    assert only("title:A OR (title:A company:X)", "redundant").message.startswith("'company:X'")
    assert only("title:A ?title:A", "redundant")


def test_preference_gates():
    d = only("title:A ?skill:Figma", "preference-gates")
    assert d.span.column == 10  # the preferred term, after its '?'
    assert not [x for x in diagnostics("title:A ?skill:Figma", engine="strict")
                if x.code == "preference-gates"]
    assert only("?skill:Figma ?skill:Sketch", "preference-gates", engine="strict")
    assert not [x for x in diagnostics("title:A ?title:B") if x.code == "preference-gates"]


def test_every_code_is_covered_here():
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    for code in ERROR_CODES | WARNING_CODES:
        assert f'"{code}"' in source or f"test_{code.replace('-', '_')}" in source, code


# --- rendering --------------------------------------------------------------------------------

def test_rendering_has_code_location_line_and_caret():
    from talentql.diagnostics import render_all

    text = "location:Paris titel:Designer"
    rendered = render_all(diagnostics(text), {"<query>": text})
    assert rendered.splitlines() == [
        "error[unknown-field]: unknown field 'titel' — did you mean 'title'?",
        " --> 1:16",
        "  |",
        "1 | location:Paris titel:Designer",
        "  |                ^^^^^",
    ]


def test_no_lark_internals_in_any_message():
    for text in ["(", ")", "a OR", "title:", "AND", "-", "~5", "$", "a:b:c", "let = x", '"']:
        for d in diagnostics(text):
            for word in ("__ANON", "$END", "_NL", "LPAR", "RPAR", "Token(", "FIELD", "WORD"):
                assert word not in d.message, (text, d.message)


def test_caret_stays_under_the_span_after_tabs_and_wide_characters():
    from talentql.diagnostics import render_all

    text = "\tskill:東京 titel:x"
    rendered = render_all(diagnostics(text), {"<query>": text}).splitlines()
    assert rendered[3] == "1 | \tskill:東京 titel:x"
    assert rendered[4] == "  | \t" + " " * len("skill:") + "    " + " " + "^^^^^"


def test_explain_a_let_that_comes_from_an_import(tmp_path):
    import subprocess
    import sys

    (tmp_path / "lib.tql").write_text("let big = company:(Google OR Meta)\n")
    (tmp_path / "main.tql").write_text('import "lib.tql"\ntitle:x NOT $big\n')
    result = subprocess.run([sys.executable, "-m", "talentql", "explain", "-f",
                             str(tmp_path / "main.tql"), "--query", "big"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "company:Google OR company:Meta" in result.stdout
