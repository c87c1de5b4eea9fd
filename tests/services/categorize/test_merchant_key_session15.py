"""Session 15 (issue #16, "one correction teaches the merchant"): re-keying keeps money in and money out apart; a
one-letter name is not dropped for its city; places read where no marker parts them; Brazilian rails; the NEFT
memory key. Made-up texts only, no evaluation row."""

from __future__ import annotations

import datetime as dt

from budgetwise.services.categorize.rekey import LearnedRule, learn_key_before_session_10, plan_rekey
from budgetwise.textforms import learn_key

OLD, NEW = learn_key_before_session_10, learn_key
T0 = dt.datetime(2026, 12, 1)


def _rule(rid, pattern, match_type="exact", category=1, day=0, kind=None):
    return LearnedRule(rid, pattern, match_type, category, T0 + dt.timedelta(days=day), kind)


# --------------------------------------------------------------------------- re-keying keeps the directions apart
def test_rules_of_two_directions_that_end_on_one_key_are_not_merged():
    # "atm08sep" money out (cash), "atm09sep" money in (a deposit at the machine): one key now, two rules still
    rules = [_rule(5, "atm08sep", category=1, kind="expense"), _rule(7, "atm09sep", category=2, day=3, kind="income")]
    rows = [("ATM08SEP", "expense"), ("ATM09SEP", "income")]
    plan = plan_rekey(rules, rows, before=OLD, after=NEW)
    assert not plan.merged
    assert plan.changed == {5: ("atm", "exact", 1), 7: ("atm", "exact", 2)}


def test_a_rule_for_both_directions_is_not_merged_with_one_for_one_direction():
    rules = [_rule(5, "atm08sep", category=1), _rule(7, "atm09sep", category=2, day=3, kind="income")]
    plan = plan_rekey(rules, ["ATM08SEP", "ATM09SEP"], before=OLD, after=NEW)
    assert not plan.merged and set(plan.changed) == {5, 7}


def test_rules_of_one_direction_still_merge():
    rules = [_rule(5, "atm08sep", category=1, kind="expense"), _rule(7, "atm09sep", category=2, day=3, kind="expense")]
    plan = plan_rekey(rules, [("ATM08SEP", "expense"), ("ATM09SEP", "expense")], before=OLD, after=NEW)
    assert plan.merged == {7: 5} and plan.changed == {5: ("atm", "exact", 2)}


def test_a_rule_of_one_direction_takes_the_key_of_its_own_direction_rows_only():
    # the money-out rule "sao paulo" covered the pharmacy's card rows; a money-in row of another payee under the
    # same earlier key is not its row
    rows = [("DROGASIL1148 SAO PAULO", "expense"), ("SALARIO1234 SAO PAULO", "income")]
    plan = plan_rekey([_rule(1, "sao paulo", category=4, kind="expense")], rows, before=OLD, after=NEW)
    assert plan.changed == {1: ("drogasil sao paulo", "exact", 4)} and not plan.added


def test_a_stem_is_blocked_only_by_a_hand_set_row_the_rule_would_cover():
    rows = [("PAYPAL INST XFER 220803", "expense"), ("PAYPAL INST PAYMENT REFUND", "income")]
    manual = [("PAYPAL INST PAYMENT REFUND", 8, "income")]  # filed elsewhere by hand, but money in
    plan = plan_rekey([_rule(1, "inst xfer", "starts_with", 3, kind="expense")], rows, before=OLD, after=NEW,
                      manual=manual)
    assert plan.changed == {1: ("paypal inst", "starts_with", 3)}
    plan = plan_rekey([_rule(1, "inst xfer", "starts_with", 3)], rows, before=OLD, after=NEW, manual=manual)
    assert plan.changed == {1: ("paypal inst xfer", "starts_with", 3)}  # a rule for both directions covers it
