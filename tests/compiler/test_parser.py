"""Parser: one test per construct of LANGUAGE.md §1, §2 and §4 (text → AST)."""

from __future__ import annotations

import pytest

import talentql
from talentql.errors import CompileError
from talentql.syntax.ast import (And, FieldGroup, GroupValue, Import, Let, Not, Or, Prefer,
                                 Radius, Term, Value, Var)


def q(text):
    return talentql.parse(text).query


def kw(text):
    return Term(None, Value(text))


def t(field, text, **kw_):
    return Term(field, Value(text), **kw_)


def test_field_colon_is_fuzzy_and_equals_is_exact():
    assert q("title:Designer") == t("title", "Designer")
    assert q('title="Staff Engineer"') == t("title", "Staff Engineer", exact=True)


def test_aliases_and_api_names_resolve_to_the_canonical_field():
    assert q("job:x") == q("role:x") == q("JOB_TITLE:x") == q("Title:x") == t("title", "x")
    assert q("company_industry=x").field == "industry"


def test_whitespace_may_follow_the_operator():
    assert q('title: "Product Designer"') == t("title", "Product Designer")


@pytest.mark.parametrize("word", ["Node.js", ".NET", "C++", "R&D", "UI/UX", "e-commerce", "C#",
                                  "5-10", "10001+", "O'Brien", "Zürich", "東京", "x_y"])
def test_bare_words(word):
    assert q(f"skill:{word}") == t("skill", word)


def test_quoted_strings_escape_quote_and_backslash_only():
    assert q(r'kw:"say \"hi\" \\ back"').value.text == r'say "hi" \ back'
    with pytest.raises(CompileError) as raised:
        talentql.parse(r'kw:"tab\t"')
    assert raised.value.diagnostics[0].code == "syntax"
    assert "escape" in raised.value.diagnostics[0].message


def test_values_are_trimmed_and_inner_spaces_collapsed():
    assert q('title:"  Product    Designer "').value.text == "Product Designer"


def test_bare_value_is_a_keyword():
    assert q('Figma "B2B SaaS"') == And((kw("Figma"), kw("B2B SaaS")))


def test_operators_are_case_insensitive_and_have_symbols():
    expected = Or((And((kw("a"), kw("b"))), kw("c")))
    for text in ("a AND b OR c", "a and b or c", "a && b || c", "a b OR c", "a b || c"):
        assert q(text) == expected, text


def test_precedence_prefixes_then_and_then_or():
    assert q("NOT a b OR c") == Or((And((Not(kw("a")), kw("b"))), kw("c")))
    assert q("a (b OR c)") == And((kw("a"), Or((kw("b"), kw("c")))))


@pytest.mark.parametrize("text", ["NOT a", "not a", "-a", "!a"])
def test_negations(text):
    assert q(text) == Not(kw("a"))


def test_plus_is_a_no_op_and_question_mark_is_a_preference():
    assert q("+title:A") == t("title", "A")
    assert q("?skill:Figma") == Prefer(t("skill", "Figma"))


def test_operator_words_inside_values_do_not_split_them():
    assert q("Android Oracle Notion") == And((kw("Android"), kw("Oracle"), kw("Notion")))


def test_prefix_must_touch_its_operand():
    with pytest.raises(CompileError) as raised:
        talentql.parse("title:A - company:B")
    d = raised.value.diagnostics[0]
    assert d.code == "syntax" and d.span.column == 9 and "no space" in d.message


def test_no_space_between_field_and_operator():
    with pytest.raises(CompileError) as raised:
        talentql.parse("title :Designer")
    assert raised.value.diagnostics[0].span.column == 7


def test_history_and_radius_modifiers():
    assert q("company@past:Stripe") == t("company", "Stripe", history="past")
    assert q("location:Paris~50km") == t("location", "Paris", radius=Radius("50km"))


def test_field_group_distributes_and_keeps_structure():
    node = q("company:(Google OR -Meta)")
    assert node == FieldGroup("company", Or((GroupValue(Value("Google")),
                                            Not(GroupValue(Value("Meta"))))))


def test_group_radius_and_value_radius():
    node = q("location:(Paris~10km OR Lyon)~30km")
    assert node.radius == Radius("30km")
    assert node.body.items[0].radius == Radius("10km")


def test_single_value_group_is_a_plain_term():
    assert q("title:(Designer)") == t("title", "Designer")


def test_comments_start_a_token_only():
    assert q("skill:C# # a comment") == t("skill", "C#")
    assert q("a # one\n# two\nb") == And((kw("a"), kw("b")))


def test_comparisons_are_values():
    assert q("yoe:>=5").value.text == ">=5"
    assert q("yoe:< 3").value.text == "<3"


def test_lets_vars_and_imports():
    program = talentql.parse('import "lib.tql"\nlet a = title:A\nlet b = (x\n  y)\n$a OR $b')
    assert program.imports == (Import("lib.tql"),)
    assert [s.name for s in program.lets] == ["a", "b"]
    assert program.lets[1].expr == And((kw("x"), kw("y")))
    assert program.query == Or((Var("a"), Var("b")))


def test_let_ends_at_end_of_line_but_query_may_span_lines():
    program = talentql.parse("let a = title:A\ntitle:B\n  company:C")
    assert program.lets[0].expr == t("title", "A")
    assert program.query == And((t("title", "B"), t("company", "C")))


def test_let_after_the_query_is_a_syntax_error():
    with pytest.raises(CompileError) as raised:
        talentql.parse("title:A\nlet a = b")
    assert "before the final query" in raised.value.diagnostics[0].message


def test_spans_point_at_the_source():
    node = q("title:A  company@past:Stripe")
    second = node.items[1]
    assert (second.span.start, second.span.end, second.span.column) == (9, 28, 10)
    assert second.value.span.column == 23


@pytest.mark.parametrize("text, words", [
    ("title:(", "ends too early"),
    ("title:A)", "no '(' is open"),
    ('x "abc', "no closing"),
    ("a OR", "ends too early"),
    ("(a b", "ends too early"),
])
def test_syntax_errors_are_in_words(text, words):
    with pytest.raises(CompileError) as raised:
        talentql.parse(text)
    message = raised.value.diagnostics[0].message
    assert words in message
    for internal in ("__ANON", "$END", "_NL", "LPAR", "RPAR", "WORD", "STRING"):
        assert internal not in message


def test_a_field_group_span_ends_after_its_closing_parenthesis():
    text = "let big = company:(Google OR Meta)  # note\n$big"
    let = talentql.parse(text).lets[0]
    assert text[let.expr.span.start:let.expr.span.end] == "company:(Google OR Meta)"
    text = "location:( Paris OR Lyon )~30km title:x"
    group = talentql.parse(text).query.items[0]
    assert text[group.span.start:group.span.end] == "location:( Paris OR Lyon )~30km"
