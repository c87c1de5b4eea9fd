"""The default rules' and brands' confidence, fitted per data set (tools/calibrate_default_rules.py, session 13).

A household files what a rule matches its own way (one files the IOF tax on foreign card spending under
travel, another its shops under gifts): a data set's hits of a rule tell about the next household hardly
more than a few hits do, and the fit must say so instead of counting each data set's hits as independent.
"""

from __future__ import annotations

from budgetwise.services import categorize as cz
from budgetwise.services.categorize import structure as st
from tools import calibrate_default_rules as cal


def _all_or_nothing(extra: dict[str, dict[str, list[int]]] | None = None) -> dict[str, dict[str, list[int]]]:
    """Six households; each of four rule groups is right (nearly) always in some and never in others."""
    pattern = {"A": "110100", "B": "011010", "C": "101001", "D": "100110"}
    hits = {f"s{i}": {g: ([95, 100] if bits[i] == "1" else [3, 100]) for g, bits in pattern.items()}
            for i in range(6)}
    for s, groups in (extra or {}).items():
        hits.setdefault(s, {}).update(groups)
    return hits


def test_without_spread_between_data_sets_each_counts_its_hits_up_to_the_cap():
    hits = {"a": {"G": [50, 50], "H": [10, 20]}, "b": {"G": [40, 40], "H": [10, 20]}}
    assert cal.set_weight(hits) == cal.CAP_PER_SET
    assert cal.set_weight({"a": {"G": [5, 10]}}) == cal.CAP_PER_SET  # one data set: nothing to compare


def test_households_that_agree_all_or_nothing_weigh_as_one_row_each():
    weight = cal.set_weight(_all_or_nothing())
    assert 1.0 <= weight < 1.3


def test_a_rule_every_other_household_agreed_with_is_not_sure_when_households_disagree_elsewhere():
    """Session 13: the Brazilian household filed 142 "Bank fees" answers (the IOF tax) under travel while two
    other households agreed with all of theirs; fitted on those two, the rule was 0.96 sure there."""
    hits = _all_or_nothing({"s0": {"Bank fees": [107, 107]}, "s1": {"Bank fees": [21, 21]}})
    table, _ = cal.fit(hits)
    assert table["Bank fees"] < cz.LOW_CONFIDENCE
    # spread over many households the same agreement is worth more than many hits in few
    many = _all_or_nothing({f"s{i}": {"Bank fees": [20, 20]} for i in range(6)})
    assert cal.fit(many)[0]["Bank fees"] > table["Bank fees"]


def test_a_consistent_rule_seen_in_many_households_can_be_stored_as_sure():
    hits = {f"s{i}": {"Restaurants": [95, 100], "Fuel": [90, 100], "Shops": [80, 100]} for i in range(8)}
    table, _ = cal.fit(hits)
    assert table["Restaurants"] >= cz.LOW_CONFIDENCE


def test_structural_answers_keep_the_weighting_they_were_fitted_with():
    """Their confidence also decides where a weak history answer is replaced: fitted as before session 13
    (each data set's hits up to CAP_PER_SET, STRUCTURE_K pseudo-hits towards the structural answers' prior)."""
    small, refund = st.GROUP_PREFIX + "small purchase", st.GROUP_PREFIX + "refund"
    hits = _all_or_nothing({"s0": {small: [30, 100], refund: [8, 9]}, "s1": {small: [60, 120]},
                            "s2": {small: [10, 40]}})
    table, _ = cal.fit(hits)
    ok = 30 * 0.5 + 60 * 50 / 120 + 10  # each data set's hits capped at 50
    n = 50 + 50 + 40
    prior = (ok + 8) / (n + 9)
    expected = round(min(cal.STRUCTURE_CEILING, max(cal.FLOOR, (ok + cal.STRUCTURE_K * prior) / (n + cal.STRUCTURE_K))), 2)
    assert table[small] == expected
