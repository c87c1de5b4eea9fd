"""The household's agreement with the default rules as a whole moves the rules it has not answered yet
(empirical Bayes, session 14, issue #16): history.household_shift / household_confidence / restated and the
engine's use of them. Made-up merchant texts after the default rules' words."""

from __future__ import annotations

import math

import pytest

from budgetwise.services import categorize as cz
from budgetwise.services.categorize import engine
from budgetwise.services.categorize import history as L
from budgetwise.services.categorize import household as H
from tests.services.categorize.test_services_categorize import add, cid

GROCERS = ["TESCO", "ASDA", "LIDL", "ALDI", "MORRISONS", "WAITROSE", "KROGER", "SAFEWAY", "WALMART", "COSTCO",
           "PUBLIX", "COUNTDOWN", "WOOLWORTHS", "COLES", "CARREFOUR", "REWE", "EDEKA", "MERCADONA"]
OTHERS = ["NETFLIX", "SPOTIFY", "UBER EATS", "SHELL", "STARBUCKS", "VODAFONE", "AIRBNB", "RYANAIR", "DELIVEROO"]


@pytest.fixture
def prior(monkeypatch):
    def set_(k: float, arbitration: bool = False) -> None:
        monkeypatch.setattr(H, "HOUSEHOLD_PRIOR", k)
        monkeypatch.setattr(H, "HOUSEHOLD_ARBITRATION", arbitration)
    set_(H.TUNED_PRIOR)
    return set_


def test_off_as_shipped():
    """Session 14: measured and not adopted (the held-out calibration error grew); the switch stays off."""
    assert H.HOUSEHOLD_PRIOR == 0.0 and not H.HOUSEHOLD_ARBITRATION and H.TUNED_PRIOR > 0


def test_no_evidence_no_shift(prior):
    assert H.household_shift({}, {}) == 0.0
    assert H.household_shift({7: (3, 3)}, {}) == 0.0  # a rule whose confidence is unknown: not evidence
    assert H.household_shift({7: (3, 3)}, {7: 1.0}) == 0.0  # a certain rule (the user's, an admin's)
    assert H.household_shift({7: (3, 3)}, {7: cz.FALLBACK_CONFIDENCE}) == 0.0  # a fallback guess
    prior(0.0)  # the switch off
    assert H.household_shift({7: (30, 30), 8: (20, 20)}, {7: 0.6, 8: 0.6}) == 0.0


def test_a_household_that_agrees_with_the_rules_makes_the_others_surer_and_one_that_does_not_less_sure(prior):
    confs = {1: 0.6, 2: 0.7, 3: 0.65}
    agrees = H.household_shift({1: (5, 5), 2: (3, 3), 3: (8, 8)}, confs)
    disagrees = H.household_shift({1: (0, 5), 2: (1, 3), 3: (0, 8)}, confs)
    assert agrees > 0 > disagrees
    # as the rules expected: (almost) no shift
    assert abs(H.household_shift({1: (6, 10), 2: (7, 10), 3: (13, 20)}, confs)) < 0.1
    # more rules answered the same way: a larger shift (the prior weighs less)
    assert H.household_shift({1: (5, 5)}, confs) < agrees
    # a rule's many rows count as about HOUSEHOLD_ROW_WEIGHT rules: one rule's hundred rows do not outweigh
    # three other rules the household disagreed with
    assert H.household_shift({1: (100, 100), 2: (0, 2), 3: (0, 2)}, confs) < 0


def test_the_posterior_is_the_beta_mean_in_log_odds(prior):
    prior(2.0)
    c = H.HOUSEHOLD_ROW_WEIGHT
    w = 4 * c / (4 + c)
    post = (w * 1.0 + 2.0 * 0.6) / (w + 2.0)
    expected = math.log(post / (1 - post)) - math.log(0.6 / 0.4)
    assert H.household_shift({1: (4, 4)}, {1: 0.6}) == pytest.approx(expected)


def test_household_confidence_moves_calibrated_rules_only():
    assert H.household_confidence(0.6, 0.0) == 0.6
    assert H.household_confidence(1.0, 2.0) == 1.0 and H.household_confidence(1.0, -2.0) == 1.0
    assert H.household_confidence(cz.FALLBACK_CONFIDENCE, -2.0) == cz.FALLBACK_CONFIDENCE
    assert H.household_confidence(0.6, 1.0) > 0.6 > H.household_confidence(0.6, -1.0)
    assert H.household_confidence(0.6, 20.0) == H.HOUSEHOLD_CEILING  # never certain
    assert H.household_confidence(0.6, -3.0) < cz.FALLBACK_CONFIDENCE  # may become a guess
    assert H.household_confidence(0.6, 1.0) == round(1 / (1 + math.exp(-(math.log(1.5) + 1.0))), 4)


def test_restated_puts_the_households_confidence_on_the_rules_answer_only():
    rule = L.Decision(5, "rule", 0.6, 70)
    assert H.restated(rule, rule, 0.9) == L.Decision(5, "rule", 0.9, 70)
    assert H.restated(rule, rule, None) == rule
    memory_agrees = L.Decision(5, "rule", 0.85, 70)  # the memory agreed and made it surer
    assert H.restated(memory_agrees, rule, 0.4).confidence == 0.85
    assert H.restated(memory_agrees, rule, 0.9).confidence == 0.9
    other = L.Decision(6, "history", 0.7, None)
    assert H.restated(other, rule, 0.9) == other
    assert H.restated(L.NO_DECISION, rule, 0.9) == L.NO_DECISION



@pytest.fixture(autouse=True)
def _no_coverage_shift(monkeypatch):
    """These tests are about the history's household shift: the cold batch's coverage shift (session 28,
    categorize/coverage.py) is off, so a cold guess carries the table's confidence."""
    from budgetwise.services.categorize import coverage

    monkeypatch.setattr(coverage, "COVERAGE_SHIFT", False)


def _decided(session, user, description):
    return cz.categorize_rows(session, user_id=user.user_id, descriptions=[description], amounts_minor=[2000],
                              kinds=["expense"], accounts=[None], history_over_rules=True)[0]


def _cold(session, user, texts):
    return cz.categorize_items(session, user_id=user.user_id, with_model=False,
                               items=[cz.CategorizeItem(t, 2000, "expense") for t in texts])


def _setup(session, user, *, agree: bool):
    """The user files rows of some default rules as the rules do (``agree``) or as something else; returns the
    text of a row under another default rule the history never answered, and its cold guess."""
    texts = [f"{t} QWV 9" for t in GROCERS + OTHERS]
    by_rule: dict[int, list[tuple[str, cz.CategoryGuess]]] = {}
    for t, g in zip(texts, _cold(session, user, texts)):
        if g.source == "rule" and g.rule_id is not None and cz.FALLBACK_CONFIDENCE < (g.confidence or 0) < 0.9:
            by_rule.setdefault(g.rule_id, []).append((t, g))
    assert len(by_rule) >= 3, "too few calibrated default rules among the texts"
    *answered, (text, cold) = [v[0] for v in by_rule.values()][:4]
    other = cid(session, user, "Education")
    for i in range(12):
        t, g = answered[i % len(answered)]
        add(session, user, f"{t} ZQX {i}", category_id=g.category_id if agree else other)
    return text, cold


def test_a_household_that_agrees_with_the_rules_stores_an_unanswered_rule_surer(session, alice, prior):
    text, cold = _setup(session, alice, agree=True)
    g = _decided(session, alice, text)
    assert (g.category_id, g.source, g.rule_id) == (cold.category_id, "rule", cold.rule_id)
    assert g.confidence > cold.confidence
    prior(0.0)  # the switch off: the rule's own calibrated confidence, as before
    assert _decided(session, alice, text).confidence == cold.confidence


def test_a_household_that_files_otherwise_stores_an_unanswered_rule_less_sure_same_category(session, alice, prior):
    text, cold = _setup(session, alice, agree=False)
    g = _decided(session, alice, text)
    assert (g.category_id, g.rule_id) == (cold.category_id, cold.rule_id)  # without arbitration: the same answer
    assert g.confidence < cold.confidence


def test_with_arbitration_a_rule_moved_under_the_guess_level_competes_as_a_guess(session, alice, prior):
    text, cold = _setup(session, alice, agree=False)
    prior(0.01, arbitration=True)  # a weak prior: the household's twelve disagreeing rows speak
    hit_rule = L.Decision(cold.category_id, "rule", cold.confidence, cold.rule_id)
    shift = H.household_shift({1: (0, 12)}, {1: 0.7})
    moved = H.household_confidence(cold.confidence, shift)
    assert moved < cz.FALLBACK_CONFIDENCE
    # as decided: a memory answer under MEMORY_OVER_RULES beats the moved rule, not the rule as calibrated
    weak = L.MemoryHit(cold.category_id + 1000, 0.45, "zqx", 2)
    assert L.decide(hit_rule, user_rule=False, memory=weak, model=None) == hit_rule
    moved_rule = L.Decision(cold.category_id, "rule", moved, cold.rule_id)
    assert L.decide(moved_rule, user_rule=False, memory=weak, model=None).source == "history"
    # the engine's rule decision: moved for the decision with arbitration, stored only without
    hit = type("H", (), {})()
    hit.row = type("R", (), {"confidence": cold.confidence, "is_global": True, "category_id": cold.category_id,
                             "id": cold.rule_id})()
    hit.is_fallback, hit.source = False, "rule"
    decided, stored = engine._rule_decision(hit, {}, {cold.rule_id: shift})
    assert (decided.confidence, stored) == (moved, None)
    prior(0.01, arbitration=False)
    decided, stored = engine._rule_decision(hit, {}, {cold.rule_id: shift})
    assert (decided.confidence, stored) == (cold.confidence, moved)
