"""The twelfth default rule set (issue #16, session 20, rulefix): words that caught other words. A brand is not a
prefix ("comed" is not "COMEDOR", "strom" not "STROMBOLI"), a short word that is also a given name is read only in a
phrase ("BIZUM A LUZ GARCIA", "TIKKIE DAAN"), and the intended forms still match (the German "Strom" compounds,
"SHELL1234"). The lines are in ``tools/default_rule_words.py`` (written from general knowledge, never from a data
set); the audit that found the words is ``tools/default_rule_fragments.py``."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_fragments as fragments
from tools import default_rule_words as words

RULEFIX_STAY_OUT = words.STAY_OUT[words.STAY_OUT.index(("expense", "COMEDOR UNIVERSITARIO", "Utilities")):
                                  words.STAY_OUT.index(("expense", "AMAZONAS ENERGIA", "Shopping"))]


def test_the_eleventh_set_caught_the_rulefix_stay_out_lines_and_the_twelfth_none():
    # all but "CENTRAL PARKING SYSTEM", which a parking word answered first
    for entries, caught in ((words.eleventh_set(), len(RULEFIX_STAY_OUT) - 1), (words.shipped_set(), 0)):
        got = words.Answerer(entries).answers((t, k) for k, t, _ in RULEFIX_STAY_OUT)
        assert sum(cat == never for (_, _, never), (cat, _) in zip(RULEFIX_STAY_OUT, got)) == caught


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("STROMRECHNUNG 11/2026", "Utilities"),
        ("STROMVERSORGUNG MUSTERSTADT", "Utilities"),
        ("STROM UND GAS ABSCHLAG", "Utilities"),
        ("COMED 123456", "Utilities"),
        ("SHELL OIL 57442", "Transport"),
        ("CENTRA STORE 12", "Groceries"),
        ("LUZ Y GAS NOVIEMBRE", "Utilities"),
        ("ANNA DAAN SEVA", "Gifts & Donations"),
    ],
)
def test_the_intended_forms_still_match(description, expected):
    assert category(description, "expense") == expected


def test_the_audit_reads_a_rule_s_fragments_and_leaves_its_anchored_words():
    entry = ("E (1)", "Utilities", "expense", 1000, "regex", r"\b(?:strom|edison)|\b(?:luz)\b|\b(?:comed)(?![a-z])")
    assert [w for _, w in fragments.fragments((entry,))] == ["strom", "edison"]
    assert [w for _, w in fragments.whole_words((entry,))] == ["luz"]
