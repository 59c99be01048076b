"""The generated parser module must come from the grammar as it is now."""

from pathlib import Path

from talentql.syntax import _lalr_parser, _lalr_tables
from talentql.syntax.generate import grammar_digest

GRAMMAR = Path(__file__).resolve().parents[2] / "grammar" / "talentql.lark"


def test_generated_parser_matches_the_grammar():
    digest = grammar_digest(GRAMMAR.read_text("utf-8"))
    for module in (_lalr_parser, _lalr_tables):
        assert module.GRAMMAR_SHA256 == digest, (
            "grammar/talentql.lark changed: run `python -m talentql.syntax.generate`")
