"""Session 14: the candidates for fitting the cold confidence table, compared on the tuning sets only
(tools/compare_cold_calibration.py), and the lookup the benchmark and the comparison share."""

from __future__ import annotations

import math

import pytest

from budgetwise.services.categorize import LOW_CONFIDENCE
from tools import calibrate_default_rules as cal
from tools import compare_cold_calibration as cmp


def test_group_confidence_looks_a_group_up_as_the_engine_does():
    table = {"Fuel": 0.8, "Brands: Dining": 0.6, "Brands:": 0.45, "Structure:": 0.5}
    assert cal.group_confidence(table, 0.7, "Fuel") == 0.8
    assert cal.group_confidence(table, 0.7, "Rent and mortgage") == 0.7  # a rule group never seen: the prior
    assert cal.group_confidence(table, 0.7, "Brands: Dining") == 0.6
    assert cal.group_confidence(table, 0.7, "Brands: Travel") == 0.45  # a brand group never seen
    assert cal.group_confidence(table, 0.7, "Structure: refund") == 0.5
    assert [cal.kind_of(g) for g in ("Fuel", "Brands: Travel", "Structure: refund")] == ["rules", "brands", "structure"]


def test_each_set_is_scored_with_a_table_fitted_without_it():
    hits = {"a": {"G": [10, 10]}, "b": {"G": [0, 10]}, "c": {"G": [5, 10]}}
    seen = []

    def fitter(h, use):
        seen.append(sorted(use))
        return {"G": 0.1 * len(seen)}, 0.5

    cells = cmp.loo_cells(hits, ["a", "b", "c"], fitter)
    assert seen == [["b", "c"], ["a", "c"], ["a", "b"]]
    assert cells == [("a", "G", 0.1, 10, 10), ("b", "G", 0.2, 0, 10), ("c", "G", pytest.approx(0.3), 5, 10)]


def test_summary_counts_unanswered_rows_as_review_and_weighs_households_alike():
    cells = [("big", "G", 0.85, 80, 100), ("small", "G", 0.6, 10, 10)]
    m = cmp.summarize(cells, {"big": 200, "small": 10})
    assert m["review"] == pytest.approx(1 - 100 / 210)  # only the big set's 100 answers are sure (>= 0.8)
    assert m["sure_acc"] == pytest.approx(0.8)
    assert m["error_rows"] == pytest.approx((5 + 4) / 110)
    assert m["error_households"] == pytest.approx((0.05 + 0.4) / 2)  # each set's rows weigh 1 in all
    assert m["log_loss"]["small"] == pytest.approx(-math.log(0.6))
    assert m["brier"] == pytest.approx((80 * 0.15**2 + 20 * 0.85**2 + 10 * 0.4**2) / 110)
    assert LOW_CONFIDENCE <= 0.85


def test_the_error_with_the_band_edges_moved_shows_a_gain_that_is_only_where_a_group_fell():
    """Session 18: two households' groups in one band cancel (one over-, one under-confident); moved so that
    they fall into two bands, the same confidences are far off. The moved-edges mean says so."""
    cells = [("a", "G", 0.69, 30, 100), ("b", "H", 0.71, 100, 100)]  # 0.69 right 30%, 0.71 right 100%
    m = cmp.summarize(cells, {"a": 100, "b": 100})
    assert m["error_rows"] == pytest.approx((39 + 29) / 200)  # 0.5-0.7 and 0.7-0.8: apart already
    together = cmp.summarize([("a", "G", 0.72, 30, 100), ("b", "H", 0.71, 100, 100)], {"a": 100, "b": 100})
    assert together["error_rows"] == pytest.approx(abs(143 - 130) / 200)  # one band: they cancel
    assert together["error_moved"] > together["error_rows"]  # an edge moved by 0.02 parts them


def test_structure_pooled_restores_the_shipped_strength():
    hits = {"a": {"Structure: odd-amount credit": [27, 30], "Structure: small purchase": [30, 100]}}
    pooled = cmp.structure_pooled(20)(hits, ["a"])[0]
    assert cal.STRUCTURE_K == 0.0  # restored
    assert pooled["Structure: odd-amount credit"] < cal.fit(hits)[0]["Structure: odd-amount credit"]


def _households():
    """Two households agree with every rule, two with none; "Only agreeable" was seen only in the first two."""
    hits = {}
    for s, right in (("yes1", 1.0), ("yes2", 1.0), ("no1", 0.0), ("no2", 0.0)):
        hits[s] = {g: [int(right * 20), 20] for g in ("A", "B", "C")}
    for s in ("yes1", "yes2"):
        hits[s]["Only agreeable"] = [20, 20]
    return hits


def test_the_candidates_change_only_how_much_each_household_and_the_prior_weigh():
    hits = _households()
    assert cmp.shrunk_fit(cal.K)(hits, list(hits)) == cal.fit(hits)
    assert cal.K == 5.0  # restored
    loose, tight = cmp.shrunk_fit(1)(hits, list(hits))[0], cmp.shrunk_fit(50)(hits, list(hits))[0]
    assert loose["Only agreeable"] > tight["Only agreeable"]  # more pseudo-hits: nearer the prior
    weight = cal.set_weight
    one_vote = cmp.household_fit(2)(hits, list(hits))[0]
    assert cal.set_weight is weight and cal.K == 5.0  # restored
    # each household one vote: two agreeing households say more than the shipped weighting lets them
    assert one_vote["Only agreeable"] > cal.fit(hits)[0]["Only agreeable"]


def test_the_household_intercept_model_does_not_credit_a_group_with_its_households_agreement():
    """Seen only in the households that agree with every rule, a group is as sure as any other for a new
    household (the mean over the households), not sure because of where it was seen."""
    hits = _households()
    table, prior = cmp.additive_fit(0.5)(hits, list(hits))
    assert table["Only agreeable"] - table["A"] <= 0.1  # the ridge leaves a little of where it was seen
    # than the fit with the prior pooled by cell (session 14's comparison; session 26's prior by household is
    # between the two)
    by_cell = cal.fit(hits, household_prior=False)[0]["Only agreeable"]
    assert table["Only agreeable"] < by_cell - 0.05
    assert table["Only agreeable"] <= cal.fit(hits)[0]["Only agreeable"] < by_cell
    assert cal.FLOOR <= prior <= cal.CEILING
