"""budgetwise.dates: today where the user is."""

from __future__ import annotations

import datetime as dt

from budgetwise.dates import today_in


def test_today_in_the_users_time_zone():
    """The Add form's default date is today where the user is (st.context.timezone)."""
    # Kiritimati is UTC+14 and Pago Pago UTC-11 (neither keeps summer time): each one's today is the UTC
    # instant moved by its offset (25 hours apart, so one or two dates apart depending on the hour)
    before = dt.datetime.now(dt.UTC)
    east, west = today_in("Pacific/Kiritimati"), today_in("Pacific/Pago_Pago")
    after = dt.datetime.now(dt.UTC)
    assert east in {(t + dt.timedelta(hours=14)).date() for t in (before, after)}
    assert west in {(t - dt.timedelta(hours=11)).date() for t in (before, after)}
    assert east - west in (dt.timedelta(days=1), dt.timedelta(days=2))
    assert today_in(None) == today_in("No/Such_Zone") == dt.date.today()


def test_day_text_writes_a_date_in_the_users_format_and_iso_by_default():
    from budgetwise.dates import day_text

    day = dt.date(2026, 3, 1)
    assert day_text(day) == day_text(day, None) == "2026-03-01"
    assert day_text(day, "%d.%m.%Y") == "01.03.2026"
    assert day_text(day, "%m/%d/%Y") == "03/01/2026"
    assert day_text(day, "%d %b %Y") == "01 Mar 2026"


def test_month_names_follow_the_users_locale():
    """Session 10: a de_DE user with "31 Dec 2025" as date format reads German month names."""
    import datetime as dt

    from budgetwise.dates import day_text, month_text

    day = dt.date(2026, 12, 31)
    assert day_text(day, "%d %b %Y", "de_DE") == "31 Dez. 2026"
    assert day_text(day, "%d %b %Y") == "31 Dec 2026"  # no locale: as before
    assert day_text(day, "%d.%m.%Y", "de_DE") == "31.12.2026"
    assert day_text(day, "%d %b %Y", "zz_ZZ") == "31 Dec 2026"
    assert month_text(day, "de_DE") == "Dezember 2026"
    assert month_text(day, "en_US") == "December 2026"
