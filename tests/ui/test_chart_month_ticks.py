"""Session 19 (mobile): the per-period charts tick months short ("Sep 2026"), as the locale abbreviates them;
on a 390 px phone twelve "September 2026" labels stood on end under the bars and the last was cut at the
chart's edge. The labels themselves (the categories, the hover, the table) stay "September 2026"."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from budgetwise.dates import add_months
from budgetwise.periods import period
from budgetwise.principal import Principal
from budgetwise.ui import charts
from budgetwise.ui.reporting import period_frame


def _months(locale: str, freq: str = "month", count: int = 12) -> pd.DataFrame:
    p = period(freq)
    starts = [add_months(dt.date(2026, 1, 1), i) for i in range(count)] if freq == "month" else \
        [dt.date(2026, 1, 5) + dt.timedelta(weeks=i) for i in range(count)]
    frame = pd.DataFrame({"period": starts, "label": [p.label(d) for d in starts], "income_minor": 400_000,
                          "expense_minor": 300_000, "net_minor": 100_000, "savings_rate": 25.0, "count": 3,
                          "so_far": [False] * (count - 1) + [True]})
    return period_frame(Principal(user_id=1, email="a@example.com", name="A", role="user", locale=locale), frame, freq)


@pytest.mark.parametrize(("locale", "september"), [("en_US", "Sep 2026"), ("de_DE", "Sept. 2026")])
def test_month_charts_tick_short_and_keep_the_long_labels(locale, september):
    months = _months(locale)
    for fig in (charts.income_expense_bars(months, currency="USD", locale=locale),
                charts.trend_lines(months, currency="USD", locale=locale),
                charts.savings_rate_line(months, locale=locale)):
        axis = fig.layout.xaxis
        assert axis.tickmode == "array" and list(axis.tickvals) == list(months["label"])
        assert axis.ticktext[8] == september
        assert max(map(len, axis.ticktext[:-1])) < max(map(len, months["label"]))  # "Sep 2026" for "September 2026"
        assert list(fig.data[0].x) == list(months["label"])  # categories and hovers: the full month


def test_weeks_keep_their_own_labels():
    weeks = _months("en_US", "week", 6)
    fig = charts.income_expense_bars(weeks.assign(so_far=False), currency="USD", locale="en_US")
    assert fig.layout.xaxis.tickmode is None and fig.layout.xaxis.ticktext is None
    fig = charts.income_expense_bars(weeks, currency="USD", locale="en_US")  # the last week is not over yet
    assert list(fig.layout.xaxis.ticktext) == list(weeks["label"][:-1]) + [weeks["label"].iloc[-1] + charts.SO_FAR_TICK]


def test_so_far_is_under_its_tick_not_by_the_legend():
    """Session 19 (cards): "so far" stood above the plot over the last period, where the legend's "Net savings"
    ran into it at a 1280 px window (Dashboard's "Income, expenses and savings"). It is under the tick now, for
    every chart that marks the running period."""
    months = _months("en_US")
    for fig in (charts.income_expense_bars(months, currency="USD", locale="en_US"),
                charts.trend_lines(months, currency="USD", locale="en_US"),
                charts.savings_rate_line(months, locale="en_US")):
        assert "so far" not in [a.text for a in fig.layout.annotations]
        assert fig.layout.xaxis.ticktext[-1] == "Dec 2026" + charts.SO_FAR_TICK
        assert "so far" not in "".join(fig.layout.xaxis.ticktext[:-1])
    done = charts.trend_lines(months.assign(so_far=False), currency="USD", locale="en_US")
    assert "so far" not in "".join(done.layout.xaxis.ticktext)


def test_so_far_is_in_the_last_ticks_own_line_and_its_hovers():
    """Session 20 (uipolish): turned on end (a 390 px phone, the Dashboard's half-width charts even at 1280 px),
    a tick's second line stands beside its first, so "so far" stood between "Nov 2026" and "Dec 2026" and read
    as November's. It is in the last tick's own line now ("Dec 2026 (so far)", as the tables write it), which
    stays together whatever the angle, and in every hover of that month."""
    months = _months("en_US")
    trend = pd.DataFrame({"month": list(months["period"]), "category": "Rent", "color": "#795548",
                          "amount_minor": 70_000})
    for fig in (charts.income_expense_bars(months, currency="USD", locale="en_US"),
                charts.trend_lines(months, currency="USD", locale="en_US"),
                charts.savings_rate_line(months, locale="en_US"),
                charts.category_area(trend, currency="USD", locale="en_US", running_month=months["period"].iloc[-1])):
        last = fig.layout.xaxis.ticktext[-1]
        assert "<br>" not in last and last.startswith("Dec 2026 <span") and last.endswith("(so far)</span>")
        for trace in fig.data:
            assert trace.customdata[-1].endswith(" (so far)") and "so far" not in "".join(trace.customdata[:-1])
    done = charts.income_expense_bars(months.assign(so_far=False), currency="USD", locale="en_US")
    assert not any("so far" in text for trace in done.data for text in trace.customdata)


def test_phone_and_touch_rules_are_scoped_and_sent():
    """Session 19 (mobile): below 640 px a metric_row's cards go two a line (Streamlit's own rule stacks them
    one a screen); every card's label wraps instead of ending in "…"; on a touch screen (no hover) a table
    moves down by its always-shown toolbar. Media queries only: a 1280 px window with a mouse is unchanged.
    app.py sends both stylesheets with the sidebar's "Signed in as" line."""
    from pathlib import Path

    from budgetwise.ui.widgets import CARD_CSS, TOUCH_CSS

    phone = CARD_CSS[CARD_CSS.index("@media (max-width: 640px)"):]
    assert phone.startswith('@media (max-width: 640px) {[class*="st-key-bw_cards_"] [data-testid="stHorizontalBlock"]')
    assert "min-width: calc(50% - 0.5rem) !important" in phone
    assert '[data-testid="stMetricLabel"] p ' in CARD_CSS.split("@media")[0]  # not only a metric_row's cards
    assert TOUCH_CSS.startswith("<style>@media (hover: none) {") and "stDataFrame" in TOUCH_CSS
    assert "CARD_CSS + TOUCH_CSS" in (Path(__file__).resolve().parents[2] / "app.py").read_text()


@pytest.mark.parametrize("bars", [False, True])
def test_the_category_chart_marks_the_running_month_under_its_tick_too(bars):
    """Session 19 (nits): Reports → Trends' "By category over time" drew its own "so far" above the plot, at
    the legend's right end (1280 px), and its date axis left the running month's tick out. It is the same
    concept as the period charts': ``_mark_so_far`` marks it, under the tick, months in order."""
    months = [add_months(dt.date(2026, 1, 1), i) for i in range(12)]
    # "Travel" (the largest) only from March: the axis still starts in January
    trend = pd.DataFrame({"month": months + months[2:], "category": ["Rent"] * 12 + ["Travel"] * 10,
                          "color": ["#111111"] * 12 + ["#222222"] * 10, "amount_minor": [100_000] * 12 + [200_000] * 10})
    trend = pd.concat([trend[trend["category"] == "Travel"], trend[trend["category"] == "Rent"]])
    fig = charts.category_area(trend, currency="USD", locale="en_US", bars=bars, running_month=months[-1])
    axis = fig.layout.xaxis
    assert "so far" not in [a.text for a in fig.layout.annotations]
    assert axis.type == "category" and list(axis.categoryarray) == [f"{m:%B %Y}" for m in months]
    assert axis.ticktext[-1] == "Dec 2026" + charts.SO_FAR_TICK and axis.ticktext[0] == "Jan 2026"
    assert "so far" not in "".join(axis.ticktext[:-1])
    done = charts.category_area(trend, currency="USD", locale="en_US", bars=bars, running_month=None)
    assert "so far" not in "".join(done.layout.xaxis.ticktext)


def test_a_long_history_ticks_at_most_twelve_periods_and_keeps_so_far():
    """Session 20 (newuser): with 11 years imported, "Span of your data" ticked all 134 months under the
    Dashboard's and the Reports' bars, one label over another (an axis ticked by its own list is not thinned by
    Plotly). Now at most 12 ticks, a whole number of months apart counted back from the last, whose "so far"
    stays; every month is still a bar and a hover."""
    months = _months("en_US", count=134)
    for fig in (charts.income_expense_bars(months, currency="USD", locale="en_US"),
                charts.trend_lines(months, currency="USD", locale="en_US"),
                charts.savings_rate_line(months, locale="en_US")):
        axis = fig.layout.xaxis
        assert len(axis.tickvals) <= charts.MAX_TICKS == 12
        assert axis.tickvals[-1] == months["label"].iloc[-1] and axis.ticktext[-1].endswith(charts.SO_FAR_TICK)
        assert {t[:3] for t in axis.ticktext} == {"Feb"}  # every 12 months from the last (February 2037)
        assert list(fig.data[0].x) == list(months["label"])
    assert charts._every_nth(12) == list(range(12))  # a year of months keeps every tick
    assert charts._every_nth(13) == [0, 2, 4, 6, 8, 10, 12]
    assert charts._every_nth(36) == [2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35]
    assert len(charts._every_nth(2000)) <= 12 and charts._every_nth(2000)[-1] == 1999


def test_the_category_chart_thins_its_month_ticks_too():
    trend = pd.DataFrame({"month": [add_months(dt.date(2024, 1, 1), i) for i in range(36)], "category": "Rent",
                          "color": "#795548", "amount_minor": 70_000})
    fig = charts.category_area(trend, currency="EUR", locale="en_US", running_month=dt.date(2026, 12, 1))
    axis = fig.layout.xaxis
    assert len(axis.tickvals) == 12 and axis.ticktext[-1] == "Dec 2026" + charts.SO_FAR_TICK
    assert len(axis.categoryarray) == 36
