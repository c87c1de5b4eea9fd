"""Shared display helpers for pages (no business rules). Formatting lives in budgetwise.ui.format;
its names are re-exported here for existing callers."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import format_money, from_minor
from budgetwise.principal import Principal
from budgetwise.ui.format import date_column_format, date_input_format, md, money  # noqa: F401 (the UI's one formatting module)


def show_error(exc: BudgetwiseError) -> None:
    """Show a service error next to the form that caused it (its message is a full sentence)."""
    st.error(exc.message)


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
