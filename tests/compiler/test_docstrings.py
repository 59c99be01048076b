"""The examples in the compiler's docstrings are true."""

import doctest
import importlib

import pytest

MODULES = ["talentql", "talentql.values", "talentql.checker", "talentql.plan",
           "talentql.syntax.parser"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
