"""Property tests of the categorization engine (no database): the fast paths agree with brute force."""

from __future__ import annotations

import functools
import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetwise.errors import ValidationError
from budgetwise.services import categorize as cz
from budgetwise.services import regex_engine
from budgetwise.services.default_rules import _FALLBACK_GROUPS, _GROUPS, DEFAULT_RULES, _patterns
from budgetwise.text import zero_digits

VOCAB = sorted({w.strip("~$*#") for _, _, _, words in _GROUPS + _FALLBACK_GROUPS for w in words})[::7] + [
    "pos", "purchase", "card", "ref", "café", "MÜLLER", "shop", "4th", "7-eleven", "o2", "12/03", "xx1234", "*",
    "-", ".", "/", "&", "'", "amazon.com", "uber", "eats", "q8", "24 hour fitness", "bp", "bpay", "rental", "rent",
]
USER_RULES = [
    ("contains", "café müller"), ("contains", "uber trip"), ("starts_with", "pos purchase"), ("exact", "corner shop"),
    ("regex", r"^zz\d{3}\b"), ("regex", r"(?:fit|gym)\w*"), ("contains", "7-eleven"), ("exact", "o2"),
    ("regex", r"\bq\d\b|shop$"), ("contains", "a"),
]


def _ruleset() -> cz._RuleSet:
    rows = [cz._RuleRow(i, 1, mt, p, None, None, None, None, "user", False) for i, (mt, p) in enumerate(USER_RULES)]
    rows += [
        cz._RuleRow(100 + i, 2, r.match_type, r.pattern, None, None, r.kind, None, "default", True)
        for i, r in enumerate(DEFAULT_RULES)
    ]
    return cz._RuleSet(rows)


RULESET = _ruleset()
texts = st.lists(
    st.one_of(st.sampled_from(VOCAB), st.text(alphabet="abcxyz0123456789 .*-#/éÜ", max_size=8)), max_size=8
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_prefilter_finds_exactly_the_rules_brute_force_finds(description):
    f, t, k = cz._texts(description)
    brute = [r.row.id for r in RULESET.rules if r.text_ok(f, t, k)]
    fast = [r.row.id for r in RULESET.candidates(f, t, k)]
    assert fast == brute
    [hit] = cz._match_rows(RULESET, [(description, 100, "expense", None)])
    expected = next((r for r in RULESET.rules if r.text_ok(f, t, k) and r.row_ok(100, "expense", None)), None)
    assert (hit.row.id if hit else None) == (expected.row.id if expected else None)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=0, max_value=10**9))
def test_learning_key_ignores_numbers(description, number):
    key = cz.learn_key(description)
    assert len(key) <= 200
    if not re.search(r"\d", key):
        changed = re.sub(r"\d+", str(number), description)
        assert cz.learn_key(changed) == key


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab|()*+?.{}0123\\", max_size=14))
def test_any_accepted_regex_runs_quickly_on_hostile_text(pattern):
    try:
        compiled = cz.compile_regex(pattern)
    except ValidationError:
        return
    start = time.perf_counter()
    for text in ("a" * 500, "ab" * 250, "a" * 499 + "!", "b" * 500):
        compiled.search(text)
    # an accepted pattern runs in microseconds here, a backtracking one for ages: a bound this
    # generous tells them apart without failing on a busy CI machine
    assert time.perf_counter() - start < 5


@functools.cache
def _default_rules_and_their_alternatives() -> list[tuple[re.Pattern[str], list[re.Pattern[str]]]]:
    """Compiled once: the ~7,000 alternatives overflow ``re``'s cache of 512, so ``re.search(pattern, ...)``
    recompiled every one of them for every example (13 s of CPU)."""
    return [(re.compile(rule.pattern, re.IGNORECASE),
             [re.compile(p, re.IGNORECASE) for p in cz._split_alternatives(rule.pattern)]) for rule in DEFAULT_RULES]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_split_alternatives_keep_the_same_matches(text):
    for whole_pattern, parts in _default_rules_and_their_alternatives():
        whole = whole_pattern.search(text) is not None
        assert whole == any(p.search(text) for p in parts)


@settings(deadline=None)  # the machine is shared: timing is not what this test is about
@given(st.sampled_from(["pos", "atm", "cb", "bea"]), st.text(alphabet="abz019 ./*-", max_size=6),
       st.text(alphabet="abz019 ./*-", max_size=6))
def test_keyword_with_hash_allows_digits_but_not_letters_after_it(word, before, after):
    [pattern] = _patterns((word + "#",))
    text = before + word + after
    expected = any(
        (i == 0 or not text[i - 1].isalnum()) and not text[i + len(word): i + len(word) + 1].isalpha()
        for i in range(len(text)) if text.startswith(word, i)
    )
    assert (re.search(pattern, text) is not None) == expected


DIGIT_RULES = USER_RULES + [("regex", r"[0-4]{2}x"), ("regex", r"ref\s?1\d"), ("contains", "zinsen 2024"),
                            ("starts_with", "gehalt 0"), ("regex", r"\d{4}\b"), ("regex", r"[^a-z ]z")]
DIGIT_RULESET = cz._RuleSet(
    [cz._RuleRow(i, 1, mt, p, None, None, None, None, "user", False) for i, (mt, p) in enumerate(DIGIT_RULES)]
    + [cz._RuleRow(100 + i, 2, r.match_type, r.pattern, None, None, r.kind, None, "default", True)
       for i, r in enumerate(DEFAULT_RULES)]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=6))
def test_descriptions_differing_only_in_digits_share_work_but_not_answers(description, numbers):
    """One call sees digit variants of a text ("ref 12", "ref 98", "ref 1"): the rules that treat
    every digit alike are checked once for all of them, the others per text; each answer equals
    brute force."""
    variants = [description] + [re.sub(r"\d+", str(n), description) for n in numbers] + [
        re.sub(r"\d", lambda m, n=n: str((int(m.group()) + n) % 10), description) for n in numbers
    ]
    hits = cz._match_rows(DIGIT_RULESET, [(v, 100, "expense", None) for v in variants])
    for v, hit in zip(variants, hits):
        f, t, k = cz._texts(v)
        expected = next((r for r in DIGIT_RULESET.rules if r.text_ok(f, t, k) and r.row_ok(100, "expense", None)), None)
        assert (hit.row.id if hit else None) == (expected.row.id if expected else None), v


def test_digit_uniform_rules_are_recognized():
    uniform = {r.row.pattern: r.uniform for r in DIGIT_RULESET.rules if r.row.id < 100}
    assert uniform["café müller"] and uniform[r"(?:fit|gym)\w*"] and uniform[r"\d{4}\b"]
    assert not uniform["7-eleven"] and not uniform[r"[0-4]{2}x"] and not uniform[r"ref\s?1\d"]
    assert not uniform["zinsen 2024"] and not uniform["gehalt 0"]
    assert uniform[r"[^a-z ]z"]  # a negated class holding every digit treats them alike


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab7 -&/'#.\\*+?()[]{}|^$éB", min_size=1, max_size=12))
def test_plain_alternative_literals_equal_the_parsers(part):
    """The shortcut for plain words (most default-rule alternatives) gives what the regex parser gives."""
    if cz._PLAIN_ALTERNATIVE.fullmatch(part) is None:
        return
    try:
        parsed = list(cz._sre_p.parse(part, re.IGNORECASE))
    except re.error:
        return
    options = cz._seq_literals(parsed)
    expected = None
    if options:
        cleaned = [lit.casefold() for lit in options]
        ok = all(low and low == lit.lower() and low.isascii() for low, lit in zip(cleaned, options))
        expected = cleaned if ok else None
    assert cz._required_literals(part) == expected


def test_alternatives_without_digits_are_checked_once_per_zeroed_text():
    """A regex with one digit alternative (``bp 2go``) among plain words: texts that found only
    the plain words share the zeroed text's answer, the digit alternative is still checked on the real text."""
    ruleset = cz._RuleSet([cz._RuleRow(1, 1, "regex", r"\b(?:maverik|bp 2go)(?![a-z])", None, None, None, None,
                                       "user", False)])
    assert not ruleset.rules[0].uniform
    texts = ["maverik 1234", "maverik 9876", "bp 2go 17", "bp 3go 17", "bp 2gox", "shell 2"]
    hits = cz._match_rows(ruleset, [(t, 100, "expense", None) for t in texts])
    assert [h is not None for h in hits] == [True, True, True, False, False, False]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.text(alphabet="ab.c|(é", min_size=1, max_size=5), min_size=1, max_size=12),
       st.text(alphabet="ab.c|(é", max_size=12))
def test_the_literal_finder_finds_exactly_the_words_at_each_position(words, text):
    """The prefilter's trie-shaped regex: at every position, the longest word starting there."""
    finder = re.compile("(?=(" + cz._trie_regex(sorted(words)) + "))")
    found = {m.start(): m.group(1) for m in finder.finditer(text)}
    expected = {}
    for i in range(len(text) + 1):
        here = [w for w in words if text.startswith(w, i)]
        if here:
            expected[i] = max(here, key=len)
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(st.sets(st.text(alphabet="ab.c|(é\x00 ", min_size=1, max_size=5), min_size=1, max_size=12),
       st.text(alphabet="ab.c|(é\x00 ", max_size=16))
def test_the_literal_set_finds_exactly_the_literals_in_a_text(words, text):
    """The prefilter's RE2 set (2026-12-05): every literal that occurs in the text, each once."""
    literals = sorted(words)
    finder = regex_engine.literal_finder(literals)
    assert finder is not None
    found = finder(text.encode("utf-8"))
    assert len(found) == len(set(found))
    assert {literals[i] for i in found} == {w for w in literals if w in text}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_the_set_and_the_trie_regex_give_the_same_candidates(description):
    """The prefilter with RE2's set and with the trie-shaped regex it falls back to (a text that is not
    UTF-8, or no set): the same candidate rules and regex alternatives."""
    f, t, _ = cz._texts(description)
    fc, tc = cz._canon(f), cz._canon(t)
    with_set = RULESET.prefilter(fc, tc)
    finder, RULESET._literal_set = RULESET._literal_set, None
    try:
        with_trie = RULESET.prefilter(fc, tc)
    finally:
        RULESET._literal_set = finder
    assert with_set.keys() == with_trie.keys()
    for o, subs in with_set.items():
        other = with_trie[o]
        assert (subs is None) == (other is None)
        assert subs is None or {id(s) for s in subs} == {id(s) for s in other}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([a for r in DEFAULT_RULES if r.match_type == "regex"
                        for a in (cz._split_alternatives(cz._strip_accents(r.pattern)) or [])][::5]
                       + [r"^zz\d{3}\b", r"\bq\d\b|shop$", r"caf[eé]\b", r"(?:fit|gym)\w*"]), texts)
def test_the_match_only_path_answers_as_search(pattern, description):
    """regex_engine.compile_rule_matcher (the bytes in, bool out path of the rules) == search() is not None."""
    f, _, _ = cz._texts(description)
    try:
        compiled = regex_engine.compile_rule_regex(pattern)
    except regex_engine.UnsupportedRegex:
        return
    matches = regex_engine.compile_rule_matcher(pattern)
    for text in (f, description, description.upper(), f + " café"):
        assert matches(text.encode("utf-8")) == (compiled.search(text) is not None)


CONDITION_RULESET = cz._RuleSet(
    [cz._RuleRow(1, 1, "regex", r"\brent\b", None, 50_000, None, None, "user", False),  # small rents only
     cz._RuleRow(2, 2, "regex", r"\brent\b", None, None, "income", None, "user", False),  # a rent received
     cz._RuleRow(3, 3, "contains", "shop", 1_000, None, "expense", "Card", "user", False),  # on one account
     cz._RuleRow(4, 4, "regex", r"ref\s?1\d", None, None, "expense", None, "user", False),  # sees the digits
     cz._RuleRow(5, 5, "starts_with", "Gehalt", None, None, "income", None, "user", False)]
    + [cz._RuleRow(100 + i, 6, r.match_type, r.pattern, None, None, r.kind, None, "default", True)
       for i, r in enumerate(DEFAULT_RULES)]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["RENT 12 shop", "rent  98 SHOP", "Rent 7 Shop", "ref 12 shop", "REF 34 Shop",
                                 "ref 1x shop", "Gehalt 2024", "GEHALT  1999", "café rent 12", "CAFÉ RENT 98",
                                 "Tesco 1234", "tesco   9876", "uber  trip 5"]), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(min_value=0, max_value=200_000), st.sampled_from(["expense", "income"]),
                          st.sampled_from([None, "Card", "card", "Savings"])), min_size=12, max_size=12))
def test_rows_sharing_a_lowered_zeroed_text_keep_their_own_kind_amount_and_account(descriptions, conditions):
    """Descriptions that differ only in case, spaces and digits share the text work (one lowered,
    digit-zeroed key); each row's answer still reads its own direction, amount and account, and a
    rule that sees the real digits (``ref\\s?1\\d``) its own text: every answer equals brute force."""
    rows = [(d, amount, kind, account) for d, (amount, kind, account) in zip(descriptions, conditions)]
    canon: dict[str, str] = {}
    keys: dict[str, str] = {}
    hits = cz._match_rows(CONDITION_RULESET, rows, canon, keys)
    for (d, amount, kind, account), hit in zip(rows, hits):
        f, t, k = cz._texts(d)
        expected = next((r for r in CONDITION_RULESET.rules if r.text_ok(f, t, k) and r.row_ok(amount, kind, account)),
                        None)
        assert (hit.row.id if hit else None) == (expected.row.id if expected else None), (d, amount, kind, account)
        fc = cz._canon(zero_digits(f))
        assert canon[d] == fc  # the history's grouping text, as before
        assert keys[fc] == cz._key_from_tokens(cz.tokens_form(fc))


def test_the_learning_key_is_worked_out_only_where_something_reads_it():
    """Rules only (no history asked), a rule set without exact or starts-with rules needs no key."""
    ruleset = cz._RuleSet([cz._RuleRow(1, 1, "regex", r"\brent\b", None, None, None, None, "user", False)])
    keys: dict[str, str] = {}
    assert [h is not None for h in cz._match_rows(ruleset, [("Rent 12", 1, "expense", None)])] == [True]
    assert [h is not None for h in cz._match_rows(ruleset, [("Rent 12", 1, "expense", None)], {}, keys)] == [True]
    assert keys == {"rent 0": "rent"}
