"""Work one signed-in user can make the one server process do (session 23, sec23).

Every user's pages run in one Python process: a request whose cost the user chooses without a bound stalls everyone.
The Forecast page takes an uploaded categorized CSV and forecasts a category or "every category"; both read every
category of the file (the pooled evidence of "one category" is computed over all of them). A 1.9 MB file of 1,000
categories took 39.7 s of CPU for "every category" and 24.9 s for one category (load ~10); 20 MB holds ten times as
many. A file now holds at most as many categories as an account may keep (``categories.MAX_OWN_CATEGORIES``), the
bound the database path already has.
"""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.services import categories
from budgetwise.services import forecast as F


def _file(n_categories: int) -> bytes:
    start = dt.date(2024, 1, 1)
    lines = ["date,amount,category"]
    for i in range(n_categories):
        lines.append(f"{start + dt.timedelta(days=i % 300)},-12.50,Category {i:05d}")
    lines.append(f"{start},-3.00,Transfer")  # a transfer is no category of the forecast
    return "\n".join(lines).encode()


def test_a_forecast_file_holds_at_most_as_many_categories_as_an_account():
    limit = categories.MAX_OWN_CATEGORIES
    frame = F.read_transactions_csv(_file(limit), currency="USD")
    assert frame["category"].nunique() == limit
    with pytest.raises(ImportFileError) as refused:
        F.read_transactions_csv(_file(limit + 1), currency="USD")
    assert refused.value.message == (
        f"The file has {limit + 1:,} categories; a forecast reads at most {limit:,} (as many as an account keeps), "
        "because forecasting each one takes the server's time. Put the small ones together (for example as "
        "\"Other\") and upload it again."
    )



def test_every_category_is_forecast_for_at_most_so_many_categories(monkeypatch):
    """Within the file's ceiling, "every category" still costs each category's model runs: 100 categories, weekly over
    104 weeks, took 24 s of CPU (load ~10), so 500 (a file's or an account's most) would take two minutes. "Every
    category" forecasts at most ``MAX_CATEGORY_FORECASTS``; past it one category is forecast on its own evidence (its
    pooled choice ran every category's models too: 25 s of CPU for one of 1,000)."""
    from budgetwise.services.forecast import api

    assert api.MAX_CATEGORY_FORECASTS <= 100
    monkeypatch.setattr(api, "MAX_CATEGORY_FORECASTS", 3, raising=False)
    start = dt.date(2023, 1, 1)
    lines = ["date,amount,category"]
    for month in range(24):
        for c in range(4):
            lines.append(f"{start + dt.timedelta(days=30 * month + c)},-{20 + c}.00,Category {c}")
    history = F.history_from_frame(F.read_transactions_csv("\n".join(lines).encode(), currency="USD"), currency="USD")
    ran: list[str] = []
    monkeypatch.setattr(api, "_category_runs", lambda *a, **k: ran.append("runs") or (_ for _ in ()).throw(AssertionError))
    with pytest.raises(ValidationError) as refused:
        F.forecast_history_categories(history, horizon=3, freq="month")
    assert refused.value.message == (
        "This history has 4 expense categories; \"Forecast every category\" takes at most 3 (each one is several "
        "model runs on the server every user shares). Forecast them one at a time above, or put small ones together."
    )
    assert ran == []
    F.forecast_history(history, series="category:Category 1", horizon=3, freq="month")  # one category: open

# --------------------------------------------------------------------------- regular-expression rules
def test_regular_expression_rules_stop_at_their_own_limit(db, session, alice, bob, monkeypatch):
    """A regex rule with no fixed word (``^[a-z]{3}\\s[a-z]+\\d{2}$``) is checked against every distinct text, and a
    word the user's own rows all hold makes any other do the same: 5,000 such rules (the rules ceiling) against 2,000
    distinct descriptions took 52 s of CPU in the shared process (load ~10), 2.5 µs a rule and text, for each import
    and each "apply the rules". Regex rules have a ceiling of their own, 50 times below the rules'."""
    from budgetwise.services import categorize
    from budgetwise.services.categorize import rules as rules_service
    from budgetwise.services.categorize.types import RuleSpec

    assert rules_service.MAX_REGEX_RULES_PER_USER * 50 <= rules_service.MAX_RULES_PER_USER
    monkeypatch.setattr(rules_service, "MAX_REGEX_RULES_PER_USER", 2, raising=False)
    cid = categories.create_category(session, user_id=alice.user_id, name="Codes", kind="expense").id
    bob_cid = categories.create_category(session, user_id=bob.user_id, name="Codes", kind="expense").id

    def spec(pattern: str, match_type: str = "regex", category: int = cid) -> RuleSpec:
        return RuleSpec(category_id=category, match_type=match_type, pattern=pattern)

    first = categorize.create_rule(session, user_id=alice.user_id, spec=spec(r"^[a-z]{3}\s\d{2}$"))
    categorize.create_rule(session, user_id=alice.user_id, spec=spec(r"^\d{4}[a-z]$"))
    with pytest.raises(ValidationError, match=r"You already have 2 regular-expression rules") as refused:
        categorize.create_rule(session, user_id=alice.user_id, spec=spec(r"^[a-z]\d{6}$"))
    assert refused.value.field == "match_type"
    plain = categorize.create_rule(session, user_id=alice.user_id, spec=spec("coffee", "contains"))  # not regex: fine
    with pytest.raises(ValidationError, match=r"You already have 2 regular-expression rules"):
        categorize.update_rule(session, user_id=alice.user_id, rule_id=plain.id, spec=spec(r"^[a-z]\d{6}$"))
    categorize.update_rule(session, user_id=alice.user_id, rule_id=first.id, spec=spec(r"^[a-z]{4}\s\d{2}$"))  # edit
    categorize.create_rule(session, user_id=bob.user_id, spec=spec(r"^[a-z]\d{6}$", category=bob_cid))  # per user
