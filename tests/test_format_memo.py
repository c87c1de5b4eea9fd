"""Session 16 (pagespeed): money and month names are formatted once per value, not on every rerun.

``money.format_money`` and ``dates._month_name`` are pure functions of their arguments, memoised
(``functools.lru_cache``): Babel took about a millisecond an amount, and the Reports page formats
the same ~1,000 amounts on every rerun. The texts are the same as Babel's, first call or later."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgetwise import dates, money


@pytest.mark.parametrize(("minor", "currency", "locale", "signed"), [
    (123456, "USD", "en_US", False), (-5, "EUR", "de_DE", False), (123456789, "CHF", "de_CH", False),
    (10, "USD", "en_US", True), (12345, "HUF", "hu_HU", False), (123456789, "INR", "en_IN", False),
    (99, "JPY", "ja_JP", False), (1, "USD", "xx_YY", False),
])
def test_memoised_text_is_babels(minor, currency, locale, signed):
    plain = money._format_money.__wrapped__(minor, currency, locale, signed)
    assert money.format_money(minor, currency, locale, signed=signed) == plain
    assert money.format_money(minor, currency, locale, signed=signed) == plain  # from the memo


def test_second_call_is_not_recomputed():
    money._format_money.cache_clear()
    money.format_money(424242, "USD", "en_US")
    money.format_money(424242, "USD", "en_US")
    info = money._format_money.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    dates._month_name.cache_clear()
    assert dates.month_text(dt.date(2026, 7, 1), "de_DE") == dates.month_text(dt.date(2026, 7, 1), "de_DE") == "Juli 2026"
    assert dates._month_name.cache_info().hits == 1


def test_unhashable_amount_still_formats_as_before():
    with pytest.raises(Exception) as memo:
        money.format_money(Decimal("sNaN"), "USD")  # type: ignore[arg-type]
    with pytest.raises(Exception) as plain:
        money._format_money.__wrapped__(Decimal("sNaN"), "USD", "en_US", False)
    assert type(memo.value) is type(plain.value)
