"""Issues #17 / #19 (session 21, outlier), AppTest: one huge purchase in an uploaded history on the Forecast page,
and in the user's own history on the Cash flow page: the page runs, the forecast is not driven by it, and a plain
note names the month and the amount treated as a one-off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgetwise.services import demo
from budgetwise.services.demo import DemoRow
from tests.services.forecast.test_one_off import _eight_months
from tests.ui.test_page_forecast import _rows, _table, _texts


def test_the_forecast_page_names_the_900000_month_of_an_upload_as_a_one_off(app_env):
    alice = app_env.create_user()
    at = app_env.page("pages/forecast.py", user=alice, timeout=180)
    at.run()
    at.segmented_control(key="fc_w_source").set_value("file")
    at.run()
    at.file_uploader(key="fc_w_upload").set_value(("spike.csv", _eight_months(9).to_csv(index=False).encode(),
                                                   "text/csv"))
    at.run()
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "September 2026" in warnings and "one-off" in warnings and "counted as" in warnings
    forecast = _table(at, "Recurring still due")["Forecast"]
    assert all(len(v) <= len("$9,999.99") for v in forecast)  # a few thousand a month, not hundreds of thousands
    assert "nan" not in _texts(at).lower()


def test_the_cash_flow_page_names_a_90000_month_and_what_it_does_to_the_band(app_env):
    alice = app_env.create_user()
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=31 * 30)).replace(day=1)
    rows = _rows(first, today - dt.timedelta(days=1))
    when = (today.replace(day=1) - dt.timedelta(days=31 * 14)).replace(day=12)
    rows.append(DemoRow(when, Decimal("90000.00"), "expense", "BUILDER", "Home", "Checking"))
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=rows)
    at = app_env.page("pages/cashflow.py", user=alice, timeout=180)
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert when.strftime("%B %Y") in captions and "one-off" in captions and "upward as well as downward" in captions
