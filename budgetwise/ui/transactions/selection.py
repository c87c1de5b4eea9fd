"""The Transactions page's forms over the selection: edit one, set the category of many, delete."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services import transactions as tx
from budgetwise.services.accounts import AccountView
from budgetwise.ui.actions import flash, run_action
from budgetwise.ui.context import read_session
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, amount_input, date_input_format, day, md, plural
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.transactions.common import LEARN, SELECTION, UNDO_DELETE, CategoryLabels
from budgetwise.ui.widgets import select_or_none


def edit(principal: Principal, current: tx.TransactionView, labels: CategoryLabels, accounts: list[AccountView],
         earliest: dt.date, latest: dt.date) -> None:
    ek, efk = form_key("tx_e"), form_key("tx_edit_form")
    with st.form(f"{efk}_{current.id}"):
        st.markdown(f"**Edit** {md(current.description) or '(no description)'}")
        e1, e2, e3 = st.columns(3)
        e_day = e1.date_input("Date", value=current.date, min_value=PICKER_MIN, max_value=PICKER_MAX,
                              key=f"{ek}_date_{current.id}", format=date_input_format(principal),
                              help=f"From {day(principal, earliest)} to {day(principal, latest)}.")
        # in the user's number format, as the service reads it back ("12.345" KWD became 12 345 for a comma user)
        e_amount = e2.text_input(
            "Amount", value=amount_input(principal, current.amount_minor, current.currency), key=f"{ek}_amount_{current.id}"
        )
        e_kind = e3.selectbox("Type", ["expense", "income"], index=0 if current.kind == "expense" else 1,
                              format_func=str.capitalize, key=f"{ek}_kind_{current.id}")
        e_desc = st.text_input("Description", value=current.description, key=f"{ek}_desc_{current.id}",
                               max_chars=tx.MAX_DESCRIPTION)
        # the open accounts (and the row's own, archived or not): the service refuses any other
        names = {a.id: a.name for a in accounts if not a.is_archived or a.id == current.account_id}
        e_account = st.selectbox(
            "Account", list(names), index=list(names).index(current.account_id) if current.account_id in names else None,
            format_func=lambda i: names[i], key=f"{ek}_account_{current.id}",
            help="Moving a row keeps its currency; an account in another currency converts it in its balance.",
        ) if names else None
        e_cat = select_or_none(
            st, "Category", labels.ids, none=labels(None), value=current.category_id,
            format_func=labels, key=f"{ek}_cat_{current.id}",
        )
        e_notes = st.text_area("Notes", value=current.notes, key=f"{ek}_notes_{current.id}", height=68,
                               max_chars=tx.MAX_NOTES)
        save = st.form_submit_button("Save changes", type="primary")
    if not save:
        return
    changes: dict[str, object] = dict(date=e_day, amount=e_amount, kind=e_kind, description=e_desc, notes=e_notes)
    if e_cat != current.category_id:
        changes["category_id"] = e_cat
    if e_account is not None and e_account != current.account_id:
        changes["account_id"] = e_account

    def _saved(_result) -> None:
        if "category_id" in changes and e_cat is not None:
            with read_session() as s:
                offer = categorize.learn_from_correction(
                    s, user_id=principal.user_id, transaction_id=current.id, category_id=e_cat
                )
            if offer.worthwhile:
                st.session_state[LEARN] = offer
        if _result.notice:  # e.g. a transfer undone because the two rows no longer match
            flash(_result.notice, "warning")
        reset_form(*SELECTION)  # a saved edit clears the selection: the next action starts from nothing

    run_action(
        lambda s: tx.update_transaction(s, user_id=principal.user_id, transaction_id=current.id, **changes),
        then=_saved, toast="Transaction updated", icon="✅",
    )


def _bulk_set(result: tx.BulkCategoryResult) -> None:
    if result.notice:  # the transfers the new category undid (session 14: the toast alone said nothing)
        flash(result.notice, "warning")
    reset_form(*SELECTION)


def bulk(principal: Principal, selected: list[int], labels: CategoryLabels) -> None:
    b1, b2 = st.columns(2)
    bk, dk = form_key("tx_bulk"), form_key("tx_delete")
    with b1.form(f"{bk}_category"):
        bulk_cat = st.selectbox("Set the category of the selected", labels.ids,
                                index=None, placeholder="Choose a category", format_func=labels,
                                key=f"{bk}_cat")
        bulk_uncat = st.checkbox("Or make them uncategorized", key=f"{bk}_uncat")
        if st.form_submit_button(f"Apply to {len(selected)} selected"):
            if bulk_cat is None and not bulk_uncat:
                st.warning("Choose a category first (or tick 'Or make them uncategorized').")
            else:
                run_action(
                    lambda s: tx.set_category_bulk(s, user_id=principal.user_id, transaction_ids=selected,
                                                   category_id=None if bulk_uncat else bulk_cat),
                    then=_bulk_set,
                    toast=lambda r: f"Category set on {plural(r.changed, 'transaction')}" + (
                        f"; {plural(r.transfers_undone, 'transfer')} undone (see the note)" if r.transfers_undone else ""),
                    icon="🏷️",
                )
    with b2.form(dk):
        confirm = st.checkbox(f"Yes, delete {plural(len(selected), 'transaction', locale=principal.locale)}",
                              key=f"{dk}_confirm")
        if st.form_submit_button("Delete selected", type="secondary"):
            if not confirm:
                st.warning("Tick the confirmation box first.")
            else:
                run_action(  # no selection and no ticked confirmation survive a delete; the undo box shows it
                    lambda s: tx.delete_for_undo(s, user_id=principal.user_id, transaction_ids=selected),
                    then=_deleted,
                )


def _deleted(deleted: tx.DeletedTransactions) -> None:
    st.session_state[UNDO_DELETE] = deleted  # one undo: the last delete's (an earlier one is no longer offered)
    reset_form(*SELECTION)


def undo_delete(principal: Principal) -> None:
    """The last delete, with **Undo** (``tx.restore_deleted``) and **Dismiss**, above the table until either."""
    deleted = st.session_state.get(UNDO_DELETE)
    if not isinstance(deleted, tx.DeletedTransactions) or deleted.user_id != principal.user_id:
        return
    with st.container(border=True):
        note = (f" {plural(deleted.transfers_undone, 'transfer pairing', locale=principal.locale)} they were part of "
                "stays undone (confirm it again on the Accounts page)." if deleted.transfers_undone else "")
        st.markdown(f":material/delete: Deleted {plural(deleted.count, 'transaction', locale=principal.locale)}." + note)
        u1, u2, _ = st.columns([1, 1, 3])
        if u1.button("Undo delete", key="tx_undo_delete_yes", icon=":material/undo:", type="primary"):
            run_action(lambda s: tx.restore_deleted(s, user_id=principal.user_id, deleted=deleted),
                       then=lambda _n: st.session_state.pop(UNDO_DELETE, None),
                       toast=lambda n: f"Restored {plural(n, 'transaction', locale=principal.locale)}", icon="↩️")
        if u2.button("Dismiss", key="tx_undo_delete_no"):
            st.session_state.pop(UNDO_DELETE, None)
            st.rerun()
