"""Accounts → Transfers: the confirmed transfers as one compact table, a page at a time, filtered by account and
month, and Undo for the transfer ticked in the table (or chosen in the box under it). Session 16 (demoacct):
the section listed the 20 newest transfers, each a line with its own Undo button (the demo's 22 made it longer
than the rest of the page)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import accounts as A
from budgetwise.services import transfers as T
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import read_session
from budgetwise.ui.format import count_text, date_cells, date_column, day, money, month_label

ACCOUNT, MONTH, PAGE = "acct_tr_f_account", "acct_tr_f_month", "acct_tr_page"
TABLE, UNDO, LAST = "acct_tr_table", "acct_tr_undo_id", "acct_tr_last"
OPEN = "acct_tr_open"  # the section stays open once a transfer was confirmed or undone in this session
UNDO_LABEL = "Transfer to undo (tick a row in the table, or choose here)"
PAGE_SIZE = 10
ALL = "all"  # the filters' "all accounts" / "all months" (a None option reads as no choice: "Choose an option")


def just_confirmed(view: T.TransferView) -> None:
    """A transfer confirmed a moment ago waits in the Undo box, wherever its date puts it in the table."""
    st.session_state[LAST] = view
    st.session_state[UNDO] = view.id


def _first_page() -> None:
    st.session_state[PAGE] = 1


def _label(principal: Principal, t: T.TransferView) -> str:
    return f"{day(principal, t.date)} {t.out_account} → {t.in_account}, {money(principal, t.amount_minor, t.currency)}"


def _read(principal: Principal) -> tuple[dict[int, str], T.TransferPage]:
    """The account filter's choices and the page the widgets' state asks for (a filter value that no longer
    exists, e.g. a month without transfers under the account chosen since, falls back to all)."""
    with read_session() as s:
        names = {a.id: a.name + (" (archived)" if a.is_archived else "")
                 for a in A.list_accounts(s, user_id=principal.user_id, include_archived=True)}
        if st.session_state.get(ACCOUNT, ALL) != ALL and st.session_state.get(ACCOUNT) not in names:
            st.session_state[ACCOUNT] = ALL  # only a vanished account: set on every run it showed "Choose an option"
        month = st.session_state.get(MONTH, ALL)

        def read(month: object) -> T.TransferPage:
            account = st.session_state.get(ACCOUNT, ALL)
            return T.transfer_page(s, user_id=principal.user_id, account_id=None if account == ALL else account,
                                   month=month if isinstance(month, dt.date) else None,
                                   page=int(st.session_state.get(PAGE) or 1), page_size=PAGE_SIZE)

        result = read(month)
        if month != ALL and month not in result.months:
            st.session_state[MONTH] = ALL
            result = read(ALL)
    st.session_state[PAGE] = result.page
    return names, result


def render(principal: Principal) -> None:
    names, result = _read(principal)
    filtered = st.session_state.get(ACCOUNT, ALL) != ALL or st.session_state.get(MONTH, ALL) != ALL
    if not result.total and not filtered:
        st.caption("No confirmed transfers yet.")
        return
    st.markdown(f"**Confirmed transfers** ({count_text(principal, result.total)}{' shown by the filter' if filtered else ''})")
    f1, f2, f3 = st.columns([2, 2, 1])
    f1.selectbox("Account", [ALL, *names], key=ACCOUNT, on_change=_first_page,
                 format_func=lambda i: "All accounts" if i == ALL else names[i])
    f2.selectbox("Month", [ALL, *result.months], key=MONTH, on_change=_first_page,
                 format_func=lambda m: "All months" if m == ALL else month_label(principal, m))
    f3.number_input(f"Page (of {count_text(principal, result.pages)})", min_value=1, max_value=result.pages, step=1,
                    key=PAGE)
    if not result.rows:
        st.info("No confirmed transfers match these filters.")
    else:
        _table(principal, result)
    _undo(principal, result)


def _table(principal: Principal, result: T.TransferPage) -> None:
    rows = result.rows
    ids = [t.id for t in rows]

    def _on_select() -> None:
        picked = st.session_state.get(TABLE, {}).get("selection", {}).get("rows", [])
        if picked and picked[0] < len(ids):
            st.session_state[UNDO] = ids[picked[0]]

    frame = pd.DataFrame({
        "Date": date_cells(principal, [t.date for t in rows]),
        "From": [t.out_account for t in rows],
        "To": [t.in_account for t in rows],
        "Amount": [money(principal, t.amount_minor, t.currency) for t in rows],
        "Description": [t.out_description for t in rows],
    })
    st.dataframe(frame, hide_index=True, width="stretch", key=TABLE, on_select=_on_select,
                 selection_mode="single-row", column_config={"Date": date_column(principal, "Date")})
    first = (result.page - 1) * result.page_size + 1
    st.caption(f"{count_text(principal, first)}–{count_text(principal, first + len(rows) - 1)} of "
               f"{count_text(principal, result.total)}, newest first.")


def _undo(principal: Principal, result: T.TransferPage) -> None:
    options = {t.id: t for t in result.rows}
    last: T.TransferView | None = st.session_state.get(LAST)
    if last is not None and last.id not in options:
        options = {last.id: last, **options}
    if st.session_state.get(UNDO) not in options:  # undone, or on another page
        st.session_state[UNDO] = None
    if not options:
        return
    u1, u2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen = u1.selectbox(UNDO_LABEL, list(options), key=UNDO, placeholder="Choose a transfer",
                          format_func=lambda i: _label(principal, options[i]))
    if u2.button("Undo", key="acct_tr_undo", disabled=chosen is None, icon=":material/undo:") and chosen is not None:
        undone = options[chosen]
        run_action(lambda s: T.undo_transfer(s, user_id=principal.user_id, transfer_id=undone.id),
                   f"The transfer {_label(principal, undone)} was undone; both transactions have their previous "
                   "categories again.", then=_undone)


def _undone(_result: object) -> None:
    st.session_state.pop(LAST, None)
    st.session_state[OPEN] = True
