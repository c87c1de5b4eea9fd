"""Percentages: the one owner of "by how much, in percent" and of how a percentage is written
(pure; no database, no Streamlit).

A percent change only means something against a positive base. Against a deficit it reads
backwards (net savings from -200 to +100 is "+150%" when divided by |base|, "-150%" by the
base itself), and against zero it is undefined: both give None, and the caller shows the change
in money instead (the dashboard says "from a deficit").

Also the one owner of the 80% range's normal point (:data:`Z80`, :data:`Z80_MAE`), read by the forecast's
ranges (``forecast.conformal``) and the cash-flow band (``cashflow``, ``cashflow_model``): session 22, three copies
before.
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal

from babel.core import Locale, UnknownLocaleError

Z80 = 1.2815515655446004  # the normal's 90% point: an 80% range's half-width in standard deviations
Z80_MAE = Z80 * math.sqrt(math.pi / 2)  # an 80% half-width in mean absolute errors: 80.0% for normal and Laplace errors


def percent_change(new: float, base: float) -> float | None:
    """``(new - base) / base`` in percent, or None when ``base`` is zero or negative."""
    if not base > 0:  # also refuses NaN
        return None
    return (float(new) - float(base)) / float(base) * 100.0


def percent_text(value: float, locale: str = "en_US", *, digits: int = 1, signed: bool = False) -> str:
    """``value`` percent in the locale's own percent pattern (Babel's CLDR data), rounded to ``digits``
    decimals: 12.5 is "12.5%" in en_US, "12,5 %" in de_DE, "12,5 %" in fr_FR. ``signed`` writes "+" before
    a positive value (a change). The one formatter of percentages: pages reach it through
    ``ui.format.percent``; never an f-string with "%"."""
    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        loc = Locale.parse("en_US")
    pattern = copy.copy(loc.percent_formats[None])
    pattern.frac_prec = (digits, digits)
    number = Decimal(str(float(value))) / 100
    text = pattern.apply(number, loc)
    return "+" + text if signed and round(number * 100, digits) > 0 else text
