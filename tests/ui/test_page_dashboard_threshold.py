"""The dashboard's balance outlook reads the saved threshold in the user's currency (session 25, sec25).

The card passed the saved "warn me below" to the projection as ``str(Decimal)``, which the service read as typed text
without a number format: 5 KWD ("5.000", three decimals) was 5 000 KWD, and a user 100 KWD above it read "Your
balance is already below 5,000.000 KWD today". A German user's card, read in their format once the service read
typed text so, would have read "5.000" as 5 000 as well: the card passes the Decimal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest


@pytest.mark.parametrize("locale", ["en_US", "de_DE"])
def test_a_kuwaiti_dinar_users_threshold_is_not_read_a_thousandfold(app_env, locale):
    from budgetwise.services import accounts
    from budgetwise.services import cashflow as C
    from budgetwise.services.profile import update_profile
    from tests.helpers_reports import add_rows

    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, currency="KWD", locale=locale)
        accounts.create_account(s, user_id=alice.user_id, name="Checking", currency="KWD", opening_balance=Decimal("100.000"),
                                opening_date=today - dt.timedelta(days=10))
        add_rows(s, alice.user_id, [(today - dt.timedelta(days=1), 2500, "expense", "CORNER SHOP", "Groceries", "KWD")])
        assert C.set_threshold(s, user_id=alice.user_id, threshold=Decimal("5.000")) == 5_000
    at = app_env.page("pages/dashboard.py", user=alice)
    at.run()
    assert not at.exception and not at.error
    text = "\n".join(str(x.value) for x in [*at.markdown, *at.caption, *at.warning, *at.info]).replace("\\", "")
    assert "Balance outlook" in text and "Lowest projected balance" in text
    assert "Below your threshold" not in text and "already below" not in text, text
