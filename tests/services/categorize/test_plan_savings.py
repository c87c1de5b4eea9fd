"""Session 28 (issue #16, "label these N to sort M"): an offer whose words name a savings account (money moved to or
from one's own) proposes the transfer category in either direction, whatever its waiting rows hold as a guess (the
trial's "spaarrekening" was offered with an expense category for its money-out rows); the savings words are
``account_kinds``' (several languages). Made-up payees only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from budgetwise.models import Transaction
from budgetwise.services import categories
from budgetwise.services import categorize as cz
from budgetwise.services import transactions as tx
from budgetwise.services.account_kinds import names_savings_account

D = dt.date(2024, 3, 1)


def _add(session, user, description, kind="expense", amount="25.00"):
    return tx.add_transaction(session, user_id=user.user_id, date=D, amount=amount, kind=kind, description=description)


def _guessed(session, txn, category_id, confidence=0.4):
    """The row holds an unsure guess (a structural answer, say), as an import would leave it."""
    session.execute(update(Transaction).where(Transaction.id == txn.id).values(
        category_id=category_id, category_confidence=confidence, category_manual=False))
    session.flush()


@pytest.mark.parametrize(
    ("text", "savings"),
    [("naar oranje spaarrekening", True), ("spaarrekening", True), ("virement livret", True), ("tagesgeld", True),
     ("ubertrag sparkonto", True), ("transfer to savings", True), ("conto risparmio", True), ("poupanca", True),
     ("cuenta ahorro", True), ("emergency fund", True),
     ("isa martinez", False), ("sparkasse zorblat", False), ("spar supermarkt", False), ("zorblat markt", False),
     ("stocks and shares isa", False), ("savings investment plan", False), ("", False),
     # review28: the savings words in other senses: interest a savings account pays (income, not a move of one's
     # own money), a bank, a pharmacy or a hospital named after saving or a place
     ("savings interest", False), ("tagesgeld zins", False), ("interets livret a", False), ("juros poupanca", False),
     ("farmacias del ahorro 0123", False), ("caisse d epargne echeance pret", False),
     ("cassa di risparmio di zorblat rata mutuo", False), ("caja de ahorros de zorblat", False),
     ("spaarne gasthuis", False), ("daylight savings zorblat", False),
     ("caisse d\u2019epargne", False), ("vir livret a", True), ("overboeking naar spaarrekening", True)],
)
def test_which_words_name_a_savings_account(text, savings):
    assert names_savings_account(text) is savings


def test_a_savings_account_s_offer_proposes_the_transfer_category_both_ways(session, alice):
    subscriptions = categories.find_category_by_name(session, user_id=alice.user_id, name="Subscriptions").id
    groceries = categories.find_category_by_name(session, user_id=alice.user_id, name="Groceries").id
    for amount in ("100.00", "250.00", "1500.00", "100.00"):  # a fixed monthly move read as a subscription
        _guessed(session, _add(session, alice, "NAAR ORANJE SPAARREKENING V1234", amount=amount), subscriptions)
    for _ in range(3):
        _add(session, alice, "VAN ORANJE SPAARREKENING V1234", kind="income", amount="40.00")
    for _ in range(2):
        _guessed(session, _add(session, alice, "ZORBLAT MARKT 12"), groceries)
    plan = cz.labelling_plan(session, user_id=alice.user_id)
    by_stem = {i.stem: i for i in plan.items}
    out, back = "naar oranje", "van oranje"  # the stems a label teaches; every key under them names the account
    assert plan.kinds[out] == "expense" and plan.kinds[back] == "income"
    assert plan.guess[out] == plan.guess[back] == "Transfers"  # not the rows' Subscriptions, nor an income category
    assert out not in plan.unsure  # the amounts differ widely and few rows hold it: the words decide
    assert plan.savings == frozenset({out, back})
    assert plan.guess["zorblat markt"] == "Groceries" and "zorblat markt" not in plan.savings  # a shop keeps its guess
    transfers = categories.find_category_by_name(session, user_id=alice.user_id, name="Transfers").id
    done = cz.label(session, user_id=alice.user_id, merchant=out, category_id=transfers, kind=plan.kinds[out])
    assert done.filed == by_stem[out].rows == 4


def test_no_transfer_category_left_no_proposal_from_the_words(session, alice):
    from budgetwise.models import Category

    session.execute(update(Category).where(Category.kind == "transfer").values(is_archived=True))
    session.flush()
    for _ in range(2):
        _add(session, alice, "OVERBOEKING NAAR SPAARREKENING")
    plan = cz.labelling_plan(session, user_id=alice.user_id)
    assert plan.items and all(plan.guess.get(i.stem) != "Transfers" for i in plan.items)
