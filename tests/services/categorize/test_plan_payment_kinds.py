"""A labelling-plan group whose stem is only words naming a kind of transaction ("cash withdrawal", "virement
instantané", "przelew wychodzący") is offered as a kind of payment, not as a merchant; a sample file's placeholder
text ("Description goes here", "Payee") names no merchant (session 23: a new user's trial offered payment words as
merchants). Made-up payees; the learning key is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.services import categorize as cz
from budgetwise.services import transactions as tx
from budgetwise.services.categorize import stems
from budgetwise.textforms import learn_key, names_merchant, names_payment_kind

KINDS = [  # a bank's words for how money moved, in the importer's languages
    "Cash withdrawal 1234 Kilbirnie", "Bank transfer", "Standing order", "Überweisung Gebühr", "Virement instantané émis",
    "Frais de tenue de compte", "Bonifico disposto commissione", "Transferencia recibida", "Przelew wychodzący",
    "Převod odchozí", "Átutalás kimenő", "Overboeking inkomend", "Levantamento ATM",
]
MERCHANTS = ["Zorblat Markt", "Credit Union Bistro", "Cash Converters", "Transfer Wines Ltd", "Uber Eats",
             "Banking Museum Cafe", "Direct Line Insurance"]


@pytest.mark.parametrize("text", KINDS)
def test_words_that_name_a_kind_of_transaction_are_a_kind_of_payment(text):
    assert names_payment_kind(stems.plan_stem(learn_key(text))), learn_key(text)


@pytest.mark.parametrize("text", MERCHANTS)
def test_a_merchants_name_is_no_kind_of_payment_even_beside_payment_words(text):
    assert not names_payment_kind(stems.plan_stem(learn_key(text))), learn_key(text)
    assert not names_payment_kind("") and not names_payment_kind("of the")  # connecting words alone make none


def test_the_pure_plan_flags_payment_kinds_and_counts_them_as_before():
    rows = [(learn_key(d), d, n) for d, n in [
        ("Ordre permanent – Zorblat SA", 3), ("Ordre permanent – Vrenglo Sàrl", 2), ("Zorblat Markt 12", 4),
        ("Cash withdrawal 1234 Kilbirnie", 2), ("Customer Transfer to - 0712 ZURI KAMAU", 1)]]
    items = {i.stem: i for i in stems.labelling_plan(rows)}
    assert {s: (i.rows, i.payment) for s, i in items.items()} == {
        "ordre permanent": (5, True), "zorblat markt": (4, False), "cash withdrawal": (2, True),
        "zuri kamau": (1, False)}  # a person's name is never a kind of payment


@pytest.mark.parametrize("text", ["Description goes here", "Payee", "Enter your memo here", "Name Surname",
                                  "Lorem ipsum", "Payee name – memo"])
def test_a_sample_files_placeholder_text_names_no_merchant(text):
    assert not names_merchant(learn_key(text)), learn_key(text)


@pytest.mark.parametrize("text", ["Goes Fishing Tackle", "Here Today Florist", "Your Local Market", "Name Tag Shop"])
def test_a_name_beside_such_words_still_names_a_merchant(text):
    assert names_merchant(learn_key(text))


def _add(session, user, description):
    return tx.add_transaction(session, user_id=user.user_id, date=dt.date(2024, 3, 1), amount="9.99", kind="expense",
                              description=description)


def test_the_plan_offers_payment_kinds_as_such_and_counts_placeholders_as_no_text(session, alice, bob):
    # two rows a group (session 27: a one-row merchant is offered only when nothing larger is left)
    for d in (["Ordre permanent – Zorblat SA"] * 2 + ["Ordre permanent – Vrenglo Sàrl", "Cash withdrawal 1234 Kilbirnie",
              "Cash withdrawal 5678 Kilbirnie", "Zorblat Markt 12", "Zorblat Markt 14", "Description goes here", "Payee"]):
        _add(session, alice, d)
    _add(session, bob, "Virement instantané émis – Quixa")  # another user's rows are not alice's offers
    plan = cz.labelling_plan(session, user_id=alice.user_id)
    assert [(i.stem, i.rows, i.payment) for i in plan.items] == [
        ("ordre permanent", 3, True), ("cash withdrawal", 2, True), ("zorblat markt", 2, False)]
    assert plan.no_text == 2 and plan.waiting == 9
    assert [(i.stem, i.payment) for i in cz.labelling_plan(session, user_id=bob.user_id).items] == [
        ("virement instantane", True)]
