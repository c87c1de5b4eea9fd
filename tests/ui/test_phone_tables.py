"""Session 28 (narrow28): at 390 px a table's last amounts were cut by the screen's edge ("-$2,184.3…" read as
another number) because the period column was as wide as "December 2026 (so far)". Tables write months short
("Dec 2026") and the period column is only as wide as its labels (``widgets.label_column``)."""

from __future__ import annotations

import datetime as dt
import json

from budgetwise.dates import add_months, month_short_text
from budgetwise.ui.widgets import TABLE_FIT_PHONE
from tests.helpers_reports import add_rows
from tests.ui.test_page_forecast import _seed, _table

# measured in Chromium at 390 px (session 28): "$4,330.04" under "Income" / "Forecast" 72 px, "Net savings" 85 px
AMOUNT_PX = 72
NET_SAVINGS_PX = 85


def _width(at, column: str, table_column: str | None = None) -> int:
    table = next(d for d in at.dataframe if (table_column or column) in d.value.columns and column in d.value.columns)
    return json.loads(table.proto.columns or "{}")[column]["width"]


def test_the_reports_period_table_fits_three_amounts_on_a_phone(app_env):
    alice = app_env.create_user()
    this_month = dt.date.today().replace(day=1)
    rows = []
    for k in range(6):
        first = add_months(this_month, -k)
        rows += [(first, 433004, "income", "PAYROLL", None), (first, 218437, "expense", "RENT", None)]
    with app_env.scope() as s:
        add_rows(s, alice.user_id, rows)
    at = app_env.page("pages/reports.py", user=alice, timeout=30)
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Net savings" in d.value.columns)
    assert list(table.columns)[:4] == ["Month", "Income", "Expenses", "Net savings"]
    assert table["Month"].iloc[-1] == f"{month_short_text(this_month, 'en_US')} (so far)"  # "Dec 2026 (so far)"
    assert _width(at, "Month") + 2 * AMOUNT_PX + NET_SAVINGS_PX <= TABLE_FIT_PHONE


def test_the_forecast_tables_fit_their_amounts_on_a_phone(app_env):
    alice = app_env.create_user()
    _seed(app_env, alice)
    at = app_env.page("pages/forecast.py", user=alice, timeout=30)
    at.run()
    assert not at.exception and not at.error
    numbers = _table(at, "Recurring still due")
    assert numbers["Period"].iloc[0] == month_short_text(dt.date.today(), "en_US")  # "Dec 2026"
    assert list(numbers.columns)[:5] == ["Period", "Forecast", "Low", "High", "Recurring still due"]
    assert _width(at, "Period", "Recurring still due") + 4 * AMOUNT_PX <= TABLE_FIT_PHONE
    accuracy = _table(at, "Method")
    assert list(accuracy.columns) == ["Method", "Average error", "Forecasts"]  # no "Average error %" past the edge
    assert all(v == "—" or v.endswith("%)") for v in accuracy["Average error"])  # "$356.80 (9.7%)"


def test_the_goals_overview_shows_the_progress_beside_the_name(app_env):
    """phone28: after Saved and Target the progress bar began at 287 of 358 px and lost its "70%" at the edge."""
    from tests.ui.test_page_goals import PAGE, _create

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice, timeout=30)
    at.run()
    at = _create(at, "Emergency fund", "20,000.00", dt.date.today() + dt.timedelta(days=300), saved="14,113.25")
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "Progress" in d.value.columns)
    assert list(table.columns)[:4] == ["Goal", "Progress", "Saved", "Target"]
    assert _width(at, "Goal") + _width(at, "Progress") + AMOUNT_PX <= TABLE_FIT_PHONE


def test_weekly_tables_write_the_week_under_the_heading_and_fit_a_phone(app_env):
    """trial29: "Week of 2019-09-30" in every cell (131 px) cut Net savings (Reports) and High (Forecast) at 390 px;
    the heading says "Week of", each cell the week's first day."""
    alice = app_env.create_user()
    _seed(app_env, alice)
    at = app_env.page("pages/reports.py", user=alice, timeout=60)
    at.run()
    at.segmented_control(key="rep_freq").set_value("week").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Net savings" in d.value.columns)
    assert list(table.columns)[:4] == ["Week of", "Income", "Expenses", "Net savings"]
    assert dt.date.fromisoformat(table["Week of"].iloc[0])  # "2026-06-01": a date, no "Week of" in the cell
    assert table["Week of"].iloc[-1].endswith(" so far")  # "Week of | 2026-12-07 so far"
    assert _width(at, "Week of") + 2 * AMOUNT_PX + NET_SAVINGS_PX <= TABLE_FIT_PHONE

    at = app_env.page("pages/forecast.py", user=alice, timeout=120)
    at.run()
    at.radio(key="fc_w_freq").set_value("week").run()
    assert not at.exception and not at.error
    numbers = _table(at, "Recurring still due")
    assert list(numbers.columns)[:4] == ["Week of", "Forecast", "Low", "High"]
    # the forecast and its range whole (was: High cut); "2026-12-07" needs 81 px, so "Recurring still due" begins at
    # the edge (a month's "Dec 2026" is 69 px: four amounts fit there)
    assert _width(at, "Week of", "Recurring still due") + 3 * AMOUNT_PX + AMOUNT_PX // 2 <= TABLE_FIT_PHONE


def test_a_long_goal_name_leaves_target_on_a_phone(app_env):
    """trial29: a 49-character goal name made the Goal column 200 px, and Target went past a phone's edge."""
    from budgetwise.ui.widgets import PROGRESS_WIDTH
    from tests.ui.test_page_goals import PAGE, _create

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice, timeout=30)
    at.run()
    at = _create(at, "Deposit for a family apartment in Amsterdam-Noord", "25,000.00",
                 dt.date.today() + dt.timedelta(days=365), saved="14,000.00")
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "Progress" in d.value.columns)
    assert table["Goal"].iloc[0] == "Deposit for a family apartment in Amsterdam-Noord"  # whole in the cell
    assert _width(at, "Goal") + PROGRESS_WIDTH + AMOUNT_PX + 80 <= TABLE_FIT_PHONE  # Saved ("$14,000.00"), Target


def test_the_tab_rows_wrap_instead_of_scrolling_sideways(app_env):
    """trial29: the Profile and Reports tab rows scrolled sideways at 390 px ("Two-…"); the stylesheet every signed-in
    page carries (app.py's sidebar line, widgets.TOUCH_CSS) wraps them (the look is checked in Chromium)."""
    from budgetwise.ui.widgets import TABS_WRAP, TOUCH_CSS

    assert TABS_WRAP in TOUCH_CSS and "flex-wrap: wrap" in TABS_WRAP and '[role="tablist"]' in TABS_WRAP
    assert TOUCH_CSS.index(TABS_WRAP) > TOUCH_CSS.index("}}")  # outside the touch-only rule: any narrow screen
    alice = app_env.create_user()
    at = app_env.app(user=alice, timeout=60)
    at.run()
    assert not at.exception
    assert any(TABS_WRAP in c.value for c in at.sidebar.caption if "Signed in as" in c.value)
