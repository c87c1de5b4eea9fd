"""Accounts: rename, change the type of, make default, archive or restore an account."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import accounts as A
from budgetwise.services import cashflow as C
from budgetwise.services.default_account import set_default_account
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import md

EXPANDER = "Rename, change type, make default, archive or restore"


def render(principal: Principal, now: A.Balances) -> None:
    with st.expander(EXPANDER, icon=":material/edit:"):
        by_id = {b.account.id: b.account for b in now.accounts}
        chosen = st.selectbox("Account", list(by_id), key="acct_manage",
                              format_func=lambda i: by_id[i].name + (" (archived)" if by_id[i].is_archived else ""))
        account = by_id[chosen]
        r1, r2 = st.columns([3, 1])
        new_name = r1.text_input("New name", value=account.name, key=f"acct_rename_{chosen}", max_chars=A.MAX_NAME)
        if r2.button("Rename", key=f"acct_rename_btn_{chosen}"):
            run_action(lambda s: A.rename_account(s, user_id=principal.user_id, account_id=chosen, name=new_name),
                       lambda renamed: f"Renamed “{account.name}” to “{renamed.name}”.")
        k1, k2 = st.columns([3, 1])
        kinds = list(A.KIND_LABELS)
        new_kind = k1.selectbox("Type", kinds, index=kinds.index(account.kind) if account.kind in kinds else 0,
                                format_func=A.KIND_LABELS.__getitem__, key=f"acct_kind_{chosen}",
                                help="Accounts an import creates start as checking: a goal can follow a savings account.")
        if k2.button("Change type", key=f"acct_kind_btn_{chosen}", disabled=new_kind == account.kind):
            run_action(lambda s: A.set_account_kind(s, user_id=principal.user_id, account_id=chosen, kind=new_kind),
                       lambda changed: f"“{changed.name}” is now a {changed.kind_label.lower()} account.")
        _make_default(principal, account, A.default_of(by_id.values()))
        label = "Restore" if account.is_archived else "Archive"
        st.caption("An archived account keeps its transactions and its place in your net worth; new "
                   "transactions and imports cannot go to it.")
        if st.button(f"{label} “{md(account.name)}”", key=f"acct_archive_{chosen}"):
            def archive(s):  # what happens to the items scheduled for it is said too (cashflow.archived_items_note)
                A.archive_account(s, user_id=principal.user_id, account_id=chosen, archived=not account.is_archived)
                return C.archived_items_note(s, user_id=principal.user_id, account_id=chosen,
                                             archived=not account.is_archived)

            run_action(archive, lambda note: f"{'Restored' if account.is_archived else 'Archived'} “{account.name}”."
                       + (f" {note}" if note else ""))


def _make_default(principal: Principal, account: A.AccountView, default: A.AccountView | None) -> None:
    """The default account (session 25): the one transactions and files without an account go to."""
    if default is not None and account.id == default.id:
        st.caption(f"“{md(account.name)}” is your default account.")
        return
    if st.button(f"Make “{md(account.name)}” the default account", key=f"acct_default_{account.id}",
                 disabled=account.is_archived, help="Archived accounts cannot be the default: restore it first."
                 if account.is_archived else "Transactions you add, and files you import, without choosing an "
                 "account go to the default account."):
        run_action(lambda s: set_default_account(s, user_id=principal.user_id, account_id=account.id),
                   lambda made: f"“{made.name}” is now your default account.")
