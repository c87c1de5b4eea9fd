"""Issue #19 (session 28, gap28): a gap month (no income or expense row at all: ``forecast.gaps.empty_months``) is
unknown to the cash-flow model, not a month of net 0: no one-off low month, not in the "other" level, not a backtest
target (``cashflow_model.SKIP_GAPS``, ``cashflow_gaps``; off after gap28's test failed, on since session 28's flows28
test passed with the detector knowing gaps too, ``cashflow_gaps.KNOW_GAPS``). The note's one-off months skip a gap either way. Without a gap month the projection is byte-identical whatever
the flag says."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from budgetwise.dates import month_end
from budgetwise.services import cashflow, goal_stats
from budgetwise.services import cashflow_gaps as G
from budgetwise.services import cashflow_model as M
from budgetwise.services import forecast as F
from tests.services.test_cashflow_model import _history

GAP = dt.date(2025, 9, 1)


def _without(canon: pd.DataFrame, *months: dt.date):
    """The history of ``canon`` with every row of ``months`` (first days) deleted: gap months."""
    period = canon["date"].dt.to_period("M")
    keep = ~period.isin([pd.Period(m, "M") for m in months])
    return F.history_from_frame(canon[keep].reset_index(drop=True), currency="USD",
                                as_of=canon["date"].max().date())


def _both(history, monkeypatch, steps: int = 3):
    out = {}
    for on in (False, True):
        monkeypatch.setattr(M, "SKIP_GAPS", on)
        model = M.fit(history, as_of=history.as_of, steps=steps)
        p = cashflow.project_history(history, start_balance_minor=500_000, as_of=history.as_of, horizon_months=steps)
        out[on] = (model, [(d.date, d.balance_minor, d.lower_minor, d.upper_minor) for d in p.days], p.notes)
    return out


@pytest.mark.parametrize("months,noise,end", [(30, 5.0, dt.date(2026, 6, 30)), (20, 40.0, dt.date(2026, 6, 30)),
                                              (10, 40.0, dt.date(2026, 6, 30)), (6, 20.0, dt.date(2026, 6, 17)),
                                              (16, 80.0, dt.date(2026, 3, 31))])
def test_without_a_gap_month_the_projection_is_byte_identical(months, noise, end, monkeypatch):
    history, _ = _history(months, noise=noise, end=end)
    nets = M.monthly_nets(history)
    assert G.with_data(history, nets, True) is nets  # nothing left out: the same object, every step as before
    assert G.has_data(history, nets) is None
    both = _both(history, monkeypatch)
    assert both[True] == both[False]


def test_a_gap_month_is_no_one_off_low_month(monkeypatch):
    _, canon = _history(30, noise=5.0)
    history = _without(canon, GAP)
    both = _both(history, monkeypatch)
    for on in (False, True):  # the note's months skip gaps whatever SKIP_GAPS says (goal_stats.ONE_OFF_SKIP_GAPS)
        assert both[on][0].one_offs == ()
        assert not any("one-off" in n for n in both[on][2])
    assert both[True][0].months == both[False][0].months - 1  # complete months with data
    monkeypatch.setattr(goal_stats, "ONE_OFF_SKIP_GAPS", False)  # read as 0: far below its neighbours (before)
    model = M.fit(history, as_of=history.as_of, steps=3)
    assert [end for end, _ in model.one_offs] == [month_end(GAP)]


def test_the_level_reads_the_months_with_data(monkeypatch):
    full, canon = _history(20, noise=40.0)
    gapped = _without(canon, dt.date(2026, 2, 1), dt.date(2026, 4, 1))
    base = M.fit(full, as_of=full.as_of, steps=3).other_minor
    monkeypatch.setattr(M, "SKIP_GAPS", False)
    monkeypatch.setattr(G, "KNOW_GAPS", False)  # before session 28: the gaps read as months of net 0
    zeros = M.fit(gapped, as_of=gapped.as_of, steps=3).other_minor
    monkeypatch.setattr(M, "SKIP_GAPS", True)
    monkeypatch.setattr(G, "KNOW_GAPS", True)
    skipped = M.fit(gapped, as_of=gapped.as_of, steps=3).other_minor
    assert abs(skipped - base) < abs(zeros - base)
    assert abs(skipped - base) < 0.1 * abs(base)


def test_a_backtest_run_stops_before_a_gap_month():
    ends = [month_end(dt.date(2026, m, 1)) for m in range(1, 7)]
    gaps = frozenset({ends[3]})
    assert G.targets(ends, ends[1], 3, gaps) == [ends[2]]
    assert G.targets(ends, ends[2], 3, gaps) == []
    assert G.targets(ends, ends[3], 3, gaps) == ends[4:6]
    assert G.targets(ends, ends[0], 3, frozenset()) == ends[1:4]
    assert G.carry({ends[0]: None, ends[1]: 5.0, ends[2]: 6.0, ends[4]: 7.0}, ends) == {
        ends[0]: None, ends[1]: 5.0, ends[2]: 6.0, ends[3]: 6.0, ends[4]: 7.0, ends[5]: 7.0}
