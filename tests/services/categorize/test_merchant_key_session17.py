"""Session 17: a facilitator's code before a "*" and mobile money's person-to-person phrases are not the merchant
(issue #16, "one correction teaches the merchant"). Made-up texts; no evaluation row."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.services import categorize
from budgetwise.services import transactions as tx
from budgetwise.services.categories import find_category_by_name
from budgetwise.services.categorize.ruleset import _texts, utr_key
from budgetwise.textforms import learn_key, learn_key_before_session_17, merchant_key


@pytest.mark.parametrize("variants, key", [
    # Brazil's card lines: PagSeguro, PagBank, Mercado Pago, Zig, a generic "EC" code, or the seller alone
    (["PAG*PADARIA SOL", "PG *PADARIA SOL", "MP *PADARIA SOL", "ZIG*PADARIA SOL", "EC *PADARIA SOL", "PADARIA SOL"],
     "padaria sol"),
    # the US: Toast, Square, PayPal, Checkout.com, a lower-case export; the same key whatever the case
    (["TST* BLUE PARROT AUSTIN TX", "SQ *BLUE PARROT AUSTIN TX", "PAYPAL *BLUE PARROT AUSTIN TX",
      "CKO*BLUE PARROT AUSTIN TX", "py *blue parrot austin tx", "Blue Parrot Austin TX"], "blue parrot austin tx"),
    # M-Pesa: sent to, received from, paid to a person's small business; the person's name is the key
    (["Customer Transfer to - 07******463 Peter Kamau", "Funds received from - 07******463 Peter Kamau",
      "Customer Payment to Small Business to - 07******463 Peter Kamau",
      "Customer Payment to SmallBusiness to - 07******463 Peter Kamau", "SEND MONEY TO PETER KAMAU"], "peter kamau"),
    (["Business Payment from 303327 - ACME SACCO", "Funds received from Business 303327 - ACME SACCO",
      "Funds received from Business303327 - ACME SACCO", "ACME SACCO"], "acme sacco"),
])
def test_one_key_whatever_prints_the_payment_before_the_payee(variants, key):
    assert {learn_key(v) for v in variants} == {key}


@pytest.mark.parametrize("text, key", [
    ("UBER *TRIP", "uber trip"),  # a longer word before the "*": a brand with its product
    ("AMAZON *MKTP", "amazon mktp"),
    ("IFOOD *IFD*PADARIA SOL", "ifood ifd padaria sol"),  # a code only where it is the first word
    ("ABC*", "abc"),  # nothing after the "*": the word is the name
    ("XX*1234 ACME", "xx acme"),  # a number after the "*": a masked card, not a seller
    ("PAG*M", "pag m"),  # a one-letter seller: the text's words, not "pag" (every such seller's key)
    ("Customer Transfer of Funds Charge", "customer transfer funds charge"),  # a fee: no "to" / "from"
    ("Salary Payment from 3333 - ACME", "salary acme"),
    ("TRANSFER TO SAVINGS", "transfer savings"),  # one word of the phrase is not a phrase
    ("Customer Transfer to", "customer transfer"),  # nothing after it: as before
])
def test_what_only_looks_like_a_code_or_a_phrase_stays(text, key):
    assert learn_key(text) == key


def test_the_frozen_key_and_the_stored_merchant_are_as_before():
    assert learn_key_before_session_17("PAG*PADARIA SOL") == "pag padaria sol"
    assert learn_key_before_session_17("Customer Transfer to - 07******463 Peter Kamau") == "customer transfer peter kamau"
    assert merchant_key("PAG*PADARIA SOL") == "pag padaria sol"  # transactions.merchant: unchanged (no re-keying)


def test_the_categorizer_reads_the_same_key_as_the_learner():
    for text in ("PAG*PADARIA SOL 1234", "Customer Transfer to - 0722000463 Peter Kamau"):
        assert _texts(text)[2] == learn_key(text)
        assert utr_key(text) == learn_key(text).replace("1234", "0000")


def test_one_correction_of_a_facilitator_line_teaches_the_seller(session, alice):
    health = find_category_by_name(session, user_id=alice.user_id, name="Health")
    t = tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2025, 3, 1), amount="7", kind="expense",
                           description="PAG*FARMACIA LUA")
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=t.id, category_id=health.id)
    categorize.learn_and_apply(session, user_id=alice.user_id, transaction_id=t.id, category_id=health.id)
    items = [categorize.CategorizeItem(d, 900, "expense") for d in ("MP *FARMACIA LUA", "FARMACIA LUA", "ZIG*FARMACIA LUA",
                                                                      "PAG*PADARIA SOL")]
    got = categorize.categorize_items(session, user_id=alice.user_id, items=items, with_model=False)
    assert [g.category_id == health.id and g.source == categorize.SOURCE_LEARNED for g in got] == [True, True, True, False]
