"""The fifteenth default rule set (issue #16, session 24, cat24): error classes that are general. A transit card's
top-up is transport, not a phone's; "<name> GAS CO" and a travel brand's "GAS"/"ELEC" are a utility, "Southwestern"
no flight; a courier or pick-up-and-drop service is transport, not a meal; "VIRT", "VIRMT", "ordre permanent" are
transfers; a credit received from someone is Other Income (one treatment: ``default_rule_additions_v15``), while a
card payment, an own-account transfer, a loan, a salary or a refund keep theirs. The lines are in
``tools/default_rule_words.py`` (written from general knowledge, never from a data set)."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_words as words

V15_STAY_OUT = words.STAY_OUT[words.STAY_OUT.index(("expense", "RECARGA CELULAR VIVO", "Transport")):]
V15_PROBES = words.PROBES[words.PROBES.index(("expense", "METRO CARD RECHARGE", "Transport")):]


def test_the_v15_probes_are_answered_now_and_were_not():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V15_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V15_PROBES, got) if cat != want] == []
    before = words.Answerer(words.fourteenth_set()).answers((t, k) for k, t, _ in V15_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V15_PROBES, before) if cat == want] == []


def test_no_v15_stay_out_line_is_caught_by_the_fifteenth_set():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V15_STAY_OUT)
    assert [t for (_, t, never), (cat, _) in zip(V15_STAY_OUT, got) if cat == never] == []
    before = words.Answerer(words.fourteenth_set()).answers((t, k) for k, t, _ in V15_STAY_OUT)
    # the fourteenth set read "southwest" as a prefix: "Southwestern Bell" was a flight
    assert [t for (_, t, never), (cat, _) in zip(V15_STAY_OUT, before) if cat == never] == ["SOUTHWESTERN BELL"]


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        ("METRO CARD RECHARGE", "expense", "Transport"),
        ("MOBILE RECHARGE", "expense", "Utilities"),
        ("SOUTHWEST GAS CORP", "expense", "Utilities"),
        ("SOUTHWEST AIRLINES", "expense", "Travel"),
        ("SWIGGY GENIE", "expense", "Transport"),
        ("SWIGGY", "expense", "Dining"),
        ("PIX RECEBIDO JOAO SILVA", "income", "Other Income"),
        ("PIX ENVIADO JOAO SILVA", "expense", None),  # a guess (fallback), as before
        ("RECEIVED FROM JOHN SMITH", "income", "Other Income"),
        ("PAYMENT RECEIVED - THANK YOU", "income", "Transfers"),
        ("TRANSFER FROM SAVINGS", "income", "Transfers"),
        ("LOAN RECEIVED FROM HDFC BANK", "income", "Transfers"),
        ("SEND MONEY TO JOHN", "expense", "Transfers"),
    ],
)
def test_the_fifteenth_set_s_words_and_their_neighbours(description, kind, expected):
    assert category(description, kind) == expected
