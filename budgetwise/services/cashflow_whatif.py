"""What-ifs of the cash-flow forecast (issue #19): a hypothetical payment or income checked like a real one, and the
one reading of a "Repeats" choice (scheduled items and what-ifs alike). Split out of :mod:`.cashflow` (session 26);
re-exported there, its public names unchanged."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from budgetwise.analysis.recurring import CADENCES
from budgetwise.dates import ISO_DATE, day_text
from budgetwise.errors import ValidationError

if TYPE_CHECKING:
    from budgetwise.services.cashflow import KnownItem

MAX_WHAT_IFS = 20  # payments one what-if holds (what_if_item)
ONCE = "once"  # the "Repeats" choice of a one-off item (scheduled or what-if): stored as no cadence


def cadence_choice(cadence: str | None) -> str | None:
    """A "Repeats" choice as stored: one of :data:`CADENCES`, or None for a one-off item (:data:`ONCE`, "" or
    None); anything else is refused. The one reading for scheduled items and what-ifs alike."""
    if cadence in (None, "", ONCE):
        return None
    if cadence not in CADENCES:
        raise ValidationError(f"Repeat it {', '.join(CADENCES)}, or once.", field="cadence")
    return cadence


def what_if_item(*, amount: object, kind: str, date: dt.date, currency: str, label: str = "What if",
                 cadence: str | None = None, today: dt.date | None = None, until: dt.date | None = None,
                 decimal_hint: str | None = None, date_format: str = ISO_DATE, locale: str | None = None,
                 held: int = 0) -> KnownItem:
    """A hypothetical payment (or income) checked like a real one: a date in the future, a sane amount.
    ``held``: the what-if's items so far; at most :data:`MAX_WHAT_IFS` (session 21: a script adding them without end
    made every rerun of the page project them all, in the process every user shares).
    ``until``: the projection's last day; a later date would change nothing, so it is refused.
    ``decimal_hint``: the user's decimal separator ("1.250" is 1.25 in en_US, 1250 in de_DE); ``date_format``
    and ``locale``: the user's, for the dates of the refusals (:func:`budgetwise.dates.day_text`)."""
    from budgetwise.money import parse_positive_amount
    from budgetwise.services.cashflow import KnownItem

    today = today or dt.date.today()
    if held >= MAX_WHAT_IFS:
        raise ValidationError(f"A what-if holds at most {MAX_WHAT_IFS} payments: clear it to try others.", field="amount")
    # refuses zero and absurd amounts
    minor = parse_positive_amount(str(amount), currency, field="amount", decimal_hint=decimal_hint)
    if kind not in ("income", "expense"):
        raise ValidationError("A what-if is income or an expense.", field="kind")
    if date <= today:
        raise ValidationError(f"The what-if date {day_text(date, date_format, locale)} is not in the future.",
                              field="date")
    if until is not None and date > until:
        raise ValidationError(
            f"The what-if date {day_text(date, date_format, locale)} is after the projection's last day "
            f"({day_text(until, date_format, locale)}), so it would "
            "change nothing: choose a date up to then, or more months ahead.", field="date")
    return KnownItem(date, minor if kind == "income" else -minor, label, cadence_choice(cadence))

