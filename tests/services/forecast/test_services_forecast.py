"""Forecast service: input parsing, the model's parts, backtest, intervals, DB path and CLI.

Histories are small and synthetic (a few hundred rows) so every forecast fits in well
under a second; the real-data accuracy figures live in benchmarks/forecast_eval.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from budgetwise.errors import ImportFileError, NotFoundError, ValidationError
from budgetwise.models import ExchangeRate
from budgetwise.services import auth, demo
from budgetwise.services import forecast as F
from budgetwise.services.demo import DemoRow
from budgetwise.services.forecast import api

D = dt.date


# --------------------------------------------------------------------------- helpers
def _months(first: dt.date, count: int) -> list[dt.date]:
    out, y, m = [], first.year, first.month
    for _ in range(count):
        out.append(D(y, m, 1))
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def household(
    first: dt.date = D(2024, 1, 1),
    months: int = 14,
    *,
    rent: str = "1000.00",
    rent_after: tuple[int, str] | None = None,
    groceries_per_day: float = 20.0,
    seed: int = 7,
    july_travel: str | None = None,
    salary: str | None = "3000.00",
    end: dt.date | None = None,
) -> pd.DataFrame:
    """A plain frame (date, amount, category, type, description): rent on the 1st, groceries
    every other day with noise, a salary on the 25th, optional July travel."""
    rng = random.Random(seed)
    rows = []
    for i, m in enumerate(_months(first, months)):
        price = rent_after[1] if rent_after and i >= rent_after[0] else rent
        rows.append((m, price, "Rent", "expense", "RENT OAK STREET"))
        if salary:
            rows.append((m.replace(day=25), salary, "Salary", "income", "ACME PAYROLL"))
        rows.append((m.replace(day=15), "500.00", "Transfers", "expense", "TO SAVINGS"))
        if july_travel and m.month == 7:
            rows.append((m.replace(day=10), july_travel, "Travel", "expense", f"AIRLINE {m.year}"))
        day = m
        while day.month == m.month:
            if day.toordinal() % 2 == 0:
                amount = Decimal(str(round(groceries_per_day * 2 * rng.uniform(0.8, 1.2), 2)))
                rows.append((day, format(amount, "f"), "Groceries", "expense", f"MARKET {rng.randint(1, 99)}"))
            day += dt.timedelta(days=1)
    df = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])
    df["date"] = df["date"].map(lambda d: d.isoformat())
    if end is not None:
        df = df[df["date"] <= end.isoformat()]
    return df


def month_end(first: dt.date, months: int) -> dt.date:
    m = _months(first, months + 1)[-1]
    return m - dt.timedelta(days=1)


# --------------------------------------------------------------------------- CSV input
def test_csv_reads_types_signs_and_drops_transfers(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text(
        "Date,Amount,Category,Type,Description\n"
        "2025-01-02,12.50,Groceries,expense,Market\n"
        "2025-01-03,\"1,200.00\",Salary,income,Payroll\n"
        "2025-01-04,40,Groceries,,Market\n"
        "2025-01-05,500,Transfers,expense,To savings\n"
        "2025-01-06,99,Groceries,transfer,Moved\n"
        "2025-01-07,250,Credit Card Payment,expense,Card\n",
        encoding="utf-8",
    )
    tx = F.read_transactions_csv(str(path))
    assert list(tx["amount_minor"]) == [1250, 120000, 4000]
    assert list(tx["kind"]) == ["expense", "income", "expense"]  # a row without a type is an expense
    assert set(tx["category"]) == {"Groceries", "Salary"}


def test_csv_without_type_column_reads_signed_amounts():
    tx = F.parse_transactions(
        pd.DataFrame({"date": ["2025-01-01", "2025-01-02"], "amount": ["-20.00", "100.00"], "category": ["Food", "Pay"]})
    )
    assert list(tx["kind"]) == ["expense", "income"]
    assert list(tx["amount_minor"]) == [2000, 10000]
    unsigned = F.parse_transactions(pd.DataFrame({"date": ["2025-01-01"], "amount": ["20"], "category": ["Food"]}))
    assert list(unsigned["kind"]) == ["expense"]


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("date,amount\n2025-01-01,5\n", "missing: category"),
        ("date,amount,category\n2025-01-01,5,Food\n2025-13-45,5,Food\n", "Row 3"),
        ("date,amount,category\n2025-01-01,abc,Food\n", "Row 2: “abc” is not a number"),
        ("date,amount,category,type\n2025-01-01,5,Food,gift\n", "not a type"),
        ("", "empty"),
    ],
)
def test_csv_errors_name_the_row_and_column(tmp_path: Path, content: str, fragment: str):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        F.read_transactions_csv(str(path))
    assert fragment in str(err.value)


def test_csv_accepts_us_dates_and_semicolons():
    data = b"date;amount;category\n01/31/2025;5,50;Food\n02/01/2025;7;Food\n"
    tx = F.read_transactions_csv(data)
    assert [d.date() for d in tx["date"]] == [D(2025, 1, 31), D(2025, 2, 1)]
    assert list(tx["amount_minor"]) == [550, 700]


@hsettings(max_examples=60, deadline=None)
@given(
    cents=st.lists(st.integers(min_value=-10**9, max_value=10**9).filter(lambda c: c != 0), min_size=1, max_size=20),
    with_type=st.booleans(),
)
def test_csv_amounts_are_exact_minor_units(cents: list[int], with_type: bool):
    frame = pd.DataFrame(
        {
            "date": ["2025-03-01"] * len(cents),
            "amount": [format(Decimal(c).scaleb(-2), "f") for c in cents],
            "category": ["X"] * len(cents),
        }
    )
    if with_type:
        frame["type"] = ["expense"] * len(cents)
    tx = F.parse_transactions(frame)
    assert list(tx["amount_minor"]) == [abs(c) for c in cents]
    if with_type:
        assert set(tx["kind"]) == {"expense"}
    else:
        signed = any(c < 0 for c in cents) and not all(c < 0 for c in cents)
        expected = ["expense" if (c < 0 or not signed) else "income" for c in cents]
        assert list(tx["kind"]) == expected


# --------------------------------------------------------------------------- minimum history
def test_too_little_history_says_how_much_more_is_needed():
    df = household(D(2025, 1, 1), months=3)
    with pytest.raises(F.NotEnoughHistory) as err:
        F.forecast_frame(df, horizon=3, as_of=D(2025, 3, 31))
    assert err.value.have == 3 and err.value.need == 6
    assert "at least 6 complete months" in str(err.value)
    assert "Add 3 more months" in str(err.value)


@pytest.mark.parametrize(
    "kwargs, field",
    [({"horizon": 0}, "horizon"), ({"horizon": 25}, "horizon"), ({"freq": "day"}, "freq"), ({"interval": 1.5}, "interval")],
)
def test_invalid_options_are_refused(kwargs, field):
    args = {"horizon": 3, "freq": "month", "interval": 0.8} | kwargs
    with pytest.raises(ValidationError) as err:
        F.forecast_frame(household(), as_of=month_end(D(2024, 1, 1), 14), **args)
    assert err.value.field == field


# --------------------------------------------------------------------------- the forecast
@pytest.fixture(scope="module")
def steady():
    """14 months: rent 1000 (1100 from month 11), groceries ~20/day, salary 3000."""
    df = household(D(2024, 1, 1), months=14, rent_after=(10, "1100.00"))
    return F.forecast_frame(df, horizon=3, as_of=D(2025, 2, 28))


def test_forecast_rows_columns_and_dates(steady):
    out = F.output_frame(steady)
    assert list(out.columns) == ["ds", "yhat", "yhat_lower", "yhat_upper"]
    assert list(out["ds"]) == ["2025-03-01", "2025-04-01", "2025-05-01"]
    assert (out["yhat_lower"] <= out["yhat"]).all() and (out["yhat"] <= out["yhat_upper"]).all()
    assert (out["yhat_lower"] >= 0).all()


def test_export_frame_keeps_the_script_columns_and_adds_readable_ones(steady):
    """Issue #14 item 15: the download had only internal names and no currency."""
    out = F.export_frame(steady)
    assert list(out.columns) == ["ds", "yhat", "yhat_lower", "yhat_upper", "period", "forecast", "low", "high", "currency"]
    assert out[["ds", "yhat", "yhat_lower", "yhat_upper"]].equals(F.output_frame(steady))
    assert list(out["period"]) == ["March 2025", "April 2025", "May 2025"]
    assert list(out["forecast"]) == [f"{v:.2f}" for v in steady.forecast["yhat"]]
    assert list(out["low"]) == [f"{v:.2f}" for v in steady.forecast["yhat_lower"]]
    assert list(out["high"]) == [f"{v:.2f}" for v in steady.forecast["yhat_upper"]]
    assert set(out["currency"]) == {"USD"}


def test_recurring_rent_is_a_known_amount_at_the_new_price(steady):
    assert list(steady.forecast["known"]) == [1100.0, 1100.0, 1100.0]
    rent = [f for f in steady.known_flows if f.key == F.merchant_key("RENT OAK STREET")]
    assert rent and rent[0].amount_minor == 110000 and rent[0].cadence == "monthly"


def test_variable_part_is_about_the_daily_rate_times_the_days(steady):
    days = np.array([31, 30, 31])
    variable = steady.forecast["yhat"].to_numpy() - steady.forecast["known"].to_numpy()
    assert np.allclose(variable, 20.0 * days, rtol=0.12)
    assert steady.yearly_seasonality is False  # 14 months: no yearly seasonality


def test_transfers_never_count_as_spending(steady):
    assert steady.history["y"].max() < 1100 + 31 * 20 * 1.3  # the 500 transfer would push months above


def test_backtest_reports_errors_next_to_both_baselines(steady):
    bt = steady.backtest
    assert bt is not None and bt.points > 0
    names = [m.name for m in bt.methods]
    assert names == ["budgetwise", "mean3", "last_year"]
    bw, mean3, last_year = bt.methods
    assert bw.mae >= 0 and bw.mape is not None
    assert mean3.points == bw.points
    assert 0 < last_year.points < bw.points  # only targets with a month a year earlier
    assert "off by $" in bt.verdict and "Mean of the last 3 months" in bt.verdict
    # a naive guess scored on fewer points says so (trial23c: "off by $494.17" from a few months, unsaid)
    only = "only " if 2 * last_year.points <= bw.points else ""  # "on 32 of the 33" is not "only"
    assert re.search(rf"{last_year.label}: off by \$[0-9,.]+ \(\d+%\), on {only}{last_year.points} of the "
                     rf"{bw.points} forecasts\.", bt.verdict), bt.verdict
    # issue #17 (trial29): the percent is the error as a share of an average month's spending, and says so
    assert re.search(r"off by \$[0-9,.]+ on average \(\d+% of an average month's spending\)", bt.verdict), bt.verdict
    scored = bt.table.dropna(subset=["forecast"])
    assert bw.relative == pytest.approx(bw.mae / float(scored["actual"].abs().mean()) * 100, abs=0.1)
    assert len(scored) == bw.points
    assert bt.verdict.count(" forecasts.") == 1  # the mean of the last 3 months is scored on every point
    table = bt.table
    assert bw.mae == pytest.approx(float((table["actual"] - table["forecast"]).abs().mean()), abs=0.01)
    assert bw.mape == pytest.approx(float(((table["actual"] - table["forecast"]).abs() / table["actual"]).mean() * 100), abs=0.01)
    assert (table["lower"] <= table["forecast"]).all() and (table["forecast"] <= table["upper"]).all()
    assert (table["step"].between(1, 3)).all() and (table["origin"] < table["ds"]).all()
    assert set(bt.table.columns) >= {"origin", "ds", "step", "actual", "forecast", "lower", "upper", "mean3", "last_year"}


def test_backtest_only_uses_the_past():
    df = household(D(2024, 1, 1), months=14)
    base = F.forecast_frame(df, horizon=1, as_of=D(2025, 2, 28))
    # a wild change after the last origin's targets cannot change earlier backtest forecasts
    changed = df.copy()
    changed.loc[changed["date"] >= "2025-02-01", "amount"] = "999.00"
    other = F.forecast_frame(changed, horizon=1, as_of=D(2025, 2, 28))
    a = base.backtest.table[base.backtest.table["ds"] < D(2025, 2, 1)]
    b = other.backtest.table[other.backtest.table["ds"] < D(2025, 2, 1)]
    assert np.allclose(a["forecast"].to_numpy(), b["forecast"].to_numpy())


def test_a_few_transactions_from_long_ago_do_not_turn_the_years_between_into_empty_months():
    """QA: three rows from 2011 in an imported OFX made 2011-2024 read as months without spending."""
    df = household(D(2024, 1, 1), months=14)
    stray = pd.DataFrame({"date": ["2011-03-01", "2011-03-02"], "amount": ["-50.00", "-20.00"],
                          "category": ["Groceries", "Groceries"], "type": ["expense", "expense"],
                          "description": ["OLD SHOP", "OLD SHOP"]})
    with_stray = pd.concat([stray, df], ignore_index=True)
    base = F.forecast_frame(df, horizon=3, as_of=D(2025, 2, 28))
    other = F.forecast_frame(with_stray, horizon=3, as_of=D(2025, 2, 28))
    assert np.allclose(base.forecast["yhat"].to_numpy(), other.forecast["yhat"].to_numpy())
    assert any("2011-03-02 are left out" in n for n in other.notes)
    assert not any("left out" in n for n in base.notes)


def test_wider_interval_is_wider():
    df = household(D(2024, 1, 1), months=14, seed=3)
    narrow = F.forecast_frame(df, horizon=2, as_of=D(2025, 2, 28), interval=0.6)
    wide = F.forecast_frame(df, horizon=2, interval=95, as_of=D(2025, 2, 28))
    assert wide.interval == 0.95
    w_narrow = (narrow.forecast["yhat_upper"] - narrow.forecast["yhat_lower"]).to_numpy()
    w_wide = (wide.forecast["yhat_upper"] - wide.forecast["yhat_lower"]).to_numpy()
    assert (w_wide >= w_narrow).all() and (w_wide > w_narrow).any()


def test_partial_month_counts_what_is_already_spent():
    df = household(D(2024, 1, 1), months=15, end=D(2025, 3, 10))
    result = F.forecast_frame(df, horizon=2)
    first = result.forecast.iloc[0]
    assert result.as_of == D(2025, 3, 10)
    assert first["ds"] == D(2025, 3, 1)
    spent = df[(df["date"] >= "2025-03-01") & (df["category"] != "Transfers") & (df["type"] == "expense")]
    observed = float(spent["amount"].astype(float).sum())
    assert first["observed"] == pytest.approx(observed, abs=0.01)
    assert first["yhat_lower"] >= observed - 0.01
    assert first["yhat"] > observed  # the rest of March is still to come
    # QA 2026-12-05: the month the data stops in is forecast (observed + rest) even when it is last month;
    # its "known" is only what is still due after the 10th (rent of the 1st is in "observed")
    assert result.partly_observed == [True, False]
    full = F.forecast_frame(df[df["date"] < "2025-03-01"], horizon=2)
    assert full.as_of == D(2025, 2, 28) and full.partly_observed == [False, False]


def test_occasional_july_spending_returns_next_july():
    df = household(D(2024, 1, 1), months=18, july_travel="1200.00", seed=11)
    result = F.forecast_frame(df, series="category:Travel", horizon=2, as_of=D(2025, 5, 31))
    by_month = dict(zip(result.forecast["ds"], result.forecast["yhat"]))
    # seen once, last July's trip is as likely a one-off as a yearly habit: since 2026-12-05 an occasional
    # series averages the best 2 naive guesses on the scaled error (here the 6-month median, 0, and the same
    # month last year, 1,200), no longer the model's full repeat (docs/forecasting.md)
    assert 500 < by_month[D(2025, 7, 1)] < 1200
    assert by_month[D(2025, 6, 1)] < 100
    assert "same month last year" in result.method


def test_yearly_seasonality_only_with_two_years():
    short = F.forecast_frame(household(D(2023, 1, 1), months=20), series="category:Groceries", horizon=1,
                             as_of=month_end(D(2023, 1, 1), 20))
    long = F.forecast_frame(household(D(2023, 1, 1), months=26), series="category:Groceries", horizon=1,
                            as_of=month_end(D(2023, 1, 1), 26))
    assert short.yearly_seasonality is False
    assert long.yearly_seasonality is True
    assert "yearly seasonality" in long.method


def test_net_savings_can_be_negative_and_is_income_minus_expenses():
    df = household(D(2024, 1, 1), months=14, salary="1500.00")
    net = F.forecast_frame(df, series="net", horizon=2, as_of=D(2025, 2, 28))
    inc = F.forecast_frame(df, series="income", horizon=2, as_of=D(2025, 2, 28))
    exp = F.forecast_frame(df, horizon=2, as_of=D(2025, 2, 28))
    assert np.allclose(net.forecast["yhat"], inc.forecast["yhat"] - exp.forecast["yhat"], atol=0.02)
    assert (net.forecast["yhat"] < 0).all()
    assert (net.forecast["yhat_lower"] < net.forecast["yhat"]).all()
    assert net.label == "Net savings"


def test_weekly_forecast_has_one_row_per_week():
    df = household(D(2024, 1, 1), months=8)
    result = F.forecast_frame(df, horizon=5, freq="week", as_of=D(2024, 8, 25))  # a Sunday
    assert len(result.forecast) == 5
    assert [d.weekday() for d in result.forecast["ds"]] == [0] * 5
    assert result.forecast["ds"].iloc[0] == D(2024, 8, 26)
    assert result.backtest.steps == 8
    # issue #17 (trial29): the weekly naive guess is the mean of the last 13 weeks, and is named so
    assert [m.label for m in result.backtest.methods] == ["BudgetWise forecast", "Mean of the last 13 weeks",
                                                          "Same week last year"]
    assert "3 months" not in result.backtest.verdict
    assert "of an average week's spending" in result.backtest.verdict
    assert F.method_label("mean3", "week") == "Mean of the last 13 weeks"
    assert F.method_label("mean3", "month") == "Mean of the last 3 months"


def test_relative_error_is_meaningful_where_periods_are_near_zero():
    """Issue #17 (trial29): a MAPE over weeks with a few dollars read "off by $571.42 (214%)"; the error as a
    share of the average period's amount stays near the size of the miss."""
    actual = np.array([1.0, 1000.0, 2.0, 997.0])
    pred = np.array([250.0, 750.0, 250.0, 750.0])
    m = F._method_error("budgetwise", "BudgetWise forecast", actual, pred)
    assert m.mape > 5000  # each near-zero week counts as a miss of thousands of percent
    assert m.relative == pytest.approx(m.mae / 500.0 * 100, abs=0.01)  # 248.5 of an average 500: ~50%


def test_unknown_category_and_series_are_refused():
    df = household()
    with pytest.raises(NotFoundError) as err:
        F.forecast_frame(df, series="category:Yachts", horizon=1, as_of=D(2025, 2, 28))
    assert "Groceries" in str(err.value)
    with pytest.raises(ValidationError):
        F.forecast_frame(df, series="everything", horizon=1, as_of=D(2025, 2, 28))


def test_series_options_and_cache_key():
    h = F.history_from_frame(household(), as_of=D(2025, 2, 28))
    keys = [k for k, _ in F.series_options(h)]
    assert keys[0] == "expenses" and keys[-2:] == ["income", "net"]
    assert "category:Groceries" in keys and "category:Salary" not in keys
    a = F.cache_key(user_id=1, data_version=3, series="expenses", horizon=3, freq="month", interval=0.8)
    b = F.cache_key(user_id=1, data_version=4, series="expenses", horizon=3, freq="month", interval=0.8)
    assert a != b and a[0] == 1


# --------------------------------------------------------------------------- recurring detection
def test_stopped_subscription_is_not_projected():
    rows = [(D(2024, m, 5), "9.99", "Subscriptions", "expense", "STREAMFLIX") for m in range(1, 7)]
    rows += [(D(2024, m, 3), "50.00", "Groceries", "expense", f"SHOP {m}") for m in range(1, 13)]
    df = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"]).assign(
        date=lambda d: d["date"].map(str)
    )
    h = F.history_from_frame(df, as_of=D(2024, 12, 31))
    assert not [f for f in F.detect_known_flows(h) if f.key == "streamflix"]
    still = F.detect_known_flows(h, as_of=D(2024, 6, 30))
    assert [f.cadence for f in still if f.key == "streamflix"] == ["monthly"]


# --------------------------------------------------------------------------- categories in parallel
def test_all_categories_in_parallel_match_serial():
    h = F.history_from_frame(household(D(2024, 1, 1), months=10, july_travel="800.00"), as_of=D(2024, 10, 31))
    serial = F.forecast_history_categories(h, horizon=2, workers=1)
    F.warm_up_workers(2, wait=True)  # the pool is used once started (before: in this process)
    api._RUNS_CACHE.clear()  # the categories' runs are kept per history: computed again, on the workers
    parallel = F.forecast_history_categories(h, horizon=2, workers=2)
    assert [r.label for r in serial.results] == [r.label for r in parallel.results] == ["Groceries", "Rent", "Travel"]
    for a, b in zip(serial.results, parallel.results):
        assert np.allclose(a.forecast["yhat"], b.forecast["yhat"])
    table = serial.table()
    assert list(table["category"])[0] == "Rent"
    assert {"history_mean", "forecast_mean", "change_pct", "beats_baselines"} <= set(table.columns)


# --------------------------------------------------------------------------- database path
def _seed(session, user_id: int, frame: pd.DataFrame, currency: str = "USD") -> None:
    rows = [
        DemoRow(D.fromisoformat(r.date), Decimal(r.amount), r.type, r.description, r.category, "Checking")
        for r in frame.itertuples()
    ]
    demo.seed_transactions(session, user_id=user_id, rows=rows, currency=currency)


def test_db_forecast_is_per_user_and_excludes_transfers(db, session, alice, bob):
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=300)).replace(day=1)
    frame = household(first, months=11, end=today - dt.timedelta(days=1))
    _seed(session, alice.user_id, frame)
    _seed(session, bob.user_id, household(first, months=11, rent="5000.00", end=today - dt.timedelta(days=1)))
    session.flush()
    h = F.history_from_db(session, user_id=alice.user_id)
    assert "Transfers" not in set(h.daily["category"])
    assert int(h.daily["amount_minor"].sum()) == int(
        frame[frame["category"] != "Transfers"]["amount"].map(lambda a: int(Decimal(a) * 100)).sum()
    )
    result = F.forecast_user(session, user_id=alice.user_id, horizon=2)
    assert result.currency == "USD" and len(result.forecast) == 2
    assert result.forecast["known"].max() <= 1000.0  # Bob's 5000 rent never leaks in
    with pytest.raises(NotFoundError):
        F.forecast_user(session, user_id=alice.user_id, series="category:Yachts", horizon=1)


def test_db_with_too_little_history(db, session, alice):
    today = dt.date.today()
    _seed(session, alice.user_id, household(today.replace(day=1) - dt.timedelta(days=40), months=2, end=today))
    with pytest.raises(F.NotEnoughHistory) as err:
        F.forecast_user(session, user_id=alice.user_id, horizon=3)
    assert "more month" in str(err.value)


def test_db_texts_write_dates_in_the_users_date_format(db, session, alice):
    """The notes (history left out before a gap, the latest transaction long ago) and the "too little
    history" message wrote ISO dates whatever date format the user chose."""
    from budgetwise.services.profile import update_profile

    update_profile(session, user_id=alice.user_id, date_format="%d.%m.%Y")
    start = dt.date.today().replace(day=1) - dt.timedelta(days=160)
    stray = pd.DataFrame({"date": ["2011-03-01", "2011-03-02"], "amount": ["50.00", "20.00"],
                          "category": ["Groceries", "Groceries"], "type": ["expense", "expense"],
                          "description": ["OLD SHOP", "OLD SHOP"]})
    _seed(session, alice.user_id, pd.concat([stray, household(start, months=2, end=start + dt.timedelta(days=70))]))
    history = F.history_from_db(session, user_id=alice.user_id)
    notes = " ".join(history.notes)
    assert "up to 02.03.2011 are left out" in notes and f"is from {history.as_of:%d.%m.%Y}" in notes
    assert "2011-03-02" not in notes and history.date_format == "%d.%m.%Y"
    with pytest.raises(F.NotEnoughHistory) as err:
        F.forecast_user(session, user_id=alice.user_id, horizon=3)
    assert f"{history.first_date:%d.%m.%Y}" in str(err.value) and "2011" in str(err.value)


def test_db_converts_other_currencies_or_names_the_missing_rate(db, session, alice):
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=250)).replace(day=1)
    _seed(session, alice.user_id, household(first, months=9, end=today - dt.timedelta(days=1)))
    day = first + dt.timedelta(days=20)
    _seed(session, alice.user_id, pd.DataFrame(
        [(day.isoformat(), "100.00", "Shopping", "expense", "EURO SHOP")], columns=["date", "amount", "category", "type", "description"]
    ), currency="EUR")
    session.flush()
    missing = F.history_from_db(session, user_id=alice.user_id)
    assert "Shopping" not in set(missing.daily["category"])
    assert any("EUR" in n and "not included" in n for n in missing.notes)
    session.add(ExchangeRate(date=day, base="EUR", quote="USD", rate=Decimal("1.10"), source="manual"))
    session.flush()
    converted = F.history_from_db(session, user_id=alice.user_id)
    shop = converted.daily[converted.daily["category"] == "Shopping"]
    assert list(shop["amount_minor"]) == [11000]


def test_too_little_history_for_want_of_rates_names_the_missing_rate(db, session, alice):
    """QA: after switching the currency with no rates, the forecast said "this history has 0. Add 6 more
    months" to a user with 2,828 transactions; it now says the rates are missing."""
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=400)).replace(day=1)
    euros = household(first, months=12, end=today - dt.timedelta(days=1))
    _seed(session, alice.user_id, euros, currency="EUR")
    session.flush()
    with pytest.raises(F.NotEnoughHistory) as err:
        F.forecast_user(session, user_id=alice.user_id, horizon=3)
    text = str(err.value)
    assert "No transaction can be counted in USD" in text and "EUR" in text and "Profile page" in text
    # a short own-currency history beside the unconverted rest: both said
    recent = (today.replace(day=1) - dt.timedelta(days=70)).replace(day=1)
    _seed(session, alice.user_id, household(recent, months=3, end=today - dt.timedelta(days=1)))
    session.flush()
    with pytest.raises(F.NotEnoughHistory) as err:
        F.forecast_user(session, user_id=alice.user_id, horizon=3)
    text = str(err.value)
    assert "that can be counted in USD" in text and "not included" in text and "Profile page" in text


def test_data_version_changes_after_a_write(db, session, alice):
    before = auth.data_version(session, user_id=alice.user_id)
    _seed(session, alice.user_id, household(D(2024, 1, 1), months=1))
    assert auth.data_version(session, user_id=alice.user_id) > before


# --------------------------------------------------------------------------- CLI
def test_cli_input_writes_the_script_columns_then_readable_ones(tmp_path: Path, capsys):
    from budgetwise.cli import main

    src = tmp_path / "in.csv"
    household(D(2024, 1, 1), months=10, end=D(2024, 10, 31)).to_csv(src, index=False)
    out = tmp_path / "out" / "fc.csv"
    code = main(["forecast", "--input", str(src), "--horizon", "4", "--freq", "month", "--output", str(out)])
    assert code == 0
    with out.open() as fh:
        rows = list(csv.reader(fh))
    # issue #14 item 15: the script columns stay first and unchanged; readable ones follow
    assert rows[0] == ["ds", "yhat", "yhat_lower", "yhat_upper", "period", "forecast", "low", "high", "currency"]
    assert [r[0] for r in rows[1:]] == ["2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01"]
    assert [r[4] for r in rows[1:]] == ["November 2024", "December 2024", "January 2025", "February 2025"]
    assert {r[8] for r in rows[1:]} == {"USD"}
    for r in rows[1:]:
        assert [float(v) for v in r[5:8]] == [float(v) for v in (r[1], r[2], r[3])]
        assert all(len(v.split(".")[1]) == 2 for v in r[5:8])  # the currency's own decimals
    code = main(["forecast", "--input", str(src), "--category", "Groceries", "--horizon", "3", "--freq", "week",
                 "--output", str(out)])
    assert code == 0
    assert len(out.read_text().strip().splitlines()) == 4
    # the data ends on Thursday 31 Oct 2024: the week of Monday 28 Oct is partly in it, and the CLI says so
    err = capsys.readouterr().err
    assert "note: the week of 2024-10-28 is partly in the data (to 2024-10-31)" in err
    assert "month of" not in err  # the monthly run before starts on 1 Nov: nothing partly observed
    assert main(["forecast", "--input", str(src), "--category", "Nope", "--horizon", "1", "--freq", "month",
                 "--output", str(out)]) == 2
    assert "no category “Nope”" in capsys.readouterr().err


def test_cli_user_reads_the_database(tmp_path: Path, monkeypatch, capsys, sqlite_template: Path):
    from budgetwise.cli import main
    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory, session_scope
    from tests.conftest import STRONG_PASSWORD, migrated_sqlite, use_local_environment

    use_local_environment(monkeypatch, tmp_path / "data")
    settings = Settings.load()
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    today = dt.date.today()
    with session_scope(make_session_factory(engine)) as s:
        p = auth.register(s, name="Alice", email="alice@example.com", password=STRONG_PASSWORD, settings=settings)
        _seed(s, p.user_id, household((today.replace(day=1) - dt.timedelta(days=250)).replace(day=1), months=9,
                                      end=today - dt.timedelta(days=1)))
    engine.dispose()
    out = tmp_path / "user.csv"
    assert main(["forecast", "--user", "ALICE@example.com", "--horizon", "2", "--freq", "month", "--output", str(out)]) == 0
    lines = out.read_text().strip().splitlines()
    assert lines[0] == "ds,yhat,yhat_lower,yhat_upper,period,forecast,low,high,currency" and len(lines) == 3
    assert main(["forecast", "--user", "nobody@example.com", "--horizon", "2", "--freq", "month", "--output", str(out)]) == 2


def test_older_history_with_its_own_silences_is_counted_honestly_and_not_offered(db, session, alice):
    """Session 11 QA (browser): a file of 2009-2022 with long silences said the history before the last gap had
    "89 complete months" (its calendar span; transactions in 18 of them) and offered to forecast from it, though
    that forecast starts after the older history's own last silence (one month of 2016). Now it says how many
    months have transactions, what would count, and offers nothing that cannot work."""
    rows = [(dt.date(2009 + k // 12, k % 12 + 1, 10), "40.00") for k in range(0, 48, 3)]  # 2009-2012, quarterly
    rows += [(dt.date(2016, 5, 3), "40.00"), (dt.date(2016, 6, 3), "41.00")]
    rows += [(d, "40.00") for d in (dt.date(2022, 1, 15), dt.date(2022, 2, 10), dt.date(2022, 3, 10))]
    _seed(session, alice.user_id, pd.DataFrame({
        "date": [d.isoformat() for d, _ in rows], "amount": [a for _, a in rows], "category": "Groceries",
        "type": "expense", "description": "SHOP"}))
    with pytest.raises(F.NotEnoughHistory) as err:
        F.forecast_user(session, user_id=alice.user_id, horizon=3)
    text = str(err.value)
    assert "(2009-01-10 to 2016-06-03, with transactions in 18 months; after a long silence within it, only its " \
           "part from 2016-05-03 on would count, 0 complete months)" in text, text
    assert "forecast from that older history" not in text and err.value.older_until is None


def test_older_history_with_empty_months_is_not_offered(db, session, alice):
    """Session 13 (new user, browser): four sample statements of 2017-18 (September 2017 full, one row each in
    October, February and March) and four months of 2023 said "6 complete months" before the gap and offered
    to forecast from them, though three of those months hold no transaction and would read as months without
    spending. Now the offer needs as many complete months with transactions as a forecast needs months."""
    rows = [(dt.date(2017, 9, d), "40.00") for d in range(1, 29, 3)]
    rows += [(dt.date(2017, 10, 10), "98.76"), (dt.date(2018, 2, 28), "3.40"), (dt.date(2018, 3, 2), "17.22")]
    rows += [(dt.date(2023, 5, 1) + dt.timedelta(days=k), "12.00") for k in range(0, 135, 2)]
    _seed(session, alice.user_id, pd.DataFrame({
        "date": [d.isoformat() for d, _ in rows], "amount": [a for _, a in rows], "category": "Groceries",
        "type": "expense", "description": "SHOP"}))
    with pytest.raises(F.NotEnoughHistory) as err:
        F.forecast_user(session, user_id=alice.user_id, horizon=3, as_of=dt.date(2023, 9, 13))
    text = str(err.value)
    assert "(2017-09-01 to 2018-03-02, 6 complete months, 3 of them with transactions)" in text, text
    assert "forecast from that older history" not in text and err.value.older_until is None
    assert "Add 2 more months of recent transactions" in text


def test_partial_month_rest_does_not_count_the_paid_rent_again():
    """Session 21 (partmonth): data ending on the 5th, rent 2000 paid on the 1st. The month's forecast is what is
    already spent plus the usual rest (~20/day for 26 days); the candidates' whole-month totals (rent included) used
    to be scaled by the remaining days' share, which counted ~26/31 of the paid rent a second time."""
    df = household(D(2024, 1, 1), months=28, rent="2000.00", end=D(2026, 4, 5))
    result = F.forecast_frame(df, horizon=2)
    first, nxt = result.forecast.iloc[0], result.forecast.iloc[1]
    assert first["ds"] == D(2026, 4, 1) and result.partly_observed == [True, False]
    rest = first["yhat"] - first["observed"]
    assert rest == pytest.approx(20.0 * 25, rel=0.2)  # 6 to 30 April: no rent still due
    assert nxt["yhat"] - nxt["known"] == pytest.approx(20.0 * 31, rel=0.15)


def weekly_household(weeks: int, *, pay_weekday: int, end: dt.date, first: dt.date = D(2025, 1, 6)) -> pd.DataFrame:
    """Childcare 300 every week on ``pay_weekday`` (0: Monday) and ~20 of groceries every day, to ``end``."""
    rng, rows, day = random.Random(3), [], first
    while day <= min(end, first + dt.timedelta(days=7 * weeks - 1)):
        if day.weekday() == pay_weekday:
            rows.append((day.isoformat(), "300.00", "Childcare", "expense", "BRIGHT KIDS CHILDCARE"))
        amount = Decimal(str(round(20.0 * rng.uniform(0.8, 1.2), 2)))
        rows.append((day.isoformat(), format(amount, "f"), "Groceries", "expense", f"MARKET {rng.randint(1, 99)}"))
        day += dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])


@pytest.mark.parametrize("week_known", [True, False])
@pytest.mark.parametrize(("pay_weekday", "due"), [(0, 0.0), (4, 300.0)])
def test_partial_week_rest_counts_the_weekly_payment_once(monkeypatch, week_known, pay_weekday, due):
    """Session 21 (weekpart): data ending on Wednesday 31 Dec 2025. Paid on Monday: the week is what is spent plus
    ~20/day for Thursday-Sunday; due on Friday: plus the 300 still due. ``week_known`` off: the candidates'
    whole-week totals hold the payment (the path the monthly test covers); on (the default): the weekly wrap."""
    from budgetwise.services.forecast import ensemble
    monkeypatch.setattr(ensemble, "DEFAULT", replace(ensemble.DEFAULT, week_known=week_known))  # read when called
    end = D(2025, 12, 31)
    result = F.forecast_frame(weekly_household(60, pay_weekday=pay_weekday, end=end), horizon=2, freq="week", as_of=end)
    first, nxt = result.forecast.iloc[0], result.forecast.iloc[1]
    assert first["ds"] == D(2025, 12, 29) and result.partly_observed == [True, False]
    assert first["known"] == pytest.approx(due)
    assert first["observed"] == pytest.approx(3 * 20.0 + 300.0 - due, abs=12.0)
    assert first["yhat"] - first["observed"] - due == pytest.approx(20.0 * 4, rel=0.15)
    assert nxt["yhat"] == pytest.approx(300.0 + 20.0 * 7, rel=0.05)
    assert first["yhat_lower"] <= first["yhat"] <= first["yhat_upper"]


@pytest.mark.parametrize(("end", "observed_from"), [(D(2026, 4, 30), None), (D(2026, 4, 1), D(2026, 4, 1))])
def test_month_ending_on_its_last_or_first_day(end, observed_from):
    """Data to the last day of April: April is whole, the forecast starts in May with nothing observed; data to the
    1st (rent paid): the rest is ~20/day for 2-30 April, no rent again."""
    df = household(D(2024, 1, 1), months=29, rent="2000.00", end=end)
    result = F.forecast_frame(df, horizon=2, as_of=end)
    first = result.forecast.iloc[0]
    if observed_from is None:
        assert first["ds"] == D(2026, 5, 1) and result.partly_observed == [False, False]
        assert first["observed"] == 0 and first["known"] == pytest.approx(2000.0)
        assert first["yhat"] - first["known"] == pytest.approx(20.0 * 31, rel=0.15)
    else:
        assert first["ds"] == observed_from and result.partly_observed == [True, False]
        assert first["known"] == 0 and first["observed"] >= 2000.0
        assert first["yhat"] - first["observed"] == pytest.approx(20.0 * 29, rel=0.15)
