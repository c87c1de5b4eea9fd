"""An IBAN's currency: the currency of the country an account number names (session 26).

A bank file whose account column holds the user's own IBAN ("NL26BUNQ2025126409", bunq's export) and no
currency anywhere was stored in the user's currency: a Canadian user's Dutch statement became CAD rows in a
new CAD account unless she noticed the picker (trial26, in Chromium). An IBAN that passes its ISO 13616
check digits names its country, and most countries keep their accounts in one currency: those rows are
stored in it (:func:`budgetwise.services.importing.file_currency.adopt_account_currencies`). Countries
whose accounts are commonly held in more than one currency, or that changed currency recently, are left
out (no guess, the user's currency as before).
"""

from __future__ import annotations

import re

# ISO 3166 country of an IBAN -> the currency its accounts are kept in
_EURO = ["AD", "AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "IE", "IT", "LT", "LU", "LV", "MC", "MT", "NL", "PT", "SI", "SK", "SM", "VA"]
COUNTRY_CURRENCY: dict[str, str] = {
    **dict.fromkeys(_EURO, "EUR"),
    "GB": "GBP", "CH": "CHF", "LI": "CHF", "CZ": "CZK", "HU": "HUF", "PL": "PLN", "SE": "SEK", "DK": "DKK",
    "NO": "NOK", "IS": "ISK", "RO": "RON", "TR": "TRY", "IL": "ILS", "SA": "SAR", "AE": "AED", "QA": "QAR",
    "KW": "KWD", "BH": "BHD", "JO": "JOD", "EG": "EGP", "PK": "PKR", "BR": "BRL", "UA": "UAH", "RS": "RSD",
    "BA": "BAM", "MK": "MKD", "AL": "ALL", "MD": "MDL", "GE": "GEL", "AZ": "AZN", "KZ": "KZT", "TN": "TND",
    "MU": "MUR",
}  # left out: HR (kuna until 2023), BG (lev until 2026), and countries where accounts in USD are common (CR, DO, GT, LB)
_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def iban_country(value: str) -> str | None:
    """The country of ``value`` when it is an IBAN (spaces allowed, any case) with valid check digits, else None."""
    text = re.sub(r"\s+", "", str(value)).upper()
    if not _SHAPE.fullmatch(text):
        return None
    digits = "".join(str(int(ch, 36)) for ch in text[4:] + text[:4])
    return text[:2] if int(digits) % 97 == 1 else None


def iban_currency(value: str) -> str | None:
    """The currency of the country an IBAN names ("NL…" → "EUR"), or None (not an IBAN, or a country left out)."""
    country = iban_country(value)
    return COUNTRY_CURRENCY.get(country) if country else None


def country_name(code: str) -> str:
    """An ISO 3166 country in English ("NL" → "Netherlands"), the code when unknown."""
    from babel import Locale  # babel formats the app's numbers already; loaded only when a note needs a name

    return str(Locale("en").territories.get(code, code))
