"""Session 15 (learndir, issue #16): what is learned from a category set by hand files one direction.

Correcting one money-out row of a merchant to Groceries learned a rule for both directions, so the merchant's
refunds (money in) were filed as Groceries too, and "recategorize N past transactions" counted them. A learned
rule now files the direction of the rows the user labelled (an income or expense category: that direction; a
transfer category: both), the offer counts only the rows the rule would decide and change, and accepting it
changes exactly those. Texts are made up (no evaluation row)."""

from __future__ import annotations

import datetime as dt

from budgetwise.models import Rule, Transaction
from budgetwise.services import categorize as cz
from budgetwise.services import transactions
from budgetwise.services.categories import find_category_by_name
from budgetwise.services.categorize.learning import ANY_KIND, _upsert_learned_rule

D = dt.date(2024, 3, 1)


def _cid(session, user, name: str) -> int:
    return find_category_by_name(session, user_id=user.user_id, name=name).id


def _add(session, user, description: str, kind: str = "expense", amount: str = "7.00") -> Transaction:
    t = transactions.add_transaction(session, user_id=user.user_id, date=D, amount=amount, kind=kind,
                                     description=description)
    return session.get(Transaction, t.id)


def _cats(session, rows) -> list[int | None]:
    out = []
    for t in rows:
        session.refresh(t)
        out.append(t.category_id)
    return out


def _correct(session, user, t, category_id):
    transactions.update_transaction(session, user_id=user.user_id, transaction_id=t.id, category_id=category_id)
    return cz.learn_from_correction(session, user_id=user.user_id, transaction_id=t.id, category_id=category_id)


def test_a_correction_to_a_spending_category_learns_the_money_out_only(session, alice):
    groceries = _cid(session, alice, "Groceries")
    outs = [_add(session, alice, "QWORBLE ZZKLM") for _ in range(3)]
    ins = [_add(session, alice, "QWORBLE ZZKLM", kind="income", amount="2.35") for _ in range(2)]
    before_in = _cats(session, ins)
    offer = _correct(session, alice, outs[0], groceries)
    assert offer.kind == "expense"
    assert offer.matching_past == 2  # the two other money-out rows; the refunds are not counted
    changed = cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer)
    assert changed == offer.matching_past
    assert _cats(session, outs) == [groceries] * 3 and _cats(session, ins) == before_in
    [rule] = cz.list_rules(session, user_id=alice.user_id, include_global=False)
    assert rule.kind == "expense"
    # later rows: a purchase follows the rule, a refund does not
    assert _add(session, alice, "QWORBLE ZZKLM").category_id == groceries
    assert _add(session, alice, "QWORBLE ZZKLM", kind="income", amount="3.10").category_id != groceries


def test_the_other_direction_gets_its_own_rule_and_the_first_stays(session, alice):
    groceries, refunds = _cid(session, alice, "Groceries"), _cid(session, alice, "Other Income")
    outs = [_add(session, alice, "QWORBLE ZZKLM") for _ in range(2)]
    ins = [_add(session, alice, "QWORBLE ZZKLM", kind="income", amount="2.35") for _ in range(3)]
    cz.accept_learn_offer(session, user_id=alice.user_id, offer=_correct(session, alice, outs[0], groceries))
    offer = _correct(session, alice, ins[0], refunds)
    assert (offer.kind, offer.existing_rule_id, offer.matching_past) == ("income", None, 2)
    assert cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer) == 2
    assert _cats(session, outs) == [groceries] * 2 and _cats(session, ins) == [refunds] * 3
    rules = {r.kind: r.category_id for r in cz.list_rules(session, user_id=alice.user_id, include_global=False)}
    assert rules == {"expense": groceries, "income": refunds}


def test_a_transfer_category_learns_both_directions(session, alice):
    transfers = _cid(session, alice, "Transfers")
    outs = [_add(session, alice, "DREBBLO FANTIX") for _ in range(2)]
    ins = [_add(session, alice, "DREBBLO FANTIX", kind="income") for _ in range(2)]
    offer = _correct(session, alice, outs[0], transfers)
    assert (offer.kind, offer.matching_past) == (None, 3)
    assert cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer) == 3
    assert _cats(session, outs + ins) == [transfers] * 4


def test_a_row_filed_against_its_categorys_direction_teaches_that_rows_direction(session, alice):
    """A refund the user files under Shopping (net spending): the rule files the merchant's refunds there, not
    every purchase of the merchant (which the category's own direction would have meant)."""
    shopping = _cid(session, alice, "Shopping")
    ins = [_add(session, alice, "VRANTOK PLIXEN", kind="income", amount="4.99") for _ in range(2)]
    outs = [_add(session, alice, "VRANTOK PLIXEN") for _ in range(2)]
    before_out = _cats(session, outs)
    offer = _correct(session, alice, ins[0], shopping)
    assert (offer.kind, offer.matching_past) == ("income", 1)
    assert cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer) == 1
    assert _cats(session, ins) == [shopping] * 2 and _cats(session, outs) == before_out


def test_the_offer_counts_only_rows_its_rule_would_decide_and_change(session, alice):
    """Count == rows changed, with a mixed-direction merchant, a more specific learned rule that runs first, a
    user's rule that runs first, rows already in the category and rows set by hand."""
    groceries, dining, travel = (_cid(session, alice, n) for n in ("Groceries", "Dining", "Travel"))
    _upsert_learned_rule(session, alice.user_id, "qworble zzklm airport", dining, "exact", "expense")
    cz.create_rule(session, user_id=alice.user_id, spec=cz.RuleSpec(
        category_id=travel, pattern="qworble zzklm station", match_type="contains", priority=5))
    corrected = _add(session, alice, "QWORBLE ZZKLM KILBIRNIE KILBIRNIE")
    _add(session, alice, "QWORBLE ZZKLM KILBIRNIE KILBIRNIE", kind="income", amount="1.15")
    plain = [_add(session, alice, f"QWORBLE ZZKLM {p}") for p in ("PETONE PETONE", "PETONE PETONE", "KILBIRNIE")]
    airport = _add(session, alice, "QWORBLE ZZKLM AIRPORT")  # its own learned rule (Dining) runs first
    station = _add(session, alice, "QWORBLE ZZKLM STATION")  # the user's rule (Travel) runs first
    by_hand = _add(session, alice, "QWORBLE ZZKLM PETONE PETONE")  # set by hand (another category would keep
    transactions.update_transaction(session, user_id=alice.user_id, transaction_id=by_hand.id, category_id=groceries)
    # the stem from "qworble zzklm": the user's own labels under it must agree)
    refunds = [_add(session, alice, "QWORBLE ZZKLM PETONE PETONE", kind="income", amount="2.15") for _ in range(2)]
    assert (airport.category_id, station.category_id) == (dining, travel)
    before = {t.id: c for t, c in zip(refunds, _cats(session, refunds))}
    offer = _correct(session, alice, corrected, groceries)
    assert offer.kind == "expense" and offer.rule_match_type == "starts_with"
    assert (offer.matching_past, offer.matching_manual) == (3, 1)
    assert cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer) == offer.matching_past
    assert _cats(session, plain) == [groceries] * 3
    assert _cats(session, [airport, station, by_hand]) == [dining, travel, groceries]
    assert {t.id: c for t, c in zip(refunds, _cats(session, refunds))} == before


def test_a_correction_beside_an_undirected_rule_keeps_it_for_the_other_direction(session, alice):
    """A learned rule for both directions (learned before session 15): correcting a money-in row to an income
    category writes a money-in rule and leaves the old one filing the money out (not narrowed to nothing)."""
    groceries, refunds = _cid(session, alice, "Groceries"), _cid(session, alice, "Refunds")
    old = _upsert_learned_rule(session, alice.user_id, "qworble zzklm", groceries, "exact", ANY_KIND)
    assert old.kind is None
    ins = [_add(session, alice, "QWORBLE ZZKLM", kind="income", amount="2.35") for _ in range(3)]
    assert _cats(session, ins) == [groceries] * 3  # the old rule filed the refunds as groceries
    offer = _correct(session, alice, ins[0], refunds)
    assert (offer.kind, offer.matching_past) == ("income", 2)
    assert cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer) == 2
    assert _cats(session, ins) == [refunds] * 3
    assert session.get(Rule, old.id).kind == "expense"
    assert _add(session, alice, "QWORBLE ZZKLM").category_id == groceries


def test_saving_the_review_table_learns_the_direction_too(session, alice):
    groceries = _cid(session, alice, "Groceries")
    outs = [_add(session, alice, "QWORBLE ZZKLM") for _ in range(2)]
    ins = [_add(session, alice, "QWORBLE ZZKLM", kind="income", amount="2.35") for _ in range(2)]
    before_in = _cats(session, ins)
    decision = cz.ReviewDecision(chosen={groceries: [outs[0].id]}, accepted=[])
    assert cz.save_review(session, user_id=alice.user_id, decision=decision, learn=True) == (0, 1)
    assert _cats(session, outs) == [groceries] * 2 and _cats(session, ins) == before_in


def test_learning_from_a_labelled_file_learns_each_direction(session, alice):
    groceries, refunds, transfers = (_cid(session, alice, n) for n in ("Groceries", "Refunds", "Transfers"))
    rows = ([("QWORBLE ZZKLM", groceries, "expense")] * 3 + [("QWORBLE ZZKLM", refunds, "income")] * 2
            + [("DREBBLO FANTIX", transfers, "expense"), ("DREBBLO FANTIX", transfers, "income")]
            + [("SNORVEL QUIBB", groceries)])  # no kind given: the category's direction
    assert cz.learn_from_labeled(session, user_id=alice.user_id, rows=rows) == 4
    got = {(r.pattern, r.kind): r.category_id for r in cz.list_rules(session, user_id=alice.user_id, include_global=False)}
    assert got == {("qworble zzklm", "expense"): groceries, ("qworble zzklm", "income"): refunds,
                   ("drebblo fantix", None): transfers, ("snorvel quibb", "expense"): groceries}
    assert cz.learn_from_labeled(session, user_id=alice.user_id, rows=rows) == 0  # nothing new the second time
    assert _add(session, alice, "QWORBLE ZZKLM", kind="income", amount="1.05").category_id == refunds
    assert _add(session, alice, "SNORVEL QUIBB", kind="income", amount="1.05").category_id != groceries


def test_a_transfer_correction_takes_the_place_of_a_learned_rule_of_the_rows_direction(session, alice):
    """A transfer category's rule files both directions, but where the key has a learned rule of the corrected row's
    direction (older, so it would still run first for those rows) the correction updates that one: the offer's count
    and the accept agree, and the rows follow."""
    groceries, transfers = _cid(session, alice, "Groceries"), _cid(session, alice, "Transfers")
    outs = [_add(session, alice, "QWORBLE ZZKLM") for _ in range(3)]
    cz.accept_learn_offer(session, user_id=alice.user_id, offer=_correct(session, alice, outs[0], groceries))
    offer = _correct(session, alice, outs[1], transfers)
    assert (offer.kind, offer.existing_rule_id is not None, offer.matching_past) == ("expense", True, 1)
    assert cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer) == 1
    assert _cats(session, outs[1:]) == [transfers] * 2
    [rule] = cz.list_rules(session, user_id=alice.user_id, include_global=False)
    assert (rule.category_id, rule.kind) == (transfers, "expense")


def test_a_plan_click_with_a_transfer_category_files_what_its_item_counted_beside_a_directed_rule(session, alice):
    groceries, transfers = _cid(session, alice, "Groceries"), _cid(session, alice, "Transfers")
    _upsert_learned_rule(session, alice.user_id, "qworble zzklm", groceries, "starts_with", "expense")
    from sqlalchemy import update

    waiting = [_add(session, alice, f"QWORBLE ZZKLM {i}") for i in range(3)]
    session.execute(update(Transaction).where(Transaction.id.in_([t.id for t in waiting])).values(
        category_id=None, category_source=None, category_confidence=None, rule_id=None))  # imported before the rule
    plan = cz.labelling_plan(session, user_id=alice.user_id)
    [item] = plan.items
    done = cz.label(session, user_id=alice.user_id, merchant=item.stem, category_id=transfers,
                    kind=plan.kinds[item.stem])
    assert done.filed == item.rows == 3 and _cats(session, waiting) == [transfers] * 3
