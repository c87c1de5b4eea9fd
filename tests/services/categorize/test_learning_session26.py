"""Session 26 (issue #16): a key of legal forms only is no merchant ("limited" of a payee whose other words are a
payment's named every such company); the frozen keys moved to ``budgetwise.textkeys`` and read as before through
``textforms``. Made-up names and texts; no evaluation row."""

from __future__ import annotations

import pytest

from budgetwise import textforms, textkeys
from budgetwise.services.categorize import history
from budgetwise.services.categorize.knowledge import history_forms
from budgetwise.services.categorize.ruleset import _texts
from budgetwise.textforms import learn_key


@pytest.mark.parametrize("text, key", [
    ("POS PURCHASE LIMITED 4711", "pos purchase limited"),
    ("CARD PURCHASE LIMITED", "card purchase limited"),
    ("Pay Bill Online to 40932 -Direct Pay Limited 1 A", "direct pay limited"),
    ("DEBIT ORDER GMBH 0412", "debit order gmbh"),  # too short before as well: the fallback kept the words
])
def test_a_key_of_legal_forms_only_keeps_the_payees_payment_words(text, key):
    assert learn_key(text) == key


@pytest.mark.parametrize("text, key", [
    ("POS PURCHASE VRENGLO LIMITED", "vrenglo limited"),  # a name beside the form
    ("Merchant Payment to 123 - ZORBLAT LIMITED", "zorblat limited"),
    ("Card payment Quixa GmbH", "quixa"),  # the form is the key's boilerplate: as before
    ("Pg *O_Pao", "pao"),  # a facilitator's code is no payment word: a bakery's "pão" stays its key
    ("PIX ENVIADO BLORP BRASIL LTDA", "blorp brasil ltda"),
])
def test_keys_with_a_name_are_as_before(text, key):
    assert learn_key(text) == key == textkeys.learn_key_before_session_26(text)


def test_two_companies_are_two_merchants_in_the_memory():
    rows = [history.HistoryRow(*history_forms(t)[::-1], "expense", 2000, 5, None, c, t)
            for t, c in (("POS PURCHASE LIMITED 4711", 1), ("POS PURCHASE LIMITED 4711", 1))]
    memory = history.MerchantMemory((r.key, r.kind, r.category, r.amount_minor) for r in rows)
    assert memory.lookup(learn_key("CARD PURCHASE LIMITED"), "expense") is None
    assert memory.lookup(learn_key("POS PURCHASE LIMITED 99"), "expense").category == 1


def test_the_frozen_keys_did_not_move_and_read_through_textforms():
    text = "POS PURCHASE LIMITED 4711"
    assert textkeys.learn_key_before_session_26(text) == "limited"
    assert textforms.learn_key_before_session_26 is textkeys.learn_key_before_session_26
    assert textforms.learn_key_before_session_25 is textkeys.learn_key_before_session_25
    assert textforms.learn_key_before_session_25("Pay Bill to 222 - QZ Acc. NHIFM") == "bill qz acc nhifm"
    assert textforms.learn_key_before_session_12("4835-****-1234 Df BLORP SAVE") == "df blorp save"
    with pytest.raises(AttributeError):
        textforms.learn_key_before_session_99  # noqa: B018
    with pytest.raises(AttributeError):
        textforms.no_such_name  # noqa: B018


def test_the_categorizer_and_the_memory_read_the_same_key_as_the_learner():
    for text in ("POS PURCHASE LIMITED 4711", "Pay Bill Online to 40932 -Direct Pay Limited 1 A"):
        assert _texts(text)[2] == learn_key(text) == history_forms(text)[1]
