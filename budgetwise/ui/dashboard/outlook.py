"""The dashboard's balance-outlook card (issue #19) and the cached cash-flow projection it shares with
the Cash flow page.

The projection is cached per user, cache version (account id + data version: any write invalidates
it), horizon, threshold, day and the accounts counted (:data:`SCOPE_KEY`: the spending accounts unless
the Cash flow page was told to count all), so the dashboard and the Cash flow page reuse each other's result;
a cached dashboard run costs two small reads (the version and the saved threshold). On a miss the
dashboard gives the projection the recurring payments it detected for its upcoming-payments alerts
(``reports.detect_recurring`` through the Loader's cache), so they are detected once, not twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import streamlit as st

from budgetwise.money import from_minor
from budgetwise.services import auth
from budgetwise.services import cashflow as C
from budgetwise.services import reports as R
from budgetwise.services.cashflow_scope import DEFAULT_SCOPE
from budgetwise.ui.actions import load
from budgetwise.ui.context import read_session
from budgetwise.ui.currency import missing_rates_warning
from budgetwise.ui.format import day, md, money, percent
from budgetwise.ui.navigation import PAGES_DIR
from budgetwise.ui.reporting import Loader

OUTLOOK_MONTHS = 3  # the card looks as far ahead as the Cash flow page does by default
# canonical (non-widget) state: the accounts the Cash flow page counts ("spending" unless the user chose "all"
# there); the dashboard's card follows it, so the page and the card answer about the same accounts
SCOPE_KEY = "cf_scope"


def scope_choice() -> str:
    """The accounts the cash-flow answers count in this session (:data:`SCOPE_KEY`; the spending accounts by default)."""
    return str(st.session_state.get(SCOPE_KEY, DEFAULT_SCOPE))


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def cached_projection(user_id: int, cache_version: str, horizon: int, threshold_minor: int, what_if: tuple,
                      cancel: tuple, day: dt.date, currency: str, scope: str = DEFAULT_SCOPE,
                      _recurring: Callable[[], Sequence] | None = None, account_id: int | None = None) -> C.Projection:
    """``cashflow.cashflow_user`` cached by user, cache version and the choice of accounts (``scope``: the
    spending accounts or all; ``account_id``: one account of the user's, the Cash flow page's "One account"),
    never shared across users. ``_recurring`` (not part of the key: it is fixed by user, version and day) gives
    ``reports.detect_recurring``'s list on ``day``; called only on a miss."""
    with read_session() as s:
        return C.cashflow_user(s, user_id=user_id, horizon_months=horizon,
                               threshold=from_minor(threshold_minor, currency), what_if=what_if,
                               cancel=cancel, today=day, recurring=None if _recurring is None else _recurring(),
                               scope=scope, account_id=account_id)


def recurring_loader(data: Loader, today: dt.date) -> Callable[[], Sequence]:
    """The dashboard's one detection of recurring payments on ``today`` (cached by the Loader): the
    upcoming-payments alerts and the outlook's projection both read it."""
    return lambda: data.call(R.detect_recurring, as_of=today)


def outlook_card(principal, *, today: dt.date, data: Loader | None = None) -> None:
    """Lowest projected balance (amount, date) in the next months; an alert below the user's threshold.
    ``data``: the page's Loader, whose cached recurring payments the projection reuses on a miss."""
    with read_session() as s:
        version = auth.cache_version(s, user_id=principal.user_id)
        threshold = C.get_threshold(s, user_id=principal.user_id)
    with st.container(border=True, key="dash_outlook"):
        st.markdown(f"**Balance outlook** · next {OUTLOOK_MONTHS} months")
        recurring = None if data is None else recurring_loader(data, today)
        p = load(lambda: cached_projection(principal.user_id, version, OUTLOOK_MONTHS, threshold, (), (), today,
                                           principal.currency, scope_choice(), _recurring=recurring),
                 on_error=lambda exc: st.caption(md(exc.message if isinstance(exc, C.NothingToProject)
                                                    else f"No outlook yet: {exc.message}")))
        if p is None:
            return
        fmt = lambda minor: money(principal, minor, p.currency)  # noqa: E731
        st.markdown(f"Lowest projected balance **{md(fmt(p.lowest_minor))}** on **{day(principal, p.lowest_date)}** "
                    f"({'from an old balance' if p.out_of_date else 'today'} {md(fmt(p.start_balance_minor))}).")
        st.caption(md(p.accounts_text))  # which accounts: the spending ones unless the Cash flow page says all
        # a balance left out for want of a rate: "today €0.00" alone read as empty accounts; the balances in one
        # warning with the link to the rates (session 25: one caption per currency, five for five)
        missing_rates_warning(principal, p.missing_rates, what="this outlook")
        for note in p.unlisted_notes(p.rate_notes):  # a scheduled item left out for want of a rate
            st.caption(f":orange[:material/currency_exchange:] {md(note)}")
        # alerts in the dashboard's own style (icon, headline, detail), not st.error: a page-level error
        # box means something failed, and the rest of the dashboard stays as it is
        if stale := p.out_of_date_text():  # no alert on an old balance (session 21: "below $0 … 100%" on 23 months)
            st.markdown(f":orange[:material/history:] **Out of date:** {md(stale)}")
        elif alert := p.alert(fmt):  # the Cash flow page's sentence ("already below … today" when it is)
            st.markdown(f":red[:material/error:] **Below your threshold:** {md(alert)}")
        elif p.chance_below >= 0.2:
            st.markdown(f":orange[:material/warning:] **At risk:** about a {percent(principal, p.chance_below * 100)} chance of going "
                        f"below {md(fmt(p.threshold_minor))} {p.until}.")
        else:
            st.caption(md(p.safe_to_spend(fmt)))
        if (PAGES_DIR / "cashflow.py").exists():
            try:
                st.page_link("pages/cashflow.py", label="Cash flow and what-if", icon=":material/query_stats:")
            except Exception:  # noqa: BLE001 - page not registered in this run (e.g. run on its own)
                pass
