"""Percent change: the one owner of "by how much, in percent" (pure; no database, no Streamlit).

A percent change only means something against a positive base. Against a deficit it reads
backwards (net savings from -200 to +100 is "+150%" when divided by |base|, "-150%" by the
base itself), and against zero it is undefined: both give None, and the caller shows the change
in money instead (the dashboard says "from a deficit").
"""

from __future__ import annotations


def percent_change(new: float, base: float) -> float | None:
    """``(new - base) / base`` in percent, or None when ``base`` is zero or negative."""
    if not base > 0:  # also refuses NaN
        return None
    return (float(new) - float(base)) / float(base) * 100.0
