"""Whatever is typed, the keystroke path never raises (an exception there would print a
traceback over the prompt): context, completion, lexing, the toolbar."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from talentql.repl import context
from talentql.repl.completer import TQLCompleter
from talentql.repl.live import DiagnosticLexer, LiveChecker, query_part
from talentql.repl.scope import Scope

# Characters that matter to TQL, plus some of anything.
ALPHABET = st.sampled_from(list('title:company@past=~"\\()#$-!+?&|<>=.,/ \n\tlet\\explain5+10') +
                           ["AND", "OR", "NOT", "lang:", "industry:", "é", "東"])
TEXT = st.lists(ALPHABET, max_size=40).map("".join) | st.text(max_size=40)

SCOPE = Scope()
SCOPE.define("big", "company:(Google OR Meta)")
CHECKER = LiveChecker(SCOPE.check)
LEXER = DiagnosticLexer(CHECKER)
COMPLETER = TQLCompleter(names=lambda: SCOPE.lets)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.data())
def test_the_keystroke_path_never_raises(text, data):
    cursor = data.draw(st.integers(0, len(text)))
    document = Document(text, cursor)
    context.at(document.text_before_cursor)
    context.open_parens(text)
    query_part(text)
    for requested in (False, True):
        event = CompleteEvent(text_inserted=not requested, completion_requested=requested)
        for completion in COMPLETER.get_completions(document, event):
            assert -completion.start_position <= len(document.text_before_cursor)
    CHECKER.check_now(text)
    get_line = LEXER.lex_document(document)
    rebuilt = "\n".join("".join(t for _, t, *_ in get_line(i)) for i in range(document.line_count))
    assert rebuilt == text  # highlighting never drops or adds a character
