"""Session 15 (charts): the numbers of the Accounts, Forecast, Cash flow and Goals charts are the tables' text.
fr_FR groups digits with a narrow no-break space (U+202F): the axes use that character (not a plain space),
and every hover is written by the money owner (``format_money`` / ``ui.format.estimate_text``), never by
Plotly's ``%{y:,.2f}`` (which wrote "3 610,73" with no currency)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from budgetwise.money import format_money
from budgetwise.principal import Principal
from budgetwise.ui import charts, plan_charts
from budgetwise.ui.format import estimate_text, money_estimate

NNBSP = "\u202f"
D = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]


def _hovers(fig) -> list[str]:
    out = []
    for trace in fig.data:
        if trace.hoverinfo == "skip":
            continue
        assert "%{y" not in (trace.hovertemplate or ""), trace.hovertemplate  # Plotly's own number format
        for item in trace.customdata:
            out.extend(item if isinstance(item, (list, tuple)) else [item])
    return out


@pytest.mark.parametrize(("locale", "expected"), [("fr_FR", "," + NNBSP), ("de_DE", ",."), ("en_US", ".,"),
                                                  ("de_CH", ".'"), ("nb_NO", ",\u00a0")])
def test_axis_separators_are_the_locales_own_characters(locale, expected):
    assert charts.plotly_separators(locale) == expected
    fmt = charts.plotly_config(locale)["locales"][locale.replace("_", "-")]["format"]
    assert fmt["decimal"] + fmt["thousands"] == expected


def test_fr_fr_tables_and_axes_group_with_the_same_character():
    assert format_money(123456789, "EUR", "fr_FR") == f"1{NNBSP}234{NNBSP}567,89\u00a0€"
    assert charts.plotly_separators("fr_FR")[1] in format_money(123456789, "EUR", "fr_FR")


def test_estimate_text_is_money_estimate_for_a_locale():
    principal = Principal(user_id=1, email="a@example.com", name="A", role="user", currency="EUR", locale="fr_FR")
    for value in (3610.7349, 0.005, -1234567.891, 12.0):
        assert estimate_text(value, "EUR", "fr_FR") == money_estimate(principal, value)
    assert estimate_text(3610.7349, "EUR", "fr_FR") == f"3{NNBSP}610,73\u00a0€"
    assert estimate_text(1234.5, "JPY", "en_US") == "¥1,234"  # the currency's own decimals


def test_forecast_hovers_are_the_tables_text():
    history = pd.DataFrame({"ds": pd.to_datetime(D), "y": [3529.651, 1234567.0, 12.5]})
    forecast = pd.DataFrame({"ds": pd.to_datetime([dt.date(2026, 4, 30)]), "yhat": [3610.73], "yhat_lower": [3046.19],
                             "yhat_upper": [4343.78]})
    fig = plan_charts.forecast_figure(history, forecast, currency="EUR", locale="fr_FR", date_format="%d/%m/%Y",
                                      monthly=True, range_label="80 % range", from_zero=True)
    assert _hovers(fig) == [estimate_text(v, "EUR", "fr_FR") for v in (3529.651, 1234567.0, 12.5, 3610.73, 3046.19, 4343.78)]
    assert "3\u202f610,73\u00a0€" in _hovers(fig)
    assert fig.layout.separators == "," + NNBSP


def test_cashflow_and_goal_hovers_are_the_tables_text():
    fig = plan_charts.cashflow_figure(D, (123456789, 100, -5000), (0, 0, -9000), (200000000, 200, 0), threshold_minor=0,
                                      currency="EUR", locale="fr_FR", date_format="%d/%m/%Y", band_label="80 % band",
                                      what_if=(1, 2, 3))
    assert _hovers(fig) == [format_money(v, "EUR", "fr_FR") for v in (123456789, 100, -5000, 1, 2, 3)]
    chart = pd.DataFrame({"ds": pd.to_datetime(D), "expected": [1000.0, 2000.5, 3000.25], "lower": [900.0] * 3,
                          "upper": [1100.0] * 3, "target": [15000.0] * 3})
    fig = plan_charts.goal_figure(chart, target_date=D[-1], currency="EUR", locale="fr_FR", date_format="%d/%m/%Y",
                                  range_label="80 % range")
    assert _hovers(fig) == [estimate_text(v, "EUR", "fr_FR")  # each point names its range too (session 19)
                            for v in (1000.0, 900.0, 1100.0, 2000.5, 900.0, 1100.0, 3000.25, 900.0, 1100.0, 15000.0, 15000.0)]


def test_balance_history_hovers_and_a_missing_rate():
    frame = pd.DataFrame({"date": D * 2, "account": ["A"] * 3 + ["B"] * 3,
                          "minor": [123456789, 100, 200, 5, None, 7]})
    fig = plan_charts.balance_history(frame, currency="EUR", locale="fr_FR", date_format="%d/%m/%Y")
    net, a, b = fig.data
    assert list(net.customdata) == [format_money(v, "EUR", "fr_FR") for v in (123456794, 100, 207)]
    assert list(a.customdata) == [format_money(v, "EUR", "fr_FR") for v in (123456789, 100, 200)]
    assert list(b.customdata) == [format_money(5, "EUR", "fr_FR"), "—", format_money(7, "EUR", "fr_FR")]


def test_account_lines_keep_the_largest_and_never_an_other_of_one():
    def frame(n):
        return pd.DataFrame({"date": [D[-1]] * n, "account": [f"A{i}" for i in range(n)],
                             "minor": [(-1) ** i * 100 * i for i in range(n)]})

    assert plan_charts.account_lines(frame(9), top_n=8) == ([f"A{i}" for i in range(9)], [])
    shown, others = plan_charts.account_lines(frame(12), top_n=8)
    assert shown == [f"A{i}" for i in range(4, 12)]  # by size: a debt of -1,100 is large
    assert others == ["A0", "A1", "A2", "A3"]
    fig = plan_charts.balance_history(frame(12), currency="EUR", locale="en_US", date_format="%Y-%m-%d", top_n=8)
    assert [t.name for t in fig.data][-1] == "Other accounts (4)"
    assert list(fig.data[-1].customdata) == [format_money(0 - 100 + 200 - 300, "EUR", "en_US")]


def test_account_names_are_escaped_in_the_legend():
    frame = pd.DataFrame({"date": D * 2, "account": ["<b>A</b>"] * 3 + ["B"] * 3, "minor": [1, 2, 3, 4, 5, 6]})
    fig = plan_charts.balance_history(frame, currency="EUR", locale="en_US", date_format="%Y-%m-%d")
    assert fig.data[1].name == "&lt;b&gt;A&lt;/b&gt;"


def test_a_flat_cash_flow_gets_a_range_whose_ticks_differ():
    """Session 18 (newuser, in Chromium): with every balance left out for want of a rate the projection was 0 on
    every day, at a threshold of 0, and the axis read "−1 −1 0 1 1" (a two-unit range under ",.0f")."""
    flat = plan_charts.cashflow_figure(D, (0, 0, 0), (0, 0, 0), (0, 0, 0), threshold_minor=0, currency="EUR",
                                       locale="en_US", date_format="%Y-%m-%d", band_label="80% band")
    low, high = flat.layout.yaxis.range
    assert low <= -10 and high >= 10
    moving = plan_charts.cashflow_figure(D, (0, 50000, 100000), (0, 0, 0), (0, 0, 0), threshold_minor=0, currency="EUR",
                                         locale="en_US", date_format="%Y-%m-%d", band_label="80% band")
    assert moving.layout.yaxis.range is None  # Plotly's own range when the line moves


def test_a_range_far_wider_than_the_goal_is_cut_at_the_chart_and_says_so():
    """Session 19 (new-user trial): very volatile net savings gave a $3,000 goal a ±100,000 range; the axis
    followed the band and the goal line and progress were invisible. Every plan chart stops the axis at the
    lines plus their span each side and writes that the range continues; a band within that: Plotly's own."""
    chart = pd.DataFrame({"ds": pd.to_datetime(D), "expected": [500.0, 400.0, 300.0], "lower": [500.0, -60000.0, -100000.0],
                          "upper": [500.0, 61000.0, 101000.0], "target": [3000.0] * 3})
    fig = plan_charts.goal_figure(chart, target_date=D[-1], currency="USD", locale="en_US", date_format="%Y-%m-%d",
                                  range_label="80% range")
    assert list(fig.layout.yaxis.range) == [-3000.0, 6000.0]  # 0 … 3,000 and one span of it each side
    assert plan_charts.BEYOND_NOTE in [a.text for a in fig.layout.annotations]
    assert estimate_text(-100000.0, "USD", "en_US") in _hovers(fig)  # the hover keeps the true range
    narrow = chart.assign(lower=[500.0, 0.0, -500.0], upper=[500.0, 900.0, 1500.0])
    fig = plan_charts.goal_figure(narrow, target_date=D[-1], currency="USD", locale="en_US", date_format="%Y-%m-%d",
                                  range_label="80% range")
    assert fig.layout.yaxis.range is None and plan_charts.BEYOND_NOTE not in [a.text for a in fig.layout.annotations]
    history = pd.DataFrame({"ds": pd.to_datetime(D), "y": [100.0, 200.0, 300.0]})
    forecast = pd.DataFrame({"ds": pd.to_datetime([dt.date(2026, 4, 30)]), "yhat": [250.0], "yhat_lower": [-90000.0],
                             "yhat_upper": [90000.0]})
    fig = plan_charts.forecast_figure(history, forecast, currency="USD", locale="en_US", date_format="%Y-%m-%d",
                                      monthly=True, range_label="80% range", from_zero=False)
    assert list(fig.layout.yaxis.range) == [-200.0, 600.0]
    cash = plan_charts.cashflow_figure(D, (100000, 110000, 120000), (100000, -9000000, -20000000), (100000, 9000000, 20000000),
                                       threshold_minor=0, currency="USD", locale="en_US", date_format="%Y-%m-%d",
                                       band_label="80% band")
    assert list(cash.layout.yaxis.range) == [-1200.0, 2400.0]
    assert plan_charts.BEYOND_NOTE in [a.text for a in cash.layout.annotations]


def test_a_cut_range_never_cuts_the_lines_or_turns_the_axis_over():
    """review19b: a band far below but short of the target above stopped the axis at the band's top (the $3,000
    target line was off the chart); a band wholly beyond the reach gave the axis an upside-down range."""
    chart = pd.DataFrame({"ds": pd.to_datetime(D), "expected": [500.0, 400.0, 300.0], "lower": [500.0, -60000.0, -100000.0],
                          "upper": [500.0, 1500.0, 2500.0], "target": [3000.0] * 3})
    fig = plan_charts.goal_figure(chart, target_date=D[-1], currency="USD", locale="en_US", date_format="%Y-%m-%d",
                                  range_label="80% range")
    assert list(fig.layout.yaxis.range) == [-3000.0, 3000.0]  # the target line is on the chart
    import plotly.graph_objects as go

    low, high = plan_charts.band_axis(go.Figure(), [0.0, 100.0], [-1000.0], [-900.0]).layout.yaxis.range
    assert low < high and low <= 0.0 and high >= 100.0
