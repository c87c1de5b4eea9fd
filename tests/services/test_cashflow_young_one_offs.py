"""One-off shortfalls in a young history's cash-flow band (session 25, cflow25): ``cashflow_model.YOUNG_ONE_OFFS``
makes the lower edge the 10% point of the band's spread mixed with one-off shortfalls at the goals' rate
(``cashflow_oneoff``, ``goal_stats.goal_one_offs`` / ``goal_stats.chance``), where month 3's band does not rest on that
month's own backtest errors; the upper edge, the points and every older history's band are untouched."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from budgetwise.ratios import Z80
from budgetwise.services import cashflow_model as M
from budgetwise.services import cashflow_oneoff as O
from budgetwise.services import goal_stats
from budgetwise.services.forecast.ensemble import conformal_offsets


def _nets(n: int = 6) -> pd.Series:
    ends = [dt.date(2026, m, 28) for m in range(1, n + 1)]
    return pd.Series([100_00, 300_00, 200_00, 500_00, 400_00, 600_00][:n], index=ends)


def test_the_flag_is_a_known_option():
    assert isinstance(M.YOUNG_ONE_OFFS, bool)


def test_no_one_off_expected_leaves_the_edge_where_it_was():
    assert O.lower_edge(-1000.0, 3, goal_stats.NO_ONE_OFFS) == -1000.0
    assert O.lower_edge(0.0, 3, O.one_offs([100.0, 200.0, 150.0])) == 0.0  # a band of no width: the floor's job
    assert O.lower_edge(-1000.0, 0, O.one_offs([100.0, 200.0, 150.0])) == -1000.0


def test_the_edge_is_the_ten_percent_point_of_the_mixture_and_grows_with_the_months():
    found = O.one_offs([1000.0, 1400.0, 900.0, 1300.0, 1100.0, 800.0])
    assert not found.sizes and found.rate > 0 and found.mean_size > 0  # under 12 months: the prior's one-offs
    assert math.isclose(found.rate, goal_stats.PRIOR_RATE * goal_stats.PRIOR_MONTHS / (6 + goal_stats.PRIOR_MONTHS))
    edges = []
    for k in (1, 3, 6, 12):
        lower = -500.0 * math.sqrt(k)
        edge = O.lower_edge(lower, k, found)
        assert edge < lower
        p = goal_stats.chance(edge, 0.0, -lower / Z80, months=k, one_offs=found)
        assert abs(p - 0.9) < 1e-3  # P(error >= edge) = 90%
        edges.append(edge / lower)
    assert edges == sorted(edges)  # relatively wider the further ahead: more one-offs may come


def test_a_seen_one_off_counts_at_its_own_rate_and_size():
    nets = [1000.0, 1100.0, 900.0, 1050.0, 950.0, -6000.0, 1000.0, 1020.0, 980.0, 1010.0, 990.0, 1005.0, 1000.0]
    found = O.one_offs(nets)
    assert len(found.sizes) == 1 and found.sizes[0] > 6000
    assert O.lower_edge(-300.0, 6, found) < -300.0 - 0.5 * found.sizes[0]  # P(one in 6 months) ~ 37%: in the band


def test_a_young_band_gets_a_wider_lower_edge_and_the_same_upper_edge(monkeypatch):
    few = np.array([0.1] * (M.YOUNG_ERRORS - 1))
    bands = {}
    for on in (False, True):
        monkeypatch.setattr(M, "YOUNG_ONE_OFFS", on)
        bands[on] = M._band(few, np.ones(len(few), dtype=int), 6, 1000.0, _nets(), conformal_offsets)[0]
    for (lo0, hi0), (lo1, hi1) in zip(bands[False], bands[True]):
        assert hi1 == hi0 and lo1 < lo0


def test_a_band_resting_on_its_own_month_three_errors_is_untouched(monkeypatch):
    nets = pd.Series([100_00, -50_00] * 12, index=pd.date_range("2024-01-31", periods=24, freq="ME").date)
    many = np.array([1, 2, 3] * 9)
    scores = np.linspace(-1.0, 1.0, len(many))
    bands = {}
    for on in (False, True):
        monkeypatch.setattr(M, "YOUNG_ONE_OFFS", on)
        bands[on] = M._band(scores, many, 6, 1000.0, nets, conformal_offsets)[0]
    assert bands[False] == bands[True]


@pytest.mark.parametrize("months", [3, 6, 10])
def test_fit_widens_a_young_historys_lower_edge_only_and_never_moves_the_point(monkeypatch, months):
    from tests.services.test_cashflow_model import _history

    history, _ = _history(months, noise=40.0)
    got = {}
    for on in (False, True):
        monkeypatch.setattr(M, "YOUNG_ONE_OFFS", on)
        got[on] = M.fit(history, as_of=dt.date(2026, 6, 30), steps=6)
    assert got[True].month_other == got[False].month_other
    assert [hi for _, hi in got[True].band] == [hi for _, hi in got[False].band]
    assert all(a[0] <= b[0] for a, b in zip(got[True].band, got[False].band))
    assert any(a[0] < b[0] for a, b in zip(got[True].band, got[False].band))


def test_fit_leaves_a_long_historys_band_alone(monkeypatch):
    from tests.services.test_cashflow_model import _history

    history, _ = _history(30, noise=40.0)
    got = {}
    for on in (False, True):
        monkeypatch.setattr(M, "YOUNG_ONE_OFFS", on)
        got[on] = M.fit(history, as_of=dt.date(2026, 6, 30), steps=6).band
    assert got[True] == got[False]


def test_the_young_bands_note_says_its_lower_edge_allows_for_a_one_off(monkeypatch):
    from budgetwise.services import cashflow as C
    from tests.services.test_cashflow_model import _history

    history, _ = _history(6, noise=40.0)
    model = M.fit(history, as_of=dt.date(2026, 6, 30), steps=3)
    assert model.how == "normal"
    assert any("allows for a large one-off expense" in n for n in C.model_notes(model))
    monkeypatch.setattr(M, "YOUNG_ONE_OFFS", False)
    assert not any("one-off" in n for n in C.model_notes(model))
