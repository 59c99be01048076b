"""The TQL Pygments lexer: token types for every lexical rule of LANGUAGE.md §1."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, String

from talentql.syntax.highlight import TQLLexer


def tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in TQLLexer().get_tokens(text) if v.strip()]


def kinds(text: str, kind) -> list[str]:
    return [v for t, v in tokens(text) if t in kind]


@pytest.mark.parametrize("text", [
    'title:"Product Designer" AND location:Paris~50km AND yoe:5-10 NOT company:Google',
    'title="Staff Engineer" company@past:Stripe',
    '(title:Designer OR title:"UX Designer") lang:French ?skill:Figma',
    'title:CTO OR company:"yc startups"',
    'NOT (company:Google OR company:Meta) title:Engineer',
    'skill:Rust AND NOT skill:Rust',
    ('let designers = title:("Product Designer" OR "UX Designer")\n'
     'import "exclusions.tql"          # brings lets\n'
     '$designers location:"Paris, France"~30km NOT $big_tech'),
    'skill:(C++ .NET C# Node.js) R&D UI/UX e-commerce yoe:>=5 size:10001+ tenure:3..5',
    '-company:Google !kw:x +title:y ?skill:z && a || b',
    'título:Diseñador Zürich 東京',
])
def test_valid_queries_have_no_error_tokens(text):
    assert not [v for t, v in TQLLexer().get_tokens(text) if t in Error]
    assert "".join(v for _, v in TQLLexer().get_tokens(text)) == text + "\n"  # nothing lost


def test_fields_modifiers_and_operators():
    toks = tokens('title@past:"UX \\"Lead\\"" AND -company=Google or location:Paris~50km')
    assert (Name.Attribute, "title") in toks and (Name.Decorator, "@past") in toks
    assert (String.Escape, '\\"') in toks
    assert kinds("a AND b and c Or d NOT e not f", Operator.Word) == ["AND", "and", "Or", "NOT",
                                                                       "not"]
    assert (Operator, "-") in toks and (Operator, "=") in toks and (Operator, "~") in toks
    assert (Number.Integer, "50km") in toks


def test_operator_words_inside_bare_words_stay_words():
    assert kinds("Android ORM Notion and-more", Operator.Word) == []
    assert kinds("Android ORM Notion and-more", Name.Other) == ["Android", "ORM", "Notion",
                                                                "and-more"]


def test_bare_words_with_symbols_are_one_value():
    assert kinds("C++ .NET C# R&D UI/UX e-commerce O'Brien", Name.Other) == [
        "C++", ".NET", "C#", "R&D", "UI/UX", "e-commerce", "O'Brien"]


def test_hash_starts_a_comment_only_at_a_token_start():
    assert kinds("skill:C# # a comment", Comment.Single) == ["# a comment"]
    assert kinds("skill:C#", Comment.Single) == []
    assert kinds("(#x\nskill:Go)", Comment.Single) == ["#x"]


def test_ranges_buckets_and_comparisons_are_numbers():
    assert kinds("yoe:5-10 yoe:5+ size:10001+ yoe:3..5 gradyear:2019", Number.Integer) == [
        "5-10", "5+", "10001+", "3..5", "2019"]
    assert (Operator, ">=") in tokens("yoe:>=5")


def test_names_lets_and_imports():
    toks = tokens('LET big = company:x\nimport "a.tql"\n$big')
    assert (Keyword.Declaration, "LET") in toks and (Name.Variable, "big") in toks
    assert (Keyword.Namespace, "import") in toks and (Name.Variable, "$big") in toks


def test_bad_escape_and_stray_characters_are_errors():
    assert kinds('title:"a\\nb"', Error) == ["\\n"]
    assert kinds("title:a $ }", Error) == ["$", "}"]


def test_registered_with_pygments():
    assert type(get_lexer_by_name("tql")) is TQLLexer
    assert type(get_lexer_for_filename("designers.tql")) is TQLLexer


def test_pygmentize_highlights_a_file(tmp_path):
    query = tmp_path / "q.tql"
    query.write_text('let x = title:"Designer"\n$x -company:Google  # mine\n')
    out = subprocess.run([sys.executable, "-m", "pygments", "-l", "tql", "-f", "html", str(query)],
                         capture_output=True, text=True, check=True).stdout
    assert '<span class="na">title</span>' in out  # Name.Attribute
    assert '<span class="c1"># mine</span>' in out  # Comment.Single
