"""The Transactions page's "Add a transaction" form."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.dates import today_in
from budgetwise.money import current_currency_codes
from budgetwise.principal import Principal
from budgetwise.services import accounts as accounts_service
from budgetwise.services import categories as categories_service
from budgetwise.services import transactions as tx
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import read_session
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, amount_example, date_input_format, md, money
from budgetwise.ui.format import day as day_text
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.transactions.common import ADD, PAGE, CategoryLabels


def render(principal: Principal, labels: CategoryLabels, earliest: dt.date, latest: dt.date) -> None:
    with read_session() as s:
        empty_account = tx.count_transactions(s, user_id=principal.user_id) == 0
        open_accounts = accounts_service.list_accounts(s, user_id=principal.user_id)
    default = accounts_service.default_of(open_accounts)  # listed first: the one chosen unless the user picks another
    account_names = {a.id: a.name for a in sorted(open_accounts, key=lambda a: default is None or a.id != default.id)}
    ak = form_key(ADD)  # new widgets after a successful add: a second press cannot store the same row again
    with st.expander("Add a transaction", icon=":material/add_circle:",
                     expanded=empty_account or st.session_state.get("tx_add_open", False)):
        kind = st.radio("Type", ["expense", "income"], horizontal=True, key=f"{ak}_kind", format_func=str.capitalize)
        with st.form(f"{ak}_form"):
            c1, c2, c3 = st.columns([1, 1, 1])
            # today by default (the browser's time zone). The picker accepts every date it can show: one
            # outside its own limits (year 2099) is marked invalid and never sent, so the default would be
            # stored in its place without a word; the service refuses it instead, naming its limits.
            day = c1.date_input("Date", value=today_in(st.context.timezone), min_value=PICKER_MIN,
                                max_value=PICKER_MAX, key=f"{ak}_date", format=date_input_format(principal),
                                help=f"From {day_text(principal, earliest)} to {day_text(principal, latest)}.")
            amount = c2.text_input("Amount", key=f"{ak}_amount", placeholder=amount_example(principal))
            codes = current_currency_codes(include=principal.currency)
            currency = c3.selectbox(
                "Currency", codes, index=codes.index(principal.currency) if principal.currency in codes else 0,
                key=f"{ak}_currency",
            )
            description = st.text_input("Description", key=f"{ak}_description", max_chars=tx.MAX_DESCRIPTION)
            # the default account first; a user without accounts gets "Main account" on the first add
            account_id = st.selectbox(
                "Account", list(account_names), format_func=lambda i: account_names[i], key=f"{ak}_account",
            ) if account_names else None
            options: list[int | str] = ["auto", *[c.id for c in categories_service.usable_for(labels.categories, kind)]]
            category = st.selectbox("Category", options, format_func=labels, key=f"{ak}_category")
            notes = st.text_area("Notes (optional)", key=f"{ak}_notes", height=68, max_chars=tx.MAX_NOTES)
            submitted = st.form_submit_button("Add transaction", type="primary")
        if not submitted:
            return

        def _added(_created) -> None:
            st.session_state["tx_add_open"] = False
            reset_form(ADD)  # a fresh, empty form after success
            st.session_state[PAGE] = 1

        st.session_state["tx_add_open"] = True  # kept open, as typed, after an error
        category_id = None if category in ("auto", None) else int(category)
        run_action(
            lambda s: tx.add_transaction(
                s, user_id=principal.user_id, date=day, amount=amount, kind=kind, description=description,
                category_id=category_id, currency=currency, notes=notes,
                account_id=account_id,
            ),
            then=_added,
            toast=lambda created: f"Added {money(principal, created.signed_minor, created.currency, signed=True)} on "
                                  f"{day_text(principal, created.date)} ({md(created.description)})",
            icon="✅",
        )
