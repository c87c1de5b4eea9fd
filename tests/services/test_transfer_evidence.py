"""The evidence that a same-amount pair is a transfer (session 15, issue #19): one test per rule, made-up rows."""

from __future__ import annotations

import pytest

from budgetwise.services.transfer_evidence import LIKELY, MAYBE, Side, level, score


def _score(out_text, in_text, out_kind="checking", in_kind="savings", *, out_name="Checking", in_name="Savings",
           amount=12_345, gap=1, repeats=0, rivals=0, out_cat=False, in_cat=False):
    return score(Side(out_text, out_name, out_kind, out_cat), Side(in_text, in_name, in_kind, in_cat),
                 amount_minor=amount, gap_days=gap, repeats=repeats, rivals=rivals)


BASE = _score("SHOP 17", "DEPOSIT")[0]  # no evidence either way


@pytest.mark.parametrize("out_text, in_text", [
    ("ONLINE TRANSFER 1234", "XFER FROM CHK"),
    ("Umbuchung auf Tagesgeld", "Überweisung vom Girokonto"),
    ("VIREMENT INTERNE", "Virement reçu"),
    ("Transferência para poupança", "TRASPASO"),
    ("Bonifico", "Giroconto"),
])
def test_transfer_words_in_several_languages_on_both_sides_make_a_pair_likely(out_text, in_text):
    points, why = _score(out_text, in_text)
    assert points >= LIKELY and "transfer or payment words" in why


@pytest.mark.parametrize("in_text", ["PAYMENT THANK YOU", "AUTOPAY PAYMENT RECEIVED", "Zahlung erhalten, danke"])
def test_card_payment_phrases_into_a_credit_card_are_evidence(in_text):
    points, why = _score("ONLINE BANKING 4411", in_text, in_kind="credit_card", in_name="Visa")
    assert points >= LIKELY and "paying a card or loan" in why


def test_a_debit_card_purchase_text_is_no_payment_phrase():
    """"CARD PAYMENT <shop>" is how a bank writes a purchase with the debit card, not paying the card."""
    assert _score("CARD PAYMENT WHOLE FOODS 12", "DEPOSIT")[0] == BASE


def test_a_text_naming_the_other_account_by_a_word_or_its_last_digits_is_evidence():
    by_word = _score("MOVE TO HOLIDAY POT", "DEPOSIT", in_name="Holiday pot")
    by_digits = _score("PAYMENT ACCT ...4821", "CREDIT", in_name="Visa 4821", in_kind="checking")
    for points, why in (by_word, by_digits):
        assert points > BASE and "a text names the other account" in why
    assert _score("PAY ACCOUNT", "DEPOSIT", in_name="Joint account")[0] == BASE  # a generic word names nothing


def test_the_same_text_on_both_rows_is_evidence():
    points, why = _score("Mariana dinner", "Mariana dinner")
    assert points == BASE + 1.0 and "the same text on both rows" in why


def test_money_in_that_reads_like_income_or_a_refund_counts_against():
    for text in ("AMAZON REFUND", "ACME PAYROLL", "Dividende", "Erstattung", "juros"):
        points, why = _score("GROCER 12", text)
        assert points < BASE and level(points) is None, text
        assert "the money in reads like income or a refund" in why


def test_money_out_of_a_credit_card_is_a_purchase_not_a_transfer():
    points, why = _score("THAI BASIL", "DEPOSIT", out_kind="credit_card", out_name="Visa")
    assert level(points) is None and "money out of a credit card is usually a purchase" in why


def test_a_row_in_a_transfer_category_is_evidence():
    assert _score("SHOP 17", "DEPOSIT", in_cat=True)[0] == BASE + 1.5
    assert _score("SHOP 17", "DEPOSIT", in_cat=True, out_cat=True)[0] == BASE + 3.0


def test_the_same_amount_between_the_same_accounts_in_other_months_is_evidence():
    assert _score("SHOP 17", "DEPOSIT", repeats=1)[0] == BASE + 0.75
    assert _score("SHOP 17", "DEPOSIT", repeats=12)[0] == BASE + 2.25  # capped


def test_round_and_exact_large_amounts_are_evidence_small_odd_ones_are_not():
    assert _score("SHOP 17", "DEPOSIT", amount=50_000)[0] > BASE  # 500.00
    assert _score("SHOP 17", "DEPOSIT", amount=61_263)[0] > BASE  # 612.63: an exact large coincidence is rare
    assert _score("SHOP 17", "DEPOSIT", amount=2_000)[0] == BASE  # 20.00: common


def test_the_gap_in_days_and_other_rows_of_the_amount_nearby():
    assert _score("SHOP 17", "DEPOSIT", gap=0)[0] > BASE > _score("SHOP 17", "DEPOSIT", gap=4)[0]
    points, why = _score("SHOP 17", "DEPOSIT", rivals=2)
    assert points == BASE - 1.0 and "other rows of this amount nearby" in why


def test_levels():
    assert (level(LIKELY), level(LIKELY - 0.01), level(MAYBE), level(MAYBE - 0.01)) == ("likely", "maybe", "maybe", None)


def test_a_channel_of_other_transfers_between_the_two_accounts_is_evidence():
    from budgetwise.services.transfer_evidence import CHANNEL_MIN, channel

    assert channel(1.5, ("x",), CHANNEL_MIN - 1) == (1.5, ("x",))
    assert channel(1.5, ("x",), CHANNEL_MIN) == (2.25, ("x", "these accounts often exchange transfers"))
