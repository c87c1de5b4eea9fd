"""Exchange rates: conversion, the rates table, CSV import, manual entry, the ECB source.

Service tests run on SQLite always and on PostgreSQL / MariaDB when their URLs
are set (``db`` fixture). The ECB is replaced by recorded files in tests/data/ecb
and by a local HTTP server on 127.0.0.1: nothing here needs the internet.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from budgetwise.errors import PermissionDenied, ValidationError
from budgetwise.models import AuditLog, ExchangeRate, User
from budgetwise.services import rates
from budgetwise.services.admin import cli_principal
from budgetwise.services.auth import data_version
from tests.helpers_reports import add_rows

D = dt.date
DATA = Path(__file__).resolve().parents[2] / "data" / "ecb"
XML = (DATA / "eurofxref-hist-90d.xml").read_bytes()
HIST_CSV = (DATA / "eurofxref-hist.csv").read_bytes()
TODAY = D(2024, 3, 1)
ADMIN = cli_principal()


def hist_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", HIST_CSV)
    return buffer.getvalue()


def put(session, day: dt.date, base: str, quote: str, rate: str, source: str = "manual") -> None:
    session.add(ExchangeRate(date=day, base=base, quote=quote, rate=Decimal(rate), source=source))
    session.flush()


def ecb(session) -> rates.RatesChange:
    return rates.store_ecb(session, principal=ADMIN, values=rates.parse_ecb(XML))


def _round_fraction(value: Fraction) -> int:
    floor = value.numerator // value.denominator
    rest = value - floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1):
        return floor + 1
    return floor


# --------------------------------------------------------------------------- ECB formats (no database)
def test_recorded_ecb_xml_is_parsed_exactly():
    values = rates.parse_ecb_xml(XML)
    assert len(values) == 20
    as_dict = {(d, c): r for d, c, r in values}
    assert as_dict[(D(2024, 1, 5), "USD")] == Decimal("1.0921")
    assert as_dict[(D(2024, 1, 2), "JPY")] == Decimal("155.58")
    assert str(as_dict[(D(2024, 1, 5), "GBP")]) == "0.86"  # exact decimal, no float noise
    assert {d for d, _, _ in values} == {D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 4), D(2024, 1, 5)}


def test_recorded_ecb_history_csv_and_zip_skip_not_available_values():
    from_csv = rates.parse_ecb(HIST_CSV)
    from_zip = rates.parse_ecb(hist_zip())
    assert from_csv == from_zip
    days = {(d, c): r for d, c, r in from_zip}
    assert (D(2024, 1, 5), "CYP") not in days  # N/A
    assert days[(D(2008, 1, 2), "CYP")] == Decimal("0.585274")
    assert days[(D(2023, 12, 29), "USD")] == Decimal("1.1050")
    assert all(c for _, c, _ in from_zip)  # the trailing comma adds no empty currency


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"<Envelope><Cube><Cube time='2024-01-05'>", "not valid XML"),
        (b"<Envelope><Cube></Cube></Envelope>", "holds no rates"),
        (b"<Envelope><Cube><Cube time='2024-01-05'><Cube currency='USD' rate='abc'/></Cube></Cube></Envelope>", "not a number"),
        (b"PK\x03\x04 definitely not a zip", "not a valid zip"),
        (b"Day,USD\n2024-01-05,1.1\n", "Date column"),
        (b"\xff\xfe\x00garbage", "neither XML, CSV"),
    ],
)
def test_unusable_ecb_answers_are_refused_with_a_reason(payload, message):
    with pytest.raises(rates.RatesUnavailable, match=message):
        rates.parse_ecb(payload)


def test_zip_without_a_csv_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(rates.RatesUnavailable, match="no CSV"):
        rates.parse_ecb(buffer.getvalue())


@pytest.mark.parametrize("text", ["1,0866", "-1.2", "0", "abc", "1e3", "", " ", "1.2.3"])
def test_parse_rate_refuses_what_is_not_a_plain_positive_decimal(text):
    with pytest.raises(ValidationError):
        rates.parse_rate(text)


def test_parse_rate_comma_gets_a_specific_hint():
    with pytest.raises(ValidationError, match="dot as the decimal separator"):
        rates.parse_rate("1,0866")


@pytest.mark.parametrize(("locale", "text", "value"), [
    ("de_DE", "1,25", "1.25"), ("de_DE", "1,0866", "1.0866"), ("de_DE", "1.234,5", "1234.5"), ("de_DE", ",5", "0.5"),
    ("en_US", "1.25", "1.25"), ("en_US", "1,234.5", "1234.5"), ("fr_FR", "1\u202f234,5", "1234.5"),
])
def test_a_typed_rate_is_read_in_the_users_locale(locale, text, value):
    """Session 10 QA: a de_DE user's "1,25" was refused (a rate needed a decimal point)."""
    assert rates.parse_rate(text, locale=locale) == Decimal(value)


@pytest.mark.parametrize(("locale", "text", "message"), [
    ("de_DE", "1.25", "did you mean 1,25?"), ("de_DE", "1.0866", "did you mean 1,0866?"),
    ("en_US", "1,25", "did you mean 1.25?"), ("de_DE", "abc", "for example 1,0866"),
    ("de_DE", "1e3", "for example 1,0866"), ("de_DE", "NaN", "for example 1,0866"),
    ("de_DE", "1,2,3", "for example 1,0866"), ("de_DE", "-1,2", "more than zero"), ("de_DE", "0", "more than zero"),
])
def test_a_typed_rate_in_the_wrong_format_gets_a_specific_message(locale, text, message):
    with pytest.raises(ValidationError, match=message) as err:
        rates.parse_rate(text, locale=locale)
    assert err.value.field == "rate"


def test_a_rate_typed_on_the_page_uses_the_users_formats(session, bob):
    """add_rate reads the typing in the user's locale and writes its refusals' dates in the user's format;
    the "Dates without a rate" of a missing rate too (files and the CLI stay ISO with a dot)."""
    change = rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1,27",
                            today=TODAY, locale="de_DE", date_format="%d %b %Y")
    assert change.added == 1
    with pytest.raises(ValidationError, match="on 05 Jan. 2024; choose"):
        rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1,3",
                       today=TODAY, locale="de_DE", date_format="%d %b %Y")
    first, last = rates.rate_date_limits(TODAY)
    with pytest.raises(ValidationError, match=f"to {last:%d.%m.%Y}"):
        rates.add_rate(session, principal=bob, date=D(2024, 3, 5), base="GBP", quote="USD", rate="1,3",
                       today=TODAY, locale="de_DE", date_format="%d.%m.%Y")
    with pytest.raises(ValidationError, match="dot as the decimal separator"):  # no locale: the command line's dot
        rates.add_rate(session, principal=bob, date=D(2024, 1, 6), base="GBP", quote="USD", rate="1,3", today=TODAY)
    missing = rates.MissingRate(currency="USD", target="EUR", dates=(D(2024, 3, 1), D(2024, 3, 2), D(2024, 5, 9)),
                                count=3, amount_minor=1000)
    assert missing.dates_text() == "2024-03-01 to 2024-03-02 and 2024-05-09"
    assert missing.dates_text(date_format="%d %b %Y", locale="de_DE") == "01 März 2024 to 02 März 2024 and 09 Mai 2024"
    assert "for 01.03.2024 to 02.03.2024 and 09.05.2024:" in missing.describe("de_DE", "%d.%m.%Y")


def test_the_count_of_transactions_without_a_rate_is_grouped_as_the_user_writes_numbers():
    """Session 14 (newuser): Reports said "so 1499 transactions (CA$288,091.75) are not included" beside
    "1,734 transactions" in the caption above it."""
    many = rates.MissingRate(currency="CAD", target="EUR", dates=(D(2022, 1, 5),), count=1499,
                             amount_minor=28809175, none_stored=True)
    assert "so 1,499 transactions (CA$288,091.75) are not included" in many.describe("en_US")
    assert "so 1.499 transactions" in many.describe("de_DE")


@hsettings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("999999"), places=6, allow_nan=False))
def test_parse_rate_round_trips_any_positive_decimal(value):
    assert rates.parse_rate(format(value, "f")) == value


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_parse_rate_never_crashes_on_text(text):
    try:
        value = rates.parse_rate(text)
    except ValidationError:
        return
    assert value > 0


# --------------------------------------------------------------------------- conversion
def test_direct_inverse_and_cross_conversions_are_exact(session, alice):
    ecb(session)
    to_usd = rates.Converter(session, "USD")
    day = D(2024, 1, 5)
    assert to_usd.convert_minor(10000, "EUR", day) == 10921  # direct: 100.00 EUR x 1.0921
    assert to_usd.convert_minor(8600, "GBP", day) == 10921  # cross: 86.00 GBP / 0.86 x 1.0921
    assert to_usd.convert_minor(15808, "JPY", day) == 10921  # JPY has no minor digits: 15808 yen
    assert to_usd.convert_minor(12345, "USD", day) == 12345
    to_eur = rates.Converter(session, "EUR")
    assert to_eur.convert_minor(10921, "USD", day) == 10000  # inverse of EUR->USD
    assert to_eur.factor("USD", day) == (Decimal(1), Decimal("1.0921"))  # an exact fraction, divided once
    to_jpy = rates.Converter(session, "JPY")
    assert to_jpy.convert_minor(10000, "EUR", day) == 15808  # 100 EUR -> 15808 yen (0 decimals)
    to_kwd = rates.Converter(session, "KWD")
    put(session, day, "EUR", "KWD", "0.336512")
    assert to_kwd.convert_minor(1000, "EUR", day) == 3365  # 10.00 EUR -> 3.365 KWD (3 decimals, 3.36512)


def test_rounding_is_half_even_on_the_target_minor_units(session, alice):
    day = D(2024, 2, 1)
    put(session, day, "EUR", "USD", "0.5")
    conv = rates.Converter(session, "USD")
    assert conv.convert_minor(25, "EUR", day) == 12  # 0.125 -> 0.12 (half to even)
    assert conv.convert_minor(75, "EUR", day) == 38  # 0.375 -> 0.38
    assert conv.convert_minor(1, "EUR", day) == 0  # 0.005 -> 0.00
    assert conv.convert_minor(3, "EUR", day) == 2  # 0.015 -> 0.02


def test_sums_are_exact_and_rounded_once(session, alice):
    day = D(2024, 2, 1)
    put(session, day, "EUR", "USD", "0.5")
    conv = rates.Converter(session, "USD")
    # three amounts of 0.01 EUR = 0.005 USD each: rounded one by one 0.00 each, summed exactly 0.015 -> 0.02
    rows = [(("k",), "EUR", day, 1, 1), (("k",), "EUR", day, 1, 1), (("k",), "EUR", day, 1, 1), (("k",), "USD", None, 100, 2)]
    assert rates.sum_converted(conv, rows) == {("k",): (102, 5)}


def test_nearest_earlier_business_day_and_staleness(session, alice):
    ecb(session)  # 2024-01-02 .. 2024-01-05 (Tuesday to Friday)
    conv = rates.Converter(session, "USD")
    assert conv.rate("EUR", D(2024, 1, 7)) == Decimal("1.0921")  # Sunday: Friday's rate
    assert conv.rate("EUR", D(2024, 1, 4)) == Decimal("1.0953")  # its own day's rate
    assert conv.rate("EUR", D(2024, 1, 12)) == Decimal("1.0921")  # 7 days old: still used
    assert conv.rate("EUR", D(2024, 1, 13)) is None  # 8 days old: missing
    assert conv.rate("EUR", D(2024, 1, 1)) is None  # before the first rate: missing, never 1
    strict = rates.Converter(session, "USD", max_staleness_days=1)
    assert strict.rate("EUR", D(2024, 1, 7)) is None


def test_direct_rate_beats_cross_on_the_same_day_and_fresher_rate_wins(session, alice):
    ecb(session)
    day = D(2024, 1, 5)
    put(session, day, "GBP", "USD", "1.25")
    conv = rates.Converter(session, "USD")
    assert conv.rate("GBP", day) == Decimal("1.25")  # direct, not 1.0921 / 0.86
    put(session, D(2024, 1, 3), "CHF", "USD", "2")  # a direct CHF rate, but older than the ECB cross
    conv = rates.Converter(session, "USD")
    assert conv.factor("CHF", day) == (Decimal("1.0921"), Decimal("0.9305"))  # CHF->EUR->USD
    assert conv.rate("CHF", D(2024, 1, 3)) == Decimal(2)  # on its own day the direct one wins


def test_inverse_rate_is_used_when_only_the_other_direction_is_stored(session, alice):
    put(session, D(2024, 5, 2), "USD", "CAD", "1.25")
    conv = rates.Converter(session, "USD")
    assert conv.convert_minor(12500, "CAD", D(2024, 5, 3)) == 10000


def test_source_precedence_manual_then_upload_then_ecb(session, alice):
    day = D(2024, 1, 5)
    put(session, day, "EUR", "USD", "1.10", "ecb")
    assert rates.Converter(session, "USD").rate("EUR", day) == Decimal("1.10")
    put(session, day, "EUR", "USD", "1.20", "upload")
    assert rates.Converter(session, "USD").rate("EUR", day) == Decimal("1.20")
    put(session, day, "EUR", "USD", "1.30", "manual")
    assert rates.Converter(session, "USD").rate("EUR", day) == Decimal("1.30")


@hsettings(max_examples=60, deadline=None)
@given(
    minor=st.integers(min_value=1, max_value=10**12),
    r1=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("2000"), places=4),
    r2=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("2000"), places=4),
)
def test_cross_conversion_matches_exact_rational_arithmetic(minor, r1, r2):
    """GBP -> USD through EUR equals round_half_even(amount * r_usd / r_gbp) computed with fractions."""

    class Table(rates.Converter):
        def __init__(self):
            super().__init__(session=None, target="USD")
            self._series = {("EUR", "GBP"): ([D(2024, 1, 5)], [r1]), ("EUR", "USD"): ([D(2024, 1, 5)], [r2])}
            self._loaded = (frozenset({"GBP"}), D(2000, 1, 1), D(2100, 1, 1))

    got = Table().convert_minor(minor, "GBP", D(2024, 1, 6))
    expected = _round_fraction(Fraction(minor) * Fraction(r2) / Fraction(r1))
    assert got == expected


def test_missing_rates_are_named_by_currency_and_dates(session, alice):
    ecb(session)
    add_rows(
        session,
        alice.user_id,
        [
            (D(2024, 1, 5), 10000, "expense", "HOTEL", None, "EUR"),  # converted
            (D(2024, 1, 20), 5000, "expense", "TAXI", None, "EUR"),  # 15 days after the last rate
            (D(2024, 1, 22), 2500, "expense", "MUSEUM", None, "EUR"),
            (D(2024, 1, 5), 900, "expense", "KIOSK", None, "NOK"),  # the ECB file has no NOK
            (D(2024, 1, 5), 4200, "expense", "GROCER", None),  # USD: needs no rate
        ],
    )
    missing = rates.missing_rates(session, user_id=alice.user_id)
    assert [(m.currency, m.target, m.dates, m.count, m.amount_minor) for m in missing] == [
        ("EUR", "USD", (D(2024, 1, 20), D(2024, 1, 22)), 2, 7500),
        ("NOK", "USD", (D(2024, 1, 5),), 1, 900),
    ]
    eur = missing[0]
    assert eur.ranges == ((D(2024, 1, 20), D(2024, 1, 22)),)
    text = eur.describe("en_US")
    assert "EUR → USD" in text and "2024-01-20 to 2024-01-22" in text and "2 transactions (€75.00)" in text
    assert rates.foreign_currencies(session, user_id=alice.user_id) == ("EUR", "NOK")


def test_missing_rate_ranges_split_where_a_week_apart():
    m = rates.MissingRate("EUR", "USD", (D(2024, 1, 1), D(2024, 1, 3), D(2024, 1, 10), D(2024, 3, 1)), 4, 100)
    assert m.ranges == ((D(2024, 1, 1), D(2024, 1, 10)), (D(2024, 3, 1), D(2024, 3, 1)))
    assert m.dates_text() == "2024-01-01 to 2024-01-10 and 2024-03-01"
    many = rates.MissingRate("EUR", "USD", tuple(D(2024, k, 1) for k in range(1, 13)), 12, 100)
    assert many.dates_text(limit=2).endswith("and 10 more periods")


def test_convert_each_for_a_page_of_rows(session, alice):
    ecb(session)
    out = rates.convert_each(
        session, user_id=alice.user_id,
        items=[("EUR", D(2024, 1, 5), 10000), ("USD", D(2020, 1, 1), 5), ("NOK", D(2024, 1, 5), 100)],
    )
    assert out == [10921, 5, None]


# --------------------------------------------------------------------------- writing rates
GOOD_CSV = b"date,base,quote,rate\n2024-01-05,EUR,USD,1.0921\n2024-01-05,USD,NOK,10.3\n2024-01-04,EUR,USD,1.0953\n"


def test_csv_import_stores_every_row_and_is_idempotent(session, alice):
    p = alice
    change = rates.import_rates_csv(session, principal=p, data=GOOD_CSV, today=TODAY)
    assert (change.added, change.replaced, change.unchanged) == (3, 0, 0)
    assert (change.first_date, change.last_date) == (D(2024, 1, 4), D(2024, 1, 5))
    stored, total = rates.list_rates(session, base="EUR", quote="USD", user_id=p.user_id)
    assert total == 2 and [(r.date, r.rate, r.source) for r in stored] == [
        (D(2024, 1, 5), Decimal("1.0921"), "upload"), (D(2024, 1, 4), Decimal("1.0953"), "upload"),
    ]
    again = rates.import_rates_csv(session, principal=p, data=GOOD_CSV, today=TODAY)
    assert (again.added, again.unchanged) == (0, 3)
    assert session.scalar(select(func.count()).select_from(ExchangeRate)) == 3


def test_csv_import_accepts_column_order_semicolons_and_a_bom(session, alice):
    data = "\ufeffRate;Quote;Base;Date\n1.25;CAD;USD;2024-05-02\n".encode()
    change = rates.import_rates_csv(session, principal=alice, data=data, today=TODAY.replace(year=2025))
    assert change.added == 1
    (row,), _ = rates.list_rates(session, base="USD", user_id=alice.user_id)
    assert (row.quote, row.rate) == ("CAD", Decimal("1.25"))


def test_csv_import_is_all_or_nothing_with_a_reason_per_line(session, alice):
    bad = (
        b"date,base,quote,rate\n"
        b"2024-01-05,EUR,USD,1.0921\n"  # line 2: fine
        b"2024-13-01,EUR,USD,1.1\n"  # line 3: no such month
        b"2024-01-05,EUR,XYZ,1.1\n"  # line 4: unknown currency
        b"2024-01-05,EUR,GBP,0,86\n"  # line 5: a decimal comma splits the cell: rate 0
        b"2024-01-06,EUR,GBP,-0.86\n"  # line 6: negative
        b"2024-01-06,EUR,EUR,1\n"  # line 7: same currency
        b"2024-01-05,EUR,USD,1.2\n"  # line 8: contradicts line 2
        b"2030-01-01,EUR,USD,1.2\n"  # line 9: future
        b"\n"
        b"2024-01-05,EUR,CHF,\n"  # line 11: empty rate
    )
    with pytest.raises(rates.RatesFileError) as err:
        rates.import_rates_csv(session, principal=alice, data=bad, today=TODAY)
    problems = err.value.problems
    assert [p.split(":")[0] for p in problems] == ["Line 3", "Line 4", "Line 5", "Line 6", "Line 7", "Line 8", "Line 9", "Line 11"]
    text = "\n".join(problems)
    assert "“2024-13-01” is not a date" in text
    assert "“XYZ” is not an ISO 4217 currency code" in text
    assert "Line 5: rate: The rate must be more than zero." in text
    assert "Line 6: rate: “-0.86” is not a rate" in text
    assert "base and quote are both EUR" in text
    assert "also on line 2 with another rate (1.0921 there, 1.2 here)" in text
    assert "in the future" in text
    assert "The rate is empty" in text
    assert err.value.message.startswith("Nothing was imported: 8 rows cannot be used.")
    assert session.scalar(select(func.count()).select_from(ExchangeRate)) == 0


def test_csv_comma_decimal_is_refused_with_a_hint(session, alice):
    data = b"date;base;quote;rate\n2024-01-05;EUR;GBP;0,86\n"
    with pytest.raises(rates.RatesFileError) as err:
        rates.import_rates_csv(session, principal=alice, data=data, today=TODAY)
    assert err.value.problems == (
        "Line 2: rate: “0,86”: write the rate with a dot as the decimal separator (for example 0.86).",
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"date,base,rate\n2024-01-05,EUR,1.1\n", "missing: quote"),
        (b"date,base,quote,rate\n", "no rates"),
        (b"\x00\xff\xfe\xfa", "not UTF-8"),
    ],
)
def test_unreadable_rates_files_are_refused_as_a_whole(session, alice, data, message):
    with pytest.raises(rates.RatesFileError, match=message):
        rates.import_rates_csv(session, principal=alice, data=data, today=TODAY)


def test_users_fill_gaps_but_only_an_admin_replaces_a_rate(session, alice, bob):
    # Shared rates (stored by the command line or an administrator with shared=True): a user
    # cannot change them; an administrator replaces them. (Before issue #13 every rate was
    # shared and bob's upload was refused because of alice's; now alice's and bob's uploads are
    # each their own: see tests/security/test_isolation.py.)
    rates.import_rates_csv(session, principal=ADMIN, data=GOOD_CSV, today=TODAY)
    changed = b"date,base,quote,rate\n2024-01-05,EUR,USD,1.5\n2024-01-08,EUR,USD,1.09\n"
    with pytest.raises(rates.RatesFileError) as err:
        rates.import_rates_csv(session, principal=alice, data=changed, shared=True, today=TODAY)
    assert err.value.problems == (
        "Line 2: EUR/USD on 2024-01-05 already has the rate 1.0921 (upload); choose to replace existing rates to "
        "change it.",
    )
    assert rates.list_rates(session, base="EUR", quote="USD")[1] == 2  # nothing stored, not even line 3
    with pytest.raises(PermissionDenied):
        rates.import_rates_csv(session, principal=bob, data=changed, shared=True, replace=True, today=TODAY)
    change = rates.import_rates_csv(session, principal=ADMIN, data=changed, replace=True, today=TODAY)
    assert (change.added, change.replaced) == (1, 1)
    assert rates.Converter(session, "USD").rate("EUR", D(2024, 1, 5)) == Decimal("1.5")
    assert rates.Converter(session, "USD", user_id=bob.user_id).rate("EUR", D(2024, 1, 5)) == Decimal("1.5")
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "rates.upload").order_by(AuditLog.id)).all()
    assert [a.actor_email for a in audit] == ["cli@localhost", "cli@localhost"]
    assert all("shared by every user" in a.details for a in audit)


def test_a_users_own_rates_are_theirs_to_replace(session, alice, bob):
    rates.import_rates_csv(session, principal=bob, data=GOOD_CSV, today=TODAY)
    changed = b"date,base,quote,rate\n2024-01-05,EUR,USD,1.5\n2024-01-08,EUR,USD,1.09\n"
    with pytest.raises(rates.RatesFileError) as err:
        rates.import_rates_csv(session, principal=bob, data=changed, today=TODAY)
    assert err.value.problems == (
        "Line 2: you already stored the rate 1.0921 (upload) for EUR/USD on 2024-01-05; choose to replace "
        "existing rates to change it.",
    )
    change = rates.import_rates_csv(session, principal=bob, data=changed, replace=True, today=TODAY)
    assert (change.added, change.replaced) == (1, 1)
    assert rates.Converter(session, "USD", user_id=bob.user_id).rate("EUR", D(2024, 1, 5)) == Decimal("1.5")
    assert rates.Converter(session, "USD", user_id=alice.user_id).rate("EUR", D(2024, 1, 5)) is None
    assert rates.Converter(session, "USD").rate("EUR", D(2024, 1, 5)) is None
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "rates.upload")).all()
    assert [a.actor_email for a in audit] == ["bob@example.com", "bob@example.com"]
    assert all("own rates of bob@example.com only" in a.details for a in audit)


def test_a_rate_date_outside_the_limits_is_refused_naming_them(session, bob):
    """The rate-by-hand picker accepts any date (one outside its limits would never be sent), so
    the service refuses a date outside rate_date_limits, naming them."""
    first, last = rates.rate_date_limits(TODAY)
    for day in (last + dt.timedelta(days=1), first - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as err:
            rates.add_rate(session, principal=bob, date=day, base="GBP", quote="USD", rate="1.27", today=TODAY)
        assert err.value.field == "date"
        assert f"from {first.isoformat()} to {last.isoformat()}" in err.value.message
    assert rates.list_rates(session, source="manual", user_id=bob.user_id)[0] == []


def test_manual_rate_entry(session, alice, bob):
    change = rates.add_rate(session, principal=bob, date="2024-01-05", base="gbp", quote="usd", rate="1.27", today=TODAY)
    assert change.added == 1
    (row,), _ = rates.list_rates(session, source="manual", user_id=bob.user_id)
    assert (row.date, row.base, row.quote, row.rate) == (D(2024, 1, 5), "GBP", "USD", Decimal("1.27"))
    assert not row.shared and row.user_id == bob.user_id
    assert rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1.270",
                          today=TODAY).unchanged == 1
    with pytest.raises(ValidationError, match="you already stored the rate 1.27"):
        rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1.3", today=TODAY)
    # shared rates: only an administrator stores or changes them
    assert rates.add_rate(session, principal=alice, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1.27",
                          shared=True, today=TODAY).added == 1
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1.3", shared=True,
                       today=TODAY)
    with pytest.raises(ValidationError, match="choose to replace"):
        rates.add_rate(session, principal=alice, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1.3", shared=True,
                       today=TODAY)
    assert alice.is_admin and rates.add_rate(
        session, principal=alice, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1.3", replace=True, shared=True,
        today=TODAY,
    ).replaced == 1
    with pytest.raises(PermissionDenied, match="for yourself"):
        rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="GBP", quote="USD", rate="1.3",
                       user_id=alice.user_id, today=TODAY)
    with pytest.raises(ValidationError, match="two different currencies"):
        rates.add_rate(session, principal=alice, date=D(2024, 1, 5), base="USD", quote="USD", rate="1", today=TODAY)
    with pytest.raises(ValidationError, match="in the future"):
        rates.add_rate(session, principal=alice, date=D(2024, 3, 5), base="GBP", quote="USD", rate="1", today=TODAY)
    with pytest.raises(ValidationError, match="not an ISO 4217"):
        rates.add_rate(session, principal=alice, date=D(2024, 1, 5), base="GB", quote="USD", rate="1", today=TODAY)
    with pytest.raises(ValidationError, match="not a float"):
        rates.add_rate(session, principal=alice, date=D(2024, 1, 5), base="CHF", quote="USD", rate=1.1, today=TODAY)


def test_rate_changes_bump_every_users_data_version_only_when_something_changed(session, alice, bob):
    before = {p.user_id: data_version(session, user_id=p.user_id) for p in (alice, bob)}
    rates.import_rates_csv(session, principal=ADMIN, data=GOOD_CSV, today=TODAY)  # shared: everyone's figures
    after = {p.user_id: data_version(session, user_id=p.user_id) for p in (alice, bob)}
    assert all(after[u] == before[u] + 1 for u in before)
    rates.import_rates_csv(session, principal=ADMIN, data=GOOD_CSV, today=TODAY)  # nothing new
    assert {p.user_id: data_version(session, user_id=p.user_id) for p in (alice, bob)} == after


def test_own_rate_changes_bump_only_the_owners_data_version(session, alice, bob):
    before = {p.user_id: data_version(session, user_id=p.user_id) for p in (alice, bob)}
    rates.import_rates_csv(session, principal=bob, data=GOOD_CSV, today=TODAY)
    after = {p.user_id: data_version(session, user_id=p.user_id) for p in (alice, bob)}
    assert after == {alice.user_id: before[alice.user_id], bob.user_id: before[bob.user_id] + 1}


def test_base_currency_change_bumps_the_data_version(session, alice):
    from budgetwise.services import profile

    v = data_version(session, user_id=alice.user_id)
    profile.update_profile(session, user_id=alice.user_id, currency="EUR")
    assert data_version(session, user_id=alice.user_id) == v + 1
    profile.update_profile(session, user_id=alice.user_id, currency="EUR", name="Alice")  # same currency
    assert data_version(session, user_id=alice.user_id) == v + 1


def test_ecb_store_adds_updates_and_never_touches_other_sources(session, alice):
    put(session, D(2024, 1, 5), "EUR", "USD", "1.5", "manual")
    first = ecb(session)
    assert (first.added, first.replaced, first.unchanged) == (20, 0, 0)
    assert (first.first_date, first.last_date) == (D(2024, 1, 2), D(2024, 1, 5))
    again = ecb(session)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 20)
    revised = rates.store_ecb(session, principal=ADMIN, values=[(D(2024, 1, 5), "USD", Decimal("1.0922"))])
    assert (revised.added, revised.replaced) == (0, 1)
    sources = {
        r.source: r.rate for r in rates.list_rates(session, base="EUR", quote="USD", date_from=D(2024, 1, 5))[0]
    }
    assert sources == {"manual": Decimal("1.5"), "ecb": Decimal("1.0922")}
    summary = {(p.base, p.quote): p for p in rates.pair_summaries(session)}
    assert summary[("EUR", "USD")].count == 5 and summary[("EUR", "USD")].sources == ("manual", "ecb")
    assert rates.latest_date(session, source="ecb") == D(2024, 1, 5)


def test_history_zip_is_stored_with_unknown_and_missing_values_skipped(session, alice):
    change = rates.store_ecb(session, principal=ADMIN, values=rates.parse_ecb(hist_zip()))
    assert change.added == 5 * 6 + 1  # five days x six currencies, plus CYP on 2008-01-02
    assert rates.Converter(session, "USD").rate("EUR", D(2023, 12, 31)) == Decimal("1.1050")


def test_period_needed_follows_the_users_missing_rates(session, alice):
    assert rates.ecb_period_needed(session, user_id=alice.user_id, today=TODAY) == "90d"
    add_rows(session, alice.user_id, [(D(2023, 6, 1), 100, "expense", "OLD TRIP", None, "EUR")])
    assert rates.ecb_period_needed(session, user_id=alice.user_id, today=TODAY) == "history"
    assert rates.ecb_period_needed(session, user_id=None, today=TODAY) == "history"  # nothing stored yet


# --------------------------------------------------------------------------- fetching from a fake ECB
class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server API
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        route(self)

    def log_message(self, *args):  # keep test output quiet
        pass


def _send(body: bytes, content_type: str = "application/xml"):
    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def _slow(handler):
    time.sleep(2.0)
    _send(XML)(handler)


def _trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(40):
            handler.wfile.write(b"<")
            handler.wfile.flush()
            time.sleep(0.1)
    except (BrokenPipeError, ConnectionResetError):
        pass


@pytest.fixture
def fake_ecb() -> Iterator[str]:
    _Handler.routes = {
        "/eurofxref-hist-90d.xml": _send(XML),
        "/eurofxref-hist.zip": _send(hist_zip(), "application/zip"),
        "/slow.xml": _slow,
        "/trickle.xml": _trickle,
        "/garbage.xml": _send(b"<html>Service unavailable</html>"),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_from_the_fake_ecb_stores_the_rates(session, alice, fake_ecb):
    change = rates.fetch_ecb(session, principal=alice, period="90d", url=f"{fake_ecb}/eurofxref-hist-90d.xml")
    assert change.added == 20
    history = rates.fetch_ecb(session, principal=alice, period="history", url=f"{fake_ecb}/eurofxref-hist.zip")
    assert history.added == 31 - 10  # 2024-01-04 and -05 were already stored from the XML
    assert rates.Converter(session, "USD").convert_minor(10000, "EUR", D(2024, 1, 5)) == 10921


def test_fetch_uses_the_module_urls_so_they_can_be_pointed_elsewhere(session, alice, fake_ecb, monkeypatch):
    monkeypatch.setattr(rates.ecb, "ECB_90_DAYS_URL", f"{fake_ecb}/eurofxref-hist-90d.xml")
    assert rates.fetch_ecb(session, principal=alice, period="90d").added == 20


def test_fetch_errors_are_plain_sentences(session, alice, fake_ecb):
    with pytest.raises(rates.RatesUnavailable, match="answered HTTP 404"):
        rates.fetch_ecb(session, principal=alice, period="90d", url=f"{fake_ecb}/nothing-here.xml")
    with pytest.raises(rates.RatesUnavailable, match="holds no rates"):
        rates.fetch_ecb(session, principal=alice, period="90d", url=f"{fake_ecb}/garbage.xml")
    assert session.scalar(select(func.count()).select_from(ExchangeRate)) == 0


def test_fetch_times_out_instead_of_hanging(fake_ecb):
    started = time.monotonic()
    with pytest.raises(rates.RatesUnavailable, match="did not answer within 0.5 seconds"):
        rates.download(f"{fake_ecb}/slow.xml", timeout=0.5, deadline=5)
    assert time.monotonic() - started < 1.8


def test_a_trickling_server_is_stopped_at_the_deadline(fake_ecb):
    started = time.monotonic()
    with pytest.raises(rates.RatesUnavailable, match="too slowly|did not answer"):
        rates.download(f"{fake_ecb}/trickle.xml", timeout=2, deadline=1.0)
    assert time.monotonic() - started < 3.0


def test_unreachable_server_and_bad_addresses():
    with socket_free_port() as port:
        with pytest.raises(rates.RatesUnavailable, match="refused the connection"):
            rates.download(f"http://127.0.0.1:{port}/x.xml", timeout=2, deadline=5)
    with pytest.raises(ValidationError, match="not an http"):
        rates.download("file:///etc/passwd")
    with pytest.raises(ValidationError, match="Unknown ECB period"):
        rates.ecb_url("weekly")


class socket_free_port:
    """A local port with nothing listening on it."""

    def __enter__(self) -> int:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        return self.port

    def __exit__(self, *exc) -> None:
        return None


def test_list_rates_validates_its_filters(session):
    with pytest.raises(ValidationError):
        rates.list_rates(session, base="EURO")
    with pytest.raises(ValidationError):
        rates.list_rates(session, source="bank")
    assert rates.list_rates(session) == ([], 0)


def test_every_user_sees_the_same_rates_but_only_their_own_missing_list(session, alice, bob):
    ecb(session)
    add_rows(session, alice.user_id, [(D(2024, 2, 20), 100, "expense", "X", None, "EUR")])
    assert [m.currency for m in rates.missing_rates(session, user_id=alice.user_id)] == ["EUR"]
    assert rates.missing_rates(session, user_id=bob.user_id) == ()
    assert session.get(User, bob.user_id) is not None


def test_a_concurrent_writer_of_the_same_rate_is_a_clear_conflict(session, alice, monkeypatch):
    from budgetwise.errors import ConflictError

    put(session, D(2024, 1, 5), "EUR", "USD", "1.0921", "upload")
    session.execute(update(ExchangeRate).values(user_id=alice.user_id))  # alice's own rate (issue #13)
    # as if another request stored the row between our check and our insert
    monkeypatch.setattr(rates.store, "_existing", lambda session, keys, owner=None: {})
    with pytest.raises(ConflictError, match="at the same moment"):
        rates.import_rates_csv(session, principal=alice, data=b"date,base,quote,rate\n2024-01-05,EUR,USD,1.2\n",
                               today=TODAY)


def test_missing_rate_ranges_are_not_split_at_days_without_transactions(session, alice):
    """Issue #14 item 10: ranges split where the user simply had no transactions read as if rates
    existed in the gaps. They split only where a usable rate lies in between."""
    put(session, D(2024, 1, 1), "EUR", "USD", "1.10")
    put(session, D(2024, 2, 15), "EUR", "USD", "1.08")
    add_rows(session, alice.user_id, [
        (D(2024, 1, 20), 100, "expense", "A", None, "EUR"),  # Jan 1's rate is 19 days old
        (D(2024, 2, 5), 100, "expense", "B", None, "EUR"),   # no transactions for two weeks before: one range
        (D(2024, 3, 20), 100, "expense", "C", None, "EUR"),  # Feb 15 had a rate: a separate range
    ])
    [eur] = rates.missing_rates(session, user_id=alice.user_id)
    assert eur.ranges == ((D(2024, 1, 20), D(2024, 2, 5)), (D(2024, 3, 20), D(2024, 3, 20)))
    assert not eur.none_stored
    assert "2024-01-20 to 2024-02-05 and 2024-03-20" in eur.describe()


def test_missing_rates_say_when_no_rate_of_the_pair_is_stored_at_all(session, alice):
    put(session, D(2024, 1, 1), "EUR", "USD", "1.10")  # a rate for another currency
    add_rows(session, alice.user_id, [
        (D(2024, 1, 5), 100, "expense", "A", None, "NZD"),
        (D(2024, 6, 5), 100, "expense", "B", None, "NZD"),
    ])
    [nzd] = rates.missing_rates(session, user_id=alice.user_id)
    assert nzd.none_stored
    assert nzd.describe().startswith(
        "No NZD → USD rate for 2024-01-05 to 2024-06-05: no NZD → USD rates are stored at all, so 2 transactions")
    put(session, D(2024, 3, 1), "NZD", "EUR", "0.55")  # through the euro: both legs are stored now
    put(session, D(2024, 3, 1), "EUR", "USD", "1.09")
    [nzd] = rates.missing_rates(session, user_id=alice.user_id)
    assert not nzd.none_stored and nzd.ranges == ((D(2024, 1, 5), D(2024, 1, 5)), (D(2024, 6, 5), D(2024, 6, 5)))


def test_a_missing_rate_is_shared_not_copied_by_the_frames_that_carry_it():
    """Session 14: pandas deep-copies ``df.attrs`` into every column and slice; a MissingRate (frozen, of
    tuples) is its own deep copy, so a report frame's columns share it instead of copying its dates."""
    import copy

    import pandas as pd

    from budgetwise.services.rates import MissingRate

    missing = MissingRate("EUR", "USD", tuple(dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(300)), 300, 1)
    assert copy.deepcopy(missing) is missing and copy.deepcopy((missing,))[0] is missing
    df = pd.DataFrame({"amount_minor": [1, 2], "category": ["a", "b"]})
    df.attrs["missing_rates"] = (missing,)
    assert df["amount_minor"].attrs["missing_rates"][0] is missing
    assert df.head(1).attrs["missing_rates"] == (missing,)


def test_a_typed_rate_far_off_the_known_rate_of_the_pair_asks_for_a_confirmation(session, bob):
    """Session 18 (a new user): 1 EUR = 1,000,000 USD was stored without a word. A typed rate more than ten times
    above or below the known rate nearest in date (either way round) is refused with that rate, unless confirmed;
    a rate within the factor, or of a pair with no known rate, is stored as before."""
    rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="EUR", quote="USD", rate="1.09", today=TODAY)
    with pytest.raises(ValidationError, match=r"1 EUR = 1000000 USD is more than 10 times the known rate of "
                                              r"EUR/USD \(1.09 on 2024-01-05\)") as err:
        rates.add_rate(session, principal=bob, date=D(2024, 1, 8), base="EUR", quote="USD", rate="1000000", today=TODAY)
    assert err.value.field == "rate"
    with pytest.raises(ValidationError, match="less than 1/10 of the known rate of USD/EUR"):  # the inverse pair
        rates.add_rate(session, principal=bob, date=D(2024, 1, 8), base="USD", quote="EUR", rate="0.0917", today=TODAY)
    assert rates.add_rate(session, principal=bob, date=D(2024, 1, 8), base="USD", quote="EUR", rate="0.917",
                          today=TODAY).added == 1  # within the factor
    assert rates.add_rate(session, principal=bob, date=D(2024, 1, 9), base="EUR", quote="USD", rate="1000000",
                          today=TODAY, confirm=True).added == 1
    assert rates.add_rate(session, principal=bob, date=D(2024, 1, 9), base="EUR", quote="ARS", rate="1000000",
                          today=TODAY).added == 1  # nothing known of the pair


def test_a_rates_file_with_rates_far_off_the_known_ones_is_refused_row_by_row_until_confirmed(session, bob):
    """Session 19: the check of a typed rate (session 18) applies to every row of a rates CSV: each row more than
    ten times off the known rate of its pair nearest in date (either way round) is named with its line, pair, value
    and the rate and date it was compared with; nothing of the file is stored unless confirmed."""
    rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="EUR", quote="USD", rate="1.09", today=TODAY)
    rates.add_rate(session, principal=bob, date=D(2024, 3, 1), base="EUR", quote="USD", rate="1.08", today=TODAY)
    data = (b"date,base,quote,rate\n2024-01-08,EUR,USD,1.0953\n2024-01-09,EUR,USD,10953\n"
            b"2024-02-28,USD,EUR,92\n2024-01-09,EUR,ARS,1000000\n")
    with pytest.raises(rates.ImplausibleRates) as err:
        rates.import_rates_csv(session, principal=bob, data=data, today=TODAY)
    assert err.value.problems == (
        "Line 3: 1 EUR = 10953 USD is more than 10 times the known rate of EUR/USD (1.09 on 2024-01-05).",
        "Line 4: 1 USD = 92 EUR is more than 10 times the known rate of USD/EUR (0.925926 on 2024-03-01).",
    )  # the inverse of the nearest rate (2024-03-01, not 2024-01-05); EUR/ARS has no known rate: not checked
    assert "Nothing was imported: 2 rates of the file look wrong." in err.value.message
    assert rates.list_rates(session, user_id=bob.user_id)[1] == 2  # nothing half-written
    change = rates.import_rates_csv(session, principal=bob, data=data, today=TODAY, confirm=True)
    assert change.added == 4


def test_the_plausibility_check_compares_with_the_rates_the_owner_may_use_only(session, alice, bob):
    """Another user's own rate is never a reference (it is invisible to the uploader); a shared one is."""
    rates.add_rate(session, principal=alice, date=D(2024, 1, 5), base="EUR", quote="USD", rate="1000", today=TODAY,
                   confirm=True)
    assert rates.import_rates_csv(session, principal=bob, data=b"date,base,quote,rate\n2024-01-05,EUR,USD,1.09\n",
                                  today=TODAY).added == 1
    ecb(session)  # the ECB's shared rates of 2024-01-02 .. 2024-01-05
    with pytest.raises(rates.ImplausibleRates, match=r"Line 2: 1 EUR = 0.0109 USD is less than 1/10 of the known "
                                                     r"rate of EUR/USD \(1.09"):
        rates.import_rates_csv(session, principal=bob, data=b"date,base,quote,rate\n2024-01-04,EUR,USD,0.0109\n",
                               today=TODAY)


def test_ecb_rates_are_stored_without_the_plausibility_check(session, bob):
    """The official source is not checked against anyone's own rates (docs/currencies.md, session 19)."""
    rates.add_rate(session, principal=bob, date=D(2024, 1, 5), base="EUR", quote="USD", rate="1000", today=TODAY,
                   confirm=True)
    assert ecb(session).added > 0


def test_shared_rates_need_an_administrator_now_not_a_stale_principal(session, alice, bob):
    """Session 21 (sec21): shared rates were written, replaced and deleted on the principal's ``is_admin`` snapshot,
    while every admin service re-reads the role from the database (``auth.require_current_admin``). An
    administrator demoted (or disabled) after the principal was made still changed every user's rates."""
    assert alice.is_admin
    rates.add_rate(session, principal=alice, date=D(2024, 2, 1), base="GBP", quote="USD", rate="1.25", shared=True,
                   today=TODAY)
    stored = session.scalar(select(ExchangeRate.id).where(ExchangeRate.user_id.is_(None), ExchangeRate.base == "GBP"))
    session.execute(update(User).where(User.id == alice.user_id).values(role="user"))  # demoted since
    with pytest.raises(PermissionDenied, match="Only an administrator can store exchange rates shared by every user"):
        rates.add_rate(session, principal=alice, date=D(2024, 2, 2), base="GBP", quote="USD", rate="1.26",
                       shared=True, today=TODAY)
    with pytest.raises(PermissionDenied, match="Only an administrator can delete a rate shared by every user"):
        rates.delete_rate(session, principal=alice, rate_id=stored)
    assert session.scalar(select(func.count()).select_from(ExchangeRate).where(ExchangeRate.user_id.is_(None),
                                                                               ExchangeRate.base == "GBP")) == 1


def test_a_users_own_rates_are_limited_across_files(session, alice, bob, monkeypatch):
    """Session 21 (sec21): a rates CSV holds at most 500,000 rates, but files could be uploaded without end (dates
    back to 1950 for any pair), filling a hosted instance's disk for everyone. A user's own rates now stop at
    ``store.MAX_OWN_RATES_PER_USER``: the file that would pass it is refused whole, with the numbers; another user
    and an administrator's shared rates are not counted."""
    from budgetwise.services.rates import store

    monkeypatch.setattr(store, "MAX_OWN_RATES_PER_USER", 3)
    two = b"date,base,quote,rate\n2024-01-02,EUR,USD,1.10\n2024-01-03,EUR,USD,1.11\n"
    more = b"date,base,quote,rate\n2024-01-04,EUR,USD,1.12\n2024-01-05,EUR,USD,1.13\n"
    assert rates.import_rates_csv(session, principal=bob, data=two, today=TODAY).added == 2
    with pytest.raises(rates.RatesFileError, match=r"You hold 2 exchange rates of your own; the limit is 3, and this "
                                                   r"would add 2\."):
        rates.import_rates_csv(session, principal=bob, data=more, today=TODAY)
    with pytest.raises(ValidationError, match="You hold 3 exchange rates of your own; the limit is 3"):
        for day in (6, 7):
            rates.add_rate(session, principal=bob, date=D(2024, 1, day), base="EUR", quote="USD", rate="1.1", today=TODAY)
    assert session.scalar(select(func.count()).select_from(ExchangeRate).where(ExchangeRate.user_id == bob.user_id)) == 3
    assert rates.import_rates_csv(session, principal=alice, data=more, today=TODAY).added == 2  # her own room
    assert rates.import_rates_csv(session, principal=alice, data=two, today=TODAY, shared=True).added == 2
