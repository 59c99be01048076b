"""Planner: NOT push-down, ranges, engine models, hoisting, simplification, minimality."""

from __future__ import annotations

import pytest

import talentql
from talentql.errors import CompileError


def plan(text, **options):
    return talentql.compile(text, **options)


def shape(p):
    """Each search as a sorted list of (field value, mark): + required, ? optional, - excluded."""
    out = []
    for s in p.searches:
        out.append(sorted(
            (f.value, "-" if f.is_excluded else "+" if f.is_required else "?") for f in s.filters))
    return sorted(out)


def codes(p):
    return [w.code for w in p.warnings]


def test_de_morgan_not_of_a_group_means_not_both():
    assert shape(plan("-company:(Google Meta)")) == [[("Google", "-")], [("Meta", "-")]]
    assert shape(plan("-company:(Google OR Meta)")) == [[("Google", "-"), ("Meta", "-")]]


def test_double_negation_is_dropped():
    assert shape(plan("NOT NOT title:A")) == shape(plan("title:A"))


def test_or_across_families_needs_one_search_each():
    assert len(plan("title:A OR skill:B").searches) == 2
    assert len(plan("(title:A OR skill:B) (company:X OR location:Y)").searches) == 4


def test_or_within_a_family_is_one_search_in_gate_and_several_in_strict():
    assert shape(plan("title:(A OR B OR C) location:P")) == [
        [("A", "?"), ("B", "?"), ("C", "?"), ("P", "+")]]
    assert len(plan("title:(A OR B OR C) location:P", engine="strict").searches) == 3


def test_required_and_alternatives_of_one_family_split():
    # title:A title:(B OR C): a family holds required values or alternatives, not both.
    assert shape(plan("title:A title:(B OR C)")) == [[("A", "+"), ("B", "+")],
                                                     [("A", "+"), ("C", "+")]]


def test_exclusions_do_not_count_as_required_values():
    assert shape(plan("title:(A OR B) NOT title:C")) == [[("A", "?"), ("B", "?"), ("C", "-")]]


def test_contradictions_are_dropped_per_search():
    p = plan("(skill:Rust NOT skill:Rust) OR title:A")
    assert shape(p) == [[("A", "+")]]


def test_fuzzy_values_differing_in_case_or_spacing_are_one_term():
    p = plan('skill:"machine  learning" skill:"Machine Learning"')
    assert len(p.searches[0].filters) == 1 and "redundant" in codes(p)
    assert len(plan('skill="ML" skill="ml"').searches[0].filters) == 2  # exact: as written


def test_absorption():
    p = plan("title:A OR (title:A company:X)")
    assert shape(p) == [[("A", "+")]]
    assert codes(p) == ["redundant"]


def test_resolution_merges_a_term_and_its_negation():
    assert shape(plan("(title:A skill:B) OR (title:A NOT skill:B)")) == [[("A", "+")]]


def test_exact_search_finds_the_plan_with_fewest_filters():
    # (A ∧ B) ∨ (A ∧ ¬B ∧ C) is A ∧ (B ∨ C): two searches, four filters, no exclusion needed.
    p = plan("(title:A skill:B) OR (title:A NOT skill:B company:C)")
    assert shape(p) == [[("A", "+"), ("B", "+")], [("A", "+"), ("C", "+")]]
    assert not p.best_effort


def test_exact_search_proves_minimality_for_small_queries():
    # The greedy merge alone gives 3 searches; the truth table finds 2.
    text = "(title:A company:X) OR (title:B company:X) OR (title:A NOT company:X)"
    assert len(plan(text).searches) == 2


def test_minimality_is_proven_beyond_eight_atoms_when_witnesses_allow():
    text = " OR ".join(f"(title:T{i} skill:S{i})" for i in range(5))  # 10 atoms
    p = plan(text)
    assert len(p.searches) == 5 and not p.best_effort


def test_large_queries_without_a_proof_are_best_effort():
    text = " OR ".join(f"(title:T{i} skill:S{i})" for i in range(8))  # 16 atoms
    p = plan(text, max_searches=16)
    assert len(p.searches) == 8 and p.best_effort


def test_generalize_drops_conditions_other_searches_cover():
    p = plan("title:A OR (skill:B NOT title:A)")
    assert shape(p) == [[("A", "+")], [("B", "+")]]


def test_ranges_intersect_before_bucketing():
    assert shape(plan("yoe:3-10 yoe:5+")) == [[("5-10", "+")]]
    p = plan("size:100-300 size:250+")
    assert shape(p) == [[("201-500", "+")]] and codes(p) == ["range-widened"]


def test_disjoint_ranges_are_impossible():
    assert plan("yoe:0-3 yoe:10+").searches == ()


def test_bucket_cover_is_smallest_then_narrowest():
    assert shape(plan("yoe:3-10")) == [[("3-5", "?"), ("5-10", "?")]]
    assert shape(plan("yoe:3-3")) == [[("1-3", "+")]]  # 1-3 and 3-5 both cover 3: the lowest
    assert codes(plan("yoe:3-3")) == ["range-widened"]
    assert shape(plan("yoe:12-18")) == [[("10-15", "?"), ("15-20", "?")]]
    assert shape(plan("yoe:15-15")) == [[("10-15", "+")]]  # equal widths: the lowest

    assert shape(plan("size:10001+")) == [[("10001+", "+")]]


def test_negated_range_excludes_the_buckets_inside_it():
    p = plan("NOT yoe:3-10")
    assert shape(p) == [[("3-5", "-"), ("5-10", "-")]] and codes(p) == []
    p = plan("NOT yoe:4-12")
    assert shape(p) == [[("5-10", "-")]] and codes(p) == ["range-widened"]


def test_positive_and_negative_ranges_combine_exactly():
    p = plan("yoe:3-10 NOT yoe:3-5")
    assert shape(p) == [[("3-5", "-"), ("5-10", "+")]] and codes(p) == []


@pytest.mark.parametrize("text, values", [
    ("yoe:5+", ["5-100"]),
    ("yoe:<3", ["0-2"]),
    ("yoe:>4", ["5-100"]),
    ("yoe:4-12", ["4-12"]),
    ("tenure:1..2", ["1-2"]),
])
def test_free_ranges(text, values):
    p = plan(text, ranges="free")
    assert [f.value for f in p.searches[0].filters] == values and codes(p) == []


def test_free_ranges_negated_and_size_stays_bucketed():
    p = plan("NOT yoe:3-10 size:11-50", ranges="free")
    assert shape(p) == [[("11-50", "+"), ("3-10", "-")]]


def test_gradyear_is_one_filter_per_year_in_both_modes():
    for ranges in ("buckets", "free"):
        assert [f.value for f in plan("gradyear:2018-2020", ranges=ranges).searches[0].filters] \
            == ["2018", "2019", "2020"]


def test_strict_splits_bucket_covers():
    assert len(plan("yoe:5+", engine="strict").searches) == 5


def test_preferences_are_hoisted_into_every_search():
    p = plan("title:CTO OR company:Stripe ?skill:Go")
    assert all(any(f.value == "Go" and not f.is_required for f in s.filters) for s in p.searches)


def test_a_preference_is_taken_out_of_the_formula_wherever_it_stands():
    assert shape(plan("title:A OR ?skill:B")) == shape(plan("title:A ?skill:B"))


def test_preference_repeating_an_alternative_is_dropped():
    p = plan("title:(A OR B) ?title:A")
    assert shape(p) == [[("A", "?"), ("B", "?")]] and "redundant" in codes(p)


def test_only_preferences_is_one_search_of_optional_filters():
    p = plan("?skill:A ?title:B")
    assert shape(p) == [[("A", "?"), ("B", "?")]] and codes(p) == ["preference-gates"]


def test_filters_keep_source_order():
    p = plan("NOT company:G yoe:5-10 title:A location:P~5")
    assert [f.filter_type for f in p.searches[0].filters] == [
        "COMPANY_NAME", "YEARS_OF_EXPERIENCE", "JOB_TITLE", "LOCATION"]


def test_history_and_radius_on_output():
    f = plan("company@any:Stripe").searches[0].filters[0].to_json()
    assert f["history"] == "CURRENT_AND_PAST"
    f = plan("location:Boston~10mi").searches[0].filters[0].to_json()
    assert list(f)[-1] == "radius" and f["radius"] == 16
    assert "history" not in plan("skill:x").searches[0].filters[0].to_json()


def test_max_searches_is_an_option():
    text = "(title:A OR skill:B) (company:X OR location:Y)"
    with pytest.raises(CompileError) as raised:
        plan(text, max_searches=3)
    assert raised.value.diagnostics[0].code == "too-many-searches"
    assert "4" in raised.value.diagnostics[0].message
    assert len(plan(text, max_searches=4).searches) == 4


def test_explosive_queries_are_refused_quickly():
    text = " ".join(f"(title:T{i} OR skill:S{i})" for i in range(14))
    with pytest.raises(CompileError) as raised:
        plan(text)
    assert "more than" in raised.value.diagnostics[0].message


def test_plan_round_trips_through_json():
    from talentql.compiled import Plan

    p = plan("title:(A OR B) location:Paris~5 NOT company@past:X")
    assert Plan.from_json(p.to_json()).searches == p.searches
