"""Cash flow: the controls, the saved threshold and the projections without and with the what-if."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import accounts as A
from budgetwise.services import auth
from budgetwise.services import cashflow as C
from budgetwise.services import cashflow_scope as S
from budgetwise.ui.context import db_session, read_session
from budgetwise.ui.dashboard.outlook import OUTLOOK_MONTHS, SCOPE_KEY, cached_projection, scope_choice
from budgetwise.ui.format import amount_input, decimal_separator

WHAT_IF = "cf_what_if"  # canonical state: a tuple of frozen KnownItem / cancelled labels (never saved)
SCOPE_WIDGET = "cf_w_scope"  # the "Accounts counted" choice; its canonical value is outlook.SCOPE_KEY
ONE_ACCOUNT = "account"  # that choice's third option: one account (budgetwise cashflow --account), chosen below it
SCOPE_LABELS: dict[str, str] = {**{str(k): v for k, v in S.SCOPE_LABELS.items()}, ONE_ACCOUNT: "One account"}
ACCOUNT_WIDGET = "cf_w_account"  # which account; its canonical value is ACCOUNT_KEY
ACCOUNT_KEY = "cf_account"  # canonical: the account id while one account is shown, else None (the dashboard's card
# keeps following SCOPE_KEY, the spending or all accounts)


def what_if_state() -> dict:
    return st.session_state.setdefault(WHAT_IF, {"items": (), "cancel": ()})


def controls(principal: Principal, today: dt.date):
    """The "Months ahead", "Warn me below" and "Accounts counted" widgets; returns a function computing (saved threshold,
    projection, projection with the what-if or None) for :func:`budgetwise.ui.actions.load`."""
    cur = principal.currency
    with read_session() as s:
        version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
        saved = C.get_threshold(s, user_id=principal.user_id)
        open_accounts = {a.id: a.name for a in A.list_accounts(s, user_id=principal.user_id)}
    c1, c2, c3 = st.columns([1, 1, 1.2])
    horizon = c1.slider("Months ahead", 1, C.MAX_HORIZON_MONTHS, OUTLOOK_MONTHS, key="cf_horizon")
    threshold = c2.text_input(f"Warn me below ({cur})", value=amount_input(principal, saved, cur), key="cf_threshold",
                              help="Saved for you: the dashboard's balance outlook warns below it too.")
    account_id = _account_choice(open_accounts)
    if SCOPE_WIDGET not in st.session_state:  # seeded from the canonical choice: the widget's own value vanishes
        st.session_state[SCOPE_WIDGET] = ONE_ACCOUNT if account_id else scope_choice()  # when another page is shown
    scope = c3.radio("Accounts counted", [*S.CASHFLOW_SCOPES, ONE_ACCOUNT], format_func=SCOPE_LABELS.get,
                     key=SCOPE_WIDGET, horizontal=True,
                     help=f"Spending accounts: your {S.spending_kinds_text()} accounts, the money you spend from. All "
                     "accounts adds savings, loans and investments (your net worth); the dashboard's balance outlook "
                     "counts the same as your last choice of these two. One account: that account alone, with its "
                     "transfers to and from your other accounts.")
    if scope == ONE_ACCOUNT:
        if ACCOUNT_WIDGET not in st.session_state or st.session_state[ACCOUNT_WIDGET] not in open_accounts:
            st.session_state[ACCOUNT_WIDGET] = account_id or next(iter(open_accounts))
        account_id = c3.selectbox("Account", list(open_accounts), format_func=lambda i: open_accounts[i], key=ACCOUNT_WIDGET)
    else:
        account_id = None
        st.session_state[SCOPE_KEY] = scope
    st.session_state[ACCOUNT_KEY] = account_id
    scope = scope_choice()  # one account: the service leaves the scope unused; the cache key stays the dashboard's
    state = what_if_state()

    def project():
        """The saved threshold (a changed "warn me below" is saved; refused: its message) and the
        projections without and with the what-if."""
        kept = saved
        if C.parse_threshold(threshold, cur, decimal_hint=decimal_separator(principal)) != kept:
            with db_session() as s:
                kept = C.set_threshold(s, user_id=principal.user_id, threshold=threshold)
        with st.spinner("Projecting…"):
            base = cached_projection(principal.user_id, version, horizon, kept, (), (), today, cur, scope,
                                     account_id=account_id)
            alt = (cached_projection(principal.user_id, version, horizon, kept, state["items"], state["cancel"], today,
                                     cur, scope, account_id=account_id) if state["items"] or state["cancel"] else None)
        return kept, base, alt

    return project


def _account_choice(open_accounts: dict[int, str]) -> int | None:
    """The account shown alone in this session (:data:`ACCOUNT_KEY`), while it is still one of the user's open
    accounts (archived or removed meanwhile: None, the spending or all accounts again)."""
    chosen = st.session_state.get(ACCOUNT_KEY)
    return chosen if chosen in open_accounts else None
