"""``importing/iban.py`` against ISO 13616 and CLDR (review26).

An account name the file's account column gives decides a new account's currency only when it is an IBAN. Session
26 checked the shape and the MOD 97-10 remainder only: a text of a wrong length for its country passed one time in
97 (spaces are dropped, so an account label like "NL12 ..." of another length could name a currency), and so did
check digits 00, 01 and 99, which ISO 7064 never computes (01 and 98, 00 and 97, 99 and 02 leave the same
remainder). Mauritius writes the account's currency into its IBAN ("…000MUR", "…000USD"): it was always MUR. The
country-to-currency table is checked against CLDR (Babel), the app's source of which currency a country uses.
Made-up account numbers; the check digits are computed here."""

from __future__ import annotations

import datetime as dt

from babel.numbers import get_territory_currencies

from budgetwise.importing.iban import COUNTRY_CURRENCY, IBAN_LENGTH, iban_country, iban_currency


def _numeric(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def _with_check_digits(country: str, bban: str) -> str:
    return f"{country}{98 - _numeric(bban + country + '00') % 97:02d}{bban}"


def test_an_iban_of_the_wrong_length_for_its_country_is_no_iban():
    assert iban_currency(_with_check_digits("NL", "ABNA0417164300")) == "EUR"  # 18 characters, as the registry says
    short = _with_check_digits("NL", "ABNA041716430")  # 17
    long = _with_check_digits("GB", "NWBK601613319268190")  # 23 (GB: 22)
    label = _with_check_digits("DE", "GIROKONTOFAMILIE")  # "DE.. Girokonto Familie": 20 (DE: 22)
    assert [iban_country(v) for v in (short, long, label)] == [None, None, None]


def test_check_digits_00_01_and_99_are_never_valid():
    bban = next(b for b in (f"ABNA{n:010d}" for n in range(10_000)) if _with_check_digits("NL", b)[2:4] == "98")
    valid = _with_check_digits("NL", bban)
    assert iban_country(valid) == "NL"
    assert iban_country(valid[:2] + "01" + valid[4:]) is None  # the same remainder as 98
    bban = next(b for b in (f"ABNA{n:010d}" for n in range(10_000)) if _with_check_digits("NL", b)[2:4] == "02")
    assert iban_country(_with_check_digits("NL", bban)[:2] + "99" + bban) is None  # the same remainder as 02


def test_a_mauritian_iban_names_its_own_currency():
    assert iban_currency("MU17BOMM0101101030300200000MUR") == "MUR"  # the registry's example
    assert iban_currency(_with_check_digits("MU", "BOMM0101101030300200000USD")) == "USD"
    assert iban_currency(_with_check_digits("MU", "BOMM0101101030300200000XXX")) is None  # no currency


def test_every_country_has_its_length_and_the_currency_cldr_gives_it():
    assert set(COUNTRY_CURRENCY) <= set(IBAN_LENGTH)
    today = dt.date(2026, 12, 7)
    assert {c: get_territory_currencies(c, today, tender=True) for c in COUNTRY_CURRENCY} == \
        {c: [code] for c, code in COUNTRY_CURRENCY.items()}
