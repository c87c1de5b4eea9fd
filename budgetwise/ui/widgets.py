"""Shared display helpers for pages (formatting only: no business rules)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import format_money, format_money_compact, from_minor
from budgetwise.principal import Principal


def money(principal: Principal, minor: int, currency: str | None = None, *, signed: bool = False) -> str:
    return format_money(int(minor), currency or principal.currency, principal.locale, signed=signed)


def date_input_format(principal: Principal) -> str:
    """The closest format st.date_input supports (it has no month names)."""
    fmt = date_column_format(principal).replace("MMM", "MM").replace(" ", "/")
    return fmt if fmt in {"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "DD/MM/YYYY"} else "YYYY-MM-DD"


def show_error(exc: BudgetwiseError) -> None:
    """Show a service error next to the form that caused it (its message is a full sentence)."""
    st.error(exc.message)


_MOMENT = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%b": "MMM"}


def date_column_format(principal: Principal) -> str:
    """The user's date format preference for st.column_config.DateColumn (moment.js tokens)."""
    out = principal.date_format
    for token, moment in _MOMENT.items():
        out = out.replace(token, moment)
    return out


def transactions_frame(principal: Principal, rows: Iterable) -> pd.DataFrame:
    """A display table of TransactionView rows; amounts as exact text, signed by direction."""
    records = [
        {
            "id": r.id,
            "Date": r.date,
            "Description": r.description,
            "Category": r.category_name or "—",
            "Type": r.kind.capitalize(),
            "Amount": format_money(r.signed_minor, r.currency, principal.locale),
            "Value": float(from_minor(r.signed_minor, r.currency)),  # for sorting/plots only
            "Currency": r.currency,
            "Account": r.account or "",
            "Source": r.source,
        }
        for r in rows
    ]
    columns = ["id", "Date", "Description", "Category", "Type", "Amount", "Value", "Currency", "Account", "Source"]
    return pd.DataFrame.from_records(records, columns=columns)


# How many characters of a money figure fit in one st.metric card at a 1400 px window,
# by the number of cards in the row (36 px figures; measured with the browser screenshots).
METRIC_CHARS = {1: 30, 2: 22, 3: 14, 4: 10, 5: 8}


def money_metric(
    container, label: str, principal: Principal, minor: int, currency: str | None = None, *, columns: int = 4,
    help: str | None = None, **kwargs,
) -> None:
    """A money figure in a metric card, shown whole: the exact amount when it fits, else a compact
    form ("NZ$203.9K") with the exact amount in the card's help (hover). Streamlit cuts a long
    value with "…" ("NZ$203,8…"), which shows a different number."""
    currency = currency or principal.currency
    full = format_money(int(minor), currency, principal.locale)
    shown = format_money_compact(int(minor), currency, principal.locale, max_chars=METRIC_CHARS.get(columns, 10))
    if shown != full:
        help = f"Exactly {full}." + (f" {help}" if help else "")
    container.metric(label, shown, help=help, border=True, **kwargs)


# Tables at a 1400 px window (sidebar open): the main column is about 940 px wide, minus the
# row-selection column. Left to size themselves, the columns ran past it and the last one was cut
# ("Ac…", "undone 2026-1…"); these widths (px) keep every column whole (tests/ui/test_table_widths.py).
TABLE_WIDTH = 900
TRANSACTION_WIDTHS = {"Date": 92, "Description": 230, "Category": 120, "Type": 72, "Amount": 105, "Currency": 68,
                      "Account": 110, "Source": 95}
BASE_AMOUNT_WIDTH = 105
IMPORT_HISTORY_WIDTHS = {"#": 40, "When (UTC)": 125, "File": 180, "Format": 62, "Read": 55, "Imported": 72,
                         "Duplicates": 82, "Rejected": 70, "Still there": 78, "Status": 135}


def column_widths(widths: dict[str, int]) -> dict[str, object]:
    """st.dataframe column_config entries fixing each column's width (px)."""
    return {name: st.column_config.Column(width=px) for name, px in widths.items()}


def transaction_widths(columns: Iterable[str], *, base_column: str | None = None) -> dict[str, int]:
    """Widths for the transactions table; with an "In <base currency>" column the Currency column
    gives way (the amount's own symbol already says "NZ$", "€") and the description narrows."""
    widths = {c: w for c, w in TRANSACTION_WIDTHS.items() if c in set(columns)}
    if base_column and base_column in set(columns):
        widths.pop("Currency", None)
        widths[base_column] = BASE_AMOUNT_WIDTH
        widths["Description"] = TRANSACTION_WIDTHS["Description"] - 40
    return widths


def kpi(label: str, value: str, delta: str | None = None, *, delta_color: str = "normal", help: str | None = None):
    st.metric(label, value, delta=delta, delta_color=delta_color, help=help, border=True)


_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"
# GFM autolink literals (remark-gfm, as bundled by Streamlit) are found in the *parsed* text,
# after backslash escapes are resolved, so escaping cannot stop them: "https\\://evil\\.example"
# is still a link. md() replaces the one character each web-link pattern needs with a visible
# look-alike (never an invisible character: those are stripped from user text, issue #13):
# "://" -> ":∕∕" (U+2215 division slash), "www." -> "www․" (U+2024 one dot leader).
# E-mail addresses are left as they are (the admin and profile pages show account addresses
# exactly, inside messages too); they may render as mailto: links, never as web links.
_SCHEME = re.compile(r"(?i)(https?):(//)")
_WWW = re.compile(r"(?i)(www)\.")


def _no_autolink(value: str) -> str:
    if "://" in value:
        value = _SCHEME.sub("\\1:\u2215\u2215", value)
    if "." in value:
        value = _WWW.sub("\\1\u2024", value)
    return value


def md(text: object) -> str:
    """Escape user text for st.markdown/captions so it shows literally: no markup injection and
    no web link (not even a bare URL or www. address)."""
    value = _no_autolink("" if text is None else str(text))
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in value)
