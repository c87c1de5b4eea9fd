"""The fourteenth default rule set (issue #16, session 23, cat23b): the gaps bank lines written from general
knowledge found (``tools/default_rule_candidates.py``). "UBER* EATS" is a meal, not a ride; an airline's shortened
name with its own 13-digit ticket number is a flight; "FASTAG RECHARGE" is a toll top-up, not a phone's; Swiggy
Instamart is groceries. And each word's other meanings stay out: an Uber ride, Swiggy alone, "United" and a
13-digit number without the airline's code, phone and TV top-ups. The lines are in ``tools/default_rule_words.py``
(written from general knowledge, never from a data set)."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_words as words

V14_STAY_OUT = words.STAY_OUT[words.STAY_OUT.index(("expense", "UBER *TRIP HELP.UBER.COM", "Dining")):
                              words.STAY_OUT.index(("expense", "RECARGA CELULAR VIVO", "Transport"))]
V14_PROBES = words.PROBES[words.PROBES.index(("expense", "UBER* EATS PENDING", "Dining")):
                          words.PROBES.index(("expense", "METRO CARD RECHARGE", "Transport"))]


def test_the_v14_probes_are_answered_now_and_were_not_but_two():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V14_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V14_PROBES, got) if cat != want] == []
    before = words.Answerer(words.thirteenth_set()).answers((t, k) for k, t, _ in V14_PROBES)
    # Alaska's name was read before ("alaska air"); the other twelve were misread or left open
    assert [t for (_, t, want), (cat, _) in zip(V14_PROBES, before) if cat == want] == ["ALASKA AIR 0272345678901"]


def test_no_v14_stay_out_line_is_caught_by_the_thirteenth_or_the_fourteenth_set():
    for entries in (words.thirteenth_set(), words.shipped_set()):
        got = words.Answerer(entries).answers((t, k) for k, t, _ in V14_STAY_OUT)
        assert [t for (_, t, never), (cat, _) in zip(V14_STAY_OUT, got) if cat == never] == []


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("UBER* EATS", "Dining"),
        ("UBER *TRIP", "Transport"),
        ("SWIGGY", "Dining"),
        ("INSTAMART", "Groceries"),
        ("NETC FASTAG RECHARGE", "Transport"),
        ("PREPAID RECHARGE", "Utilities"),
        ("AMERICAN AIR0012345678901", "Travel"),
        ("DELTA AIR 0062345678901", "Travel"),
    ],
)
def test_the_fourteenth_set_s_words_and_their_neighbours(description, expected):
    assert category(description, "expense") == expected


@pytest.mark.parametrize("description", ["UNITED 1234567890123", "UNITED 016123456789", "SOUTHWES 0161234567890"])
def test_an_airline_name_needs_its_own_code_and_thirteen_digits(description):
    assert category(description, "expense") != "Travel"
