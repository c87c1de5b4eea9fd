"""Shared pieces of the admin sections: session-state keys, the pager, tables."""

from __future__ import annotations

import streamlit as st

from budgetwise.services import admin
from budgetwise.ui.format import md, plural

ISSUED = "adm_issued_code"  # the ResetCode just issued, shown until dismissed
CONFIRM = "adm_confirm"  # (action, user_id, email) waiting for a second click
TXN_FILTER = "adm_txn_filter"  # admin.OversightFilter
PAGE_SIZE = 25


def who(email: str) -> str:
    """Another user's address in the page's Markdown as inline code: exact, no mailto: link, no markup of its own
    ("**x**@example.com" and "$x$@example.com" are valid addresses; session 22, tidy22)."""
    return md(email, mailto=False)


def pager(key: str, page: admin.Page, noun: str, plural_form: str | None = None, *, locale: str = "en_US") -> None:
    """Previous / next buttons over a service Page; the page number lives in a non-widget key.
    ``noun`` is singular ("1 user", "2 users"; ``plural_form`` for "entry"/"entries"), the total in the admin's ``locale``."""
    left, middle, right = st.columns([1, 3, 1])
    if left.button("◀ Previous", key=f"{key}_prev", disabled=page.page <= 1):
        st.session_state[key] = page.page - 1
        st.rerun()
    middle.caption(f"Page {page.page} of {page.pages} · {plural(page.total, noun, plural_form, locale=locale)}")
    if right.button("Next ▶", key=f"{key}_next", disabled=page.page >= page.pages):
        st.session_state[key] = page.page + 1
        st.rerun()


def table(rows: list[dict], *, key: str, empty: str = "Nothing matches.") -> None:
    if rows:
        st.dataframe(rows, hide_index=True, key=key)
    else:
        st.caption(empty)
