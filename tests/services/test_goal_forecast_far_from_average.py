"""A goal's forecast far from the history's average beside it (session 25, gapfc25; issue #17).

New-user trial (session 25, docs/history/importing.md): the Goals page said "Your forecast net savings are about
€ 708,74 a month" beside "Your last 12 complete months in your data averaged € 33,53" for the JerBouma current
account, and nothing said why. Both are of the same money; the gap is genuine: two months of that year far below
usual (a tax bill and a course fee paid from savings), which the average counts and the forecast leaves to the
chance, and an income that halved three months before the data ends, which the forecast takes in only in part.
The text now says both, with the figures (``goal_gap``).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pandas as pd

from budgetwise.money import format_money
from budgetwise.services import forecast as F
from budgetwise.services import goal_gap, goals
from budgetwise.services.demo import DemoRow, seed_transactions


def _row(day: dt.date, amount: str, kind: str, description: str, category: str) -> DemoRow:
    return DemoRow(day, Decimal(amount), kind, description, category, "Checking")


def _months() -> list[dt.date]:
    return [dt.date(2021 + m // 12, m % 12 + 1, 1) for m in range(32)]  # January 2021 - August 2023


def _rows() -> list[DemoRow]:
    """The trial's shape: a salary of 8,000 until May 2023, then 4,200; rent and varying spending; a course fee
    (April 2023) and a tax bill (May 2023) far beyond any usual month."""
    noise = random.Random(25)
    rows = []
    for m in _months():
        if m < dt.date(2023, 6, 1):
            rows.append(_row(m.replace(day=25), "8000.00", "income", "PAYROLL", "Salary"))
        else:  # the new job pays in parts, on no fixed day (as the trial's "asr" rows)
            for part in ("1500.00", "1400.00", "1300.00"):
                rows.append(_row(m.replace(day=noise.randint(1, 28)), part, "income", "NEW EMPLOYER", "Salary"))
        rows.append(_row(m.replace(day=3), "1600.00", "expense", "RENT", "Rent"))
        rows.append(_row(m.replace(day=12), f"{noise.randint(2600, 4400)}.00", "expense", "MARKET", "Groceries"))
    rows.append(_row(dt.date(2023, 4, 14), "8400.00", "expense", "COURSE FEE", "Education"))
    rows.append(_row(dt.date(2023, 5, 16), "24000.00", "expense", "TAX OFFICE", "Taxes"))
    rows.append(_row(dt.date(2023, 9, 2), "20.00", "expense", "CAFE", "Dining"))  # the data stops in September
    return rows


def test_the_text_says_why_the_forecast_is_far_above_the_average(db, session, alice):
    seed_transactions(session, user_id=alice.user_id, rows=_rows())
    net = F.forecast_user(session, user_id=alice.user_id, series=F.SERIES_NET, horizon=24, freq="month")
    y = net.history.set_index("ds")["y"]
    assert y.index[-1] == dt.date(2023, 8, 1)
    today = dt.date(2023, 9, 5)
    goal = goals.GoalView(1, "Car", "USD", 500000, dt.date(2024, 12, 31), 0, 0, False, today)
    projection = goals.project_goal(goal, net)
    text = projection.explanation
    last = y.iloc[-12:]
    usual = last.drop([dt.date(2023, 4, 1), dt.date(2023, 5, 1)]).mean()
    recent = last.iloc[-3:].mean()  # June - August 2023: no one-off among them
    assert last.mean() < 0.5 * projection.monthly_savings and recent < 0  # the trial's shape
    assert f"Your last 12 complete months in your data averaged {format_money(round(last.mean() * 100), 'USD')}." in text
    assert "Your forecast is above that average: without April 2023 and May 2023 (far below usual" in text, text
    assert f"the other 10 averaged {format_money(round(usual * 100), 'USD')};" in text, text
    assert f"the last 3 of them averaged {format_money(round(recent * 100), 'USD')}." in text, text
    assert "you will save less than it says and the chance is lower than shown" in text, text


def _history(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"ds": _months()[len(_months()) - len(values):], "y": values})


def test_history_gap():
    steady = _history([1000.0, 1100.0, 900.0] * 4)
    assert goal_gap.history_gap(steady, 1000.0, 1000.0) is None  # forecast near the average: nothing to say
    assert goal_gap.history_gap(_history([3.0, 1.0] * 6), 1.0, 2.0) is None  # apart, but by a trifle of a month
    gap = goal_gap.history_gap(_history([1000.0] * 9 + [0.0, 1000.0, -200.0]), 800.0, 300.0,
                               [dt.date(2023, 8, 1)], share=0.5)
    assert gap is not None and gap.usual == 500.0 and gap.usual_k == 10 and gap.left_out == (dt.date(2023, 8, 1),)
    assert gap.recent == 500.0 and gap.recent_k == 3 and gap.gaps  # neither the gap nor the one-off month counts
    plain = goal_gap.history_gap(_history([1000.0] * 9 + [-900.0] * 3), 800.0, 300.0)
    assert plain is not None and plain.usual is None and plain.recent == -900.0 and not plain.gaps
    assert goal_gap.history_gap(_history([0.0] * 12), 800.0, 0.0) is None
    assert goal_gap.history_gap(_history([]), 800.0, 0.0) is None
