"""Accounts: set an account's balance on a day, as the bank shows it (``services.account_balance``; session 23)."""

from __future__ import annotations

import streamlit as st

from budgetwise.dates import today_in
from budgetwise.principal import Principal
from budgetwise.services import account_balance as AB
from budgetwise.services import accounts as A
from budgetwise.services.card_credit import cards_in_credit
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import PICKER_MIN, date_input_format, day, md, money
from budgetwise.ui.forms import form_key, reset_form


def _said(principal: Principal, done: AB.BalanceSet) -> str:
    """What the change did, in Markdown (the account's name escaped)."""
    acct = done.account
    opening = money(principal, acct.opening_balance_minor, acct.currency)
    since = f" from {day(principal, acct.opening_date)}" if acct.opening_date is not None else ""
    return (f"“{md(acct.name)}” now holds {money(principal, done.balance_minor, acct.currency)} at the end of "
            f"{day(principal, done.day)}: its opening balance is {opening}{since} (it was "
            f"{money(principal, done.previous_opening_minor, acct.currency)}).")


def render(principal: Principal, now: A.Balances) -> None:
    open_balances = [b for b in now.accounts if not b.account.is_archived]
    if not open_balances:
        return
    with st.expander("Set a balance to match your bank", icon=":material/balance:"):
        st.caption("Type what your bank shows for an account on a day: BudgetWise sets the account's opening "
                   "balance so that its balance matches on that day. Your transactions are not changed.")
        by_id = {b.account.id: b for b in open_balances}
        in_credit = cards_in_credit(now)  # the card the note above names comes first (session 29)
        first = list(by_id).index(in_credit[0].account.id) if in_credit else 0
        chosen = st.selectbox("Account", list(by_id), key="acct_balance_account", index=first,
                              format_func=lambda i: f"{by_id[i].account.name} ({by_id[i].account.currency})")
        current = by_id[chosen]
        opening = money(principal, current.account.opening_balance_minor, current.account.currency)
        confirmed = current.account.balance_confirmed_on
        st.caption(f"Now: {md(money(principal, current.balance_minor, current.account.currency))} today, "
                   f"from an opening balance of {md(opening)}."
                   + (f" Last set to match your bank on {day(principal, confirmed)}: the Cash flow page counts its "
                      "balance as known from then." if confirmed else ""))
        nk = form_key(f"acct_balance_{chosen}")
        with st.form(nk):
            c1, c2 = st.columns(2)
            amount = c1.text_input(f"Balance ({md(current.account.currency)})", key=f"{nk}_amount",
                                   placeholder="as your bank shows it (negative for a debt)")
            today = today_in(st.context.timezone)  # the user's day
            on = c2.date_input("On", value=today, key=f"{nk}_day", min_value=PICKER_MIN, max_value=today,
                               format=date_input_format(principal),
                               help="The balance at the end of this day, after its transactions.")
            if st.form_submit_button("Set the balance", type="primary"):
                run_action(
                    lambda s: AB.set_balance_on(s, principal=principal, account_id=chosen, amount=amount, day=on,
                                                today=today),
                    lambda done: _said(principal, done), markdown=True,
                    then=lambda _done: reset_form(f"acct_balance_{chosen}"),
                )
