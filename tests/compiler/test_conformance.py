"""The conformance cases of the language design (tests/cases/compile.jsonl, copied from the
project's design folder): searches and filters compared as multisets."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import talentql
from talentql.errors import CompileError

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent.parent / "cases" / "compile.jsonl").read_text().splitlines()
    if line.strip()
]


def _multiset(searches):
    return Counter(
        frozenset(Counter(json.dumps(f, sort_keys=True) for f in s).items()) for s in searches
    )


@pytest.mark.parametrize("case", CASES, ids=[c["query"][:50] for c in CASES])
def test_case(case):
    options = {"engine": case.get("engine", "gate"), "ranges": case.get("ranges", "buckets")}
    if "error" in case:
        with pytest.raises(CompileError) as raised:
            talentql.compile(case["query"], **options)
        assert case["error"] in [d.code for d in raised.value.diagnostics]
        return
    plan = talentql.compile(case["query"], **options).to_json()
    assert _multiset(s["filters"] for s in plan["searches"]) == _multiset(case["searches"])
    assert sorted({w["code"] for w in plan["warnings"]}) == sorted(set(case["warnings"]))
    for search in plan["searches"]:  # key order is part of the contract
        for f in search["filters"]:
            keys = list(f)
            assert keys[:5] == ["filterType", "value", "isRequired", "isExcluded", "isExactMatch"]
