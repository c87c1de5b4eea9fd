"""Session 24 (issue #16): a bill payment's account reference is no part of the payee's key; the memory answers a
person only from that person's own rows; re-keying reads no person's surname as a place. Made-up names and texts;
no evaluation row."""

from __future__ import annotations

import pytest

from budgetwise.services.categorize import history
from budgetwise.services.categorize.knowledge import history_forms
from budgetwise.services.categorize.rekey import LearnedRule, plan_rekey
from budgetwise.services.categorize.ruleset import _texts
from budgetwise.textforms import (
    household_places,
    learn_key,
    learn_key_before_session_23,
    learn_key_before_session_24,
)


# --------------------------------------------------------------------------- a bill payment's account reference
@pytest.mark.parametrize("text, key", [
    ("Pay Bill to 222333 - E-VRENGLO Acc. NHIFM123", "vrenglo"),
    ("Pay Bill Online to 222333 - E-VRENGLO Acc. QZXWKPLM", "vrenglo"),
    ("Pay Bill to 220220 - ZorblatPay Acc.AIRT0733000111", "zorblatpay"),
    ("Pay Bill Online to 322889 -QUIXA WIN 1 Acc. Box5(Fbvcxk8)", "quixa win"),
    ("Pay Bill to 404040 - Blorp Water Ltd Acc. Nuhtfit Zeta", "blorp water"),
    ("Pay Bill to 404040 - BLORP WATERAcc. KQTT", "blorp water"),  # glued (session 23), then the reference
    ("BILL PAYMENT QUIXA POWER ACCT JOHNZETA", "quixa power"),
])
def test_a_bill_payments_account_reference_is_no_part_of_the_key(text, key):
    assert learn_key(text) == key
    assert learn_key_before_session_24(text) != key  # the reference stayed before (each one a new merchant)


def test_every_reference_of_one_payee_is_one_merchant():
    texts = [f"Pay Bill Online to 222333 - E-VRENGLO Acc. {ref}" for ref in ("NHIFM12", "QZXWKPLM", "ABCD EFGH",
                                                                           "TRUVX 9")]
    assert {learn_key(t) for t in texts} == {"vrenglo"}
    assert len({learn_key_before_session_24(t) for t in texts}) == 4


@pytest.mark.parametrize("text, key", [
    ("PAY BILL ACC 55", "bill acc"),  # no payee before the abbreviation: as before
    ("ZORBLAT ACC NHIF", "zorblat acc nhif"),  # not a bill payment
    ("ACC LEVY 2025", "acc levy"),  # New Zealand's ACC: first, no bill
    ("Pay Bill to 404040 - ZORBLAT WATER Acc. 5566", "zorblat water"),  # a reference of digits: dropped before too
    ("Merchant Payment to 123456 - ZORBLAT ACC", "zorblat acc"),  # a till, not a bill payment
    ("BILL'S DINER ACC NORTH", "bill diner acc north"),  # "bill" a name, beside no payment word
])
def test_what_is_no_bill_reference_stays(text, key):
    assert learn_key(text) == key == learn_key_before_session_24(text)


def test_the_frozen_keys_did_not_move():
    text = "Pay Bill to 222333 - E-VRENGLOAcc. NHIFM123"
    assert learn_key_before_session_24(text) == "vrenglo acc nhifm"
    assert learn_key_before_session_23(text) == "vrengloacc nhifm"


def test_the_categorizer_and_the_memory_read_the_same_key_as_the_learner():
    for text in ("Pay Bill to 222333 - E-VRENGLO Acc. NHIFM123", "Pay Bill to 1 - QUIXA Acc. Box5(Fbvcxk8)"):
        assert _texts(text)[2] == learn_key(text) == history_forms(text)[1]


# --------------------------------------------------------------------------- the memory and people
def _row(text: str, category: int, kind: str = "expense") -> history.HistoryRow:
    words, key = history_forms(text)
    return history.HistoryRow(key, words, kind, 2000, 5, None, category, text)


def test_the_memory_answers_a_person_only_from_that_persons_rows():
    rows = [_row("Customer Transfer to - 07******123 ZURI KAMAU", 7) for _ in range(3)]
    knowledge = history.UserKnowledge(rows)
    assert knowledge.memory.lookup("zuri kamau", "expense").category == 7
    assert knowledge.memory.lookup("zuri odhiambo", "expense") is None  # another Zuri: not Zuri Kamau's category
    # the same words as a shop's key still answer for its branches
    shop = history.UserKnowledge([_row("ZORBLAT MARKT KILBIRNIE", 3) for _ in range(3)])
    assert shop.memory.lookup("zorblat markt petone", "expense").category == 3


def test_a_persons_surname_gives_no_other_person_the_category():
    rows = [_row(f"PIX ENVIADO {name}", 5) for name in ("NEEMA ZETA", "NEEMA ZETA", "BARAKA QUIXO")]
    memory = history.UserKnowledge(rows).memory
    assert memory.lookup("neema zeta", "expense").category == 5
    assert memory.lookup("neema blorp", "expense") is None
    assert history.person_keys(rows) == {"neema zeta", "baraka quixo"}


# --------------------------------------------------------------------------- re-keying and people
FIRST = ["Zuri", "Baraka", "Neema", "Imani", "Jabari"]
LAST = ["Kamau", "Odhiambo"]
SENT = [f"Customer Transfer to - 07******{i}{j}3 {f} {s}" for i, f in enumerate(FIRST) for j, s in enumerate(LAST)]


def test_rekeying_keeps_a_persons_whole_name_and_reads_no_surname_as_a_place():
    keys = [learn_key(d) for d in SENT]
    assert {"kamau", "odhiambo"} <= household_places(keys)  # the keys alone read the surnames as places

    def before(d: str) -> str:  # an earlier key that kept the phrase's "to" (made up for the test)
        return "to " + learn_key(d)

    rules = [LearnedRule(1, "to zuri kamau", "starts_with", 4, kind="expense")]
    plan = plan_rekey(rules, [(d, "expense") for d in SENT], before=before, after=learn_key)
    assert plan.changed == {1: ("zuri kamau", "starts_with", 4)}  # not "zuri": Zuri Odhiambo is another person
    assert not plan.added
