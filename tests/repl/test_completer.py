"""Completion: what each context offers, taken from the field table, fuzzy-ranked."""

from __future__ import annotations

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from talentql import engine, fields
from talentql.repl import context
from talentql.repl.completer import TQLCompleter, quote, rank

LETS = {"designers": 'title:("Product Designer" OR "UX Designer")', "big_tech": "company:x"}


def complete(text: str, lets=LETS) -> list[str]:
    completer = TQLCompleter(names=lambda: lets)
    return [c.text for c in completer.get_completions(Document(text),
                                                      CompleteEvent(completion_requested=True))]


def replaced(text: str) -> list[tuple[str, int]]:
    completer = TQLCompleter(names=lambda: LETS)
    return [(c.text, c.start_position)
            for c in completer.get_completions(Document(text), CompleteEvent())]


def test_every_field_name_and_alias_is_offered_at_a_term_start():
    offered = set(complete(""))
    for f in fields.FIELDS:
        assert f"{f.name}:" in offered
        assert {f"{alias}:" for alias in f.aliases} <= offered


@pytest.mark.parametrize("before", ["", "skill:Go ", "skill:Go AND ", "(", "-", "NOT ", "a OR ("])
def test_field_names_complete_after_whitespace_operators_and_prefixes(before):
    assert complete(before + "tit")[0] == "title:"


def test_fuzzy_matching_ranks_prefix_then_substring_then_subsequence():
    assert complete("loc")[0] == "loc:" and "location:" in complete("loc")
    assert "certification:" in complete("tion")
    assert complete("cmpny")[0] == "company:"
    assert rank("ti", "title") < rank("it", "title") < rank("tle", "tiTLE ")
    assert rank("zz", "title") is None


def test_a_complete_field_name_offers_its_modifiers():
    offered = complete("company")
    for spelling in ("company:", "company=", "company@current:", "company@past:", "company@any:"):
        assert spelling in offered
    assert "skill@past:" not in complete("skill")  # history only where the field takes it


def test_history_after_at():
    assert complete("title@") == [f"@{w}:" for w in engine.HISTORY_VALUES]
    assert complete("title@pa") == ["@past:"]
    assert complete("skill@") == []


@pytest.mark.parametrize("field", [f for f in fields.FIELDS if f.known_values])
def test_values_of_closed_fields_come_from_the_field_table(field):
    offered = complete(f"{field.name}:")
    assert [v.strip('"') for v in offered] == [v.replace('"', '\\"') for v in field.known_values]


def test_values_are_quoted_when_they_are_not_one_bare_word():
    assert complete("company:yc") == ['"yc startups"']
    assert complete("degree:ma") == ["masters"]
    assert complete('school:"top 10 us c')[0] == '"top 10 us computer science schools"'
    assert replaced('school:"top 10 us c')[0][1] == -len('"top 10 us c')
    assert quote("and") == '"and"' and quote("C++") == "C++"


def test_values_follow_a_space_an_alias_a_history_and_a_group():
    assert complete("lang: fr") == ["french"]
    assert complete("language:ger") == ["german"]
    assert complete("company@past:fort") == ['"fortune 500"']
    assert complete("company:(Google OR ma") == ['"magnificent seven"']
    assert complete("(title:x OR degree:phd") == []  # `phd` is an alias, the value is doctorates
    assert complete("(title:x OR degree:doc") == ["doctorates"]
    assert complete("industry:software dev")[:1] == []  # a space ends a bare value
    assert '"software development"' in complete("industry:softw")


def test_ranges_offer_the_buckets():
    assert complete("yoe:") == [engine.bucket_label(b) for b in engine.YEAR_BUCKETS]
    assert complete("size:100")[:2] == ["10001+", "1001-5000"]


def test_open_text_fields_offer_no_values():
    assert complete("title:Des") == [] and complete("skill:") == []


def test_radius_after_a_location_value():
    assert complete("location:Paris~") == ["~10km", "~25km", "~50km", "~100km"]
    assert complete('loc:"Paris, France"~5')[0] == "~50km"
    assert complete("skill:Go~") == []


def test_dollar_names_from_the_session():
    assert complete("$") == ["$designers", "$big_tech"]
    assert complete("NOT $bt") == ["$big_tech"]
    assert "$designers" in complete("")
    assert complete("$", lets={}) == []


def test_no_completion_in_comments_free_strings_and_let_names():
    assert complete("skill:Go # comm") == []
    assert complete('"free text ti') == []
    assert complete("let desi") == []


def test_let_bodies_complete_like_queries():
    assert complete("let x = lang:it")[0] == "italian"
    assert complete("\\let x = deg")[0] == "degree:"


def test_backslash_commands_and_their_arguments():
    assert complete("\\") [:3] == ["\\next", "\\show", "\\explain"]
    assert set(complete("\\exp")) == {"\\explain", "\\export"}
    assert complete("\\format j") == ["json", "jsonl"]
    assert complete("\\explain company@") == [f"@{w}:" for w in engine.HISTORY_VALUES]
    assert complete("\\save big") == ["big_tech"]


def test_paths_after_load_and_export(tmp_path, monkeypatch):
    (tmp_path / "designers.tql").write_text("title:x")
    monkeypatch.chdir(tmp_path)
    assert complete("\\load des") == ["igners.tql"]


def test_open_parens_ignores_strings_and_comments():
    assert context.open_parens("title:(a OR") == 1
    assert context.open_parens('title:"(" OR (a)') == 0
    assert context.open_parens("(a # (\n") == 1
    assert context.open_parens("a)") == 0


def test_nothing_pops_up_at_an_empty_term_while_typing_but_tab_asks():
    completer = TQLCompleter(names=lambda: LETS)
    typing = CompleteEvent(text_inserted=True)
    assert list(completer.get_completions(Document("skill:Go "), typing)) == []
    assert list(completer.get_completions(Document("skill:Go )"), typing)) == []
    assert [c.text for c in completer.get_completions(Document("lang:"), typing)][:1] == [
        fields.lookup("lang").known_values[0]]
    assert list(completer.get_completions(Document("$"), typing))
