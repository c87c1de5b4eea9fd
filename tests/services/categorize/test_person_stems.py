"""Session 23: a transfer to or from a person keeps the person's whole name as its merchant (issue #16). A household
that sends money to many people prints a few surnames after many first names; the place reading (a last word that
changes after four names is a branch) took those surnames for places, so the plan grouped "… ZURI KAMAU" and "… ZURI
ODHIAMBO" (two people) under "zuri", and a correction taught the first name. Made-up names; no evaluation row."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.services import categorize
from budgetwise.services import transactions as tx
from budgetwise.services.categories import find_category_by_name
from budgetwise.services.categorize import history
from budgetwise.textforms import household_places, learn_key, names_person

FIRST = ["Zuri", "Baraka", "Neema", "Imani", "Jabari"]
LAST = ["Kamau", "Odhiambo"]
SENT = [f"Customer Transfer to - 07******{i}{j}3 {f} {s}" for i, f in enumerate(FIRST) for j, s in enumerate(LAST)]
SHOPS = [f"ZORBLAT MARKT {p}" for p in ("KILBIRNIE", "PETONE")] + [f"VRENGLO CAFE {p}" for p in ("KILBIRNIE", "PETONE")] + [
    f"{m} {p}" for m in ("QUIXA", "BLORP", "NUHTFIT") for p in ("KILBIRNIE", "PETONE")]


@pytest.mark.parametrize("text, person", [
    ("Customer Transfer to - 07******463 Zuri Kamau", True),
    ("Funds received from - 07******463 Zuri Kamau", True),
    ("SEND MONEY TO ZURI KAMAU", True),
    ("Customer Payment to Small Business to - 07******463 Zuri Kamau", True),  # a person's own till
    ("PIX ENVIADO Aline Souza", True),
    ("Merchant Payment to 123456 - ZORBLAT MARKT", False),
    ("Pay Bill to 404040 - ZORBLAT WATER Acc. 55", False),
    ("Business Payment from 303327 - ACME SACCO", False),
    ("Funds received from Business 303327 - ACME SACCO", False),
    ("ZORBLAT MARKT KILBIRNIE", False),
    ("Customer Transfer of Funds Charge", False),
    ("TED BAKER", False),
])
def test_names_person_reads_the_phrase_before_the_payee(text, person):
    assert names_person(text) is person


def test_surnames_read_as_places_without_the_persons_phrase():
    keys = [learn_key(d) for d in SENT]
    assert {"kamau", "odhiambo"} <= household_places(keys)  # what the key alone says: why the person's phrase counts


def test_the_plan_groups_people_by_their_whole_name_and_shops_by_their_branchless_name():
    rows = [(learn_key(d), d, 2) for d in SENT + SHOPS]
    stems = {i.stem: i.rows for i in history.labelling_plan(rows, limit=50)}
    assert stems["zuri kamau"] == 2 and stems["zuri odhiambo"] == 2
    assert not {"zuri", "baraka", "neema", "imani", "jabari"} & set(stems)
    assert stems["zorblat markt"] == 4 and stems["quixa"] == 4  # a branch is still a place (the shops' own text)


def _transfer(session, user, description, day):
    return tx.add_transaction(session, user_id=user.user_id, date=dt.date(2025, 3, day), amount="20",
                              kind="expense", description=description)


def test_a_correction_of_a_transfer_teaches_the_persons_whole_name(session, alice):
    rows = [_transfer(session, alice, d, 1 + i % 27) for i, d in enumerate(SENT + SHOPS)]
    gifts = find_category_by_name(session, user_id=alice.user_id, name="Gifts & Donations")
    t = rows[0]  # Zuri Kamau
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=t.id, category_id=gifts.id)
    offer = categorize.learn_from_correction(session, user_id=alice.user_id, transaction_id=t.id, category_id=gifts.id)
    assert offer.merchant == "zuri kamau"
    assert offer.matching_past == 0  # "zuri odhiambo" is somebody else
    shop = rows[len(SENT)]  # ZORBLAT MARKT KILBIRNIE: the shop's branch is still dropped
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=shop.id, category_id=gifts.id)
    offer = categorize.learn_from_correction(session, user_id=alice.user_id, transaction_id=shop.id,
                                             category_id=gifts.id)
    assert offer.merchant == "zorblat markt" and offer.matching_past == 1
