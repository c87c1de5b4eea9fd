"""Shared display helpers for pages (formatting only: no business rules)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import format_money, from_minor
from budgetwise.principal import Principal


def money(principal: Principal, minor: int, currency: str | None = None, *, signed: bool = False) -> str:
    return format_money(int(minor), currency or principal.currency, principal.locale, signed=signed)


def date_input_format(principal: Principal) -> str:
    """The closest format st.date_input supports (it has no month names)."""
    fmt = date_column_format(principal).replace("MMM", "MM").replace(" ", "/")
    return fmt if fmt in {"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"} else "YYYY-MM-DD"


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


def kpi(label: str, value: str, delta: str | None = None, *, delta_color: str = "normal", help: str | None = None):
    st.metric(label, value, delta=delta, delta_color=delta_color, help=help, border=True)


_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def md(text: object) -> str:
    """Escape user text for st.markdown/captions so it shows literally (no markup injection)."""
    value = "" if text is None else str(text)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in value)
