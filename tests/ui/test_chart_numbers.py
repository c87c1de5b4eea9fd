"""Chart numbers (axis ticks, ``%{y:,.0f}`` hovers: Plotly's d3 format with the locale of
``charts.plotly_config``) group digits exactly as the money formatter (Babel, ``format_money``) does in
the tables, for every locale the profile offers (session 14)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from budgetwise.money import format_money
from budgetwise.services.profile import LOCALES
from budgetwise.ui import charts

SPACES = str.maketrans({})  # session 15: the chart draws the locale's own grouping character
VALUES = (1234, 12345, 123456, 1234567, 123456789, 1234567890)


def d3_integer(value: int, fmt: dict) -> str:
    """d3-format's formatGroup (what Plotly runs for ",.0f" with ``config.locales[...].format``): groups
    taken from the end, cycling through ``grouping``, joined by ``thousands``."""
    digits, grouping, parts, i, j = str(value), fmt["grouping"], [], len(str(value)), 0
    size = grouping[0]
    while i > 0 and size > 0:
        parts.append(digits[max(0, i - size):i])
        i -= size
        j = (j + 1) % len(grouping)
        size = grouping[j]
    return fmt["thousands"].join(reversed(parts))


def money_integer(value: int, locale: str) -> str:
    """The whole-units part of the tables' amount (EUR, two decimals) as format_money writes it."""
    text = format_money(value * 100, "EUR", locale)
    number = re.search(r"\d[\d.,'’\s]*\d", text)
    assert number, text
    return number.group(0)[:-3].translate(SPACES)  # drop the decimal separator and the cents


def chart_format(locale: str) -> dict:
    config = charts.plotly_config(locale)
    return config["locales"][config["locale"]]["format"]


@pytest.mark.parametrize("locale", sorted(set(LOCALES) | {"es_ES", "de_DE", "en_IN", "en_US"}))
def test_chart_ticks_group_digits_as_the_money_formatter_does(locale):
    fmt = chart_format(locale)
    for value in VALUES:
        assert d3_integer(value, fmt) == money_integer(value, locale), (locale, value)


def test_the_four_named_locales_read_as_their_tables():
    """es_ES: Babel (2.19) groups four-digit amounts too ("1.234,56 €", CLDR's minimumGroupingDigits=2 is
    not applied by it), so the chart's "1.234" agrees; de_DE the same; en_IN in lakhs; en_US in threes."""
    expected = {
        "es_ES": ("1.234,56\u00a0€", "1.234", "12.345", "1.234.567"),
        "de_DE": ("1.234,56\u00a0€", "1.234", "12.345", "1.234.567"),
        "en_IN": ("€1,234.56", "1,234", "12,345", "12,34,567"),
        "en_US": ("€1,234.56", "1,234", "12,345", "1,234,567"),
    }
    for locale, (money, *ticks) in expected.items():
        fmt = chart_format(locale)
        assert format_money(123456, "EUR", locale) == money
        assert [d3_integer(v, fmt) for v in (1234, 12345, 1234567)] == ticks, locale
        assert fmt["decimal"] == charts.plotly_separators(locale)[0]


def test_swiss_charts_and_tables_both_group_millions():
    """Babel's un-quoting ate de_CH's apostrophe separators in millions ("CHF 1234567.89"), so the tables
    disagreed with the chart's "1'234'567" (session 14: money.babel_number / format_money keep them)."""
    assert format_money(123456789, "CHF", "de_CH") == "CHF\u00a01'234'567.89"
    assert d3_integer(1234567, chart_format("de_CH")) == "1'234'567"


@pytest.mark.parametrize("locale", ["es_ES", "de_DE", "en_IN", "en_US"])
def test_chart_hovers_are_the_money_formatters_text(locale):
    months = pd.DataFrame({"label": ["2026-10", "2026-11"], "income_minor": [123456, 1234567],
                           "expense_minor": [99900, 12345678], "net_minor": [23556, -11111111]})
    for fig in (charts.income_expense_bars(months, currency="EUR", locale=locale),
                charts.trend_lines(months, currency="EUR", locale=locale)):
        for trace in fig.data:
            column = {"Income": "income_minor", "Expenses": "expense_minor", "Net savings": "net_minor"}[trace.name]
            assert trace.hovertemplate == "%{customdata}"
            assert list(trace.customdata) == [format_money(v, "EUR", locale) for v in months[column]]


def test_the_donut_says_received_for_income_and_shows_the_total_it_is_given():
    """Session 20 (newuser): with Type "Income", the Reports' donut said "€469,319.68 spent"; its middle is the
    period's total as the card states it when given (the categories, rounded one by one, may add up to a cent more)."""
    by_cat = pd.DataFrame({"category": ["Salary", "Refunds"], "color": ["#2e9e6b", "#4c78dd"],
                           "amount_minor": [300_000, 1_001]})
    middle = charts.spending_donut(by_cat, currency="EUR", locale="en_IE", kind="income").layout.annotations[0].text
    assert middle == "<b>€3,010.01</b><br>received"
    middle = charts.spending_donut(by_cat, currency="EUR", locale="en_IE", total_minor=301_000).layout.annotations[0].text
    assert middle == "<b>€3,010.00</b><br>spent"
