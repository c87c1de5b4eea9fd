"""Accounts: each account's balance and the total (net worth), month-end balances over time,
add, rename, archive / restore (issue #19)."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetwise.models import ACCOUNT_KINDS
from budgetwise.money import current_currency_codes, from_minor
from budgetwise.services import accounts as A
from budgetwise.services import auth
from budgetwise.services import transfers as T
from budgetwise.ui import read_session, require_user
from budgetwise.ui.actions import run_action, show_flash
from budgetwise.ui.charts import GRID, TRANSPARENT
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import md, money

principal = require_user()
cur = principal.currency


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def _overview(user_id: int, data_version: int, months: int):
    """Balances now and month-end history (keyed by user and data version: cleared by any write)."""
    with read_session() as s:
        return A.balances(s, user_id=user_id), A.balance_history(s, user_id=user_id, months=months)


st.title("Accounts")
st.caption("Your accounts, what is in each, and your net worth over time (in your base currency).")
show_flash()

with read_session() as s:
    version = auth.data_version(s, user_id=principal.user_id)
months = st.segmented_control("History", [6, 12, 24, 60], default=12, key="acct_months",
                              format_func=lambda m: f"{m} months") or 12
now, (history, history_missing) = _overview(principal.user_id, version, int(months))

# --------------------------------------------------------------------------- balances now
open_items = [b for b in now.accounts if not b.account.is_archived]
c1, c2 = st.columns(2)
c1.metric("Net worth", money(principal, now.total_minor, now.base_currency))
c2.metric("Open accounts", len(open_items))
for missing in now.missing_rates:
    st.warning(md(missing.describe(principal.locale)) + " Add the rate on the Profile page (exchange rates).")

if not now.accounts:
    st.info("No accounts yet. Add your first one below; transactions you add or import go to it.")
else:
    table = pd.DataFrame([
        {
            "Account": b.account.name,
            "Type": b.account.kind_label,
            "Balance": money(principal, b.balance_minor, b.account.currency),
            f"In {now.base_currency}": "— no rate" if b.base_minor is None else money(principal, b.base_minor, now.base_currency),
            "Transactions": b.transactions,
            "Status": "archived" if b.account.is_archived else "open",
        }
        for b in now.accounts
    ])
    st.dataframe(table, hide_index=True, width="stretch")

    # ----------------------------------------------------------------------- over time
    names = {b.account.id: b.account.name for b in now.accounts}
    frame = pd.DataFrame(
        [{"date": p.month_end, "account": names.get(p.account_id, str(p.account_id)),
          "value": None if p.base_minor is None else float(from_minor(p.base_minor, now.base_currency))}
         for p in history]
    )
    if not frame.empty:
        fig = go.Figure()
        total = frame.dropna().groupby("date", as_index=False)["value"].sum()
        fig.add_trace(go.Scatter(x=total["date"], y=total["value"], name="Net worth", mode="lines+markers",
                                 line={"width": 3}))
        for name, part in frame.groupby("account", sort=False):
            fig.add_trace(go.Scatter(x=part["date"], y=part["value"], name=name, mode="lines", line={"width": 1.5}))
        fig.update_layout(
            height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10}, paper_bgcolor=TRANSPARENT,
            plot_bgcolor=TRANSPARENT, yaxis={"title": now.base_currency, "gridcolor": GRID},
            legend={"orientation": "h"}, title="Month-end balances",
        )
        st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})
        if history_missing:
            st.caption("Months without an exchange rate for an account are left out of the net worth line.")

# --------------------------------------------------------------------------- transfers
if len(now.accounts) > 1:
    with read_session() as s:
        candidates = T.find_candidates(s, user_id=principal.user_id)
        confirmed = T.list_transfers(s, user_id=principal.user_id, limit=20)
    with st.expander(f"Transfers between your accounts ({len(candidates)} to check)", icon=":material/sync_alt:",
                     expanded=bool(candidates)):
        st.caption("Money out of one of your accounts and the same amount into another within a few days. "
                   "A confirmed transfer moves the balances but never counts as income or spending.")
        for c in candidates[:20]:
            t1, t2 = st.columns([4, 1])
            t1.markdown(
                f"{c.out_date:%Y-%m-%d} **{md(c.out_account)}** → {c.in_date:%Y-%m-%d} **{md(c.in_account)}**: "
                f"{money(principal, c.amount_minor, c.currency)} · _{md(c.out_description)}_ / _{md(c.in_description)}_"
            )
            if t2.button("It's a transfer", key=f"acct_tr_{c.out_transaction_id}_{c.in_transaction_id}"):
                run_action(
                    lambda s, c=c: T.confirm_transfer(s, user_id=principal.user_id,
                                                      out_transaction_id=c.out_transaction_id,
                                                      in_transaction_id=c.in_transaction_id),
                    f"Marked {money(principal, c.amount_minor, c.currency)} from {c.out_account} to "
                    f"{c.in_account} as a transfer.",
                )
        if not candidates:
            st.info("No unconfirmed transfers found.")
        for t in confirmed:
            u1, u2 = st.columns([4, 1])
            u1.caption(f"Confirmed: {t.date:%Y-%m-%d} {md(t.out_account)} → {md(t.in_account)}, "
                       f"{money(principal, t.amount_minor, t.currency)}")
            if u2.button("Undo", key=f"acct_tr_undo_{t.id}"):
                run_action(lambda s, t=t: T.undo_transfer(s, user_id=principal.user_id, transfer_id=t.id),
                           "The transfer was undone; both transactions have their previous categories again.")

# --------------------------------------------------------------------------- add
nk = form_key("acct_new")
with st.expander("Add an account", expanded=not now.accounts, icon=":material/add:"):
    with st.form(nk):
        a1, a2 = st.columns(2)
        name = a1.text_input("Name", placeholder="Everyday checking", key=f"{nk}_name", max_chars=A.MAX_NAME)
        kind = a2.selectbox("Type", ACCOUNT_KINDS, format_func=A.KIND_LABELS.get, key=f"{nk}_kind")
        a3, a4, a5 = st.columns(3)
        codes = current_currency_codes(include=cur)
        currency = a3.selectbox("Currency", codes, index=codes.index(cur) if cur in codes else 0, key=f"{nk}_currency")
        opening = a4.text_input("Opening balance", placeholder="0.00 (negative for a card or loan debt)",
                                key=f"{nk}_opening")
        opening_date = a5.date_input("Balance on", value=None, key=f"{nk}_opening_date",
                                     max_value=dt.date.today(),
                                     help="The day the opening balance holds at its start; leave empty to count all "
                                          "of the account's transactions.")
        if st.form_submit_button("Add account", type="primary"):
            run_action(
                lambda s: A.create_account(
                    s, user_id=principal.user_id, name=name, kind=kind, currency=currency,
                    opening_balance=opening, opening_date=opening_date,
                ),
                lambda created: f"Added the account “{created.name}”.",
                then=lambda _created: reset_form("acct_new"),
            )

# --------------------------------------------------------------------------- manage
if now.accounts:
    with st.expander("Rename, archive or restore", icon=":material/edit:"):
        by_id = {b.account.id: b.account for b in now.accounts}
        chosen = st.selectbox("Account", list(by_id), key="acct_manage",
                              format_func=lambda i: by_id[i].name + (" (archived)" if by_id[i].is_archived else ""))
        account = by_id[chosen]
        r1, r2 = st.columns([3, 1])
        new_name = r1.text_input("New name", value=account.name, key=f"acct_rename_{chosen}", max_chars=A.MAX_NAME)
        if r2.button("Rename", key=f"acct_rename_btn_{chosen}"):
            run_action(lambda s: A.rename_account(s, user_id=principal.user_id, account_id=chosen, name=new_name),
                       lambda renamed: f"Renamed “{account.name}” to “{renamed.name}”.")
        label = "Restore" if account.is_archived else "Archive"
        st.caption("An archived account keeps its transactions and its place in your net worth; new "
                   "transactions and imports cannot go to it.")
        if st.button(f"{label} “{account.name}”", key=f"acct_archive_{chosen}"):
            run_action(
                lambda s: A.archive_account(s, user_id=principal.user_id, account_id=chosen,
                                            archived=not account.is_archived),
                f"{'Restored' if account.is_archived else 'Archived'} “{account.name}”.",
            )
