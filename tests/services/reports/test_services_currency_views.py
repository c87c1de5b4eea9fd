"""Reports, budgets and the period summary with transactions in several currencies.

Everything is computed in the user's base currency, each foreign amount at its own
date's rate; amounts without a rate are left out and named, never counted 1:1.
Runs on SQLite always and on PostgreSQL / MariaDB when their URLs are set.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select

from budgetwise.models import Transaction
from budgetwise.services import budgets as B
from budgetwise.services import profile, rates
from budgetwise.services import reports as R
from budgetwise.services import transactions as tx
from budgetwise.services.admin import cli_principal
from tests.helpers_reports import add_rows, category_id

D = dt.date
XML = (Path(__file__).resolve().parents[2] / "data" / "ecb" / "eurofxref-hist-90d.xml").read_bytes()
JAN = R.ReportFilter(D(2024, 1, 1), D(2024, 1, 31))


def _half_even(value: Fraction) -> int:
    floor = value.numerator // value.denominator
    rest = value - floor
    return floor + 1 if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2) else floor


# 86.00 GBP on 2024-01-04 through EUR: / 0.86305 (EUR->GBP) x 1.0953 (EUR->USD)
GBP_IN_USD = _half_even(Fraction(8600) * Fraction("1.0953") / Fraction("0.86305"))
# Travel: 100.00 EUR on Friday 01-05 (x 1.0921 = 109.21) + 50.00 EUR on Saturday 01-06 (Friday's rate: 54.605)
TRAVEL_USD = 16382  # 163.815 summed exactly, rounded once half-even


@pytest.fixture
def mixed(session, alice):
    rates.store_ecb(session, principal=cli_principal(), values=rates.parse_ecb(XML))  # 2024-01-02 .. 2024-01-05
    add_rows(
        session,
        alice.user_id,
        [
            (D(2024, 1, 5), 300000, "income", "ACME PAYROLL", "Salary"),
            (D(2024, 1, 10), 50000, "expense", "RENT", "Rent"),
            (D(2024, 1, 5), 10000, "expense", "HOTEL PARIS", "Travel", "EUR"),
            (D(2024, 1, 6), 5000, "expense", "BRASSERIE", "Travel", "EUR"),
            (D(2024, 1, 4), 8600, "expense", "TESCO", "Groceries", "GBP"),
            (D(2024, 1, 5), 100000, "expense", "TO MY EURO ACCOUNT", "Transfers", "EUR"),
            (D(2024, 1, 20), 2000, "expense", "CAFE", "Dining", "EUR"),  # 15 days after the last rate
        ],
    )
    return alice


def test_gbp_reference_value():
    assert GBP_IN_USD == 10914  # 109.1448... USD


def test_summary_converts_each_amount_at_its_own_days_rate(session, mixed):
    s = R.summary(session, user_id=mixed.user_id, filters=JAN)
    assert s.currency == "USD"
    assert s.income_minor == 300000
    assert s.expense_minor == 50000 + TRAVEL_USD + GBP_IN_USD  # the transfer and the unconvertible cafe left out
    assert s.count == 5
    assert s.other_currencies == ("EUR", "GBP")
    (missing,) = s.missing_rates
    assert (missing.currency, missing.target, missing.dates, missing.count, missing.amount_minor) == (
        "EUR", "USD", (D(2024, 1, 20),), 1, 2000,
    )


def test_missing_rate_is_not_counted_at_one_to_one(session, mixed):
    without = R.summary(session, user_id=mixed.user_id, filters=JAN).expense_minor
    rates.add_rate(session, principal=cli_principal(), date=D(2024, 1, 19), base="EUR", quote="USD", rate="1.25",
                   today=D(2024, 2, 1))
    s = R.summary(session, user_id=mixed.user_id, filters=JAN)
    assert s.missing_rates == ()
    assert s.expense_minor == without + 2500  # 20.00 EUR x 1.25, not 20.00


def test_tables_and_series_agree_in_the_base_currency(session, mixed):
    uid = mixed.user_id
    by_cat = R.by_category(session, user_id=uid, filters=JAN)
    amounts = dict(zip(by_cat["category"], by_cat["amount_minor"]))
    assert amounts == {"Rent": 50000, "Travel": TRAVEL_USD, "Groceries": GBP_IN_USD}
    assert [m.currency for m in by_cat.attrs["missing_rates"]] == ["EUR"]
    months = R.by_period(session, user_id=uid, filters=JAN, freq="month")
    assert list(months["expense_minor"]) == [50000 + TRAVEL_USD + GBP_IN_USD]
    assert list(months["count"]) == [5]
    days = R.by_period(session, user_id=uid, filters=R.ReportFilter(D(2024, 1, 4), D(2024, 1, 6)), freq="day")
    assert list(days["expense_minor"]) == [GBP_IN_USD, 10921, 5460]  # 54.605 -> 54.60 (half to even)
    series = R.monthly_totals(session, user_id=uid, date_from=D(2024, 1, 1), date_to=D(2024, 1, 31))
    assert list(series["amount_minor"]) == [50000 + TRAVEL_USD + GBP_IN_USD]
    net = R.monthly_totals(session, user_id=uid, date_from=D(2024, 1, 1), date_to=D(2024, 1, 31), kind="net")
    assert list(net["amount_minor"]) == [300000 - 50000 - TRAVEL_USD - GBP_IN_USD]
    trend = R.category_trend(session, user_id=uid, filters=JAN)
    assert dict(zip(trend["category"], trend["amount_minor"]))["Travel"] == TRAVEL_USD
    avg = R.average_monthly_by_category(session, user_id=uid, filters=JAN)
    assert dict(zip(avg["category"], avg["total_minor"]))["Groceries"] == GBP_IN_USD
    merchants = R.top_merchants(session, user_id=uid, filters=JAN, limit=3)
    assert list(merchants["merchant"])[:2] == ["rent", "hotel paris"]
    assert list(merchants["amount_minor"])[:2] == [50000, 10921]
    changes = R.changes(session, user_id=uid, month=D(2024, 1, 1))
    assert changes.set_index("item").loc["Expenses", "this_month_minor"] == 50000 + TRAVEL_USD + GBP_IN_USD


def test_period_summary_matches_the_report_summary(session, mixed):
    p = tx.period_summary(session, user_id=mixed.user_id, date_from=D(2024, 1, 1), date_to=D(2024, 1, 31))
    s = R.summary(session, user_id=mixed.user_id, filters=JAN)
    assert (p.income_minor, p.expense_minor, p.count) == (s.income_minor, s.expense_minor, s.count)
    assert p.other_currencies == ("EUR", "GBP")
    assert [(m.currency, m.dates) for m in p.missing_rates] == [("EUR", (D(2024, 1, 20),))]


def test_budget_vs_actual_counts_foreign_spending_converted(session, mixed):
    uid = mixed.user_id
    travel = category_id(session, uid, "Travel")
    B.set_budget(session, user_id=uid, month=D(2024, 1, 1), amount="150", category_id=travel)
    B.set_budget(session, user_id=uid, month=D(2024, 1, 1), amount="1000", category_id=None)
    report = B.budget_report(session, user_id=uid, month=D(2024, 1, 1), today=D(2024, 2, 15))
    line = {item.category_name: item for item in report.lines}["Travel"]
    assert line.spent_minor == TRAVEL_USD and line.over_budget
    assert report.spent_total_minor == 50000 + TRAVEL_USD + GBP_IN_USD
    assert report.other_currencies == ("EUR", "GBP")
    assert [(m.currency, m.dates) for m in report.missing_rates] == [("EUR", (D(2024, 1, 20),))]
    history = B.budget_history(session, user_id=uid, months=1, today=D(2024, 1, 15))
    assert list(history["spent_minor"]) == [50000 + TRAVEL_USD + GBP_IN_USD]


def test_changing_the_base_currency_recomputes_and_never_rewrites(session, mixed):
    uid = mixed.user_id
    stored = sorted(session.execute(select(Transaction.currency, Transaction.amount_minor).where(Transaction.user_id == uid)))
    travel = category_id(session, uid, "Travel")
    B.set_budget(session, user_id=uid, month=D(2024, 1, 1), amount="150", category_id=travel)
    profile.update_profile(session, user_id=uid, currency="EUR")
    s = R.summary(session, user_id=uid, filters=JAN)
    assert s.currency == "EUR" and s.other_currencies == ("GBP", "USD")
    assert s.income_minor == _half_even(Fraction(300000) / Fraction("1.0921"))  # USD salary at 2024-01-05
    # the cafe (EUR) needs no rate any more; the USD rent of 2024-01-10 (5 days after the last rate) still has one
    assert s.missing_rates == ()
    expected = 10000 + 5000 + 2000 + _half_even(Fraction(8600) / Fraction("0.86305")) + _half_even(
        Fraction(50000) / Fraction("1.0921")
    )
    assert s.expense_minor in (expected - 1, expected, expected + 1)  # one rounding for the whole figure
    # a budget set in USD is shown in EUR at the rate of the month's first day (2024-01-01: none -> missing)
    report = B.budget_report(session, user_id=uid, month=D(2024, 1, 1), today=D(2024, 2, 15))
    assert report.lines == ()
    assert [(m.currency, m.dates, m.count) for m in report.missing_rates] == [("USD", (D(2024, 1, 1),), 0)]
    assert "a budget of $150.00" in report.missing_rates[0].describe()
    rates.add_rate(session, principal=cli_principal(), date=D(2023, 12, 29), base="EUR", quote="USD", rate="1.25",
                   today=D(2024, 2, 1))
    report = B.budget_report(session, user_id=uid, month=D(2024, 1, 1), today=D(2024, 2, 15))
    assert report.lines[0].budget_minor == 12000  # 150.00 USD / 1.25
    assert sorted(session.execute(select(Transaction.currency, Transaction.amount_minor).where(Transaction.user_id == uid))) == stored


def test_budget_amounts_use_the_users_decimal_separator(session, alice):
    uid = alice.user_id
    groceries = category_id(session, uid, "Groceries")
    B.set_budget(session, user_id=uid, month=D(2024, 1, 1), amount="1.250", category_id=groceries)
    assert B.get_budget(session, user_id=uid, month=D(2024, 1, 1), category_id=groceries).amount_minor == 125
    profile.update_profile(session, user_id=uid, locale="de_DE")
    B.set_budget(session, user_id=uid, month=D(2024, 2, 1), amount="1.250", category_id=groceries)
    assert B.get_budget(session, user_id=uid, month=D(2024, 2, 1), category_id=groceries).amount_minor == 125000
    B.set_budget(session, user_id=uid, month=D(2024, 3, 1), amount="12,5", category_id=groceries)
    assert B.get_budget(session, user_id=uid, month=D(2024, 3, 1), category_id=groceries).amount_minor == 1250


def test_unusual_foreign_expense_is_judged_by_its_converted_amount(session, alice):
    rates.store_ecb(session, principal=cli_principal(), values=rates.parse_ecb(XML))
    uid = alice.user_id
    rows = [(D(2023, 12, 1) + dt.timedelta(days=3 * k), 1000 + 10 * k, "expense", f"SHOP {k}", "Dining") for k in range(10)]
    rows.append((D(2024, 1, 5), 20000, "expense", "GRAND RESTAURANT", "Dining", "EUR"))
    add_rows(session, uid, rows)
    found = R.unusual_transactions(session, user_id=uid, filters=R.ReportFilter(D(2024, 1, 1), D(2024, 1, 31)))
    (item,) = found
    assert item.description == "GRAND RESTAURANT"
    assert (item.amount_minor, item.currency, item.original_minor, item.original_currency) == (21842, "USD", 20000, "EUR")
    assert item.reason.startswith("$218.42 (€200.00) is")


def test_recurring_foreign_subscription_has_a_yearly_cost_in_the_base_currency(session, alice):
    rates.store_ecb(session, principal=cli_principal(), values=rates.parse_ecb(XML))
    days = [D(2023, 10, 5), D(2023, 11, 5), D(2023, 12, 5), D(2024, 1, 5)]
    rows = [(day, 999, "expense", "STREAMING CO", "Subscriptions", "EUR") for day in days]
    add_rows(session, alice.user_id, rows)
    (item,) = R.detect_recurring(session, user_id=alice.user_id, as_of=D(2024, 1, 10))
    assert (item.currency, item.yearly_cost_minor) == ("EUR", 11988)
    assert item.yearly_cost_base_minor == _half_even(Fraction(11988) * Fraction("1.0921"))


def test_other_users_rates_view_is_their_own(session, mixed, bob):
    s = R.summary(session, user_id=bob.user_id, filters=JAN)
    assert (s.count, s.missing_rates, s.other_currencies) == (0, (), ())



# --------------------------------------------------------------------------- goals (services/goals.py)
def test_goal_amounts_use_the_users_decimal_separator(session, alice):
    from budgetwise.services import goals as G

    uid = alice.user_id
    today = D(2024, 1, 10)
    g = G.create_goal(session, user_id=uid, name="Bike", target="1.250", target_date=D(2024, 12, 1), today=today)
    assert g.target_minor == 125  # en_US: 1.25
    profile.update_profile(session, user_id=uid, locale="de_DE")
    g2 = G.create_goal(session, user_id=uid, name="Car", target="1.250", target_date=D(2024, 12, 1), today=today)
    assert g2.target_minor == 125000  # de_DE: 1250
    c = G.add_contribution(session, user_id=uid, goal_id=g2.id, amount="12,5", date=D(2024, 1, 5), today=today)
    assert c.amount_minor == 1250


def test_goal_saving_pace_counts_foreign_net_savings_converted(session, mixed):
    from budgetwise.services import goals as G

    today = D(2024, 2, 15)
    # the data stops on 20 January: January is not complete in it (covered_months), so there is no pace
    assert G.net_savings_pace(session, user_id=mixed.user_id, today=today) is None
    # and from 1 January (a month the data starts inside is not complete either, session 28: reports.whole_months)
    add_rows(session, mixed.user_id, [(D(2024, 2, 1), 100, "expense", "KIOSK", "Dining"),
                                      (D(2024, 1, 1), 100, "expense", "KIOSK", "Dining")])
    pace = G.net_savings_pace(session, user_id=mixed.user_id, today=today)  # January: the one complete month
    net = 300000 - (100 + 50000 + TRAVEL_USD + GBP_IN_USD)  # the transfer and the cafe without a rate left out
    assert pace == net  # the months before the data are not counted as zeros (it was net / 3, rounded up)


@pytest.mark.parametrize(
    "flt",
    [
        R.ReportFilter(D(2023, 12, 1), D(2024, 2, 29)),  # whole months: the rollup's month rows
        R.ReportFilter(D(2024, 1, 3), D(2024, 1, 20)),  # days: its day rows
        R.ReportFilter(D(2024, 1, 1), D(2024, 1, 31), kind="expense", text="a"),
    ],
)
def test_the_bundles_shared_rollup_gives_what_each_report_gives_alone(session, mixed, flt):
    """report_bundle answers its sums from one grouped read (services/reports/rollup.py); every
    table, its missing rates and the summary are what the reports compute one query at a time."""
    import pandas as pd

    uid, today = mixed.user_id, D(2024, 1, 25)
    session.execute(Transaction.__table__.update().where(Transaction.description == "CAFE").values(merchant=""))
    bundle = R.report_bundle(session, user_id=uid, filters=flt, today=today)
    alone = {
        "by_month": R.by_period(session, user_id=uid, filters=flt, freq="month"),
        "by_category": R.by_category(session, user_id=uid, filters=flt),
        "average_monthly": R.average_monthly_by_category(session, user_id=uid, filters=flt),
        "changes": R.changes(session, user_id=uid, month=D(2024, 1, 1) if flt.date_to.month == 1 else D(2024, 2, 1),
                             filters=flt, today=today),
        "spikes": R.spikes_frame(R.spending_spikes(session, user_id=uid, filters=flt, today=today)),
    }
    for name, frame in alone.items():
        pd.testing.assert_frame_equal(bundle.tables[name], frame, obj=name)
        assert bundle.tables[name].attrs == frame.attrs, name
    assert bundle.summary == R.summary(session, user_id=uid, filters=flt)
    assert bundle.summary.missing_rates  # the café's euros have no rate: named, not counted 1:1


def test_likely_duplicates_without_a_merchant_key_and_in_a_habit(session, alice):
    """Rows without a merchant key group by their description; a habit's rows count only when
    entered twice on one day with nothing else of the series within the window."""
    rows = [
        (D(2025, 3, 5), 1200, "expense", "Corner Shop", "Dining"),
        (D(2025, 3, 6), 1200, "expense", "CORNER SHOP", "Dining"),
    ]
    rows += [(D(2025, 3, 1) + dt.timedelta(days=7 * i), 450, "expense", "COFFEE CART", "Dining") for i in range(4)]
    rows += [(D(2025, 3, 22), 450, "expense", "COFFEE CART", "Dining")]  # entered twice, alone that week
    add_rows(session, alice.user_id, rows)
    session.execute(Transaction.__table__.update().where(Transaction.description.ilike("corner shop")).values(merchant=""))
    groups = R.likely_duplicates(session, user_id=alice.user_id, filters=R.ReportFilter(D(2025, 3, 1), D(2025, 3, 31)))
    assert [(g.merchant, g.dates, g.identical) for g in groups] == [
        ("coffee cart", (D(2025, 3, 22), D(2025, 3, 22)), True),
        ("corner shop", (D(2025, 3, 5), D(2025, 3, 6)), False),
    ]


def _varied_expenses(session, uid) -> None:
    """Half a year of expenses in four categories (one uncategorized), repeating merchants, a
    merchant whose usual price is high, outliers, and euros with and without a rate."""
    rows = []
    shops = {"Groceries": ["MARKET A", "MARKET B", "DELI"], "Dining": ["CAFE ONE", "BISTRO", "GRAND HALL"],
             "Shopping": ["STORE", "OUTLET", "GADGETS"], None: ["MISC", "KIOSK"]}
    for i in range(420):
        cat = list(shops)[i % 4]
        merchant = shops[cat][(i * 7) % len(shops[cat])]
        amount = 1500 + (i * 37) % 2100 + (500 if merchant == "GRAND HALL" else 0)
        if merchant == "GRAND HALL" and i % 3 == 0:
            amount = 26000 + i  # a pricey regular: unusual for its category, not for itself
        if i % 41 == 0:
            amount *= 9  # outliers
        rows.append((D(2023, 7, 1) + dt.timedelta(days=i * 186 // 420), amount, "expense", merchant, cat))
    rows += [(D(2024, 1, 3) + dt.timedelta(days=k % 3), 9000 + 700 * k, "expense", ("PARIS BISTRO", "LYON BRASSERIE")[k % 2], "Dining", "EUR")
             for k in range(6)]  # with a rate
    rows += [(D(2023, 12, 10) + dt.timedelta(days=k), 30000, "expense", "ROME", "Shopping", "EUR") for k in range(3)]
    rows += [(D(2024, 1, 5 - k % 3), 50000, "expense", f"TV SHOP {'ABCD'[k]}", "Shopping") for k in range(4)]  # ties
    add_rows(session, uid, rows)


@pytest.mark.parametrize(
    "flt",
    [
        R.ReportFilter(D(2023, 12, 1), D(2024, 1, 5)),  # a period after part of the baseline
        R.ReportFilter(D(2023, 7, 1), D(2024, 1, 5)),  # the period is the whole baseline
        R.ReportFilter(D(2023, 10, 1), D(2024, 1, 5), category_ids=(0,), uncategorized=True),  # Dining + none
        R.ReportFilter(D(2024, 1, 3), D(2024, 1, 5)),  # euros on the first day
        R.ReportFilter(D(2024, 2, 1), D(2024, 1, 5)),  # an empty period
    ],
)
@pytest.mark.parametrize("caps", [(1000, 20000), (3, 2)])
def test_unusual_candidates_from_the_baseline_read_are_the_plain_querys(session, alice, monkeypatch, flt, caps):
    """unusual_transactions finds the period's candidates in the rows its baseline read (by id,
    one read); with a text filter it asks SQL for them (_above_limits). Both give the same list,
    also when the candidates are capped."""
    from budgetwise.services.reports import anomalies

    rates.store_ecb(session, principal=cli_principal(), values=rates.parse_ecb(XML))
    uid = alice.user_id
    _varied_expenses(session, uid)
    if flt.category_ids:
        flt = R.ReportFilter(flt.date_from, flt.date_to, category_ids=(category_id(session, uid, "Dining"),),
                             uncategorized=True)
    monkeypatch.setattr(anomalies, "_MAX_CANDIDATES", caps[0])
    monkeypatch.setattr(anomalies, "_MAX_FOREIGN", caps[1])
    calls = {"sql": 0}
    real = anomalies._above_limits

    def counted(*args, **kwargs):
        calls["sql"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(anomalies, "_above_limits", counted)
    for limit in (100, 4):
        fast = R.unusual_transactions(session, user_id=uid, filters=flt, limit=limit, min_history=5)
        assert calls["sql"] == 0
        with monkeypatch.context() as m:
            m.setattr(anomalies, "_text_clause", lambda text: True)  # as with a text filter (that matches every row)
            plain = R.unusual_transactions(session, user_id=uid, filters=flt, limit=limit, min_history=5)
        assert calls["sql"] == 1
        calls["sql"] = 0
        assert fast == plain
        if flt.date_from <= flt.date_to and caps[0] > 3:
            assert fast and len(fast) <= limit
    if flt == R.ReportFilter(D(2023, 12, 1), D(2024, 1, 5)) and caps[0] > 3:
        found = R.unusual_transactions(session, user_id=uid, filters=flt, min_history=5)
        assert any(u.original_currency == "EUR" for u in found)  # converted candidates are judged too
        assert not any(u.description == "GRAND HALL" and u.amount_minor < 30000 for u in found)  # its usual price


def test_int_table_reads_the_same_rows_as_text_or_as_rows(session, alice):
    """The integer columns read as comma-separated text (SQLite, PostgreSQL) are the plain rows."""
    import dataclasses

    import numpy as np
    from sqlalchemy import func

    from budgetwise.services.reports.scope import _int_table, _scope

    uid = alice.user_id
    _varied_expenses(session, uid)
    scope = _scope(session, uid)
    columns = [Transaction.id, func.coalesce(Transaction.category_id, -1), Transaction.amount_minor]
    sizes = []
    for where in ([Transaction.user_id == uid], [Transaction.user_id == uid, Transaction.amount_minor < 0]):
        read = _int_table(session, scope, columns, where)
        plain = _int_table(session, dataclasses.replace(scope, dialect="plain"), columns, where)
        assert read.shape == plain.shape and read.dtype == np.int64
        assert sorted(map(tuple, read.tolist())) == sorted(map(tuple, plain.tolist()))
        sizes.append(len(read))
    assert sizes[0] > 400 and sizes[1] == 0


def test_top_merchants_example_and_last_date_across_currencies(session, alice):
    """A merchant's latest transaction (its date and description) is found whichever currency it
    was in, also for merchants only listed by description."""
    rates.store_ecb(session, principal=cli_principal(), values=rates.parse_ecb(XML))
    add_rows(session, alice.user_id, [
        (D(2024, 1, 2), 4000, "expense", "HOTEL NORD", "Travel"),
        (D(2024, 1, 5), 9000, "expense", "HOTEL NORD", "Travel", "EUR"),  # the latest: in euros
        (D(2024, 1, 3), 3000, "expense", "BOOKSHOP", "Shopping", "EUR"),
        (D(2024, 1, 4), 2500, "expense", "BOOKSHOP", "Shopping"),  # the latest: in dollars
        (D(2024, 1, 4), 2600, "expense", "Bookshop", "Shopping"),  # same day, a higher id
        (D(2024, 1, 3), 1000, "expense", "Market Stall", "Groceries"),
    ])
    session.execute(Transaction.__table__.update().where(Transaction.description == "Market Stall").values(merchant=""))
    df = R.top_merchants(session, user_id=alice.user_id, filters=R.ReportFilter(D(2024, 1, 1), D(2024, 1, 31)))
    rows = {r["merchant"]: (r["example"], r["last_date"], r["count"]) for r in df.to_dict("records")}
    assert rows["hotel nord"][:2] == ("HOTEL NORD", D(2024, 1, 5)) and rows["hotel nord"][2] == 2
    assert rows["bookshop"] == ("Bookshop", D(2024, 1, 4), 3)
    assert rows["market stall"] == ("Market Stall", D(2024, 1, 3), 1)
