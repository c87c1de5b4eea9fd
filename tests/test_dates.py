"""budgetwise.dates: today where the user is."""

from __future__ import annotations

import datetime as dt

from budgetwise.dates import today_in


def test_today_in_the_users_time_zone():
    """The Add form's default date is today where the user is (st.context.timezone)."""
    # UTC+14 and UTC-11 are 25 hours apart: always on consecutive dates
    assert today_in("Pacific/Kiritimati") - today_in("Pacific/Pago_Pago") == dt.timedelta(days=1)
    assert today_in(None) == today_in("No/Such_Zone") == dt.date.today()
