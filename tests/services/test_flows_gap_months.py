"""Issue #19 (session 28, flows28): the recurring detector knows gap months (whole calendar months without any
row: ``forecast.gaps.empty_spans``). An item missing only in gap months has not stopped: its "stopped" test, its
regularity and its paid share read time without them (``analysis.recurring.detect``'s ``skip``); its last and next
dates stay calendar dates. Asked for by the cash flow only (``cashflow_gaps.KNOW_GAPS``, ``know_gaps=``). Without a gap
month the detections are identical."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from budgetwise.analysis import recurring as rec
from budgetwise.services import cashflow
from budgetwise.services import cashflow_gaps as G
from budgetwise.services import forecast as F
from budgetwise.services.forecast.gaps import empty_spans
from tests.services.test_cashflow_model import _history


def _cut(canon: pd.DataFrame, as_of: dt.date, *gaps: dt.date, drop: str | None = None, drop_from=None):
    """The history of ``canon`` up to ``as_of`` with every row of the months ``gaps`` deleted, and the rows of
    merchant ``drop`` from ``drop_from`` on (an item that truly stopped)."""
    period = canon["date"].dt.to_period("M")
    keep = ~period.isin([pd.Period(m, "M") for m in gaps]) & (canon["date"] <= pd.Timestamp(as_of))
    if drop is not None:
        keep &= ~((canon["description"].str.upper() == drop) & (canon["date"] >= pd.Timestamp(drop_from)))
    return F.history_from_frame(canon[keep].reset_index(drop=True), currency="USD", as_of=as_of)


def _flows(history, know: bool):
    return {f.key: (f.kind, f.cadence, f.amount_minor, f.last_date, f.next_date, f.paid_share)
            for f in F.detect_known_flows(history, as_of=history.as_of, know_gaps=know)}


def test_without_days_stops_the_clock_in_the_skipped_spans():
    jan25, feb1, feb28, mar25 = (dt.date(2026, m, d).toordinal() for m, d in ((1, 25), (2, 1), (2, 28), (3, 25)))
    out = rec.without_days(np.array([jan25, mar25]), [(feb1, feb28)])
    assert out[1] - out[0] == mar25 - jan25 - 28
    assert rec.without_days(np.array([jan25]), [(feb1, feb28)])[0] == jan25  # before the span: unchanged


def _paid_on_the_second(canon: pd.DataFrame) -> pd.DataFrame:
    """``canon`` with the salary paid on the 2nd of the month after (not the 25th): missing in one gap month, its
    last payment is 57 days or more before the gap month's end, past the 52 days a monthly series stops after."""
    out = canon.copy()
    acme = out["description"].str.upper() == "ACME PAYROLL"
    after = (out.loc[acme, "date"] + pd.Timedelta(days=8)).dt.to_period("M").dt.start_time
    out.loc[acme, "date"] = after + pd.Timedelta(days=1)
    return out[out["date"] <= pd.Timestamp(2026, 6, 30)].reset_index(drop=True)


@pytest.mark.parametrize("as_of", [dt.date(2026, 3, 31), dt.date(2026, 4, 30), dt.date(2026, 5, 10)])
def test_a_monthly_salary_with_one_gap_month_is_still_detected_same_date_and_amount(as_of):
    _, canon = _history(30, noise=5.0, end=dt.date(2026, 6, 30))
    canon = _paid_on_the_second(canon)
    gap = dt.date(2026, 3, 1)
    history = _cut(canon, as_of, gap)
    assert empty_spans(history.daily, as_of) == ((gap.toordinal(), dt.date(2026, 3, 31).toordinal()),)
    full = _flows(_cut(canon, as_of), False)  # the same history without the gap month
    known = _flows(history, True)
    # kind, cadence, amount, next date (and paid share) as without the gap
    assert known["acme payroll"][:3] == full["acme payroll"][:3]
    assert known["acme payroll"][4:] == full["acme payroll"][4:]
    if as_of == dt.date(2026, 3, 31):  # the origin in the gap month: the salary read as stopped before
        assert "acme payroll" not in _flows(history, False)
        assert known["acme payroll"][3:5] == (dt.date(2026, 2, 2), dt.date(2026, 4, 2))  # calendar dates
    else:
        assert known["acme payroll"] == full["acme payroll"]
    assert set(known) >= {"acme payroll", "landlord"}


def test_a_salary_missing_in_two_consecutive_gap_months_has_not_stopped():
    _, canon = _history(30, noise=5.0, end=dt.date(2026, 6, 30))
    history = _cut(canon, dt.date(2026, 3, 31), dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert "acme payroll" not in _flows(history, False)
    assert _flows(history, True)["acme payroll"][2:5] == (300_000, dt.date(2026, 1, 25), dt.date(2026, 4, 25))


def test_an_item_that_truly_stopped_before_a_gap_is_still_dropped():
    _, canon = _history(30, noise=5.0, end=dt.date(2026, 6, 30))
    # the salary's last payment 25 December; January and February with data and no salary; March a gap
    history = _cut(canon, dt.date(2026, 3, 31), dt.date(2026, 3, 1), drop="ACME PAYROLL", drop_from="2026-01-01")
    assert "acme payroll" not in _flows(history, True)
    assert "landlord" in _flows(history, True)


def test_without_a_gap_month_the_detections_are_identical():
    _, canon = _history(30, noise=40.0, end=dt.date(2026, 6, 30))
    for as_of in (dt.date(2025, 6, 30), dt.date(2026, 1, 31), dt.date(2026, 6, 17), dt.date(2026, 6, 30)):
        history = _cut(canon, as_of)
        assert empty_spans(history.daily, as_of) == ()
        assert F.detect_known_flows(history, know_gaps=True) == F.detect_known_flows(history)


def test_the_cash_flow_reads_the_flag(monkeypatch):
    _, canon = _history(30, noise=5.0, end=dt.date(2026, 6, 30))
    history = _cut(_paid_on_the_second(canon), dt.date(2026, 3, 31), dt.date(2026, 3, 1))
    out = {}
    for on in (False, True):
        monkeypatch.setattr(G, "KNOW_GAPS", on)
        p = cashflow.project_history(history, start_balance_minor=500_000, as_of=history.as_of, horizon_months=2)
        out[on] = [i.label for i in p.items]
    assert not any("ACME" in d.upper() for d in out[False])
    assert any("ACME" in d.upper() for d in out[True])


def test_the_spending_forecast_does_not_read_the_flag(monkeypatch):
    # the spending forecast (and the goals, which read its known_flows) ask the detector without know_gaps
    _, canon = _history(30, noise=5.0, end=dt.date(2026, 6, 30))
    history = _cut(_paid_on_the_second(canon), dt.date(2026, 3, 31), dt.date(2026, 3, 1))
    out = {}
    for on in (False, True):
        monkeypatch.setattr(G, "KNOW_GAPS", on)
        r = F.forecast_history(history, horizon=2)
        out[on] = (r.known_flows, r.forecast.to_dict("list"), r.notes)
    assert out[True] == out[False]
