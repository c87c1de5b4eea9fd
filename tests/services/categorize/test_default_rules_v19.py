"""The nineteenth default rule set (issue #16, session 28, rules28): words of the seventeenth and eighteenth sets that
read other things narrowed to the sense they were written for — a card purchase written "VISA ONLINE PAYMENT
<merchant>", a given name "shagun", a surname "aguinaldo", a cylinder of another gas, "Canadian Tire" — and a tax refund
is a refund (``default_rule_additions_v19``). Every line is made up from general knowledge of bank text, never taken
from a data set."""

from __future__ import annotations

import re

import pytest

from budgetwise.services.categorize.regex_safety import compile_regex
from budgetwise.services.default_rule_additions_v19 import CARD_SCHEMES, not_after
from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_words as words

# (direction, line, the category the nineteenth set gives; None: no rule, a fallback guess or the review)
V19_PROBES: tuple[tuple[str, str, str | None], ...] = (
    ("expense", "VISA ONLINE PAYMENT NETFLIX.COM", "Subscriptions"),
    ("expense", "MASTERCARD ONLINE PAYMENT AMAZON", "Shopping"),
    ("expense", "VISA ONLINE PAYMENT ZORBLAT", None),  # an unknown merchant: the card purchase guess
    ("expense", "UPI/412345678901/SHAGUN SHARMA/zorblat@ybl", None),
    ("expense", "HARAMBEE SACCO", None),
    ("income", "TRANSFER FROM MARIA AGUINALDO", "Transfers"),  # as any "TRANSFER FROM <name>"
    ("income", "13TH MONTH PAY ZORBLAT INC", "Salary"),
    ("expense", "OXYGEN CYLINDER REFILL", None),
    ("expense", "CO2 CYLINDER REFILL", None),
    ("expense", "COOKING GAS ZORBLAT", "Utilities"),
    ("expense", "CANADIAN TIRE #0123 ZORBLAT ON", "Shopping"),  # a general store, as the Shopping group has it
    ("expense", "CDN TIRE STORE #0123", "Shopping"),
    ("expense", "CANADIAN TIRE GAS BAR 0123", "Transport"),  # a fuel station
    ("expense", "ZORBLAT GAS BAR", "Transport"),
    ("income", "IRS TREAS 310 TAX REF", "Refunds"),
    ("income", "CANADA RIT", "Refunds"),
    ("income", "STEUERERSTATTUNG FINANZAMT ZORBLAT", "Refunds"),
    ("income", "EINKOMMENSTEUERERSTATTUNG 2025", "Refunds"),
    ("income", "RESTITUICAO IRPF 2026", "Refunds"),
    ("income", "BELASTINGDIENST TERUGGAAF IB 2025", "Refunds"),
    ("income", "SKATTEVERKET SKATTEATERBARING", "Refunds"),
    ("income", "VERONPALAUTUS", "Refunds"),
    ("income", "OVERSKYDENDE SKAT", "Refunds"),
)
# lines the nineteenth set answers as the eighteenth did: the senses the words were written for, their neighbours
V19_SAME: tuple[tuple[str, str], ...] = (
    ("expense", "BK OF ZORBLAT VISA ONLINE PMT"),
    ("expense", "BK OF ZORBLAT VISA ONLINE PMT CKF812345POS"),
    ("expense", "AMEX ONLINE PAYMENT 0042"),
    ("expense", "MASTERCARD ONLINE PAYMENT REF 1234"),
    ("expense", "VISA ONLINE PAYMENT THANK YOU"),
    # a reference word or code, a masked card number or a date after the phrase: still the card's payment (review28)
    ("expense", "VISA ONLINE PAYMENT REFERENCE 0042"),
    ("expense", "VISA ONLINE PAYMENT WEB ID: 9876543210"),
    ("expense", "VISA ONLINE PAYMENT PPD ID 9000"),
    ("expense", "VISA ONLINE PAYMENT TXN 0001234"),
    ("expense", "MASTERCARD ONLINE PAYMENT TRN 8822"),
    ("expense", "VISA ONLINE PAYMENT ACH"),
    ("expense", "VISA ONLINE PAYMENT DEC 05"),
    ("expense", "VISA ONLINE PAYMENT XXXXXX1234"),
    ("expense", "PAYMENT THANK YOU"),
    ("expense", "CREDIT CARD PAYMENT"),
    ("expense", "AUTOPAY VISA"),
    ("expense", "DISCOVER DES:E-PAYMENT 1234"),
    ("expense", "ONLINE PAYMENT ZORBLAT"),  # no card scheme: the generic transfer word as before
    ("expense", "ONLINE PAYMENT NETFLIX.COM"),
    ("expense", "MAESTRO ONLINE PAYMENT SPOTIFY"),  # the eighteenth set did not read "maestro"
    ("expense", "SHAGUN FOR ZORBLAT WEDDING"),
    ("expense", "HARAMBEE CONTRIBUTION"),
    ("income", "PAGO AGUINALDO DICIEMBRE"),
    ("income", "AGUINALDO 2026 ZORBLAT SA"),
    ("expense", "LPG CYLINDER REFILL"),
    ("expense", "GAS CYLINDER REFILL"),
    ("expense", "INDANE CYLINDER BOOKING"),
    ("expense", "DISCOUNT TIRE 0042"),
    ("expense", "ZORBLAT TIRE AND AUTO"),
    ("expense", "TIRES PLUS 0042"),
    ("expense", "ZORBLAT SPORTS BAR"),
    ("income", "IRD REFUND"),
    ("income", "HMRC TAX REFUND"),
    ("income", "ATO TAX REFUND"),
    ("income", "IRD"),  # a tax authority's bare name: other income as before
    ("income", "FINANZAMT"),
    ("income", "SSA TREAS 310 XXSOC SEC"),
)
# the nineteenth set's new words in their other senses: none may get the category named
V19_STAY_OUT: tuple[tuple[str, str, str], ...] = (
    ("income", "TAX REFERRAL BONUS", "Refunds"),
    ("expense", "TERUGGAVE", "Refunds"),  # the refund group reads credits only
    ("expense", "ZORBLAT SPORTS BAR AND GAS GRILL", "Transport"),
    ("expense", "GASBARRI ZORBLAT", "Transport"),
    ("expense", "ZORBLAT GAS BARBECUE", "Transport"),
    ("income", "13TH MONTHLY INSTALMENT", "Salary"),
    ("expense", "ONLINE PAYMENT VISA ZORBLAT", "Shopping"),  # the scheme after the phrase: not the purchase form
)


def test_the_v19_probes_get_their_answer_and_the_v18_set_s_differed():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V19_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V19_PROBES, got) if cat != want] == []
    before = words.Answerer(words.eighteenth_set()).answers((t, k) for k, t, _ in V19_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V19_PROBES, before) if cat == want] == []


def test_the_nineteenth_set_answers_its_neighbours_as_the_eighteenth_did():
    lines = [(t, k) for k, t in V19_SAME]
    now = [cat for cat, _ in words.Answerer(words.shipped_set()).answers(lines)]
    assert now == [cat for cat, _ in words.Answerer(words.eighteenth_set()).answers(lines)]
    assert now[:9] == ["Transfers"] * 9 and now[-6:-3] == ["Refunds"] * 3


def test_no_v19_stay_out_line_is_caught():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V19_STAY_OUT)
    assert [t for (_, t, never), (cat, _) in zip(V19_STAY_OUT, got) if cat == never] == []


@pytest.mark.parametrize(
    ("before", "matches"),
    [("", True), ("zorblat ", True), ("zorblat-", True), ("a ", True), ("isa ", True), ("xvisa ", True),
     ("visas ", True), ("card ", True), ("12 visa ", False), ("visa ", False), ("my mastercard ", False),
     ("amex ", False), ("maestro ", False), ("zorblat/visa ", False)],
)
def test_not_after_reads_the_word_before_the_phrase(before, matches):
    pattern = not_after(CARD_SCHEMES, "online payment")
    compile_regex(pattern, max_length=500)  # the engine runs it: no lookbehind, bounded
    assert bool(re.search(pattern, before + "online payment zorblat")) is matches


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        ("VISA ONLINE PAYMENT NETFLIX.COM", "expense", "Subscriptions"),  # through the app's own categorize path
        ("CANADIAN TIRE #0123", "expense", "Shopping"),
        ("IRS TREAS 310 TAX REF", "income", "Refunds"),
        ("BK OF ZORBLAT VISA ONLINE PMT", "expense", "Transfers"),
    ],
)
def test_the_nineteenth_set_through_categorize(description, kind, expected):
    assert category(description, kind) == expected
