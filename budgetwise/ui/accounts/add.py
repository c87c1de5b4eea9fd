"""Accounts: the "Add an account" form."""

from __future__ import annotations

import streamlit as st

from budgetwise.dates import today_in
from budgetwise.models import ACCOUNT_KINDS
from budgetwise.money import current_currency_codes
from budgetwise.principal import Principal
from budgetwise.services import accounts as A
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, amount_input, date_input_format, day
from budgetwise.ui.forms import form_key, reset_form


def account_fields(columns, key: str, currency: str, *, name_label: str = "Name",
                   kind: str | None = None) -> tuple[str, str, str]:
    """A new account's name, type and currency widgets in three ``columns`` (this form's and the Import
    page's "New account…"); the currency list offers ``currency`` first, the type list ``kind`` (the Import page:
    a card statement's, session 23, trial23c: its note said "with the type Credit card" and the box showed Checking)."""
    name_col, kind_col, currency_col = columns
    kinds = list(ACCOUNT_KINDS)
    name = name_col.text_input(name_label, placeholder="Visa card" if kind == "credit_card" else "Everyday checking",
                               key=f"{key}_name", max_chars=A.MAX_NAME)
    kind = kind_col.selectbox("Type", kinds, index=kinds.index(kind) if kind in kinds else 0,
                              format_func=lambda k: A.KIND_LABELS[k], key=f"{key}_kind")
    codes = current_currency_codes(include=currency)
    chosen = currency_col.selectbox("Currency", codes, index=codes.index(currency) if currency in codes else 0,
                                    key=f"{key}_currency")
    return name, str(kind), chosen


def render(principal: Principal, *, expanded: bool) -> None:
    cur = principal.currency
    nk = form_key("acct_new")
    with st.expander("Add an account", expanded=expanded, icon=":material/add:"):
        with st.form(nk):
            a1, a2 = st.columns(2)
            a3, a4, a5 = st.columns(3)
            name, kind, currency = account_fields((a1, a2, a3), nk, cur)
            opening = a4.text_input("Opening balance", placeholder=f"{amount_input(principal, 0)} (negative for a card or loan debt)",
                                    key=f"{nk}_opening")
            # every date it can show: one outside its own limits (today, and ten years back by default) is marked
            # invalid and never sent, so the account would be stored without a date and without a word; the service
            # refuses a date outside its limits instead
            first_day, last_day = A.opening_date_limits(today := today_in(st.context.timezone))  # the user's day
            opening_date = a5.date_input("Balance on", value=None, key=f"{nk}_opening_date",
                                         min_value=PICKER_MIN, max_value=PICKER_MAX,
                                         format=date_input_format(principal),
                                         help="The day the opening balance holds at its start; leave empty to count it "
                                              f"from the account's first transaction. From {day(principal, first_day)} to "
                                              f"today ({day(principal, last_day)}).")
            if st.form_submit_button("Add account", type="primary"):
                run_action(
                    lambda s: A.create_account(
                        s, user_id=principal.user_id, name=name, kind=kind, currency=currency,
                        opening_balance=opening, opening_date=opening_date, today=today,
                    ),
                    lambda created: f"Added the account “{created.name}”.",
                    then=lambda _created: reset_form("acct_new"),
                )
