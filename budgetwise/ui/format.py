"""The UI's one formatting vocabulary (issue #15): money, plurals, dates and safe markdown.

Pages format with these instead of per-page ``_money`` wrappers. Formatting only: amounts are
exact integer minor units formatted by :func:`budgetwise.money.format_money` in the user's locale.
No Streamlit calls, so everything here is testable without a running page.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from budgetwise.dates import day_text, month_short_text, month_text
from budgetwise.money import babel_number, format_money, from_minor, locale_separators, minor_digits
from budgetwise.principal import Principal
from budgetwise.ratios import percent_text
from budgetwise.text import count_number, plural, plural_word  # noqa: F401 - plurals re-exported for the pages

_MOMENT = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%b": "MMM"}


def money(principal: Principal, minor: int, currency: str | None = None, *, signed: bool = False) -> str:
    """``minor`` units of ``currency`` (default: the user's) in the user's locale."""
    return format_money(int(minor), currency or principal.currency, principal.locale, signed=signed)


def money_estimate(principal: Principal, value: float, currency: str | None = None) -> str:
    """A statistical estimate in major units (a forecast's float), rounded to the currency's
    minor unit and formatted like :func:`money`. Never for stored amounts (those are exact)."""
    return estimate_text(value, currency or principal.currency, principal.locale)


def estimate_text(value: float, currency: str, locale: str) -> str:
    """:func:`money_estimate` for a currency and locale (a chart builder's hover text has no principal)."""
    return format_money(int(round(float(value) * 10 ** minor_digits(currency))), currency, locale)


def decimal_separator(principal: Principal) -> str:
    """The signed-in user's decimal separator: what :func:`amount_input` writes and the ``decimal_hint``
    services read typed amounts with ("1.250" is 1.25 in en_US, 1250 in de_DE); the page-side twin of
    ``profile.user_decimal_separator``, read from the principal instead of the database."""
    return locale_separators(principal.locale)[0]


def amount_input(principal: Principal, minor: int, currency: str | None = None) -> str:
    """An amount as the text of an input the user edits: plain digits, no grouping, with the
    decimal separator of the user's locale ("1234,50" in de_DE, "1234.50" in en_US); services read
    it back with that separator as their ``decimal_hint``."""
    text = format(from_minor(int(minor), currency or principal.currency), "f")
    return text.replace(".", decimal_separator(principal))


def amount_example(principal: Principal) -> str:
    """The placeholder of a typed-amount field, written as the user writes numbers ("e.g. 12,50 or
    1.234,56" in de_DE): the services read the typing with :func:`decimal_separator`."""
    decimal, group = locale_separators(principal.locale)
    return f"e.g. 12{decimal}50 or 1{group}234{decimal}56"


def count_text(principal: Principal, n: int) -> str:
    """A count in the user's locale ("2,286" in en_US, "2.286" in de_DE)."""
    return count_number(n, principal.locale)


def money_or_dash(principal: Principal, minor: int | None, currency: str | None = None) -> str:
    """Like :func:`money`, with "—" for a missing amount."""
    return "—" if minor is None else money(principal, minor, currency)


def percent(principal: Principal, value: float, *, digits: int = 0, signed: bool = False) -> str:
    """``value`` percent in the user's locale ("25%" / "12.5%" in en_US, "25 %" / "12,5 %" in de_DE), by
    :func:`budgetwise.ratios.percent_text`, the one percent formatter."""
    return percent_text(value, principal.locale, digits=digits, signed=signed)


def rate_text(principal: Principal, rate: float | None) -> str:
    """A savings rate to one decimal ("12.5%" / "12,5 %"), "—" when there is none, and "< −100%" below
    -100% (a month with almost no income gives rates like -12,522%): cards and tables alike."""
    if rate is None or not math.isfinite(float(rate)):
        return "—"
    if rate < -100:
        return "< " + percent(principal, -100).replace("-", "−", 1)
    return percent(principal, rate, digits=1)


def points(principal: Principal, change: float, *, digits: int = 1, words: bool = False) -> str:
    """A signed change in percentage points to ``digits`` decimals, in the user's locale ("+2.5 pp",
    "-2,5 pp"); ``words``: "+69 points" / "+1 point" (a card's delta, where "pp" reads as jargon; "+69%"
    there read as a relative change: browser QA, session 13)."""
    value = round(float(change), digits)
    text = babel_number(value, principal.locale, format="#,##0" + ("." + "0" * digits if digits > 0 else ""))
    unit = (" point" if abs(value) == 1 else " points") if words else " pp"
    return ("+" if value > 0 else "") + text + unit


def percent_column_format(principal: Principal) -> str:
    """The printf-style format of a whole-percent table column (st.column_config.ProgressColumn /
    NumberColumn) that reads like :func:`percent`: "%d%%" in en_US, "%d\u00a0%%" in de_DE."""
    return percent(principal, 7).replace("%", "%%").replace("7", "%d")



def when(value: dt.datetime | None) -> str:
    """A timestamp to the minute (as stored, UTC), "—" when missing."""
    return "—" if value is None else f"{value:%Y-%m-%d %H:%M}"


# A date in a displayed sentence never breaks across lines (session 18: "2026-" at the end of a line and "12-06" on
# the next, in wrapped st.info / st.warning / caption texts: Chromium breaks after a hyphen between digits, and at
# the spaces of "06 Dec 2026"). In displayed text only: U+2011 NON-BREAKING HYPHEN and U+00A0 NO-BREAK SPACE, both
# in Source Sans, Streamlit's font (checked in Chromium: same glyph and width as "-"). The one formatter,
# budgetwise.dates.day_text, stays plain for services, the CLI, CSV and PDF exports and table cells; service text
# reaches the page through md(), show_error and the flash queue, which apply :func:`unbroken_dates`.
NB_HYPHEN, NB_SPACE = "\u2011", "\u00a0"
# A date inside a word is part of a name, not a date of the sentence: a file name is shown as written (session 26,
# trial26: "checking_5678_2009‑04‑02_2025‑01‑16.ofx" carried U+2011 hyphens, so copying it gave another name). Not
# after a letter, digit, "_", ".", "/" or "-"; not before one, nor before "_" / "." and a letter (perhaps escaped by
# md: "\_", "\."). A sentence's own full stop or comma after a date still lets it be unbroken.
_WORD_BEFORE, _WORD_AFTER = r"(?<![\w.\-/\u2011])", r"(?![\w\-\u2011]|\\?[._/]\w)"
_ISO_DAY = re.compile(_WORD_BEFORE + r"(\d{4})-(\d{2})-(\d{2})" + _WORD_AFTER)
# the user's "%d-%m-%Y" (profile.DATE_FORMATS, session 26) as service text writes it: "31-12-2025"
_DMY_DAY = re.compile(_WORD_BEFORE + r"(\d{2})-(\d{2})-(\d{4})" + _WORD_AFTER)
# a name quoted as names.quoted quotes it (“checking 2025-01-16.ofx”) is shown as written, dates and all
_QUOTED = re.compile(r"(“[^”]*”)")
# the user's "%d %b %Y" (profile.DATE_FORMATS) as service text writes it (day_text): "06 Dec 2026", "06 Dez. 2026",
# "06 sept. 2026", "06 12月 2026" (a month's abbreviation in every offered locale: 1 to 6 letters, perhaps after
# the month's number, perhaps a dot). Session 19: these broke at their spaces in wrapped messages; the other formats
# ("06/12/2026", "06.12.2026") have no place to break. A look-alike ("3 new 2025") merely keeps its line together.
_NAMED_DAY = re.compile(r"(?<![\w.\-/\u2011])(\d{1,2}) (\d{0,2}[^\W\d_]{1,6}\.?) (\d{4})(?!\d)")


def unbroken_dates(text: str) -> str:
    """``text`` (displayed, never exported) with its dates unbreakable: ISO dates ("2026-12-06") and "06-12-2026"
    with non-breaking hyphens, "06 Dec 2026" with no-break spaces (:func:`day` writes a date the page formats itself so).
    A date inside a word or a quoted name (a file's name) is left as written."""
    if "“" in text:  # names quoted inside stay as written; the sentence around them is unbroken
        return "".join(part if i % 2 else _unbroken(part) for i, part in enumerate(_QUOTED.split(text)))
    return _unbroken(text)


def _unbroken(text: str) -> str:
    if "-" in text:
        text = _ISO_DAY.sub(f"\\1{NB_HYPHEN}\\2{NB_HYPHEN}\\3", text)
        text = _DMY_DAY.sub(f"\\1{NB_HYPHEN}\\2{NB_HYPHEN}\\3", text)
    if " " in text:
        text = _NAMED_DAY.sub(f"\\1{NB_SPACE}\\2{NB_SPACE}\\3", text)
    return text


def day(principal: Principal, value: dt.date) -> str:
    """A date in a displayed sentence, in the user's date format (:func:`budgetwise.dates.day_text`), that a
    line never breaks ("2026‑12‑06", "06 Dec 2026" with non-breaking hyphens and spaces)."""
    return day_text(value, principal.date_format, principal.locale).replace("-", NB_HYPHEN).replace(" ", NB_SPACE)


def day_time(principal: Principal, value: dt.datetime) -> str:
    """A stored UTC moment in a sentence: the day in the user's date format (:func:`day`), then the time and
    "UTC" ("05/12/2026 20:36 UTC"). Tables keep :func:`when` (sortable, under a "(UTC)" heading)."""
    return f"{day(principal, value.date())} {value:%H:%M} UTC"


def month_label(principal: Principal, value: dt.date) -> str:
    """A month and year in the user's locale ("December 2026", "Dezember 2026")."""
    return month_text(value, principal.locale)


def month_short_label(principal: Principal, value: dt.date) -> str:
    """A month and year, abbreviated in the user's locale, for a table's period column ("Dec 2026", "Dez. 2026":
    ``widgets.TABLE_FIT_PHONE``)."""
    return month_short_text(value, principal.locale)


def _moment(date_format: str) -> str:
    out = date_format
    for token, moment in _MOMENT.items():
        out = out.replace(token, moment)
    return out


def date_column_format(principal: Principal) -> str:
    """The user's date format for st.column_config.DateColumn (moment.js tokens). A DateColumn writes
    English month names only, so where the locale names months otherwise (:func:`date_column_is_exact`)
    it is the same order with month numbers and the locale's date separator: "DD.MM.YYYY" for "%d %b %Y"
    in de_DE, "DD/MM/YYYY" in fr_FR: never "01 Aug 2027" for a German reader."""
    if date_column_is_exact(principal):
        return _moment(principal.date_format)
    order = [token for _, token in sorted((principal.date_format.find(t), m) for t, m in
                                          (("%d", "DD"), ("%m", "MM"), ("%b", "MM"), ("%Y", "YYYY"))
                                          if t in principal.date_format)]
    return _date_separator(principal.locale).join(order)


def _date_separator(locale: str) -> str:
    """The separator of the locale's short numeric date (CLDR: "." in de_DE, "/" in fr_FR, "-" in nl_NL)."""
    from babel.core import UnknownLocaleError
    from babel.dates import get_date_format

    try:
        pattern = get_date_format("short", locale=locale).pattern
    except (UnknownLocaleError, ValueError, TypeError):
        return "/"
    found = re.search(r"[dMy]+([^dMy']+)[dMy]", pattern)
    return (found.group(1).strip() or "/") if found else "/"


def date_column_is_exact(principal: Principal) -> bool:
    """Whether st.column_config.DateColumn writes the user's date format: it does for numeric formats, but
    its month names are always English ("01 Aug 2027"), so not for "%b" in a locale with other names."""
    if "%b" not in principal.date_format:
        return True
    sample = dt.date(2000, 8, 1)
    return day_text(sample, "%b", principal.locale) == sample.strftime("%b")


def date_cells(principal: Principal, values) -> list:
    """A table's date column: the dates themselves (sortable, shown by :func:`date_column`) where a
    DateColumn writes the user's format, else each as :func:`day` writes it ("01 Aug. 2027")."""
    if date_column_is_exact(principal):
        return list(values)
    # plain text: a cell does not wrap, and the table's own CSV download copies it
    return [None if v is None or v != v else day_text(v, principal.date_format, principal.locale) for v in values]


def date_column(principal: Principal, label: str | None = None, **kwargs):
    """The column config for :func:`date_cells`: a DateColumn in the user's format, or text."""
    import streamlit as st  # the config objects only; this module makes no Streamlit calls

    if date_column_is_exact(principal):
        return st.column_config.DateColumn(label, format=date_column_format(principal), **kwargs)
    return st.column_config.TextColumn(label, **kwargs)


def moment_cells(principal: Principal, values) -> list:
    """A table's column of stored UTC moments (under a "(UTC)" heading): the moments themselves (sortable, shown by
    :func:`moment_column` in the user's date format and the time) where a DatetimeColumn writes that format, else
    each as :func:`budgetwise.dates.day_text` writes the day, then the time ("01 Aug. 2027 20:36")."""
    if date_column_is_exact(principal):
        return list(values)
    return [None if v is None else moment_text(principal, v) for v in values]


def moment_text(principal: Principal, value: dt.datetime) -> str:
    """One such cell as the table shows it (its width is that of this text): the user's date, then "HH:MM"."""
    return f"{day_text(value.date(), principal.date_format, principal.locale)} {value:%H:%M}"


def moment_column(principal: Principal, label: str | None = None, **kwargs):
    """The column config for :func:`moment_cells`: a DatetimeColumn in the user's date format and "HH:mm" (UTC), or
    text."""
    import streamlit as st  # the config objects only; this module makes no Streamlit calls

    if date_column_is_exact(principal):
        return st.column_config.DatetimeColumn(label, format=f"{date_column_format(principal)} HH:mm", timezone="UTC",
                                               **kwargs)
    return st.column_config.TextColumn(label, **kwargs)


def exchange_rate(principal: Principal, rate) -> str:
    """A stored exchange rate's number as the locale writes numbers, every stored digit kept ("0,9" in
    de_DE, "1,234.5" in en_US): the page's "1 USD = 0,9 EUR"."""
    from decimal import Decimal

    value = Decimal(str(rate))
    digits = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_number(value, principal.locale, format=pattern, decimal_quantization=False)


# The widest span st.date_input can show. A picker given the service's limits instead keeps its
# previous value when a date outside them is typed (shown in red, never sent), so a mistyped year
# would silently store the old or default date; with this span the typed date reaches the service,
# which refuses it with its own message (dates.transaction_date_limits).
PICKER_MIN, PICKER_MAX = dt.date(1, 1, 1), dt.date(9999, 12, 31)


def date_input_format(principal: Principal) -> str:
    """The closest format st.date_input supports (it has no month names)."""
    supported = {"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "DD-MM-YYYY"}
    for fmt in (date_column_format(principal), _moment(principal.date_format).replace("MMM", "MM").replace(" ", "/")):
        if fmt in supported:
            return fmt
    return "YYYY-MM-DD"


_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:&"  # "&": an entity in user text ("&lt;") shows as typed
# GFM autolink literals (remark-gfm, as bundled by Streamlit) are found in the *parsed* text,
# after backslash escapes are resolved, so escaping cannot stop them: "https\\://evil\\.example"
# is still a link. md() replaces the one character each web-link pattern needs with a visible
# look-alike (never an invisible character: those are stripped from user text, issue #13):
# "://" -> ":∕∕" (U+2215 division slash), "www." -> "www․" (U+2024 one dot leader).
# E-mail addresses are left as they are (the admin and profile pages show account addresses
# exactly, inside messages too); they may render as mailto: links, never as web links, unless
# md(..., mailto=False): each address (remark-gfm's e-mail pattern) becomes an inline code span,
# shown exactly (copyable, typeable into "confirm") and never a link.
_SCHEME = re.compile(r"(?i)(https?):(//)")
_WWW = re.compile(r"(?i)(www)\.")
_EMAIL = re.compile(r"([-.\w+]+@[-\w]+(?:\.[-\w]+)+)")  # no backtick can be in it: one fence suffices


def _no_autolink(value: str) -> str:
    if "://" in value:
        value = _SCHEME.sub("\\1:\u2215\u2215", value)
    if "." in value:
        value = _WWW.sub("\\1\u2024", value)
    return value


# What can form inside one sentence (session 22: sec22's md_message, widened by names22 to bold, italics, code,
# strikethrough, emoji and icon codes, entities): escaped wherever it stands. A line-start block marker ("# ",
# "> ", "- ", "1. ") is escaped where the sentence starts; periods, hyphens, parentheses and colons before a
# space stay as written (a message reads the same in a log or a test as on the page).
_MESSAGE_SPECIAL = "\\`*_[]<>$~&"
_MESSAGE_CODE = re.compile(r":(?=[\w/+-])")  # ":smile:", ":material/x:" (not "Line 7: …")
_MESSAGE_START = re.compile(r"^(\s*)([#>+=|-]|\d+(?=[.)]))")
# Markdown's backslash escapes (a backslash before ASCII punctuation shows that character): what st.error showed of a
# message before md_message. Messages quote text with repr(), which doubles a backslash (an account "C:\d" is quoted
# 'C:\\d') and escapes a quote; escaped as written, those backslashes showed (review22, seen in Chromium).
# Only repr's own escapes are read back (a doubled backslash, an escaped quote): a name quoted as typed
# (names.quoted) keeps a backslash before other punctuation ("a\\*b" was shown "a*b": review22b, Chromium).
_MD_BACKSLASH_ESCAPE = re.compile(r"\\([\\'\"])")


def md_message(text: object) -> str:
    """A sentence for st.error/st.info that may quote what the user typed (a name, a file, a cell, an address),
    shown as typed: no bold, italics, code, strikethrough, link, image, colour, emoji or icon code, entity, HTML or
    math forms from it; an e-mail address as inline code (never a link), web addresses never links. The one
    escape of :func:`budgetwise.ui.widgets.show_error`; lighter than :func:`md` (below)."""
    value = "" if text is None else str(text)
    return _sentence(_MD_BACKSLASH_ESCAPE.sub(r"\1", value))


def _sentence(value: str) -> str:
    """:func:`md_message` after Markdown's own backslash escapes are read (once)."""
    parts = _EMAIL.split(value)
    if len(parts) > 1:
        return "".join(f"`{part}`" if i % 2 else _sentence(part) for i, part in enumerate(parts) if part)
    value = unbroken_dates(_no_autolink(value))
    value = "".join("\\" + ch if ch in _MESSAGE_SPECIAL else ch for ch in value)
    value = _MESSAGE_CODE.sub("\\:", value)
    # "# x" -> "\\# x"; "1. x" -> "1\\. x"
    return _MESSAGE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)),
                              value)


def md(text: object, *, mailto: bool = True) -> str:
    """Escape user text for st.markdown/captions so it shows literally: no markup injection and
    no web link (not even a bare URL or www. address); ``mailto=False``: no e-mail link either
    (each address as inline code)."""
    value = "" if text is None else str(text)
    if not mailto:
        return "".join(f"`{part}`" if i % 2 else md(part) for i, part in enumerate(_EMAIL.split(value)) if part)
    value = unbroken_dates(_no_autolink(value))
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in value)
