"""The household coverage shift (session 28, categorize/coverage.py): a cold batch's share answered by the default
rules moves their stored confidence, never the category. Made-up texts only."""

from __future__ import annotations

import math

import pytest

from benchmarks.categorize_coverage import coverage_cells
from budgetwise.services import categorize as cz
from budgetwise.services.categorize import coverage as C
from tests.services.categorize.test_household_prior import GROCERS, OTHERS
from tests.services.categorize.test_services_categorize import add, cid
from tools import calibrate_default_rules as cal

FIT = (0.75, 2.0)  # slope, reference (logit of a share of about 88%)


@pytest.fixture
def on(monkeypatch):
    monkeypatch.setattr(C, "COVERAGE_SHIFT", True)
    monkeypatch.setattr(C, "shipped", lambda: FIT)


def test_shipped_on_with_a_fitted_slope():
    """Session 28: on the four tuning sets (leave one out) every measure of the decision rule improved; see the
    history for the held-out reading."""
    slope, reference = C.shipped()
    assert C.COVERAGE_SHIFT and slope > 0 and C.logit(C.LOW) < reference < C.logit(C.HIGH)


def test_no_shift_when_off_small_or_flat(on, monkeypatch):
    assert C.coverage_shift(5, C.PRIOR_ROWS - 1) == 0.0  # a few rows say nothing
    assert C.coverage_shift(0, 0) == 0.0
    assert C.coverage_shift(90, 100, (0.0, 2.0)) == 0.0  # no slope
    monkeypatch.setattr(C, "COVERAGE_SHIFT", False)
    assert C.coverage_shift(100, 100) == 0.0


def test_the_shift_follows_the_share_shrunk_towards_the_reference(on):
    at_reference = round(1 / (1 + math.exp(-FIT[1])) * 1000)
    assert C.coverage_shift(at_reference, 1000) == pytest.approx(0.0, abs=0.01)
    assert C.coverage_shift(1000, 1000) > 0 > C.coverage_shift(500, 1000)
    share = (500 + C.PRIOR_ROWS / (1 + math.exp(-FIT[1]))) / (1000 + C.PRIOR_ROWS)
    assert C.coverage_shift(500, 1000) == pytest.approx(FIT[0] * (math.log(share / (1 - share)) - FIT[1]))
    # a share is clipped as a confidence is: 100% counts as HIGH
    assert C.coverage_shift(10**6, 10**6) == pytest.approx(FIT[0] * (C.logit(C.HIGH) - FIT[1]), abs=1e-3)
    # fewer rows, nearer the reference
    assert abs(C.coverage_shift(20, 40)) < abs(C.coverage_shift(500, 1000))


def test_moved_touches_calibrated_confidences_only():
    assert C.moved(0.7, 0.0) == 0.7
    assert C.moved(1.0, 2.0) == 1.0 and C.moved(cz.FALLBACK_CONFIDENCE, -2.0) == cz.FALLBACK_CONFIDENCE
    assert C.moved(0.7, 1.0) > 0.7 > C.moved(0.7, -1.0)
    assert C.moved(0.7, 20.0) == C.HIGH and C.moved(0.7, -20.0) == C.LOW  # never certain, never a fallback guess
    assert C.LOW > cz.FALLBACK_CONFIDENCE


def test_coverage_fit_slope_and_reference():
    hits = {"a": {"Shopping": [95, 100]}, "b": {"Shopping": [30, 50]}, "c": {"Brands: Dining": [1, 10]}}
    rows = {"a": 100, "b": 100, "c": 100}
    slope, reference = cal.coverage_fit(hits, rows, ["a", "b"])
    xa, xb = C.logit(1.0), C.logit(0.5)
    assert reference == pytest.approx((xa + xb) / 2, abs=1e-3)
    assert slope == pytest.approx((C.logit(0.95) - C.logit(0.6)) / (xa - xb), abs=1e-3)
    assert cal.coverage_fit(hits, rows, ["a"])[0] == 0.0  # one household: no slope
    worse = {"a": {"Shopping": [40, 100]}, "b": {"Shopping": [49, 50]}}
    assert cal.coverage_fit(worse, rows)[0] == 0.0  # the more a file is answered the less right: no shift


def test_the_benchmark_scores_each_set_with_a_fit_without_it_and_moves_rules_only():
    hits = {"a": {"Shopping": [95, 100], "Brands: Dining": [1, 2]}, "b": {"Shopping": [30, 50]},
            "c": {"Shopping": [80, 90]}}
    rows = {"a": 100, "b": 100, "c": 100}
    tables = {s: cal.fit(hits, [x for x in hits if x != s]) for s in hits}
    cells, shifts = coverage_cells(hits, rows, tables, list(hits))
    assert shifts["a"][0] == 1.0 and shifts["b"][0] == 0.5
    assert shifts["a"][1] > 0 > shifts["b"][1]
    for s, g, off, on, ok, n in cells:
        assert (on == off) == (g.startswith("Brands:") or shifts[s][1] == 0)
        assert (ok, n) == tuple(hits[s][g])


def _batch(session, user, texts, *, with_model=False):
    return cz.categorize_items(session, user_id=user.user_id, with_model=with_model,
                               items=[cz.CategorizeItem(t, 2000, "expense") for t in texts])


def _calibrated(guesses):
    return [g for g in guesses if g.source == "rule" and g.rule_id is not None and C.calibrated(g.confidence)]


def test_a_file_the_rules_answer_stores_their_answers_surer_same_categories(session, alice, on, monkeypatch):
    texts = [f"{t} QWV {i}" for i in range(2) for t in GROCERS + OTHERS]
    moved = _batch(session, alice, texts)
    monkeypatch.setattr(C, "COVERAGE_SHIFT", False)
    table = _batch(session, alice, texts)
    assert [(g.category_id, g.rule_id, g.source) for g in moved] == [(g.category_id, g.rule_id, g.source) for g in table]
    pairs = [(m, t) for m, t in zip(moved, table) if t in _calibrated(table)]
    assert len(pairs) > 20
    assert all(m.confidence > t.confidence for m, t in pairs)


def test_a_file_the_rules_answer_little_stores_their_answers_less_sure(session, alice, on, monkeypatch):
    texts = [f"{t} QWV" for t in GROCERS[:4]] + [f"ZORBLAX VRENGLO {i}" for i in range(40)]
    moved = _batch(session, alice, texts)
    monkeypatch.setattr(C, "COVERAGE_SHIFT", False)
    table = _batch(session, alice, texts)
    assert [g.category_id for g in moved] == [g.category_id for g in table]
    pairs = [(m, t) for m, t in zip(moved, table) if t in _calibrated(table)]
    assert pairs and all(m.confidence < t.confidence for m, t in pairs)


def test_a_few_rows_keep_the_tables_confidence(session, alice, on, monkeypatch):
    texts = [f"{t} QWV" for t in GROCERS[:5]]
    moved = _batch(session, alice, texts)
    monkeypatch.setattr(C, "COVERAGE_SHIFT", False)
    assert moved == _batch(session, alice, texts)


def test_rows_the_users_own_rules_answer_do_not_count(session, alice, on, monkeypatch):
    """18 grocers' rows the default rules answer and 40 rows of the user's own rule: the share is read over the 18
    (fewer than PRIOR_ROWS: nothing moves), not as 18 of 58 (a file the rules hardly answer)."""
    groceries = cid(session, alice, "Groceries")
    cz.create_rule(session, user_id=alice.user_id, spec=cz.RuleSpec(category_id=groceries, pattern="zorblax"))
    texts = [f"{t} QWV" for t in GROCERS] + [f"ZORBLAX VRENGLO {i}" for i in range(40)]
    guesses = _batch(session, alice, texts)
    assert all(g.confidence == 1.0 for g in guesses[len(GROCERS):])
    monkeypatch.setattr(C, "COVERAGE_SHIFT", False)
    assert guesses == _batch(session, alice, texts)


def test_with_a_history_the_history_decides_not_the_coverage(session, alice, on, monkeypatch):
    add(session, alice, "QWERTY BOOKSHOP", category_id=cid(session, alice, "Education"))  # a hand-set category
    texts = [f"{t} QWV {i}" for i in range(2) for t in GROCERS + OTHERS]
    with_history = _batch(session, alice, texts, with_model=True)
    monkeypatch.setattr(C, "COVERAGE_SHIFT", False)
    assert with_history == _batch(session, alice, texts, with_model=True)
