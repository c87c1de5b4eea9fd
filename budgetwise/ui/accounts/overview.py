"""Accounts: balances now (net worth, the table) and month-end balances over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetwise.money import from_minor
from budgetwise.principal import Principal
from budgetwise.services import accounts as A
from budgetwise.ui.charts import GRID, TRANSPARENT, date_axis, flat_range, plotly_config, plotly_separators
from budgetwise.ui.context import read_session
from budgetwise.ui.widgets import md, money


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def cached_overview(user_id: int, data_version: str, months: int):
    """Balances now and month-end history (keyed by user and data version, ``auth.cache_version``:
    cleared by any write)."""
    with read_session() as s:
        return A.balances(s, user_id=user_id), A.balance_history(s, user_id=user_id, months=months)


def render(principal: Principal, now: A.Balances, history, history_missing) -> None:
    open_items = [b for b in now.accounts if not b.account.is_archived]
    c1, c2 = st.columns(2)
    c1.metric("Net worth", money(principal, now.total_minor, now.base_currency), border=True)
    c2.metric("Open accounts", len(open_items), border=True)
    for missing in now.missing_rates:
        st.warning(md(missing.describe(principal.locale, principal.date_format)) + " Add the rate on the Profile page (exchange rates).")

    if not now.accounts:
        st.info("No accounts yet. Add your first one below; transactions you add or import go to it.")
        return
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
    _over_time(principal, now, history, history_missing)


def _over_time(principal: Principal, now: A.Balances, history, history_missing) -> None:
    names = {b.account.id: b.account.name for b in now.accounts}
    frame = pd.DataFrame(
        [{"date": p.month_end, "account": names.get(p.account_id, str(p.account_id)),
          "value": None if p.base_minor is None else float(from_minor(p.base_minor, now.base_currency))}
         for p in history if p.started]  # not the months before an account started: no line at 0 there
    )
    if frame.empty:
        return
    total = frame.dropna().groupby("date", as_index=False)["value"].sum()
    if len(total) < 2:  # one month-end: a lone dot on an axis of hours (a new user, QA session 13)
        st.caption("Month-end balances over time show here from your accounts' second month on.")
        return
    fig = go.Figure()
    accounts_shown = frame["account"].unique()
    # one account: its line is the net worth line exactly (two lines drawn on top of each other, QA), so one
    # line, named for both
    net_name = f"Net worth = {accounts_shown[0]}" if len(accounts_shown) == 1 else "Net worth"
    fig.add_trace(go.Scatter(x=total["date"], y=total["value"], name=net_name, mode="lines+markers",
                             line={"width": 3}, showlegend=True))
    for name, part in frame.groupby("account", sort=False) if len(accounts_shown) > 1 else ():
        # an account with one month-end (added this month) is a dot: a line of one point is not drawn
        fig.add_trace(go.Scatter(x=part["date"], y=part["value"], name=name, mode="lines" if len(part) > 1 else "markers",
                                 line={"width": 1.5}))
    fig.update_layout(
        height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10}, paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT, separators=plotly_separators(principal.locale),
        yaxis={"title": now.base_currency, "gridcolor": GRID, "tickformat": ",.0f",
               "range": flat_range([*total["value"], *frame["value"]])},  # None: Plotly's own
        legend={"orientation": "h"}, title="Month-end balances",
    )
    date_axis(fig, principal.locale, principal.date_format)
    st.plotly_chart(fig, width="stretch", config=plotly_config(principal.locale))
    if history_missing:
        st.caption("Months without an exchange rate for an account are left out of the net worth line.")
