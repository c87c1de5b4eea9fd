"""Forecast page (AppTest): guard, too little history, chart/KPIs/accuracy/table/download,
series and horizon choices, cached results per data version, uploaded CSV, all categories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgetwise.dates import add_months
from budgetwise.services import demo
from budgetwise.services.demo import DemoRow
from budgetwise.ui.format import unbroken_dates as shown  # dates as displayed (no line break inside)

PAGE = "pages/forecast.py"


def _texts(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return "\n".join(parts)


def _rows(first: dt.date, last: dt.date) -> list[DemoRow]:
    """Rent on the 1st, groceries every third day, salary on the 25th, a transfer."""
    out, day = [], first
    while day <= last:
        if day.day == 1:
            out.append(DemoRow(day, Decimal("900.00"), "expense", "RENT OAK ST", "Rent", "Checking"))
        if day.day == 25:
            out.append(DemoRow(day, Decimal("2500.00"), "income", "ACME PAYROLL", "Salary", "Checking"))
        if day.day == 15:
            out.append(DemoRow(day, Decimal("300.00"), "expense", "TO SAVINGS", "Transfers", "Checking"))
        if day.toordinal() % 3 == 0:
            out.append(DemoRow(day, Decimal("30.00") + day.day, "expense", "MARKET <b>x</b>", "Groceries", "Checking"))
        day += dt.timedelta(days=1)
    return out


def _seed(env, user, months: int = 9) -> None:
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=31 * months)).replace(day=1)
    with env.scope() as s:
        demo.seed_transactions(s, user_id=user.user_id, rows=_rows(first, today - dt.timedelta(days=1)))


def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_guard_reveals_nothing_without_a_session(app_env):
    at = app_env.page(PAGE)
    at.run()
    assert not at.exception and "Please sign in" in at.warning[0].value
    assert not at.metric and not at.get("plotly_chart")


def test_no_history_says_how_much_is_needed(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert "no transactions yet" in at.info[0].value and "6 months" in at.info[0].value
    assert not at.get("plotly_chart")


def test_three_months_say_what_is_missing_at_the_top_of_a_phone_screen(app_env):
    """Trial27: the "needs 6 complete months" paragraph took a whole 390 px screen; now about 40 words."""
    alice = app_env.create_user()
    _seed(app_env, alice, months=2)  # from the 1st of the month three months back: 3 complete months
    at = app_env.page(PAGE, user=alice, timeout=30)
    at.run()
    assert not at.exception and not at.error
    top = at.info[0].value
    assert len(top.split()) <= 45, top
    assert "A monthly forecast needs at least 6 complete months of history; this history has 3" in top
    assert "Add 3 more months of transactions (for example, import older statements)" in top
    assert "More details" not in [e.label for e in at.expander] and not at.get("plotly_chart")


def test_forecast_with_chart_kpis_accuracy_table_and_download(app_env):
    alice = app_env.create_user()
    _seed(app_env, alice)
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    assert not at.exception and not at.error
    labels = [m.label for m in at.metric]
    assert labels == ["Average per month so far", "Projected average per month", "Horizon"]
    assert at.metric[2].value == "6 months"
    assert len(at.get("plotly_chart")) == 1
    assert "Tested on your own history" in _texts(at) and "off by" in _texts(at)
    methods = _table(at, "Method")
    assert list(methods["Method"]) == ["BudgetWise forecast", "Mean of the last 3 months", "Same month last year"]
    numbers = _table(at, "Recurring still due")
    assert len(numbers) == 6
    assert set(numbers["Recurring still due"].iloc[1:]) == {"$900.00"}  # rent, a known amount
    download = at.get("download_button")[0].proto
    assert download.label == "Download CSV"
    # the series choice: income, 3 months
    at.selectbox(key="fc_w_series").set_value("income")
    at.slider(key="fc_w_horizon").set_value(3)
    at.run()
    assert not at.exception
    assert len(_table(at, "Recurring still due")) == 3
    assert at.session_state["fc_series"] == "income" and at.session_state["fc_horizon"] == 3


def test_results_are_cached_until_the_data_changes(app_env, monkeypatch):
    from budgetwise.services import forecast as F

    alice = app_env.create_user()
    _seed(app_env, alice)
    calls = []
    real = F.forecast_user

    def counting(*args, **kwargs):
        calls.append(kwargs["series"])
        return real(*args, **kwargs)

    monkeypatch.setattr(F, "forecast_user", counting)
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    at.run()
    assert calls == ["expenses"]  # the rerun used the cache
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=[
            DemoRow(dt.date.today() - dt.timedelta(days=1), Decimal("5.00"), "expense", "COFFEE", "Dining", "Checking")
        ])
    at.run()
    assert calls == ["expenses", "expenses"]  # a new data version: computed again


def test_weekly_periods(app_env):
    alice = app_env.create_user()
    _seed(app_env, alice)
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    at.radio(key="fc_w_freq").set_value("week")
    at.slider(key="fc_w_horizon").set_value(2)
    at.run()
    assert not at.exception
    assert at.metric[2].value == "2 months (9 weeks)"
    assert len(_table(at, "Recurring still due")) == 9
    # the heading says "Week of", each cell the week's first day (trial29: "Week of …" in every cell cut a phone's amounts)
    numbers = _table(at, "Recurring still due")
    assert list(numbers.columns)[0] == "Week of"
    assert dt.date.fromisoformat(numbers["Week of"].iloc[0]).weekday() == 0  # "2026-12-07", a Monday


def test_uploaded_csv_is_forecast_and_bad_files_are_explained(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    at.segmented_control(key="fc_w_source").set_value("file")
    at.run()
    assert "Choose a CSV file" in _texts(at)
    rows = ["date,amount,category,type,description"]
    for r in _rows(dt.date(2024, 1, 1), dt.date(2024, 10, 31)):
        rows.append(f"{r.date.isoformat()},{r.amount},{r.category},{r.kind},{r.description.replace('<b>', '')}")
    rows.append("2024-10-31,4.50,Groceries,,KIOSK")  # data up to the month's last day: October is complete
    at.file_uploader(key="fc_w_upload").set_value(("mine.csv", "\n".join(rows).encode(), "text/csv"))
    at.run()
    assert not at.exception and not at.error
    assert len(_table(at, "Recurring still due")) == 6
    assert _table(at, "Recurring still due")["Period"].iloc[0] == "Nov 2024"
    at.file_uploader(key="fc_w_upload").set_value(("bad.csv", b"when,how much\n2024-01-01,5\n", "text/csv"))
    at.run()
    assert not at.exception
    assert "missing: date, amount, category" in at.error[0].value



def test_uploaded_csv_over_the_upload_limit_is_refused_with_the_figures(app_env, monkeypatch):
    """Session 19: the forecast's upload has the importer's limit (BUDGETWISE_MAX_UPLOAD_MB), checked before parsing."""
    alice = app_env.create_user()
    monkeypatch.setenv("BUDGETWISE_MAX_UPLOAD_MB", "1")
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    at.segmented_control(key="fc_w_source").set_value("file")
    at.run()
    at.file_uploader(key="fc_w_upload").set_value(("big.csv", b"date,amount,category\n" + b"2024-01-01,5,Food\n" * 70_000,
                                                   "text/csv"))
    at.run()
    assert not at.exception
    assert "the limit is 1 MB (BUDGETWISE_MAX_UPLOAD_MB)" in at.error[0].value.replace("\\", "")

def test_all_categories_table(app_env):
    alice = app_env.create_user()
    _seed(app_env, alice)
    at = app_env.page(PAGE, user=alice, timeout=180)
    at.run()
    at.toggle(key="fc_w_all").set_value(True)
    at.run()
    assert not at.exception
    table = _table(at, "Beats naive guesses")
    assert set(table["Category"]) == {"Rent", "Groceries"}
    assert at.session_state["fc_all"] is True

def _upload_rows(first: dt.date, last: dt.date) -> bytes:
    rows = ["date,amount,category,type,description"]
    for r in _rows(first, last):
        rows.append(f"{r.date.isoformat()},{r.amount},{r.category},{r.kind},{r.description.replace('<b>', '')}")
    return "\n".join(rows).encode()


def test_uploaded_csv_sliders_show_the_values_the_forecast_uses(app_env):
    """Issue #14 item 5: after choosing a file, the horizon/interval sliders showed 1 month / 50%
    in the browser (their minimum) while the chart, table and CSV used 6 months / 80%."""
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    at.segmented_control(key="fc_w_source").set_value("file")
    at.run()  # no file yet: the sliders are not drawn
    at.file_uploader(key="fc_w_upload").set_value(("mine.csv", _upload_rows(dt.date(2023, 1, 1), dt.date(2024, 10, 31)), "text/csv"))
    at.run()
    assert not at.exception and not at.error
    horizon, interval = at.slider(key="fc_w_horizon"), at.select_slider(key="fc_w_interval")
    # what the browser draws is the proto's default; what the forecast uses is the value
    assert list(horizon.proto.default) == [6] and horizon.value == 6
    assert [interval.options[int(i)] for i in interval.proto.default] == ["80%"] and interval.value == 0.8
    table = _table(at, "Recurring still due")
    assert len(table) == 6
    assert at.metric[2].value == "6 months"
    # a real range around the forecast, not collapsed onto it (upper == forecast, lower == 0)
    assert (table["High"] != table["Forecast"]).all() and (table["Low"] != "$0.00").all()
    at.select_slider(key="fc_w_interval").set_value(0.95)
    at.run()
    assert [interval.options[int(i)] for i in at.select_slider(key="fc_w_interval").proto.default] == ["95%"]


def test_recent_history_after_a_long_gap_explains_what_was_used_and_offers_the_older_block(app_env):
    """Issue #14 item 7: 36 months of older history, a long gap, a few recent transactions:
    the page said "this history has 0 months" and the status stayed "Forecasting…"."""
    alice = app_env.create_user()
    today = dt.date.today()
    older_last = (today.replace(day=1) - dt.timedelta(days=365 * 2)).replace(day=1) - dt.timedelta(days=1)
    older_first = (older_last.replace(day=1) - dt.timedelta(days=34 * 31)).replace(day=1)  # 36 whole months
    recent = [DemoRow(today - dt.timedelta(days=3), Decimal("42.00"), "expense", "CAFE", "Dining", "Checking")]
    recent.append(DemoRow(older_last, Decimal("12.00"), "expense", "KIOSK", "Dining", "Checking"))  # the block's last day
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=_rows(older_first, older_last) + recent)
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    assert not at.exception
    text = _texts(at)
    # trial27: the top says what is missing and what to do in ~40 words; which history is used and why behind "More details"
    top = at.info[0].value
    assert len(top.split()) <= 45, top
    assert "needs at least 6 complete months after your last long gap; since " in top
    assert "you have none yet. Add 6 more months of recent transactions, or forecast from your older history" in top
    assert "is left out" not in top and "More details" in [e.label for e in at.expander]
    assert shown(f"A forecast from that older history starts after {older_last.isoformat()}, not today.") in text
    assert "this history has 0" not in text
    assert shown(f"Only your transactions from {recent[0].date.isoformat()} on are used") in text
    assert "no complete month yet" in text
    assert "before the " in text and shown(f"{older_first.isoformat()} to {older_last.isoformat()}, 36 complete months") in text
    assert "is left out" in text
    assert at.status[0].state == "error" and "Forecasting" not in at.status[0].label
    offer = at.button(key="fc_older")
    assert offer.label == shown(f"Forecast from my history up to {older_last.isoformat()}")
    offer.click()
    at.run()
    assert not at.exception and not at.error
    assert at.status[0].state == "complete"
    assert _table(at, "Recurring still due")["Period"].iloc[0] == (older_last + dt.timedelta(days=1)).strftime("%b %Y")
    assert shown(f"history up to {older_last.isoformat()}") in _texts(at)
    at.button(key="fc_recent").click()
    at.run()
    assert "Only your transactions from" in _texts(at)


def test_last_month_partly_in_the_data_is_labelled_in_the_table(app_env):
    """QA 2026-12-05: newest transaction on the 21st of last month: last month is forecast (what the data holds
    plus its last days) and its row read "Of which recurring 0,00 €" beside a month whose rent is in the data."""
    alice = app_env.create_user()
    today = dt.date.today()
    last = add_months(today.replace(day=1), -1).replace(day=21)
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=_rows(add_months(last.replace(day=1), -9), last))
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    assert not at.exception and not at.error
    table = _table(at, "Recurring still due")
    assert "Of which recurring" not in table.columns and "Already spent" not in table.columns
    assert table["In your data so far"].iloc[0] != "" and set(table["In your data so far"].iloc[1:]) == {""}
    assert table["Recurring still due"].iloc[0] == "$0.00" and set(table["Recurring still due"].iloc[1:]) == {"$900.00"}
    note = next(c.value for c in at.caption if "is partly in your data" in c.value)
    assert shown(f"(to {last.isoformat()})") in note and "recurring payments expected after" in note


def test_the_status_names_a_category_as_written(app_env):
    """Session 22 (a new user's trial): choosing "Category: Utilities" said "Forecast of category: utilities ready":
    the category's name lower-cased (a user's "KCB Loan" read "kcb loan"). The series kinds read in lower case."""
    from budgetwise.services.forecast import category_series

    alice = app_env.create_user()
    _seed(app_env, alice)
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    assert at.status[0].label == "Forecast of total expenses ready"
    at.selectbox(key="fc_w_series").set_value(category_series("Groceries"))
    at.run()
    assert not at.exception and at.status[0].label == "Forecast of Groceries ready"


def test_rows_in_several_currencies_without_rates_make_one_warning_of_the_series_rows(app_env):
    """Session 25 (trial25): one warning per currency ("No AUD → EUR rate …", "No CZK → EUR rate …", …), and the
    forecast of expenses named "2 transactions (HUF 1.640,00)", 350 out and 1,290 in; now one warning
    (ui.currency.missing_rates_warning) naming only the expenses left out."""
    alice = app_env.create_user()
    _seed(app_env, alice)
    day = dt.date.today().replace(day=1) - dt.timedelta(days=100)
    with app_env.scope() as s:
        for code, kind, amount in (("HUF", "expense", "350.00"), ("HUF", "income", "1290.00"),
                                   ("CZK", "expense", "1.00"), ("AUD", "expense", "16.85")):
            demo.seed_transactions(s, user_id=alice.user_id, currency=code, rows=[
                DemoRow(day, Decimal(amount), kind, f"SHOP {code}", "Groceries" if kind == "expense" else "Salary",
                        "Checking")])
    at = app_env.page(PAGE, user=alice, timeout=120)
    at.run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning if "→ USD rate" in w.value]
    assert len(warnings) == 1 and "not included** in this forecast" in warnings[0]
    assert all(f"No {code} → USD rate" in warnings[0] for code in ("AUD", "CZK", "HUF"))
    assert "1 transaction (HUF350.00)" in warnings[0] and "1,640" not in warnings[0]
