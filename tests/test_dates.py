"""budgetwise.dates: today where the user is."""

from __future__ import annotations

import datetime as dt

import pytest

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


def test_transaction_date_refusals_are_iso_unless_given_a_format():
    """The importer's row reasons keep ISO (no format is passed); the transactions service passes the user's."""
    from budgetwise.dates import validate_transaction_date
    from budgetwise.errors import ValidationError

    ref = dt.date(2026, 3, 1)
    with pytest.raises(ValidationError, match=r"^1949-12-31 is implausibly old \(dates before 1950 are refused\)\.$"):
        validate_transaction_date(dt.date(1949, 12, 31), reference=ref)
    with pytest.raises(ValidationError) as err:
        validate_transaction_date(dt.date(2030, 1, 2), reference=ref, date_format="%d.%m.%Y", locale="de_DE")
    assert err.value.message == "02.01.2030 is too far in the future (the latest accepted date is 02.03.2028)."
    with pytest.raises(ValidationError) as err:
        validate_transaction_date(None, reference=ref, date_format="%d %b %Y", locale="fr_FR", field="when")
    assert err.value.field == "when" and "(dates from 01 janv. 1950 to 02 mars 2028 are)" in err.value.message
    assert validate_transaction_date("2026-02-28", reference=ref, date_format="%d.%m.%Y") == dt.date(2026, 2, 28)
