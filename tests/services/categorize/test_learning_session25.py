"""Session 25 (learn25): a company paid through a person's rail is no person; "Learn this?" never takes payment-form
words as the merchant; the payee's kind the model may read (off by default, measured). Made-up names, no evaluation
row; the learning key's change (a short bill payee) is tested with its migration
(tests/migrations/test_migration_rekey_short_bill_payee.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.services import categorize
from budgetwise.services import transactions as tx
from budgetwise.services.categories import find_category_by_name
from budgetwise.services.categorize import history
from budgetwise.services.categorize.stems import choose_stem
from budgetwise.textforms import learn_key, names_person, payee_kind, tokens_form
from budgetwise.textnames import names_company, payment_form_word


@pytest.mark.parametrize("text, person", [
    ("PIX ENVIADO Zorblat Tech Ltda", False),
    ("PIX ENVIADO Quixa Vrenglo ME", False),  # a Brazilian micro-enterprise
    ("PIX RECEBIDO Blorp Comercio de Roupas", False),
    ("TED ENVIADA Plimsel Eireli", False),
    ("PIX ENVIADO Nuhtfit S.A.", False),
    ("PIX ENVIADO Nuhtfit S/A", False),
    ("PIX ENVIADO Padaria Zorblat", False),
    ("Customer Transfer to - 07******463 Zorblat Holdings Limited", False),
    ("SEND MONEY TO ACME GMBH", False),
    ("PIX ENVIADO Aline Souza", True),
    ("PIX ENVIADO Marcelo Zorblat Ribas da Co", True),  # a surname cut after "da" in a fixed-width field
    ("PIX ENVIADO Sa Zorblat", True),  # a legal form's letters as a first name count only after it
    ("Customer Transfer to - 07******463 Zuri Kamau", True),
])
def test_a_company_paid_through_a_persons_rail_is_no_person(text, person):
    assert names_person(text) is person


def test_names_company_reads_legal_forms_of_many_countries_after_the_first_word():
    for name in ("acme gmbh", "acme sarl", "acme srl", "acme bv", "acme oy", "acme kft", "acme sp zoo", "acme pty ltd",
                 "acme pvt ltd", "acme sdn bhd", "acme llc", "acme inc"):
        assert names_company(name.split()), name
    assert not names_company(["ltd"]) and not names_company(["aline", "souza"])


@pytest.mark.parametrize("text, kind", [
    ("PIX ENVIADO Aline Souza", "person"),
    ("PIX ENVIADO Zorblat Tech Ltda", "business"),
    ("Pay Bill to 404040 - ZORBLAT WATER Acc. 55", "bill"),
    ("ONLINE BILL PAYMENT ZORBLAT POWER", "bill"),
    ("Merchant Payment to 123456 - ZORBLAT MARKT", "business"),
    ("ZORBLAT MARKT KILBIRNIE", ""),
])
def test_payee_kind(text, kind):
    assert payee_kind(tokens_form(text.casefold()).split()) == kind


def test_payment_form_words_come_from_the_one_list():
    assert all(payment_form_word(w) for w in ("transferencia", "emitida", "bizum", "virement", "overboeking"))
    assert not payment_form_word("salesians") and not payment_form_word("zorblat")


def test_a_stem_is_never_only_payment_form_words():
    key = learn_key("Transferencia emitida a Zorblat Quixa Vrenglo")
    assert key == "transferencia emitida zorblat quixa vrenglo"
    assert choose_stem(key, 1, []) == "transferencia emitida zorblat"  # the payee's word, never just the form
    assert choose_stem("transferencia bizum emitida", 1, []) == "transferencia bizum emitida"  # a form alone: itself
    assert choose_stem("pak save kilbirnie kilbirnie", 1, []) == "pak save"  # a merchant's stem as before
    assert choose_stem("cash converters petone", 1, []) == "cash converters"  # a name that starts with such a word


def _row(session, user, description, day):
    return tx.add_transaction(session, user_id=user.user_id, date=dt.date(2025, 3, day), amount="40",
                              kind="expense", description=description)


def test_learn_this_offers_the_payee_not_the_payment_form(session, alice):
    rows = [_row(session, alice, d, 1 + i) for i, d in enumerate([
        "Transferencia emitida a Zorblat Quixa casal", "Transferencia emitida a Zorblat Quixa casal",
        "Transferencia emitida a Plimsel Blorp", "Transferencia emitida a Nuhtfit Vrenglo"])]
    gifts = find_category_by_name(session, user_id=alice.user_id, name="Gifts & Donations")
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=rows[0].id, category_id=gifts.id)
    offer = categorize.learn_from_correction(session, user_id=alice.user_id, transaction_id=rows[0].id,
                                             category_id=gifts.id)
    assert offer.merchant == "transferencia emitida zorblat"  # not "transferencia emitida" (every transfer)
    assert offer.matching_past == 1  # the same payee's other row; Plimsel's and Nuhtfit's are left alone


def test_a_company_paid_by_pix_keeps_its_shorter_stems_in_the_memory():
    rows = [history.HistoryRow(learn_key(d), history.text_words(d.casefold()), "expense", 5_000, 1, None, 7, d)
            for d in ("PIX ENVIADO Zorblat Tech Ltda", "PIX ENVIADO Aline Souza")]
    assert history.person_keys(rows) == frozenset({"aline souza"})


def test_the_payee_tokens_are_off_by_default_and_cross_kind_direction_and_amount_when_on(monkeypatch):
    plain = history.structure_tokens("expense", 5_000, 12, None, "", "bill")
    assert not any(t.startswith(("payee:", "dom:")) for t in plain)
    assert history.payee_token("pay bill to zorblat water", "zorblat water") == ""  # not read while off
    monkeypatch.setattr(history, "PAYEE_TOKENS", True)
    monkeypatch.setattr(history, "DAY_TOKENS", True)
    assert history.payee_token("pay bill to zorblat water", "zorblat water") == "bill"
    assert history.payee_token("cash withdrawal", "cash withdrawal") == "kind"
    on = history.structure_tokens("expense", 5_000, 12, None, "", "bill")
    band = history.amount_bucket(5_000) // history.PAYEE_BAND
    assert {"payee:out:bill", f"payee:out:bill:{band}", "dom:out:bill:2"} <= set(on)
