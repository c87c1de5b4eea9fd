"""Session 26 (cf26): ``cashflow_model.YOUNG_SEEN_ONE_OFFS``, a one-off month a young history already shows, left out
of the young band's spread and counted as a one-off at the household's rate (``cashflow_oneoff.seen``;
benchmarks/cashflow_seen_check.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from budgetwise.services import cashflow_model as M
from budgetwise.services import cashflow_oneoff as O
from budgetwise.services import goal_stats
from budgetwise.services.forecast.ensemble import conformal_offsets

SIX = [120_000.0, 131_000.0, 112_000.0, -480_000.0, 125_000.0, 118_000.0]  # minor units; month 4: a renovation


def _nets(values) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2025-01-31", periods=len(values), freq="ME").date)


def test_the_goals_detector_still_counts_none_under_twelve_months_by_default():
    assert goal_stats.one_off_shortfalls(SIX).sizes == ()
    assert len(goal_stats.one_off_shortfalls(SIX, min_months=4).sizes) == 1


def test_seen_finds_the_month_brings_it_back_and_counts_it_at_the_households_rate():
    found, usual = O.seen(SIX)
    assert found.at == (3,) and found.sizes[0] > 500_000
    assert usual[:3] == SIX[:3] and usual[4:] == SIX[4:] and 100_000 < usual[3] < 140_000
    assert found.rate >= 1 / 6  # its own count, not the population's prior alone


def test_seen_leaves_a_history_without_one_or_of_three_months_alone():
    plain = [120_000.0, 131_000.0, 112_000.0, 125_000.0, 118_000.0]
    for nets in (plain, SIX[2:5]):
        found, usual = O.seen(nets)
        assert found.sizes == () and usual == nets


def test_the_flag_narrows_the_upper_edge_and_keeps_a_lower_edge_for_one_offs(monkeypatch):
    few = np.array([0.1] * (M.YOUNG_ERRORS - 1))
    bands = {}
    for on in (False, True):
        monkeypatch.setattr(M, "YOUNG_SEEN_ONE_OFFS", on)
        bands[on], how = M._band(few, np.ones(len(few), dtype=int), 6, 1000.0, _nets(SIX), conformal_offsets)
        assert how == "normal"
    for k, ((lo0, hi0), (lo1, hi1)) in enumerate(zip(bands[False], bands[True]), start=1):
        assert hi1 < hi0 / 3  # the renovation no longer reads as month-to-month variation, upward
        assert lo1 < -hi1  # the lower edge still allows for a one-off at the household's rate
    monkeypatch.setattr(M, "YOUNG_ONE_OFFS", False)  # it rides on the one-off allowance: without it, nothing changes
    off = {}
    for on in (False, True):
        monkeypatch.setattr(M, "YOUNG_SEEN_ONE_OFFS", on)
        off[on] = M._band(few, np.ones(len(few), dtype=int), 6, 1000.0, _nets(SIX), conformal_offsets)[0]
    assert off[False] == off[True]


def test_a_band_on_twelve_or_more_errors_is_untouched(monkeypatch):
    steps = np.array([1, 2, 3] * 5)
    scores = np.linspace(-1.0, 1.0, len(steps))
    nets = _nets(SIX * 2)
    bands = {}
    for on in (False, True):
        monkeypatch.setattr(M, "YOUNG_SEEN_ONE_OFFS", on)
        bands[on] = M._band(scores, steps, 6, 1000.0, nets, conformal_offsets)[0]
    assert bands[False] == bands[True]
