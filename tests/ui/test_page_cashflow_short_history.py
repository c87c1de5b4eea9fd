"""Cash flow page (AppTest), session 26 (cf26): a user with 11 months of history (10 or 11 complete) is told in plain words
that the band several months ahead is an allowance, not a measurement (the band of 9-13 months had the one-off
allowance and the linear growth without a word); a 29-month history is not."""

import datetime as dt
import re

from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx
from tests.ui.test_page_cashflow_steady import PAGE, _page_text

WORDS = "Further ahead the band is an allowance rather than a measurement"


def _page(app_env, months: int) -> str:
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1500")
        for n in range(months, 0, -1):
            y, m = divmod(today.year * 12 + today.month - 1 - n, 12)
            tx.add_transaction(s, user_id=alice.user_id, date=dt.date(y, m + 1, 1), amount="1200", kind="expense",
                               description="Rent Landlord")
            tx.add_transaction(s, user_id=alice.user_id, date=dt.date(y, m + 1, 25), amount="3000", kind="income",
                               description="ACME Payroll")
            for day in (5, 12, 19):
                tx.add_transaction(s, user_id=alice.user_id, date=dt.date(y, m + 1, day),
                                   amount=str(150 + (n * 37 + day * 11) % 120), kind="expense",
                                   description=f"Market {day}")
        cashflow.set_threshold(s, user_id=alice.user_id, threshold="0")
    at = app_env.page(PAGE, user=alice, timeout=60)
    at.run()
    assert not at.exception
    return _page_text(at)


def test_eleven_months_of_history_are_told_the_band_further_ahead_is_an_allowance(app_env):
    text = _page(app_env, 11)
    assert re.search(r"The band rests on 1[01] complete months of history", text) and WORDS in text
    assert "allows for a large one-off expense" in text


def test_a_long_history_is_not(app_env):
    assert WORDS not in _page(app_env, 29)
