"""An IBAN's currency: the currency of the country an account number names (session 26).

A bank file whose account column holds the user's own IBAN ("NL26BUNQ2025126409", bunq's export) and no
currency anywhere was stored in the user's currency: a Canadian user's Dutch statement became CAD rows in a
new CAD account unless she noticed the picker (trial26, in Chromium). An IBAN that passes its ISO 13616
check digits names its country, and most countries keep their accounts in one currency: those rows are
stored in it (:func:`budgetwise.services.importing.file_currency.adopt_account_currencies`). Countries
whose accounts are commonly held in more than one currency are left out (no guess, the user's currency as before).

Session 27: the two countries that changed currency recently (:data:`CHANGEOVER`: Croatia's kuna became the euro on
2023-01-01, Bulgaria's lev on 2026-01-01; banks converted their accounts on the day) name a currency by the date too: an
account's rows before the day are in the old currency, its rows from that day on in the euro
(:func:`iban_currency` ``on``); without a date, no guess.
"""

from __future__ import annotations

import datetime as dt
import re

from budgetwise.errors import ValidationError
from budgetwise.money import validate_currency

# ISO 3166 country of an IBAN -> the currency its accounts are kept in
_EURO = ["AD", "AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "IE", "IT", "LT", "LU", "LV", "MC", "MT", "NL", "PT", "SI", "SK", "SM", "VA"]
COUNTRY_CURRENCY: dict[str, str] = {
    **dict.fromkeys(_EURO, "EUR"),
    "GB": "GBP", "CH": "CHF", "LI": "CHF", "CZ": "CZK", "HU": "HUF", "PL": "PLN", "SE": "SEK", "DK": "DKK",
    "NO": "NOK", "IS": "ISK", "RO": "RON", "TR": "TRY", "IL": "ILS", "SA": "SAR", "AE": "AED", "QA": "QAR",
    "KW": "KWD", "BH": "BHD", "JO": "JOD", "EG": "EGP", "PK": "PKR", "BR": "BRL", "UA": "UAH", "RS": "RSD",
    "BA": "BAM", "MK": "MKD", "AL": "ALL", "MD": "MDL", "GE": "GEL", "AZ": "AZN", "KZ": "KZT", "TN": "TND",
    "MU": "MUR",
}  # left out: countries where accounts in USD are common (CR, DO, GT, LB); HR and BG by the date (CHANGEOVER)
# a country that changed its currency: (the old one, the new one, the new one's first day) (CLDR's dates, Babel)
CHANGEOVER: dict[str, tuple[str, str, dt.date]] = {
    "HR": ("HRK", "EUR", dt.date(2023, 1, 1)),
    "BG": ("BGN", "EUR", dt.date(2026, 1, 1)),
}
# ISO 13616's registry (SWIFT's IBAN Registry): the length of each country's IBANs, for the countries above. A text of
# another length is no IBAN, whatever its remainder (review26: one text in 97 of IBAN shape passes the remainder).
IBAN_LENGTH: dict[str, int] = {
    "AD": 24, "AT": 20, "BE": 16, "CY": 28, "DE": 22, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GR": 27, "IE": 22,
    "IT": 27, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "PT": 25, "SI": 19, "SK": 24, "SM": 27,
    "VA": 22, "GB": 22, "CH": 21, "LI": 21, "CZ": 24, "HU": 28, "PL": 28, "SE": 24, "DK": 18, "NO": 15, "IS": 26,
    "RO": 24, "TR": 26, "IL": 23, "SA": 24, "AE": 23, "QA": 29, "KW": 30, "BH": 22, "JO": 30, "EG": 29, "PK": 24,
    "BR": 29, "UA": 29, "RS": 22, "BA": 20, "MK": 19, "AL": 28, "MD": 24, "GE": 22, "AZ": 28, "KZ": 20, "TN": 24,
    "MU": 30, "HR": 21, "BG": 22,
}
# Mauritius writes the account's currency at the end of its IBANs ("…000MUR", "…000USD"): that one, not the country's
_CURRENCY_IN_IBAN = frozenset({"MU"})
_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def iban_country(value: str) -> str | None:
    """The country of ``value`` when it is an IBAN (spaces allowed, any case) with valid check digits (02 to 98, the
    MOD 97-10 remainder 1) and its country's length (:data:`IBAN_LENGTH`, where known), else None."""
    text = _compact(value)
    if not _SHAPE.fullmatch(text) or len(text) != IBAN_LENGTH.get(text[:2], len(text)) or not 2 <= int(text[2:4]) <= 98:
        return None  # check digits 00, 01 and 99 are never computed (ISO 7064 MOD 97-10: 98 - remainder)
    digits = "".join(str(int(ch, 36)) for ch in text[4:] + text[:4])
    return text[:2] if int(digits) % 97 == 1 else None


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", str(value)).upper()


def iban_currency(value: str, on: dt.date | None = None) -> str | None:
    """The currency of the country an IBAN names ("NL…" → "EUR"; a Mauritian IBAN's own "…USD"), or None (not an IBAN,
    or a country left out). A country of :data:`CHANGEOVER` names the currency of the day ``on`` ("HR…" on 2022-12-31:
    "HRK", on 2023-01-01: "EUR"), and none without a day."""
    country = iban_country(value)
    if country in CHANGEOVER:
        if on is None:
            return None
        old, new, first = CHANGEOVER[country]
        return new if on >= first else old
    if country in _CURRENCY_IN_IBAN:
        try:
            return validate_currency(_compact(value)[-3:])
        except ValidationError:
            return None
    return COUNTRY_CURRENCY.get(country) if country else None


def country_name(code: str) -> str:
    """An ISO 3166 country in English ("NL" → "Netherlands"), the code when unknown."""
    from babel import Locale  # babel formats the app's numbers already; loaded only when a note needs a name

    return str(Locale("en").territories.get(code, code))
