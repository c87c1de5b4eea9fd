"""The sixteenth default rule set (issue #16, session 25, cat25): error classes that are general. A payment word glued
to "Charge" is a fee; a bill paid to a bank, a SACCO or a microfinance bank is a transfer; an airtime reference is a
phone top-up; national health insurance is health and social-security contributions are taxes; investment and
retirement words on a debit are no spending; owners' association fees are housing; postal carriers are transport
(``default_rule_additions_v16``), while their neighbours keep theirs. The lines are in ``tools/default_rule_words.py``
(written from general knowledge, never from a data set)."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_words as words

V16_STAY_OUT = words.STAY_OUT[words.STAY_OUT.index(("expense", "UPSTAIRS CAFE", "Transport")):]
V16_PROBES = words.PROBES[words.PROBES.index(("expense", "WithdrawalCharge", "Fees")):]


def test_the_v16_probes_are_answered_now_and_were_not():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V16_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V16_PROBES, got) if cat != want] == []
    before = words.Answerer(words.fifteenth_set()).answers((t, k) for k, t, _ in V16_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V16_PROBES, before) if cat == want] == []


def test_no_v16_stay_out_line_is_caught_by_the_sixteenth_set():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V16_STAY_OUT)
    assert [t for (_, t, never), (cat, _) in zip(V16_STAY_OUT, got) if cat == never] == []


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        ("Customer Transfer of Funds Charge", "expense", "Fees"),
        ("SEND MONEY TO JOHN", "expense", "Transfers"),
        ("Pay Bill to 303030 - ZORBLAT BANK Acc. 123", "expense", "Transfers"),
        ("Pay Bill to 888880 - KPLC PREPAID Acc. 1234", "expense", "Utilities"),
        ("Pay Bill to 123456 - ZORBLAT RIVERBANK Acc. 12", "expense", None),  # "bank" inside a word: no answer
        ("NHIF CONTRIBUTION", "expense", "Health"),
        ("HEALTH INSURANCE PREMIUM", "expense", "Insurance"),
        ("NSSF CONTRIBUTION", "expense", "Taxes"),
        ("CAPITAL GAINS", "expense", "Transfers"),
        ("CAPITAL GAINS", "income", "Investment Income"),
        ("CAPITAL GAINS TAX", "expense", "Taxes"),
        ("BUILDING ADMINISTRATION", "expense", "Rent"),
        ("ROYAL MAIL", "expense", "Transport"),
        ("UPSTOX SECURITIES", "expense", "Transfers"),
        ("CLARO PGTO FATURA", "expense", "Utilities"),
    ],
)
def test_the_sixteenth_set_s_words_and_their_neighbours(description, kind, expected):
    assert category(description, kind) == expected
