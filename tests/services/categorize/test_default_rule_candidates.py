"""Session 23: bank lines of the held-out data sets' kind, written from general knowledge (tools/default_rule_candidates.py).

The KNOWN lines are answered as written by the shipped default rules and brands (a change to the rule set or the
brand table that breaks one shows here); the GAPS are general forms the shipped set misses: when a later rule set
answers one, it moves to KNOWN (the five of session 23 did with the fourteenth set, migration 0034)."""

from __future__ import annotations

from budgetwise.services.categories import DEFAULT_CATEGORIES
from tools import default_rule_candidates as cand

NAMES = {name for name, _, _ in DEFAULT_CATEGORIES}


def test_every_line_names_a_direction_and_a_default_category():
    lines = cand.KNOWN + cand.GAPS
    assert all(kind in ("income", "expense") and want in NAMES for kind, _, want in lines)
    assert len({text for _, text, _ in lines}) == len(lines)


def test_the_known_lines_are_answered_as_written():
    wrong = [(text, want, got) for (_, text, want), got in zip(cand.KNOWN, cand.answers(cand.KNOWN)) if got[0] != want]
    assert wrong == []


def test_each_gap_is_still_a_gap_and_its_pattern_reads_it():
    got = cand.answers(cand.GAPS)
    moved = [text for (_, text, want), (cat, _) in zip(cand.GAPS, got) if cat == want]
    assert moved == [], "answered now: move these lines to KNOWN"
    hits = cand.gap_hits(text for _, text, _ in cand.GAPS + cand.KNOWN)  # the fourteenth set's five are KNOWN now
    assert all(n >= 1 for n in hits.values()), hits


def test_answers_say_where_an_answer_came_from():
    (rule, brand_or_none) = cand.answers([("expense", "NETFLIX.COM", "Subscriptions"),
                                          ("income", "QWERTY ZXCV 123", "Other Income")])
    assert rule == ("Subscriptions", rule[1]) and rule[1].startswith("rule:")
    assert brand_or_none[0] is None and not brand_or_none[1].startswith(("rule:", "brand:"))
