"""Dashboard page (AppTest): friendly start, demo data button, KPIs, charts, alerts, budgets."""

from __future__ import annotations

import datetime as dt

from budgetwise.dates import add_months
from budgetwise.services import budgets, demo
from budgetwise.services import reports as R
from budgetwise.ui.format import unbroken_dates  # dates as displayed (no line break inside)
from tests.helpers_reports import add_rows, category_id

PAGE = "pages/dashboard.py"


def _texts(at) -> str:
    parts = [h.value for h in at.subheader] + [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def test_guard_reveals_nothing_without_a_session(app_env):
    at = app_env.page(PAGE)
    at.run()
    assert not at.exception
    assert "Please sign in" in at.warning[0].value
    assert not at.metric and not at.get("plotly_chart")


def test_empty_account_gets_a_friendly_start_and_no_charts(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    text = _texts(at)
    assert "Welcome, Alice" in text
    assert "Add a transaction" in text and "Import a file" in text and "Load demo data" in text
    assert not at.metric and not at.get("plotly_chart")
    assert at.button(key="dash_demo").label == "Load demo data"


def test_demo_button_loads_data_for_the_signed_in_user_only(app_env):
    """Session 16: the button goes through demo.load_demo_data (the one owner, as `budgetwise demo`): Checking
    and Savings with the confirmed transfers, the newest offered, and the savings goal linked to Savings."""
    from budgetwise.services import accounts, goals, transfers

    alice = app_env.create_user()
    bob = app_env.create_user("bob@example.com", "Bob")
    at = app_env.page(PAGE, user=alice, timeout=60)
    at.run()
    at.button(key="dash_demo").click()
    at.run()
    assert not at.exception and not at.error
    with app_env.scope() as s:
        assert R.has_transactions(s, user_id=alice.user_id)
        assert not R.has_transactions(s, user_id=bob.user_id)
        expected = R.summary(s, user_id=alice.user_id, filters=R.ReportFilter(*R.preset_range("this_month")))
        assert [(a.name, a.kind) for a in accounts.list_accounts(s, user_id=alice.user_id)] == [
            ("Checking", "checking"), ("Savings", "savings")]
        assert len(transfers.list_transfers(s, user_id=alice.user_id)) >= 20
        assert len(transfers.find_candidates(s, user_id=alice.user_id)) == 1
        (goal,) = goals.list_goals(s, user_id=alice.user_id)
        assert (goal.name, goal.account_name) == (demo.GOAL_NAME, "Savings")
    assert any("demo transactions into Checking and Savings" in str(t.value) for t in at.toast)
    # the rerun after the button shows the full dashboard
    labels = [m.label for m in at.metric]
    assert labels[:4] == ["Income", "Expenses", "Net savings", "Savings rate"]
    assert at.metric[1].value == f"${expected.expense_minor / 100:,.2f}"
    assert len(at.get("plotly_chart")) >= 2


def test_a_refused_demo_load_says_why_where_the_button_is_and_writes_nothing(app_env):
    """A user without transactions who already made an account "Savings": the demo would make its own (names are
    unique), so the load is refused with the service's message, and nothing is written. (Loading twice is refused
    by the service too: tests/services/test_services_demo.py.)"""
    from budgetwise.services import accounts

    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="100")
    at = app_env.page(PAGE, user=alice, timeout=60)
    at.run()
    at.button(key="dash_demo").click()
    at.run()
    assert not at.exception
    assert any("you already have “Savings”: rename it on the Accounts page first" in e.value for e in at.error)
    with app_env.scope() as s:
        assert not R.has_transactions(s, user_id=alice.user_id)
        assert [a.name for a in accounts.list_accounts(s, user_id=alice.user_id)] == ["Main account", "Savings"]


def test_kpis_change_vs_previous_period_charts_alerts_and_budgets(app_env):
    alice = app_env.create_user()
    today = dt.date.today()
    this_month = today.replace(day=1)
    last_month = add_months(this_month, -1)
    with app_env.scope() as s:
        add_rows(
            s,
            alice.user_id,
            [
                (this_month, 20000, "expense", "WEEKLY MARKET", "Groceries"),
                (last_month, 10000, "expense", "WEEKLY MARKET", "Groceries"),
                (this_month, 4500, "expense", "PIZZA $PECIAL *BOLD*", "Dining"),
                (this_month, 4500, "expense", "PIZZA $PECIAL *BOLD*", "Dining"),  # a likely duplicate
            ],
        )
        budgets.set_budget(s, user_id=alice.user_id, month=this_month, amount="150", category_id=category_id(s, alice.user_id, "Groceries"))
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    expenses = at.metric[1]
    assert expenses.value == "$290.00"
    assert "+$190.00" in expenses.delta and "+190.0%" in expenses.delta  # vs last month up to the same day
    assert list(expenses.proto.chart_data)[-2:] == [100.0, 290.0]  # the sparkline: data to draw
    alerts = "\n".join(m.value for m in at.markdown)
    assert "Groceries is over budget" in alerts
    assert "Possible duplicate" in alerts and "PIZZA \\$PECIAL \\*BOLD\\*" in alerts  # user text escaped
    assert any("Groceries" in m.value and "over budget" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 4  # donut, monthly bars, trend, budget progress
    assert list(at.dataframe[0].value["Description"])[:1] == ["PIZZA $PECIAL *BOLD*"]


def test_period_choice_changes_the_kpis_and_survives_reruns(app_env):
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(add_months(today, -4), 50000, "expense", "OLD TV", "Shopping"), (today, 1000, "expense", "TEA", "Dining")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert at.metric[1].value == "$10.00"
    at.selectbox(key="dash_w_period").set_value("last_6_months").run()
    assert not at.exception
    assert at.metric[1].value == "$510.00"
    at.run()
    assert at.session_state["dash_period"] == "last_6_months" and at.metric[1].value == "$510.00"


def test_other_users_data_never_appears(app_env):
    alice = app_env.create_user()
    bob = app_env.create_user("bob@example.com", "Bob")
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=bob.user_id, rows=demo.generate(months=3))
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert "Welcome, Alice" in _texts(at) and not at.metric


def test_all_time_shows_old_history(app_env):
    """Issue #14 item 12: with only 2017–2019 history the dashboard showed zeros for every preset."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(dt.date(2017, 3, 4), 1000, "expense", "Old", None),
                                    (dt.date(2019, 11, 30), 250000, "income", "Pay", None)])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    period = at.selectbox(key="dash_w_period")
    assert {"all_time", "data_span"} <= set(period.options) or {"All time", "Span of your data"} <= set(period.options)
    period.set_value("all_time")
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric[:2]] == ["$2,500.00", "$10.00"]
    assert unbroken_dates(f"2017-03-04 – {dt.date.today().isoformat()}") in _texts(at)
    at.selectbox(key="dash_w_period").set_value("data_span")
    at.run()
    assert [m.value for m in at.metric[:2]] == ["$2,500.00", "$10.00"]
    assert unbroken_dates("2017-03-04 – 2019-11-30") in _texts(at)


def test_an_unchanged_figure_gets_no_coloured_badge(app_env):
    """Issue #14 item 11: a green "↑ $0.00" under an income of $0.00."""
    alice = app_env.create_user()
    today = dt.date.today()
    this_month, last_month = today.replace(day=1), add_months(today.replace(day=1), -1)
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(this_month, 2000, "expense", "TEA", "Dining"),
                                    (last_month, 1000, "expense", "TEA", "Dining")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    income, expenses = at.metric[0], at.metric[1]
    assert income.value == "$0.00" and not income.delta  # no change: no arrow, no colour
    assert "+$10.00" in expenses.delta


def test_an_empty_chart_is_an_empty_state_note_not_axes_with_ticks():
    """Issue #14 item 11: months without income or spending drew y-ticks "1, 1, 1, 0, 0"."""
    import pandas as pd

    from budgetwise.ui import charts

    months = pd.DataFrame({"label": ["2026-10", "2026-11"], "income_minor": [0, 0], "expense_minor": [0, 0],
                           "net_minor": [0, 0], "savings_rate": [None, None]})
    for fig in (charts.income_expense_bars(months, currency="USD"), charts.trend_lines(months, currency="USD"),
                charts.savings_rate_line(months)):
        assert not fig.data  # no axes with made-up ticks
        assert fig.layout.annotations and fig.layout.annotations[0].text.startswith("No ")
        assert fig.layout.yaxis.visible is False
    trend = pd.DataFrame(columns=["month", "category", "color", "amount_minor"])
    assert not charts.category_area(trend, currency="USD").data
    months.loc[0, "income_minor"] = 100
    assert charts.income_expense_bars(months, currency="USD").data


def test_other_categories_never_share_the_uncategorized_grey():
    """Issue #14 item 11: "Uncategorized" and "Other categories" were the same grey."""
    import pandas as pd

    from budgetwise.services.reports import UNCATEGORIZED_COLOR
    from budgetwise.ui import charts

    names = ["Rent", "Groceries", "Uncategorized", "Dining", "Travel", "Fun", "Gym", "Pets", "Books", "Toys"]
    colors = ["#111111", "#222222", UNCATEGORIZED_COLOR, "#333333", "#444444", "#555555", "#666666", charts.OTHER_COLOR,
              "#888888", "#999999"]
    by_cat = pd.DataFrame({"category": names, "color": colors, "amount_minor": [1000 - i for i in range(10)]})
    pie = charts.spending_donut(by_cat, currency="USD").data[0]
    shown = list(pie.marker.colors)
    assert pie.labels[-1].startswith("Other categories") and len(set(shown)) == len(shown)
    assert shown[-1] != UNCATEGORIZED_COLOR
    trend = pd.DataFrame({"month": [dt.date(2026, 11, 1)] * 10, "category": names, "color": colors,
                          "amount_minor": [1000 - i for i in range(10)]})
    area = charts.category_area(trend, currency="USD")
    fills = [t.fillcolor for t in area.data]
    assert area.data[-1].name == "Other categories" and len(set(fills)) == len(fills)


def test_savings_rate_below_minus_100_stays_on_the_chart():
    """Issue #14 item 11: a month at −250% was cut off below the −100% edge of the axis."""
    import pandas as pd

    from budgetwise.ui import charts

    months = pd.DataFrame({"label": ["2026-09", "2026-10", "2026-11"], "savings_rate": [20.0, 35.5, -250.0]})
    fig = charts.savings_rate_line(months)
    line = fig.data[0]
    low, high = fig.layout.yaxis.range
    assert all(low <= y <= high for y in line.y)  # every point visible
    assert list(line.y) == [20.0, 35.5, -100.0]
    assert line.marker.symbol[2] == "triangle-down" and line.marker.symbol[0] == "circle"
    assert "-250.0%" in line.customdata[2] and "beyond" in line.customdata[2]


def test_balance_outlook_card_with_the_lowest_point_and_a_threshold_alert(app_env, monkeypatch):
    """Issue #19: the card shows the lowest projected balance and its date, alerts below the user's saved
    threshold, and is cached by data version (a rerun does not project again; a write does)."""
    from budgetwise.services import accounts
    from budgetwise.services import cashflow as C
    from budgetwise.services.versions import touch_data

    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000",
                                opening_date=today - dt.timedelta(days=10))
        add_rows(s, alice.user_id, [(today - dt.timedelta(days=1), 2500, "expense", "CORNER SHOP", "Groceries")])
    calls = []
    real = C.cashflow_user
    monkeypatch.setattr(C, "cashflow_user", lambda *a, **k: calls.append(k["user_id"]) or real(*a, **k))
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    text = _texts(at).replace("\\", "")
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "Balance outlook" in text and unbroken_dates(f"Lowest projected balance **$975.00** on **{tomorrow}**") in text
    assert "Below your threshold" not in text and "Safe to spend" in text
    # QA: one day of history has no usual spending in the projection: the amount is not "on top of" it
    assert "on top of your usual spending" not in text and "not in the projection yet" in text
    at.run()
    assert len(calls) == 1  # cached: the rerun reads the version and the threshold only
    with app_env.scope() as s:
        assert C.set_threshold(s, user_id=alice.user_id, threshold="1,200") == 120_000
    at.run()
    text = _texts(at).replace("\\", "")
    assert "Below your threshold:** Your balance is already below $1,200.00 today: $975.00." in text  # $975 today
    assert len(calls) == 2  # the threshold is part of the key
    with app_env.scope() as s:
        touch_data(s, alice.user_id)
    at.run()
    assert len(calls) == 3 and not at.exception  # a write invalidates it
    labels = [m.label for m in at.metric]
    assert labels == ["Income", "Expenses", "Net savings", "Savings rate"]  # the card adds no metric


def test_balance_outlook_already_below_the_threshold_says_so(app_env):
    """Session 21 (xlsxfix): a balance already below the threshold today read "the projection goes below $1,200.00"
    on the card while the Cash flow page said "already below" (``Projection.below_threshold``, its one owner)."""
    from budgetwise.services import accounts
    from budgetwise.services import cashflow as C

    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000",
                                opening_date=today - dt.timedelta(days=10))
        add_rows(s, alice.user_id, [(today - dt.timedelta(days=1), 2500, "expense", "CORNER SHOP", "Groceries")])
        C.set_threshold(s, user_id=alice.user_id, threshold="1,200")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    text = _texts(at).replace("\\", "")
    assert "Below your threshold:** Your balance is already below $1,200.00 today: $975.00." in text
    assert "goes below" not in text


def test_net_savings_from_a_deficit_change_in_money_not_percent(app_env):
    """Review: net savings from -$200 to +$100 showed "-150%"; against a deficit the change is in money."""
    alice = app_env.create_user()
    today = dt.date.today()
    this_month, last_month = today.replace(day=1), add_months(today.replace(day=1), -1)
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(last_month, 20000, "expense", "RENT", "Rent"),
                                    (this_month, 10000, "income", "ACME PAYROLL", "Salary")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    net = next(m for m in at.metric if m.label == "Net savings")
    assert net.value == "$100.00" and net.delta == "+$300.00 (from a deficit)"
    assert "%" not in next(m for m in at.metric if m.label == "Income").delta  # from nothing: money only


def test_a_cold_dashboard_detects_recurring_payments_once(app_env, monkeypatch):
    """The outlook's projection and the upcoming-payments alerts share one ``detect_recurring`` on a cache
    miss (it ran twice before: ~0.6 s of CPU each for a 100,000-transaction user); a cached rerun runs none."""
    import functools

    from budgetwise.services import cashflow as C
    from budgetwise.services import demo
    from budgetwise.services.reports import recurring

    alice = app_env.create_user()
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=demo.generate(months=14, end=dt.date.today()))
    calls, projections = [], []
    real, real_project = recurring.detect_recurring, C.cashflow_user

    @functools.wraps(real)
    def counted(*a, **k):
        calls.append(k.get("as_of"))
        return real(*a, **k)

    monkeypatch.setattr(R, "detect_recurring", counted)
    monkeypatch.setattr(recurring, "detect_recurring", counted)
    monkeypatch.setattr(C, "cashflow_user", lambda *a, **k: projections.append(k.get("recurring")) or real_project(*a, **k))
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    assert "Balance outlook" in _texts(at) and "Lowest projected balance" in _texts(at)
    assert calls == [dt.date.today()] and len(projections) == 1 and projections[0] is not None
    at.run()
    assert len(calls) == 1 and len(projections) == 1


def test_a_history_older_than_this_month_names_its_newest_day_and_offers_its_span(app_env):
    """QA: all transactions older than the default period: zeros only, no word of when they are."""
    from budgetwise.services import transactions as _tx

    alice = app_env.create_user()
    with app_env.scope() as s:
        _tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2021, 4, 7), amount="40", kind="expense",
                            description="Corner shop")
    at = app_env.page(PAGE, user=alice)
    at.session_state["dash_period"] = "this_month"  # chosen: an old history opens on its latest months (trial28)
    at.run()
    assert not at.exception
    assert any(unbroken_dates("your newest transaction is from 2021-04-07") in i.value for i in at.info)
    # QA 2026-12-05: no data in the sparklines' six months: no sparkline (was a flat, empty area at 0)
    assert [list(m.proto.chart_data) for m in at.metric[:3]] == [[], [], []]
    at.button(key="dash_show_data_span").click()
    at.run()
    assert not at.exception and at.selectbox(key="dash_w_period").value == "data_span"
    assert not any("no transactions in this period" in i.value for i in at.info)


def test_dates_in_sentences_follow_the_users_date_format(app_env):
    """QA 2026-12-05: with DD.MM.YYYY the period caption and the upcoming-payment alerts still wrote
    ISO dates (2026-12-01 – 2026-12-05, "expected 2026-12-08") next to the outlook's 24.12.2026."""
    import re

    from budgetwise.services.profile import update_profile

    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, date_format="%d.%m.%Y")
        due = today + dt.timedelta(days=5)
        add_rows(s, alice.user_id, [(due - dt.timedelta(days=30 * k), 1549, "expense", "NETFLIX.COM", "Subscriptions")
                                    for k in range(1, 7)])
    at = app_env.page(PAGE, user=alice)
    at.session_state["dash_period"] = "this_month"  # its caption's dates (the rows may all be before this month)
    at.run()
    assert not at.exception
    text = _texts(at).replace("\\", "")
    start = today.replace(day=1)
    assert f"{start:%d.%m.%Y} – {today:%d.%m.%Y}" in text
    assert re.search(r"NETFLIX.COM · \$15.49 · monthly, expected \d{2}\.\d{2}\.\d{4}\.", text), text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), text


def test_a_budget_set_under_another_base_currency_without_a_rate_is_named_not_called_missing(app_env):
    """Session 14 (newuser): a user set a €300 budget, then made GBP the base currency; with no EUR → GBP
    rate the Dashboard's card said "No budgets yet. Set a monthly budget" (the Budgets page named it)."""
    from budgetwise.services import profile

    alice = app_env.create_user()
    this_month = dt.date.today().replace(day=1)
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(this_month, 2000, "expense", "WEEKLY MARKET", "Groceries")])
        budgets.set_budget(s, user_id=alice.user_id, month=this_month, amount="300",
                           category_id=category_id(s, alice.user_id, "Dining"))
        profile.update_profile(s, user_id=alice.user_id, currency="GBP")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    text = _texts(at).replace("\\", "")
    assert "No budgets yet" not in text
    assert ("Your budget for Dining ($300.00) cannot be shown in GBP: no USD → GBP rate for "
            f"{this_month:%B %Y}. Add the rate under Profile → Exchange rates.") in text


def _block_ids(node) -> list[str]:
    ids = []
    for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else []):
        if type(child).__name__ == "Block":
            ids.append(getattr(child.proto, "id", ""))
            ids += _block_ids(child)
    return ids


def test_long_amounts_are_shown_exact_never_shortened_and_size_their_row(app_env):
    """Session 14: the money cards on the Dashboard and Reports show the exact amount with cents in the user's
    locale (``money.format_money``: de/es grouping, en-IN lakh and crore) however long it is: never the compact
    "$9.9B" / "1,2 Mio. €" and never cut. The row's container names its longest figure's length
    (``st-key-bw_cards_<n>_…``), from which ``widgets.CARD_CSS`` draws the row in one smaller font size."""
    from budgetwise.services import profile

    today = dt.date.today()
    cases = (("us@example.com", "en_US", "USD", 987654321012, "$9,876,543,210.12"),
             ("in@example.com", "en_IN", "INR", 1234567890, "₹1,23,45,678.90"),
             ("de@example.com", "de_DE", "EUR", 123456789, "1.234.567,89\xa0€"),
             ("es@example.com", "es_ES", "EUR", 123456789, "1.234.567,89\xa0€"))
    for email, locale, currency, minor, shown in cases:
        user = app_env.create_user(email, "User")
        with app_env.scope() as s:
            user = profile.update_profile(s, user_id=user.user_id, locale=locale, currency=currency)
            add_rows(s, user.user_id, [(today, minor, "income", "SALE", "Salary", currency),
                                       (today, 1917, "expense", "MARKET", "Groceries", currency)])
        for page in ("pages/dashboard.py", "pages/reports.py"):
            at = app_env.page(page, user=user, timeout=60)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            metrics = {m.label: m for m in at.metric}
            assert metrics["Income"].value == shown, (locale, page, metrics["Income"].value)
            assert not metrics["Income"].help  # no "Exactly …" note: the card itself is exact
            assert metrics["Expenses"].value.replace("\xa0", " ") in ("$19.17", "₹19.17", "19,17 €")
            assert any(f"bw_cards_{len(shown)}_" in i for i in _block_ids(at.main)), (locale, page)


def test_the_balance_outlook_counts_the_spending_accounts_and_follows_the_cash_flow_choice(app_env):
    """Session 16 (spendacct): the card answers about the accounts one spends from (the Savings balance
    is not counted), says so, and counts all accounts when the Cash flow page was told to."""
    from budgetwise.services import accounts

    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000",
                                opening_date=today - dt.timedelta(days=10))
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="9000",
                                opening_date=today - dt.timedelta(days=10))
        add_rows(s, alice.user_id, [(today - dt.timedelta(days=1), 2500, "expense", "CORNER SHOP", "Groceries")])
        from budgetwise.services import cashflow as C

        C.set_threshold(s, user_id=alice.user_id, threshold="1,200")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    text = _texts(at).replace("\\", "")
    assert "Lowest projected balance **$975.00**" in text and "Spending accounts: Checking; Savings is not counted." in text
    assert "Below your threshold:** Your balance is already below $1,200.00 today: $975.00." in text  # the alert: the same default
    at.session_state["cf_scope"] = "all"
    at.run()
    text = _texts(at).replace("\\", "")
    assert "Lowest projected balance **$9,975.00**" in text and "All accounts: Checking and Savings." in text
    assert "Below your threshold" not in text


def test_the_balance_outlook_says_which_balances_it_left_out_for_want_of_a_rate(app_env):
    """Session 18 (newuser, in Chromium): after a switch to EUR the card read "Lowest projected balance €0.00 on …
    (today €0.00)" with no word that both USD accounts were left out for want of a rate (the Cash flow page said it)."""
    from budgetwise.services import accounts
    from budgetwise.services import cashflow as C
    from budgetwise.services import transactions as tx

    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        euro = accounts.create_account(s, user_id=alice.user_id, name="Euro", currency="EUR", opening_balance="500")
        tx.add_transaction(s, user_id=alice.user_id, date=today - dt.timedelta(days=2), amount="20", kind="expense",
                           description="Bakery", currency="EUR", account_id=euro.id)
        C.add_scheduled(s, user_id=alice.user_id, name="Rent", amount="900", kind="expense",
                        next_date=today + dt.timedelta(days=3), cadence="monthly", today=today)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    text = _texts(at).replace("\\", "")
    assert "(today $0.00)" in text
    assert "No EUR → USD rate for" in text and "an account balance of €480.00" in text


def test_a_period_with_nothing_before_it_says_so_instead_of_naming_a_comparison(app_env):
    """Session 24 (trial24): "Span of your data" (2009 – 2022) read "compared with 1995‑07‑01 – 2009‑03‑31", a
    period years before the first transaction; nothing was compared (no change on the cards)."""
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(today.replace(day=1), 4200, "expense", "ZYX MARKET", "Groceries")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert at.selectbox(key="dash_w_period").value == "this_month"  # a month with data opens as before (trial28)
    text = _texts(at).replace("\\", "")
    assert "you have no income or spending in the period just before it to compare with." in text
    assert "compared with" not in text
    # with a transaction in the period before, the comparison is named
    bob = app_env.create_user("bob@example.com", "Bob")
    with app_env.scope() as s:
        add_rows(s, bob.user_id, [(today.replace(day=1), 4200, "expense", "ZYX MARKET", "Groceries"),
                                  (add_months(today.replace(day=1), -1), 1000, "expense", "ZYX MARKET", "Groceries")])
    at = app_env.page(PAGE, user=bob)
    at.run()
    text = _texts(at).replace("\\", "")
    assert "compared with" in text and "to compare with" not in text
    # review24: a period before holding only a transfer (not counted) is not "no transactions": it has one
    carol = app_env.create_user("carol@example.com", "Carol")
    with app_env.scope() as s:
        add_rows(s, carol.user_id, [(today.replace(day=1), 4200, "expense", "ZYX MARKET", "Groceries"),
                                    (add_months(today.replace(day=1), -1), 50000, "expense", "TO SAVINGS", "Transfers")])
    at = app_env.page(PAGE, user=carol)
    at.run()
    text = _texts(at).replace("\\", "")
    assert "you have no income or spending in the period just before it to compare with." in text
    assert "no transactions" not in text


def test_balances_in_several_currencies_without_rates_make_one_warning_on_the_outlook(app_env):
    """Session 25 (trial25): a EUR user with accounts in AUD, CZK, HUF, SGD and USD and no rates read five captions
    under the balance outlook, one per currency; now one warning (ui.currency.missing_rates_warning) lists them."""
    from budgetwise.services import accounts, profile
    from budgetwise.services import transactions as tx

    alice = app_env.create_user()
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, currency="EUR")
        euro = accounts.create_account(s, user_id=alice.user_id, name="Euro", currency="EUR", opening_balance="500")
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date.today() - dt.timedelta(days=2), amount="20",
                           kind="expense", description="Bakery", currency="EUR", account_id=euro.id)
        for code in ("AUD", "CZK", "HUF"):
            accounts.create_account(s, user_id=alice.user_id, name=f"Konto {code}", currency=code, opening_balance="10")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning if "→ EUR rate" in w.value]
    assert len(warnings) == 1 and "not included** in this outlook" in warnings[0]
    assert all(f"No {code} → EUR rate" in warnings[0] for code in ("AUD", "CZK", "HUF"))
    assert not [c.value for c in at.caption if "→ EUR rate" in c.value]


def test_the_missing_rate_warning_names_the_period_with_its_dates_as_written(app_env):
    """Session 26 (trial26, in Chromium): "not included in the figures for span of your data (01 apr 2009 – 16 jan
    2025)": the whole period label was lower-cased, its month names too."""
    from budgetwise.services import accounts
    from budgetwise.services import transactions as tx
    from budgetwise.services.profile import update_profile

    alice = app_env.create_user()
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, date_format="%d %b %Y")
        euro = accounts.create_account(s, user_id=alice.user_id, name="Euro", currency="EUR")
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2009, 4, 1), amount="20", kind="expense",
                           description="Bakery", currency="EUR", account_id=euro.id)
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2025, 1, 16), amount="30", kind="expense",
                           description="Corner shop")
    at = app_env.page(PAGE, user=alice)
    at.session_state["dash_period"] = "this_month"  # chosen: an old history opens on its latest months (trial28)
    at.run()
    at.button(key="dash_show_data_span").click()
    at.run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "figures for" in w.value)
    assert "the figures for span of your data (01 Apr 2009 – 16 Jan 2025)" in warning, warning
