"""The thirteenth default rule set (issue #16, session 21, frag13): more brands that were prefixes. "amazon" is not
"AMAZONAS ENERGIA", "barcelo" not "BARCELONA", "caffe" not "CAFFEINE", "kitchen" not "KITCHENAID"; bare "LPG" is not
India's cooking gas; and the brands' own forms still match ("AMAZON.COM*...", "CAFFE CENTRALE", "BOOTS 1234"). The
lines are in ``tools/default_rule_words.py`` (written from general knowledge, never from a data set); the audit that
found the words is ``tools/default_rule_fragments.py`` (``--words``: word lists of the supported languages)."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_fragments as fragments
from tools import default_rule_words as words

FRAG13_STAY_OUT = words.STAY_OUT[words.STAY_OUT.index(("expense", "AMAZONAS ENERGIA", "Shopping")):
                                  words.STAY_OUT.index(("expense", "UBER *TRIP HELP.UBER.COM", "Dining"))]
FRAG13_PROBES = words.PROBES[words.PROBES.index(("expense", "AMAZON.COM*AB12C3 SEATTLE", "Shopping")):
                             words.PROBES.index(("expense", "UBER* EATS PENDING", "Dining"))]


def test_the_twelfth_set_caught_most_frag13_stay_out_lines_and_the_thirteenth_none():
    # the six the twelfth set did not catch are answered first by another word ("energia", "beauty", "restaurant",
    # "cafe", "fitness", the insurer "churchill"): kept, so a later change cannot bring the prefix back unseen
    for entries, caught in ((words.twelfth_set(), len(FRAG13_STAY_OUT) - 6), (words.shipped_set(), 0)):
        got = words.Answerer(entries).answers((t, k) for k, t, _ in FRAG13_STAY_OUT)
        assert sum(cat == never for (_, _, never), (cat, _) in zip(FRAG13_STAY_OUT, got)) == caught


def test_every_probe_line_is_answered_right_and_the_frag13_ones_were_right_before_but_one():
    right, wrong, none, _failing = words.score(words.Answerer(words.shipped_set()))
    assert (right, wrong, none) == (len(words.PROBES), 0, 0)
    got = words.Answerer(words.twelfth_set()).answers((t, k) for k, t, _ in FRAG13_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(FRAG13_PROBES, got) if cat != want] == ["AMAZONPRIME*AB12C"]


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("AMAZON.DE*AB12CD34", "Shopping"),
        ("AMAZON PRIME*AB12C", "Subscriptions"),
        ("CAFFE NERO 123 LONDON", "Dining"),
        ("BOOTS.COM", "Health"),
        ("INDANE LPG CYLINDER", "Utilities"),
        ("HOTEL ARTS BARCELONA", "Travel"),
    ],
)
def test_the_intended_forms_still_match(description, expected):
    assert category(description, "expense") == expected


@pytest.mark.parametrize(
    ("description", "never"),
    [("AMAZONAS ENERGIA S A", "Shopping"), ("BIZUM A REVOLUTION GYM", "Transfers"), ("AUTOGAS LPG", "Utilities")],
)
def test_the_other_words_are_not_read_as_the_brand(description, never):
    assert category(description, "expense") != never


def test_the_word_list_audit_lists_a_brand_s_other_words_and_not_its_inflections(tmp_path):
    entry = ("T (1)", "Travel", "expense", 1000, "regex", r"\b(?:barcelo|grocer)|\b(?:accor)(?![a-z])")
    (tmp_path / "words").write_text("Barcelona\nbarcelonés\ngrocery\ngrocers\naccord\n", encoding="utf-8")
    found = fragments.dictionary_words((entry,), [tmp_path / "words"])
    assert [(lit, other) for _, lit, other in found] == [("barcelo", ["barcelona", "barcelones"])]
