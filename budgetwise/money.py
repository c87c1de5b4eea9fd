"""Exact money: parsing text, integer minor units <-> Decimal, formatting.

Minor-unit digits come from ISO 4217's table (the ``iso4217`` package: JPY 0, USD 2,
KWD 3, HUF 2), never a hand-written table; Babel's CLDR data formats. No float is ever involved.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_currency_precision, list_currencies
from iso4217 import Currency

from budgetwise.errors import ValidationError
from budgetwise.names import quoted

# The largest single amount accepted (in major units): beyond it a value is a typo.
MAX_AMOUNT = Decimal("1000000000")  # one billion
# MAX_AMOUNT in minor units of the currencies with the most decimals (4: CLF, UYW): the bound of an amount a service
# is given already in minor units (a rule's minimum and maximum); 500,000 of them still sum inside a BIGINT.
MAX_MINOR = int(MAX_AMOUNT) * 10**4

_CURRENCIES: frozenset[str] = frozenset(list_currencies())

# Currency symbols that may stand before or after an amount in text.
_SYMBOLS = "$€£¥₹₽₩₪₫₴₦₱฿₺₸₡₲₵₭₮₾₼﷼¢"
_SPACES = "\u00a0\u202f\u2009 "


def currency_codes(*, money_only: bool = True) -> list[str]:
    """All ISO 4217 currencies Babel knows, sorted (with ``money_only=False`` also the codes that
    are not money, XXX, XAU, ...: for reading data stored before :func:`validate_currency` refused them)."""
    return sorted(_CURRENCIES - _NOT_MONEY if money_only else _CURRENCIES)


def current_currency_codes(*, include: str | None = None) -> list[str]:
    """Currencies legal tender somewhere today (CLDR via Babel): what pickers offer.

    Historical codes (DEM, ADP, ...) stay valid for data but are not offered; ``include``
    keeps one such code (e.g. the user's current choice) in the list.
    """
    global _CURRENT
    if _CURRENT is None:
        import datetime as _dt

        from babel.core import get_global
        from babel.numbers import get_territory_currencies

        today = _dt.date.today()
        codes: set[str] = set()
        for territory in get_global("territory_currencies"):
            codes.update(get_territory_currencies(territory, today, tender=True))
        _CURRENT = tuple(sorted(codes & _CURRENCIES))
    extra = [include] if include and include not in _CURRENT else []
    return sorted([*_CURRENT, *extra])


_CURRENT: tuple[str, ...] | None = None


def currency_of_locale(tag: str | None) -> str | None:
    """The currency of a language tag's country ("nl-NL" → EUR, "en-GB" → GBP, a browser's ``navigator.language``):
    the guess a registration offers (session 29, trial29); None without a country or for an unknown one."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_territory_currencies

    try:
        territory = Locale.parse((tag or "").replace("-", "_")).territory
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if not territory:
        return None
    found = [c for c in get_territory_currencies(territory, tender=True) if c in _CURRENCIES]
    return found[0] if found else None


def _never_money() -> frozenset[str]:
    """ISO 4217's X codes that no country ever used as money (CLDR's tender data): XXX (no currency),
    XTS (testing), precious metals (XAU, XAG, XPD, XPT), bond-market units (XBA-XBD), SDR (XDR) and
    other units of account. Real X currencies (XAF, XOF, XCD, XPF, XCG) are tender somewhere; fund
    codes (CLF, BOV, ...) and CNH are left alone (a bank file may carry them)."""
    from babel.core import get_global

    tender = {c[0] for history in get_global("territory_currencies").values() for c in history if c[3]}
    return frozenset(c for c in _CURRENCIES if c.startswith("X") and c not in tender)


_NOT_MONEY: frozenset[str] = _never_money()


def validate_currency(code: str) -> str:
    """The upper-cased ISO 4217 code of a real currency; ValidationError (field "currency") otherwise."""
    value = (code or "").strip().upper()
    if len(value) != 3 or value not in _CURRENCIES:
        raise ValidationError(f"{quoted(code)} is not an ISO 4217 currency code (for example USD, EUR, GBP).", field="currency")
    if value in _NOT_MONEY:
        from babel.numbers import get_currency_name

        raise ValidationError(
            f"{value} ({get_currency_name(value, locale='en')}) is an ISO 4217 code but not a currency: "
            "choose the currency the money is in (for example USD, EUR, GBP).",
            field="currency",
        )
    return value


@functools.cache
def minor_digits(currency: str) -> int:
    """Number of decimal places of ``currency`` (USD 2, JPY 0, KWD 3, HUF 2): ISO 4217's minor unit.

    Stored amounts are integers in these units, so the exponent must never change under them.
    ISO 4217's table (the ``iso4217`` package) is that fixed reference; CLDR's "digits" (Babel)
    are display preferences that do change between releases (Babel 2.19 made HUF, COP, IDR and
    a dozen others 0 where they were 2, which would have shown every stored forint amount 100x
    too large). Babel answers only for codes ISO gives no minor unit (e.g. XAU).
    """
    code = currency.upper()
    try:
        exponent = Currency(code).exponent
    except ValueError:
        exponent = None
    return int(exponent) if exponent is not None else int(get_currency_precision(code))


# The words a message uses for a field (the form's label), by the field's key; another key reads as its words.
_FIELD_WORDS = {"target": "The target amount", "already_saved": "The amount already saved",
                "min_amount": "The minimum amount", "max_amount": "The maximum amount"}


def field_words(field: str, label: str | None = None) -> str:
    """How an amount's message names its field: ``label`` when given ("" for none: a caller that names the
    row and column itself), else "The amount", "The opening balance", "The target amount", … from ``field``
    ("'1e9' is not a number." alone did not say which box: browser QA, session 13)."""
    if label is not None:
        return label
    return _FIELD_WORDS.get(field) or "The " + field.replace("_", " ").strip()


def _named(words: str, what: str) -> str:
    return f"{words} {what}" if words else what


def to_minor(amount: Decimal, currency: str, *, typed: str | None = None, field: str = "amount",
             label: str | None = None) -> int:
    """Decimal major units -> integer minor units; refuses more decimals than the currency has, naming
    the amount as the person ``typed`` it when given ("12.345" is 12345 to a de_DE reader)."""
    digits = minor_digits(currency)
    scaled = amount.scaleb(digits)
    if scaled != scaled.to_integral_value() or (amount and not scaled):
        # the second test: a tiny non-zero amount ("1E-999999999") underflows scaleb's context to 0
        named = _named(field_words(field, label), str(amount) if typed is None else quoted(typed.strip()))
        raise ValidationError(
            f"{named} has more decimal places than {currency.upper()} allows ({digits}).", field=field
        )
    return int(scaled)


def to_minor_rounded(amount: Decimal, currency: str) -> int:
    """Like :func:`to_minor` but rounds half-even (for computed values such as conversions)."""
    digits = minor_digits(currency)
    return int(amount.scaleb(digits).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def from_minor(minor: int, currency: str) -> Decimal:
    """Integer minor units -> Decimal major units with the currency's exponent."""
    digits = minor_digits(currency)
    return Decimal(int(minor)).scaleb(-digits)


_APOSTROPHE_STAND_IN = "\ue000"  # a private-use character no CLDR symbol or pattern holds


class _ApostropheSafeLocale(Locale):
    """A locale whose apostrophe group separator (de_CH, fr_CH, it_CH: "1'234'567.50") Babel writes as
    :data:`_APOSTROPHE_STAND_IN`: Babel's number formatting ends by un-quoting pattern text ('…' → …) over
    the whole result, which ate every other separator ("CHF 1234567.50", "1'234'567'890" → "1234567'890";
    session 14). :func:`babel_number` swaps it back."""

    @functools.cached_property
    def number_symbols(self):
        return {system: {**dict(symbols), "group": symbols.get("group", ",").replace("'", _APOSTROPHE_STAND_IN)}
                for system, symbols in super().number_symbols.items()}


@functools.lru_cache(maxsize=64)
def _babel_locale(locale: str) -> Locale:
    """The Babel locale for ``locale`` (en_US for an unknown one), apostrophe-safe where it needs to be."""
    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        loc = Locale.parse("en_US")
    if "'" not in loc.number_symbols["latn"].get("group", ","):
        return loc
    return _ApostropheSafeLocale(loc.language, loc.territory, loc.script, loc.variant)


def babel_number(value: object, locale: str, **kwargs: object) -> str:
    """Babel's ``format_decimal`` for the app's numbers (counts, rates, points), with the locale's digit
    grouping kept where Babel itself drops it (apostrophe separators: :class:`_ApostropheSafeLocale`)."""
    return format_decimal(value, locale=_babel_locale(locale), **kwargs).replace(_APOSTROPHE_STAND_IN, "'")


def format_money(minor: int, currency: str, locale: str = "en_US", *, signed: bool = False) -> str:
    """Format minor units for display in a locale (symbol, separators).

    Remembered (:func:`_format_money`): Babel takes about a millisecond an amount, and a page shows the same
    amounts on every rerun and in several places (a chart's hover text, the table under it; session 16)."""
    try:
        return _format_money(minor, currency, locale, signed)
    except TypeError:  # an unhashable amount (a signalling NaN): formatted (or refused) as it always was
        return _format_money.__wrapped__(minor, currency, locale, signed)


@functools.lru_cache(maxsize=32768)  # a pure function of its arguments; strings of ~20 characters: a few MB at most
def _format_money(minor: int, currency: str, locale: str, signed: bool) -> str:
    value = from_minor(minor, currency)
    # Babel rounds to CLDR's digits; where those differ from the stored ISO exponent (HUF 0 vs 2)
    # the value is shown with its own decimals instead of being rounded.
    exact = {} if get_currency_precision(currency.upper()) == minor_digits(currency) else {
        "currency_digits": False, "decimal_quantization": False}
    try:
        text = format_currency(value, currency.upper(), locale=_babel_locale(locale), **exact)
    except (UnknownLocaleError, ValueError):
        text = format_currency(value, currency.upper(), locale="en_US", **exact)
    text = text.replace(_APOSTROPHE_STAND_IN, "'")
    if signed and minor > 0:
        # the plus where the locale writes the minus: "€ +12,20" beside "€ -18,43" in nl_NL, "EUR+12.20" beside
        # "EUR-18.43" in de_CH (session 25: "+€ 12,20" stood above "€ -18,43" in the import preview)
        negative = _format_money(-minor, currency, locale, False)
        at = next((i for i, ch in enumerate(negative) if ch in "-\u2212"), None)
        text = "+" + text if at is None else negative[:at] + "+" + negative[at + 1:]
    return text


def number_grouping(locale: str) -> tuple[int, ...]:
    """How a locale groups an amount's integer digits, the same CLDR currency pattern
    :func:`format_money` writes with: (3,) for "12,345,678", (3, 2) for en_IN's lakh and crore
    "1,23,45,678" (the primary group, then the one that repeats). For chart axes (session 13: they
    showed "12,345,678" to an en_IN user whose tables say "₹1,23,45,678.00"):
    :func:`budgetwise.ui.charts.plotly_config`."""
    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        loc = Locale.parse("en_US")
    primary, secondary = loc.currency_formats["standard"].grouping
    return (primary,) if secondary == primary else (primary, secondary)


def locale_separators(locale: str) -> tuple[str, str]:
    """(decimal, group) separators of a locale."""
    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        loc = Locale.parse("en_US")
    return loc.number_symbols["latn"]["decimal"], loc.number_symbols["latn"]["group"]


def _decide_decimal_separator(body: str, decimal_hint: str | None) -> str | None:
    """Which of '.' / ',' is the decimal separator in ``body`` (digits and separators only)."""
    has_dot, has_comma = "." in body, "," in body
    if has_dot and has_comma:
        return "." if body.rfind(".") > body.rfind(",") else ","
    sep = "." if has_dot else "," if has_comma else None
    if sep is None:
        return None
    parts = body.split(sep)
    if len(parts) > 2:  # 1,234,567 or 1.234.567: grouping only
        return None
    tail = parts[1]
    if len(tail) != 3:  # 12.5, 12,50, 1.2345: decimal
        return sep
    # Exactly three digits after a single separator ("1,234" / "1.234") is ambiguous.
    if decimal_hint in {".", ","}:
        return sep if sep == decimal_hint else None
    return None if parts[0] not in {"", "0"} else sep  # "0,125" is a decimal; "1,234" is grouping


# The currencies a symbol can stand for (the dollar, yen and pound signs stand for several).
_SYMBOL_CURRENCIES = {
    "$": frozenset(["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS", "CLP", "COP", "UYU", "BSD", "BBD", "BZD", "BMD", "KYD", "FJD", "GYD", "JMD", "LRD", "NAD", "SBD", "SRD", "TTD", "XCD", "BND", "KID", "TVD", "ZWL"]),
    "€": frozenset({"EUR"}), "£": frozenset({"GBP", "GIP", "FKP", "SHP", "EGP", "SYP", "LBP", "SSP"}),
    "¥": frozenset({"JPY", "CNY"}), "₹": frozenset({"INR"}), "₽": frozenset({"RUB"}), "₩": frozenset({"KRW", "KPW"}),
    "₪": frozenset({"ILS"}), "₫": frozenset({"VND"}), "₴": frozenset({"UAH"}), "₦": frozenset({"NGN"}),
    "₱": frozenset({"PHP"}), "฿": frozenset({"THB"}), "₺": frozenset({"TRY"}), "₸": frozenset({"KZT"}),
    "₾": frozenset({"GEL"}), "₼": frozenset({"AZN"}),
}


def currencies_named_in(text: object) -> frozenset[str] | None:
    """The currencies an amount's text names ("€500" -> EUR, "500 CHF" -> CHF, "$5" -> the dollars), or
    None when it names none: lets a caller refuse "€500" for a USD account instead of reading 500 USD."""
    s = str(text or "").strip(_SPACES + "\t")
    found: set[str] = set()
    head = re.match(r"^([A-Za-z]{3})[\s." + re.escape(_SYMBOLS) + r"]*[-+(\d]", s.lstrip(_SYMBOLS + _SPACES + "-+("))
    tail = re.search(r"[\d)][\s.]*([A-Za-z]{3})$", s.rstrip(_SYMBOLS + _SPACES + ")"))
    for match in (head, tail):
        if match and match.group(1).upper() in _CURRENCIES:
            found.add(match.group(1).upper())
    for symbol, codes in _SYMBOL_CURRENCIES.items():
        if symbol in s:
            found |= codes if not found else (codes & found) or codes
    return frozenset(found) or None


def _strip_currency(s: str) -> str:
    """Remove a currency symbol or a known ISO code at either end ("$12", "12 €", "EUR 5")."""
    s = s.strip(_SYMBOLS + _SPACES + "\t")
    head = re.match(r"^([A-Za-z]{3})[\s.]*", s)
    if head and head.group(1).upper() in _CURRENCIES:
        s = s[head.end():]
    tail = re.search(r"[\s.]*([A-Za-z]{3})$", s)
    if tail and tail.group(1).upper() in _CURRENCIES and tail.start() > 0:
        s = s[: tail.start()]
    return s.strip(_SYMBOLS + _SPACES + "\t")


def _grouped_in_threes(integer: str) -> bool:
    """Whether the integer part's separators ('.' or ',') stand between well-formed digit groups:
    1-3 digits then groups of 3 (1,234,567), or the Indian 1-2 digits, pairs, then 3 (12,34,567).
    "12,34.5" or "1,2,3" are typing mistakes, never read as 1,234.5 or 123."""
    if "," not in integer and "." not in integer:
        return True
    first, *rest = re.split(r"[.,]", integer)
    if 1 <= len(first) <= 3 and all(len(g) == 3 for g in rest):
        return True
    return (len(rest) >= 2 and 1 <= len(first) <= 2 and len(rest[-1]) == 3
            and all(len(g) == 2 for g in rest[:-1]))


def parse_decimal(text: str, *, decimal_hint: str | None = None, field: str = "amount",
                  label: str | None = None) -> Decimal:
    """Parse human/bank amount text into a signed Decimal.

    Accepts "1,234.56", "1.234,56", "1 234,56", "11'373.94", "$1,036.47", "£1,183.23",
    "(12.00)" (negative), "+50,00", "-337,49", "12.50-" and "1.234,56 EUR".
    ``decimal_hint`` ('.' or ',') settles ambiguous "1,234"; without it three digits after
    a single separator are read as thousands grouping. Refusals name the field (:func:`field_words`).
    """
    words = field_words(field, label)
    if text is None or not str(text).strip():
        raise ValidationError(f"{words or 'The amount'} is empty.", field=field)
    raw = str(text).strip()
    s = raw
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = _strip_currency(s)
    for ch in _SPACES + "'’`":
        s = s.replace(ch, "")
    if s.endswith("-") and not s.startswith("-"):
        negative, s = not negative, s[:-1]
    elif s.endswith("+"):
        s = s[:-1]
    if s.startswith(("-", "−", "–")):
        negative, s = not negative, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    s = _strip_currency(s)
    if not s or not re.fullmatch(r"[0-9]*([.,][0-9]+)*[.,]?[0-9]*", s) or not re.search(r"[0-9]", s):
        raise ValidationError(f"{_named(words, quoted(raw))} is not a number.", field=field)
    sep = _decide_decimal_separator(s, decimal_hint)
    if not _grouped_in_threes(s if sep is None else s.rpartition(sep)[0]):
        raise ValidationError(
            f"{_named(words, quoted(raw))} is not a number: the digits between the thousands separators must come in groups "
            "of three (1,234,567.89), or the Indian 12,34,567.89.", field=field,
        )
    if sep is None:
        digits = s.replace(",", "").replace(".", "")
    else:
        other = "," if sep == "." else "."
        integer, _, fraction = s.rpartition(sep)
        if sep in integer:
            raise ValidationError(f"{_named(words, quoted(raw))} is not a number (two decimal separators).", field=field)
        digits = integer.replace(other, "") + "." + fraction
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise ValidationError(f"{_named(words, quoted(raw))} is not a number.", field=field) from None
    return -value if negative else value


def parse_positive_amount(
    text: str, currency: str, *, decimal_hint: str | None = None, field: str = "amount", label: str | None = None
) -> int:
    """Parse an amount a person typed into positive minor units, with clear refusals naming the field."""
    words = field_words(field, label)
    value = parse_decimal(text, decimal_hint=decimal_hint, field=field, label=label)
    if value == 0:
        raise ValidationError(f"{words or 'The amount'} must be more than zero.", field=field)
    if value < 0:
        raise ValidationError(
            f"{words or 'The amount'} must be positive: choose income or expense as the type instead of a minus sign.",
            field=field,
        )
    if value > MAX_AMOUNT:
        raise ValidationError(
            f"{_named(words, quoted(text))} is implausibly large (the limit is {MAX_AMOUNT:,} per transaction).",
            field=field,
        )
    return to_minor(value, currency, typed=text, field=field, label=label)
