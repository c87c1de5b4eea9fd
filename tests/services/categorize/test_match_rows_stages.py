"""The staged first-match search (session 22, catspeed22): a varied batch matched at once gives every row the answer
brute force gives it one row at a time, and the history's grouping text and learning keys as before."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetwise.services import categorize as cz
from budgetwise.services.categorize.ruleset import _UTR_HINT, _key, utr_key
from budgetwise.services.default_rules import DEFAULT_RULES
from budgetwise.text import zero_digits

RULESET = cz._RuleSet(
    [cz._RuleRow(1, 1, "regex", r"\brent\b", None, 50_000, None, None, "user", False),
     cz._RuleRow(2, 2, "regex", r"ref\s?1\d", None, None, "expense", None, "user", False),  # sees the digits
     cz._RuleRow(3, 3, "contains", "shop", 1_000, None, "expense", "Card", "user", False),
     cz._RuleRow(4, 4, "starts_with", "Gehalt", None, None, "income", None, "user", False),
     cz._RuleRow(5, 5, "exact", "corner shop", None, None, None, None, "user", False)]
    + [cz._RuleRow(100 + i, 6, r.match_type, r.pattern, None, None, r.kind, None, "default", True)
       for i, r in enumerate(DEFAULT_RULES)]
)
BASES = ["TESCO STORES", "tesco stores", "Uber *Trip", "NETFLIX.COM", "Café Müller", "CAFE MULLER", "corner shop",
         "Gehalt Firma", "RENT", "pos purchase shell", "NEFT-HDFCN30102597745-SMITHS-PUNE", "UPI/1234/zomato",
         "Spotify P0A1B2", "amazon mktp", "Salary ACME", "ATM08SEP", "DROGASIL1148 SP", "pag*padaria sol"]
SUFFIXES = ["", " {n}", " REF {n}", " CARD XXXX{n}", " * {d:02d} Oct", " #{n}", " {d:02d}/{m:02d}", "  {n}  "]


def _batch(seed: int, n: int) -> list[tuple[str, int, str, str | None]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        text = rng.choice(BASES) + rng.choice(SUFFIXES).format(n=rng.randint(1, 10**10), d=rng.randint(1, 28),
                                                                 m=rng.randint(1, 12))
        rows.append((text, rng.randint(0, 200_000), rng.choice(["expense", "income"]),
                     rng.choice([None, "Card", "card", "Savings"])))
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from([frozenset(), frozenset({"stores", "pos"})]))
def test_a_varied_batch_gets_the_answers_of_one_row_at_a_time(seed, shared):
    rows = _batch(seed, 400)
    canon: dict[str, str] = {}
    keys: dict[str, str] = {}
    hits = cz._match_rows(RULESET, rows, canon, keys, shared)
    first_zeroed: dict[str, str] = {}
    for (d, amount, kind, account), hit in zip(rows, hits):
        f, t, k = cz._texts(d, shared)
        expected = next((r for r in RULESET.rules if r.text_ok(f, t, k) and r.row_ok(amount, kind, account)), None)
        assert (hit.row.id if hit else None) == (expected.row.id if expected else None), (d, amount, kind, account)
        [alone] = cz._match_rows(RULESET, [(d, amount, kind, account)], shared=shared)
        assert alone is hit
        f0 = zero_digits(f)
        fc = cz._canon(f0)
        assert canon[d] == fc
        first_zeroed.setdefault(fc, f0)
    for fc, f0 in first_zeroed.items():  # the memory's key, read on the first zeroed text of its canonical text
        assert keys[fc] == (utr_key(f0, shared) if _UTR_HINT.search(fc) else _key(cz.tokens_form(fc), fc, shared))
    assert list(keys) == list(first_zeroed)
