"""Accounts: balances now (net worth, the table) and month-end balances over time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import accounts as A
from budgetwise.services.balance_window import BalanceWindow, balance_window
from budgetwise.services.card_credit import cards_in_credit
from budgetwise.text import and_list
from budgetwise.ui import plan_charts
from budgetwise.ui.charts import plotly_config
from budgetwise.ui.context import read_session
from budgetwise.ui.currency import missing_rates_warning
from budgetwise.ui.reporting import Loader
from budgetwise.ui.widgets import md, metric_row, money, money_metric


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def cached_overview(user_id: int, data_version: str, months: int, today: dt.date | None = None):
    """Balances now, month-end history up to where the data ends (:mod:`budgetwise.services.balance_window`) and
    that window (keyed by user and data version, ``auth.cache_version``: cleared by any write; and by the day)."""
    today = today or dt.date.today()
    with read_session() as s:
        window = balance_window(s, user_id=user_id, today=today)
        return (A.balances(s, user_id=user_id, as_of=today),
                A.balance_history(s, user_id=user_id, months=months, today=window.end), window)


def render(principal: Principal, data: Loader, now: A.Balances, history, history_missing,
           window: BalanceWindow | None = None) -> None:
    open_items = [b for b in now.accounts if not b.account.is_archived]
    figures = [money(principal, now.total_minor, now.base_currency), str(len(open_items))]
    c1, c2 = metric_row(2, figures)
    money_metric(c1, "Net worth", figures[0])
    c2.metric("Open accounts", figures[1], border=True)
    # one warning listing every currency without a rate, with the link to the rates (session 25: a new user with
    # accounts in five currencies read five boxes, each ending "Add the rate on the Profile page", and no link)
    missing_rates_warning(principal, now.missing_rates, what="your net worth")

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
    card_credit_note(principal, now)
    _default_caption(now)
    _over_time(principal, data, now, history, history_missing, window)


def card_credit_note(principal: Principal, now: A.Balances) -> None:
    """A credit card in credit (``card_credit.cards_in_credit``) probably lacks its opening balance: said, with where
    to set it; its credit is not left out silently nor changed (session 29, trial29)."""
    cards = cards_in_credit(now)
    if not cards:
        return
    named = and_list(f"“{md(b.account.name)}” ({money(principal, b.balance_minor, b.account.currency)})" for b in cards)
    one = len(cards) == 1
    st.warning(f"{named} {'is' if one else 'are'} in credit, though a credit card's balance is usually what you owe. "
               f"Your imported history probably starts after the {'card' if one else 'cards'} already had a balance, "
               f"so {'its opening balance is' if one else 'their opening balances are'} missing, and your net worth "
               f"counts this credit as money you have. Type what your bank shows under “Set a balance to match your "
               "bank” below: nothing is changed until you do.",
               icon=":material/credit_card:")


def _default_caption(now: A.Balances) -> None:
    """Which account is the default, and when an added account becomes it (session 24: a EUR card added first became a
    USD user's default without a word, and later files without an account went to the card)."""
    default = A.default_of([b.account for b in now.accounts])
    if default is None:
        return
    said = (f"Your default account is “{md(default.name)}” ({default.kind_label.lower()}, {default.currency}): "
            "transactions you add, and files you import, without choosing an account go to it.")
    starter = next(b for b in now.accounts if b.account.id == default.id)
    if default.name == A.DEFAULT_ACCOUNT_NAME and not starter.transactions and not default.opening_balance_minor:
        said += (f" An account you add takes the place of this empty starter account, and becomes the default, only "
                 f"as a checking account in {default.currency}; a card or an account in another currency is added "
                 "beside it.")
    if sum(not b.account.is_archived for b in now.accounts) > 1:
        said += " Make another account the default under “Rename, change type, make default, archive or restore”."
    st.caption(said)


def _over_time(principal: Principal, data: Loader, now: A.Balances, history, history_missing,
               window: BalanceWindow | None) -> None:
    names = {b.account.id: b.account.name for b in now.accounts}
    frame = pd.DataFrame(
        [{"date": p.month_end, "account": names.get(p.account_id, str(p.account_id)), "minor": p.base_minor}
         for p in history if p.started],  # not the months before an account started: no line at 0 there
        columns=["date", "account", "minor"],
    )
    early = window is not None and window.ends_early  # no flat lines of carried-forward balances up to today
    says = window.known.says(principal.date_format, principal.locale) if early and window is not None else ""
    if frame.empty:
        return
    if frame.dropna(subset=["minor"])["date"].nunique() < 2:  # one month-end: a lone dot on an axis of hours (QA 13)
        st.caption(f"{md(says)}: nothing since then is known, so there are no month-end balances to draw up to today. "
                   "The table above shows your balances today; set today's balance below (“Set a balance to match your "
                   "bank”), or import your transactions, to bring them up to date." if says else
                   "Month-end balances over time show here from your accounts' second month on.")
        return
    st.markdown("**Month-end balances**")
    # built once per user, data version, history length and formats (Loader.chart), not on every widget click
    fig = data.chart(plan_charts.balance_history, frame=frame, currency=now.base_currency, locale=principal.locale,
                     date_format=principal.date_format)
    st.plotly_chart(fig, width="stretch", config=plotly_config(principal.locale))
    if says:  # the last known day (balance_known.last_known: a transaction, a confirmed balance or an opening date)
        st.caption(f"{md(says)}: the chart ends there, with your last data. The table above shows your balances today.")
    _, others = plan_charts.account_lines(frame)
    if others:
        st.caption(f"The chart draws your {plan_charts.ACCOUNT_LINES} largest accounts; the other {len(others)} are "
                   "summed as one line, \"Other accounts\". The table above lists each.")
    if history_missing:
        st.caption("Months without an exchange rate for an account are left out of the net worth line.")
