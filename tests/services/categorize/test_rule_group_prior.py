"""The household's agreement with one default-rule group moves that group's rules the history has not answered
(hierarchical beta, session 14 "rulegroup", issue #16): household.rule_shifts and the engine's use of it.
Made-up merchant texts after the default rules' words."""

from __future__ import annotations

import math

import pytest

from budgetwise.services import categorize as cz
from budgetwise.services.categorize import engine
from budgetwise.services.categorize import household as H
from budgetwise.services.default_rules import DEFAULT_RULES, rule_group
from tests.services.categorize.test_services_categorize import add, cid


@pytest.fixture
def group(monkeypatch):
    def set_(k: float, household: float = 0.0, max_rows: int | None = None) -> None:
        monkeypatch.setattr(H, "GROUP_PRIOR", k)
        monkeypatch.setattr(H, "HOUSEHOLD_PRIOR", household)
        monkeypatch.setattr(H, "GROUP_MAX_ROWS", max_rows)
    set_(H.TUNED_GROUP_PRIOR)
    return set_


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


# rule id, group, calibrated confidence: two groups of three rules, a certain rule, a fallback guess
RULES = [(1, "Groceries", 0.6), (2, "Groceries", 0.6), (3, "Groceries", 0.6),
         (4, "Fuel", 0.7), (5, "Fuel", 0.7), (6, "Fuel", 0.7),
         (7, None, 1.0), (8, "Groceries", cz.FALLBACK_CONFIDENCE)]


def test_off_as_shipped():
    assert H.GROUP_PRIOR == 0.0 and H.TUNED_GROUP_PRIOR > 0 and H.GROUP_MAX_ROWS is None


def test_no_evidence_or_switch_off_moves_nothing(group):
    assert H.rule_shifts({}, RULES) == {}
    group(0.0)
    assert H.rule_shifts({1: (5, 5), 2: (4, 4)}, RULES) == {}  # both levels off


def test_an_agreeing_group_makes_its_unanswered_rules_surer_only(group):
    shifts = H.rule_shifts({1: (5, 5), 2: (4, 4)}, RULES)
    assert set(shifts) == {3}  # not the answered rules, not another group, not certain rules or guesses
    assert shifts[3] > 0
    disagree = H.rule_shifts({1: (0, 5), 2: (1, 4)}, RULES)
    assert set(disagree) == {3} and disagree[3] < 0
    # one group's answers say nothing about another group's rules
    fuel = H.rule_shifts({4: (6, 6)}, RULES)
    assert set(fuel) == {5, 6} and fuel[5] == fuel[6] > 0


def test_the_group_posterior_is_the_beta_mean_in_log_odds(group):
    group(2.0)
    c = H.HOUSEHOLD_ROW_WEIGHT
    w1, w2 = 5 * c / (5 + c), 4 * c / (4 + c)
    post = (w1 * 1.0 + w2 * 0.5 + 2.0 * 0.6) / (w1 + w2 + 2.0)
    assert H.rule_shifts({1: (5, 5), 2: (2, 4)}, RULES)[3] == pytest.approx(_logit(post) - _logit(0.6))
    # a rule's many rows count as about HOUSEHOLD_ROW_WEIGHT rules: one rule's hundred agreeing rows do not
    # outweigh two rules of the group the household disagreed with
    assert H.rule_shifts({1: (100, 100), 2: (0, 3), 3: (0, 3)}, RULES + [(9, "Groceries", 0.6)])[9] < 0


def test_the_household_level_is_the_groups_prior(group):
    """Hierarchy: the household's shift moves every rule; a group with evidence starts from it."""
    group(1.0, household=1.0)
    evidence = {1: (5, 5), 2: (5, 5), 4: (0, 5)}
    base = H.household_shift(evidence, {r: conf for r, _g, conf in RULES})
    shifts = H.rule_shifts(evidence, RULES)
    assert shifts[5] == shifts[6] < 0 < shifts[3]  # unanswered rules: their group's posterior
    assert shifts[1] == shifts[2] == shifts[4] == base != 0  # answered rules: the household's shift only
    above = 1 / (1 + math.exp(-(_logit(0.6) + base)))
    c = H.HOUSEHOLD_ROW_WEIGHT
    w = 5 * c / (5 + c)
    post = (2 * w + 1.0 * above) / (2 * w + 1.0)
    assert shifts[3] == pytest.approx(_logit(post) - _logit(0.6))


def test_short_histories_only(group):
    group(1.0, max_rows=9)
    assert 3 in H.rule_shifts({1: (5, 5), 2: (4, 4)}, RULES)  # 9 rows answered
    assert H.rule_shifts({1: (5, 5), 2: (5, 5)}, RULES) == {}  # 10: a long history, the group level stays out


# --------------------------------------------------------------------------- through the engine
def _group_of(session, user) -> dict[int, str | None]:
    return {r.id: r.group for r in engine._rule_rows(session, user.user_id) if r.is_global}


def _cold(session, user, texts):
    return cz.categorize_items(session, user_id=user.user_id, with_model=False,
                               items=[cz.CategorizeItem(t, 2000, "expense") for t in texts])


def _decided(session, user, description):
    return cz.categorize_rows(session, user_id=user.user_id, descriptions=[description], amounts_minor=[2000],
                              kinds=["expense"], accounts=[None], history_over_rules=True)[0]


ANSWERED = ["TESCO QWV 9", "KROGER QWV 9", "MORRISONS QWV 9"]  # three rules of "Supermarkets and groceries"
UNANSWERED = "WOOLWORTHS QWV 9"  # a fourth rule of the same group
OTHER_GROUP = "NETFLIX QWV 9"


def test_rules_carry_their_group(session, alice):
    groups = _group_of(session, alice)
    names = {rule_group(r.name) for r in DEFAULT_RULES}
    assert {g for g in groups.values() if g is not None} <= names
    texts = ANSWERED + [UNANSWERED, OTHER_GROUP]
    got = [groups[g.rule_id] for g in _cold(session, alice, texts)]
    assert got == ["Supermarkets and groceries"] * 4 + ["Streaming and software subscriptions"]
    assert len({g.rule_id for g in _cold(session, alice, ANSWERED + [UNANSWERED])}) == 4  # four different rules


def _file(session, user, *, agree: bool) -> None:
    cold = _cold(session, user, ANSWERED)
    other = cid(session, user, "Shopping")
    for i in range(9):
        t, g = ANSWERED[i % 3], cold[i % 3]
        add(session, user, f"{t} ZQX {i}", category_id=g.category_id if agree else other)


def test_an_agreeing_household_stores_the_groups_unanswered_rule_surer(session, alice, group):
    cold, netflix = _cold(session, alice, [UNANSWERED, OTHER_GROUP])
    _file(session, alice, agree=True)
    g = _decided(session, alice, UNANSWERED)
    assert (g.category_id, g.source, g.rule_id) == (cold.category_id, "rule", cold.rule_id)
    assert g.confidence > cold.confidence
    assert _decided(session, alice, OTHER_GROUP).confidence == netflix.confidence  # another group: as before
    group(0.0)  # the switch off: the rule's calibrated confidence
    assert _decided(session, alice, UNANSWERED).confidence == cold.confidence


def test_a_household_filing_the_group_otherwise_stores_its_unanswered_rule_less_sure(session, alice, group):
    [cold] = _cold(session, alice, [UNANSWERED])
    _file(session, alice, agree=False)
    g = _decided(session, alice, UNANSWERED)
    assert (g.category_id, g.rule_id) == (cold.category_id, cold.rule_id)  # the decision is the same
    assert g.confidence < cold.confidence
