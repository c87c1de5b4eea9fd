"""Session 10: a de_DE user reads German number and date conventions on the dashboard, the reports
and the budgets (AppTest): exact grouped amounts on the cards ("12.345,67 €", session 14), percentages in the
locale's own pattern ("12,5 %") and the budget-at-risk alert's date in the user's date format."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import pytest

from budgetwise.principal import Principal
from budgetwise.services import budgets as B
from budgetwise.services import profile
from tests.helpers_reports import add_rows, category_id


def _german(app_env, date_format: str = "%d.%m.%Y") -> Principal:
    user = app_env.create_user()
    with app_env.scope() as s:
        return profile.update_profile(s, user_id=user.user_id, locale="de_DE", currency="EUR", date_format=date_format)


def _income_and_spending(app_env, user: Principal) -> None:
    """This month: 12.345,67 € income, 10.802,46 € spent, a savings rate of 12,5 %."""
    today = dt.date.today()
    with app_env.scope() as s:
        add_rows(s, user.user_id, [(today, 1234567, "income", "GEHALT", "Salary", "EUR"),
                                   (today, 1080246, "expense", "MIETE", "Rent", "EUR")])


def _texts(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return "\n".join(parts).replace("\\", "")


def _run(app_env, page: str, user: Principal):
    at = app_env.page(page, user=user, timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_dashboard_cards_group_thousands_and_write_percent_in_german(app_env):
    alice = _german(app_env)
    _income_and_spending(app_env, alice)
    metrics = {m.label: m.value for m in _run(app_env, "pages/dashboard.py", alice).metric}
    # exact, with cents and the German grouping (session 10 showed "12345,67 €", then the compact "12.346 €")
    assert metrics["Income"] == "12.345,67\xa0€"
    assert metrics["Expenses"] == "10.802,46\xa0€"
    assert metrics["Savings rate"] == "12,5\xa0%"  # was "12.5%"


def test_reports_summary_and_tables_write_percent_in_german(app_env):
    alice = _german(app_env)
    _income_and_spending(app_env, alice)
    at = _run(app_env, "pages/reports.py", alice)
    assert {m.label: m.value for m in at.metric}["Savings rate"] == "12,5\xa0%"
    shares = [v for d in at.dataframe for c in getattr(d.value, "columns", []) if c == "Share" for v in d.value[c]]
    assert shares and all(v.endswith("\xa0%") and "." not in v for v in shares), shares


def test_budget_at_risk_alert_dates_follow_the_users_format(app_env):
    today = dt.date.today()
    last = calendar.monthrange(today.year, today.month)[1]
    if today.day == last:
        pytest.skip("on a month's last day nothing more is expected: no budget is at risk")
    alice = _german(app_env)
    month = today.replace(day=1)
    with app_env.scope() as s:
        B.set_budget(s, user_id=alice.user_id, month=month, amount="300", category_id=category_id(s, alice.user_id, "Dining"))
        add_rows(s, alice.user_id, [(today, 28000, "expense", "BISTRO", "Dining", "EUR")])
    end = f"{last:02d}.{today.month:02d}.{today.year}"
    for page in ("pages/budgets.py", "pages/dashboard.py"):
        text = _texts(_run(app_env, page, alice))
        assert f"expected by {end} against 300,00\xa0€" in text, (page, text)
        assert today.strftime("%B") not in text.split("expected by")[1][:40]


def test_exchange_rate_dates_follow_the_users_format(app_env):
    """The rates tab's own sentences and tables wrote ISO dates whatever the user's date format."""
    alice = _german(app_env)
    first = dt.date.today().replace(day=1)
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(first, 10000, "expense", "SHOP", "Groceries", "USD")])
    at = _run(app_env, "pages/profile.py", alice)
    picker = at.date_input(key="fx_m_date")
    assert picker.value == first and picker.proto.format == "DD.MM.YYYY"
    gaps = next(d.value for d in at.dataframe if "Dates without a rate" in d.value.columns)
    assert list(gaps["Dates without a rate"]) == [f"{first:%d.%m.%Y}"]  # was ISO
    assert at.text_input(key="fx_m_rate").placeholder == "e.g. 1,0921"
    at.text_input(key="fx_m_rate").input("0.9")  # a de_DE user's "0.9" is not 0,9: said, not stored as 9
    at.button(key="FormSubmitter:fx_manual_form-Save the rate").click()
    at.run()
    assert not at.exception
    assert any("did you mean 0,9?" in e.value for e in at.error), [e.value for e in at.error]
    at.text_input(key="fx_m_rate").input("0,9")  # Session 10 QA: refused ("needs a decimal point")
    at.button(key="FormSubmitter:fx_manual_form-Save the rate").click()
    at.run()
    assert not at.exception
    assert f"Saved: 1 USD = 0,9 EUR on {first:%d.%m.%Y}." in _texts(at)
    import json

    dates = [json.loads(d.proto.columns).get("Date") for d in at.dataframe if "Rate" in d.value.columns]
    assert dates and dates[0]["type_config"]["format"] == "DD.MM.YYYY", dates
    stored = next(d.value for d in at.dataframe if "Rate" in d.value.columns)
    assert list(stored["Rate"]) == ["1 USD = 0,9 EUR"]  # was "1 USD = 0.9 EUR"


def test_goal_date_pickers_and_their_help_follow_the_users_format(app_env):
    """The goal pickers showed Streamlit's default "2026/12/05" and ISO limits to a DD.MM.YYYY user."""
    from budgetwise.services import goals as G

    alice = _german(app_env)
    today = dt.date.today()
    with app_env.scope() as s:
        goal = G.create_goal(s, user_id=alice.user_id, name="Urlaub", target="2500", already_saved="400",
                             target_date=today + dt.timedelta(days=200))
    at = _run(app_env, "pages/goals.py", alice)
    latest = G.latest_target_date(today)
    for key in ("goal_new_date", f"goal_e_date_{goal.id}", f"goal_c_date_{goal.id}"):
        assert at.date_input(key=key).proto.format == "DD.MM.YYYY", key
    assert f"{latest:%d.%m.%Y}" in at.date_input(key="goal_new_date").help
    assert f"to today ({today:%d.%m.%Y})" in at.date_input(key=f"goal_c_date_{goal.id}").help


def test_percent_charts_write_the_locales_percent_and_the_real_share():
    """The budget bars' axis said "100%" in de_DE, and the hover of a bar cut at 150% said "(150%)"
    for a budget used twice over."""
    from types import SimpleNamespace

    from budgetwise.ui import charts

    line = SimpleNamespace(used_pct=200.0, category_name="Dining", over_budget=True, projected_over=False,
                           spent_minor=20000, available_minor=10000)
    fig = charts.budget_progress([line], currency="EUR", locale="de_DE")
    assert fig.data[0].x == (150.0,) and fig.data[0].customdata == (" (200\xa0%)",)
    assert (fig.layout.xaxis.tickprefix, fig.layout.xaxis.ticksuffix) == ("", "\xa0%")
    assert charts.percent_affixes("en_US") == ("", "%") and charts.percent_affixes("tr_TR") == ("%", "")
    import pandas as pd

    by_cat = pd.DataFrame({"category": ["Miete", "Essen"], "color": ["#111111", "#222222"], "amount_minor": [7500, 2500]})
    pie = charts.spending_donut(by_cat, currency="EUR", locale="de_DE").data[0]
    assert list(pie.text) == ["75\xa0%", "25\xa0%"] and pie.customdata[0] == "75,00\xa0€ · 75,0\xa0%"


def test_cash_flow_chance_dates_and_pickers_follow_the_users_locale(app_env):
    """Session 10 QA: "about 0%", the "Chance of going below" card "0%", "24 Dec 2026" with the
    "31 Dec 2025" format, and the what-if picker's Streamlit default "2026/12/12" with ISO help."""
    from budgetwise.dates import day_text
    from budgetwise.services import accounts

    alice = _german(app_env, "%d %b %Y")
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Girokonto", opening_balance="1000")
    at = _run(app_env, "pages/cashflow.py", alice)
    summary = " ".join(i.value for i in at.info).replace("\\", "")
    assert "about 0\xa0%." in summary, summary
    assert {m.label: m.value for m in at.metric}["Chance of going below"] == "0\xa0%"
    today = dt.date.today()
    for key in ("cf_wi_date", "cf_sched_date"):
        # Session 11: the German numeric order, as the Transactions listing's DateColumn (was "DD/MM/YYYY")
        assert at.date_input(key=key).proto.format == "DD.MM.YYYY", key
    shown_today = day_text(today, "%d %b %Y", "de_DE").replace(" ", "\xa0")  # as displayed: no break inside
    assert f"A day after today ({shown_today})" in at.date_input(key="cf_wi_date").help
    assert today.strftime("%Y-%m-%d") not in at.date_input(key="cf_sched_date").help
    with app_env.scope() as s:
        from budgetwise.services import cashflow

        cashflow.add_scheduled(s, user_id=alice.user_id, name="Miete", amount="500", kind="expense",
                               next_date=dt.date(today.year + 1, 1, 2), cadence=None)
    at.run()
    known = next(d.value for d in at.dataframe if "Repeats" in d.value.columns)
    assert day_text(dt.date(today.year + 1, 1, 2), "%d %b %Y", "de_DE") in list(known["Date"]), known  # "02 Jan. …"


def test_forecast_errors_ranges_and_periods_follow_the_users_locale(app_env):
    """Session 10 QA: "Average error %" showed "9.9%", the verdict "(10%)" and "73% of the time", the
    periods "December 2026" and the backtest's dates ISO to a de_DE / DD.MM.YYYY user."""
    import re

    from budgetwise.dates import add_months, month_short_text
    from tests.ui.test_page_forecast import _seed

    user = app_env.create_user()  # the demo rows are in the user's currency (USD): German conventions only
    with app_env.scope() as s:
        alice = profile.update_profile(s, user_id=user.user_id, locale="de_DE", date_format="%d.%m.%Y")
    _seed(app_env, alice, months=14)
    at = app_env.page("pages/forecast.py", user=alice, timeout=120)
    at.run()
    assert not at.exception and not at.error
    text = _texts(at)
    assert re.search(r"off by [0-9.,]+\xa0\$ on average \(\d+\xa0% of an average month.s spending\)", text), text
    assert not re.search(r"\d%", text), text  # every percent in the locale's pattern ("10 %", not "10%")
    if "range contained" in text:
        assert re.search(r"The 80\xa0% range contained the actual value \d+\xa0% of the time", text), text
    errors = [v for d in at.dataframe if "Average error" in d.value.columns for v in d.value["Average error"]]
    assert errors and all(v == "—" or re.fullmatch(r"[0-9.]+,\d\d\xa0\$ \(\d+,\d\xa0%\)", v) for v in errors), errors
    this_month = dt.date.today().replace(day=1)
    months = {month_short_text(add_months(this_month, k), "de_DE") for k in range(12)}  # "Dez. 2026" (narrow28)
    periods = [v for d in at.dataframe if "Recurring still due" in d.value.columns for v in d.value["Period"]]
    assert periods and set(periods) <= months, periods
    backtest = next(d.value for d in at.dataframe if "Made on" in d.value.columns)
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", v) for v in backtest["Made on"]), list(backtest["Made on"])[:3]
    assert set(backtest["Period"]) <= {month_short_text(add_months(this_month, -k), "de_DE") for k in range(16)}
    assert all(re.fullmatch(r"[0-9.]+,\d\d\xa0\$|—", v) for v in backtest["Actual"]), list(backtest["Actual"])[:3]


def test_categorize_period_picker_follows_the_users_format(app_env):
    """Session 10 QA: the Re-apply rules "From"/"To" pickers showed Streamlit's default "yyyy/mm/dd"."""
    alice = _german(app_env)
    at = _run(app_env, "pages/categorize.py", alice)
    for key in ("cat_ra_from", "cat_ra_to"):
        assert at.date_input(key=key).proto.format == "DD.MM.YYYY", key


def test_report_month_buckets_read_as_the_locales_months(app_env):
    """Session 10 QA: the Overview table and charts showed months as "2026-07"; the CSV keeps them ISO."""
    import json

    from budgetwise.dates import month_short_text, month_text

    alice = _german(app_env)
    _income_and_spending(app_env, alice)
    at = _run(app_env, "pages/reports.py", alice)
    this_month = month_text(dt.date.today(), "de_DE")
    table = next(d.value for d in at.dataframe if "Month" in d.value.columns and "Income" in d.value.columns)
    short = month_short_text(dt.date.today(), "de_DE")  # the table writes months short: a phone (narrow28)
    assert list(table["Month"])[-1] == f"{short} (so far)", list(table["Month"])
    assert not [m for m in table["Month"] if m[:4].isdigit()]  # no "2026-07"
    bars = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    xs = [x for spec in bars for trace in spec.get("data", []) if trace.get("type") == "bar" and trace.get("name") == "Income"
          for x in trace.get("x", [])]
    assert this_month in xs and dt.date.today().strftime("%Y-%m") not in xs, xs


def test_date_charts_carry_the_locales_month_names_and_date_order():
    """Session 10: Plotly's date axes and hovers wrote "Dec 2025" / "Dec 13" to a de_DE user (Streamlit
    loads no Plotly.js locale); English charts keep Plotly's own formats."""
    import plotly.graph_objects as go

    from budgetwise.dates import day_text
    from budgetwise.ui import charts

    german = charts.plotly_config("de_DE")
    fmt = german["locales"][german["locale"]]["format"]
    assert german["locale"] == "de-DE" and german["displayModeBar"] is False
    assert fmt["shortMonths"][11] == day_text(dt.date(2025, 12, 1), "%b", "de_DE") == "Dez."
    assert fmt["months"][2] == "März" and fmt["shortDays"][0] == "So."

    def stops(locale, date_format=None, monthly=False):
        fig = charts.date_axis(go.Figure(), locale, date_format, monthly=monthly)
        return [s.value for s in fig.layout.xaxis.tickformatstops], fig.layout.xaxis.hoverformat

    assert stops("de_DE", "%d.%m.%Y") == (["%H:%M", "%-d. %b", "%b %Y", "%Y"], "%d.%m.%Y")  # "13. Dez."
    assert stops("en_US") == (["%H:%M", "%b %-d", "%b %Y", "%Y"], "%Y-%m-%d")  # Plotly's own: "Dec 13"
    assert stops("ja_JP", monthly=True)[1] == "%Y年%-m月"
    assert stops("xx_YY")[0][1] == "%b %-d"  # an unknown locale: Plotly's defaults, never a crash
    trend = pd.DataFrame({"month": [dt.date(2025, 11, 1), dt.date(2025, 12, 1)], "category": ["Rent"] * 2,
                          "color": ["#123456"] * 2, "amount_minor": [100, 200]})
    area = charts.category_area(trend, currency="EUR", locale="de_DE")  # months as the other period charts write them
    assert list(area.data[0].x) == ["November 2025", "Dezember 2025"]
    assert list(area.layout.xaxis.ticktext) == ["Nov. 2025", "Dez. 2025"]


def test_cash_flow_chart_is_shown_with_the_users_locale_and_date_format(app_env):
    import json

    from budgetwise.services import accounts

    alice = _german(app_env)
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Girokonto", opening_balance="1000")
    at = _run(app_env, "pages/cashflow.py", alice)
    chart = next(c for c in at.get("plotly_chart") if "Projected balance" in c.proto.spec)
    config, spec = json.loads(chart.proto.config), json.loads(chart.proto.spec)
    assert config["locale"] == "de-DE" and config["locales"]["de-DE"]["format"]["shortMonths"][11] == "Dez."
    assert spec["layout"]["xaxis"]["hoverformat"] == "%d.%m.%Y"


def test_table_dates_rates_and_the_schedule_placeholder_follow_the_users_locale(app_env):
    """Session 10: a DateColumn writes English month names ("01 Aug 2027") for the "31 Dec 2025" format, so
    there a table's dates are the date owner's text; numeric formats keep the (sortable) DateColumn. The stored
    rates' number and the schedule form's "1,200" placeholder follow the locale."""
    from decimal import Decimal

    from budgetwise.ui import format as F

    months = Principal(user_id=1, email="a@example.com", name="A", role="user", locale="de_DE", date_format="%d %b %Y")
    numeric = Principal(user_id=1, email="a@example.com", name="A", role="user", locale="de_DE", date_format="%d.%m.%Y")
    english = Principal(user_id=1, email="a@example.com", name="A", role="user", locale="en_US", date_format="%d %b %Y")
    day = dt.date(2027, 8, 1)
    assert F.date_cells(months, [day, None]) == ["01 Aug. 2027", None]
    assert F.date_cells(numeric, [day]) == [day] and F.date_cells(english, [day]) == [day]
    assert F.date_column(months, "Date")["type_config"]["type"] == "text"
    assert F.date_column(numeric, "Date")["type_config"]["format"] == "DD.MM.YYYY"
    assert F.exchange_rate(numeric, Decimal("0.9")) == "0,9" and F.exchange_rate(english, Decimal("1234.5")) == "1,234.5"
    assert F.exchange_rate(english, Decimal("0.000012345")) == "0.000012345"  # every stored digit
    assert F.exchange_rate(numeric, Decimal("150")) == "150"
    with app_env.scope() as s:
        alice = profile.update_profile(s, user_id=app_env.create_user().user_id, locale="de_DE", currency="EUR",
                                       date_format="%d.%m.%Y")
    at = _run(app_env, "pages/cashflow.py", alice)
    assert at.text_input(key="cf_sched_amount").placeholder == "e.g. 12,50 or 1.234,56"  # was "1,200"


def test_forecast_missing_rate_notes_follow_the_users_date_format(app_env):
    """Session 10: the forecast's "No USD → EUR rate for …" notes wrote ISO dates."""
    from budgetwise.services.forecast import from_db

    alice = _german(app_env)
    spent = dt.date.today().replace(day=1) - dt.timedelta(days=40)
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(spent - dt.timedelta(days=k * 30), 10000, "expense", "MIETE", "Rent", "EUR")
                                    for k in range(6)] + [(spent, 5000, "expense", "SHOP", "Groceries", "USD")])
        history = from_db.history_from_db(s, user_id=alice.user_id)
    notes = [n for n in history.notes if "USD → EUR" in n]
    assert notes and f"{spent:%d.%m.%Y}" in notes[0] and spent.isoformat() not in notes[0], notes


def test_categorize_review_dates_follow_the_users_locale(app_env):
    """Session 10 QA: the review table's dates were hard-coded ISO ("YYYY-MM-DD"); with the "31 Dec 2025"
    format a de_DE user reads German month names (as text: a DateColumn writes English ones)."""
    alice = _german(app_env, "%d %b %Y")
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(dt.date(2026, 3, 3), 1250, "expense", "ZORBLAT EMPORIUM", None, "EUR")])
    at = _run(app_env, "pages/categorize.py", alice)
    row = at.dataframe[0].value.iloc[0]  # the review editor is the first table on the page
    assert row["Date"] == "03 März 2026"


def test_transaction_listing_and_import_preview_dates_never_show_english_month_names(app_env):
    """Session 11 QA: with de_DE and the "31 Dec 2025" format the Transactions listing and the import preview
    wrote "01 Mar 2024" (a DateColumn's English month names). The listing keeps its (sortable) DateColumn in
    the same order with month numbers ("DD.MM.YYYY", the date owner's fallback); the read-only preview
    writes the date owner's text ("01 März 2024")."""
    import json

    from tests.ui.test_page_import import CSV, _upload

    alice = _german(app_env, "%d %b %Y")
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(dt.date(2024, 3, 1), 350, "expense", "KAFFEE", None, "EUR")])
    at = _run(app_env, "pages/transactions.py", alice)
    listing = next(d for d in at.dataframe if "Date" in d.value.columns)
    config = json.loads(listing.proto.columns)["Date"]["type_config"]
    assert config["type"] == "date" and config["format"] == "DD.MM.YYYY", config
    at = _run(app_env, "pages/import_data.py", alice)
    _upload(at, "umsatz.csv", CSV)
    assert not at.exception
    preview = next(d for d in at.dataframe if "Status" in d.value.columns)
    assert list(preview.value["Date"][:2]) == ["01 März 2024", "02 März 2024"]


def test_every_period_and_opening_date_picker_follows_the_users_format(app_env):
    """Session 11 QA (browser): the Categorize "Period" filter, the Reports and Dashboard "Custom" range and the
    Accounts "Balance on" picker showed Streamlit's default "yyyy/mm/dd"; the opening date's help wrote ISO."""
    from budgetwise.dates import day_text

    alice = _german(app_env)
    _income_and_spending(app_env, alice)
    at = _run(app_env, "pages/categorize.py", alice)
    assert at.date_input(key="cat_q_period").proto.format == "DD.MM.YYYY"
    for page, prefix in (("pages/reports.py", "rep"), ("pages/dashboard.py", "dash")):
        at = app_env.page(page, user=alice, timeout=60)
        at.session_state[f"{prefix}_period"] = "custom"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.date_input(key=f"{prefix}_w_custom").proto.format == "DD.MM.YYYY", page
    at = _run(app_env, "pages/accounts.py", alice)
    opening = at.date_input(key="acct_new_opening_date")
    assert opening.proto.format == "DD.MM.YYYY"
    assert f"today ({day_text(dt.date.today(), '%d.%m.%Y')})" in opening.help, opening.help


def test_transaction_and_transfer_texts_write_dates_in_the_users_format(app_env):
    """Session 11 QA (browser): the Transactions page's date help ("From 1950-01-01 to …"), the selection's
    option labels and the Accounts page's transfer offers wrote ISO dates whatever the user's format."""
    from budgetwise.dates import day_text, transaction_date_limits
    from budgetwise.services import accounts as acc
    from budgetwise.services import transactions as tx

    alice = _german(app_env)
    day = dt.date.today() - dt.timedelta(days=3)
    with app_env.scope() as s:
        chk = acc.create_account(s, user_id=alice.user_id, name="Giro")
        card = acc.create_account(s, user_id=alice.user_id, name="Karte", kind="credit_card")
        out = tx.add_transaction(s, user_id=alice.user_id, date=day, amount="300", kind="expense",
                                 description="KARTENZAHLUNG", account_id=chk.id, auto_categorize=False)
        tx.add_transaction(s, user_id=alice.user_id, date=day, amount="300", kind="income",
                           description="ZAHLUNG ERHALTEN", account_id=card.id, auto_categorize=False)
    german = day_text(day, "%d.%m.%Y")
    at = _run(app_env, "pages/transactions.py", alice)
    earliest = day_text(transaction_date_limits()[0], "%d.%m.%Y")
    assert at.date_input(key="tx_add_date").help.startswith(f"From {earliest} to "), at.date_input(key="tx_add_date").help
    picker = at.multiselect(key="tx_selected")
    assert picker.format_func(out.id).startswith(f"{german} · KARTENZAHLUNG"), picker.format_func(out.id)
    picker.set_value([out.id])
    at.run()
    assert at.date_input(key=f"tx_e_date_{out.id}").help.startswith(f"From {earliest} to ")
    at = _run(app_env, "pages/accounts.py", alice)
    assert any(f"{german} **Giro** → {german} **Karte**" in m.value for m in at.markdown), [m.value for m in at.markdown]
