"""Duplicates and the Import button: one unit of work for the whole file, with progress."""

from __future__ import annotations

import streamlit as st

from budgetwise.config import Settings
from budgetwise.errors import BudgetwiseError
from budgetwise.importing import ImportOptions
from budgetwise.importing.words import for_page
from budgetwise.principal import Principal
from budgetwise.services import importing as svc
from budgetwise.ui import read_session
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import db_session
from budgetwise.ui.format import day, md, money, plural
from budgetwise.ui.forms import reset_form
from budgetwise.ui.import_data.account import chosen_kinds, new_account_pending
from budgetwise.ui.import_data.detected import set_opening_key
from budgetwise.ui.import_data.state import NOTHING_NEW, OPENING_SET, PREVIEW, UNDO_FORM, set_options
from budgetwise.ui.import_data.upload import Upload, clear_after_import
from budgetwise.ui.widgets import show_error


def render(principal: Principal, settings: Settings, preview: svc.ImportPreview, opts: ImportOptions,
           upload: Upload) -> None:
    fk = upload.fk
    if preview.duplicates_storable:  # not the opening rows that already are opening balances (skipped anyway)
        include = st.checkbox(
            f"Import the {plural(preview.duplicates_storable, 'duplicate row', locale=principal.locale)} anyway", value=opts.include_duplicates,
            key=f"imp_dups_{fk}",
            help="Duplicates have the same date, amount, direction and description as a transaction you "
                 "already have. They are skipped unless you tick this.",
        )
        if include != opts.include_duplicates:
            set_options(include_duplicates=include)
            st.rerun()
    if preview.refusal:  # the import would refuse the file: say why and which rows before the button
        hint = (" Or untick “Learn my merchant habits from this file's categories” to import the rows without "
                "learning from them." if preview.learn_from_labels else "")
        st.error(md(preview.refusal) + hint, icon=":material/block:")
    n_new = opts.rows_to_commit(rows_new=preview.rows_to_import, rows_valid=preview.rows_storable)
    balances = preview.balances_to_set  # opening rows that become opening balances: no transaction (imp29)
    # "New account…" chosen but not created: the rows would go to the automatic account, not the one the box shows
    pending = new_account_pending(fk)
    disabled = not preview.can_commit or (n_new == 0 and not balances) or pending
    if pending and (n_new or balances):
        st.caption("Create the new account above first (or choose one of your accounts): the rows go to the account "
                   "the **Account** box shows.")
    if st.button(svc.import_words(n_new, balances, locale=principal.locale), type="primary", disabled=disabled,
                 key=f"imp_commit_{fk}", icon=":material/download_done:"):
        with st.status("Importing…", expanded=True) as status:
            bar = st.progress(0.0, text="Starting")

            def progress(fraction: float, message: str) -> None:
                bar.progress(min(max(fraction, 0.0), 1.0), text=message)

            set_opening = bool(st.session_state.get(set_opening_key(fk)))
            kinds = chosen_kinds(fk)  # the types chosen for the new accounts the file names
            opening_said: list[str] = []  # what setting the opening balance did, for the summary after the rerun

            def work():
                # parse, check and categorize in a read-only session (no write lock on SQLite while it
                # works), then a short write transaction that checks nothing changed and stores the rows
                with read_session() as rs:
                    prepared = svc.prepare_import(
                        rs, user_id=principal.user_id, data=upload.data, filename=upload.name, options=opts,
                        max_bytes=settings.max_upload_bytes, preview=preview, progress=progress,
                    )
                with db_session() as s:
                    result = svc.commit_import(
                        s, user_id=principal.user_id, data=upload.data, filename=upload.name, options=opts,
                        max_bytes=settings.max_upload_bytes, preview=preview, prepared=prepared, progress=progress,
                        account_kinds=kinds,
                    )
                    if set_opening:  # the user's choice; the import and the new opening balance are one unit of work
                        opening_said.append(_set_opening(s, principal, preview, upload, result.batch_id))
                return result

            result = run_action(work, rerun=False, unit_of_work=False, on_error=_show_refusal)
            if result is None:
                # open: the error says why (None would fold the box and hide the reason)
                status.update(label="Nothing was imported", state="error", expanded=True)
            elif result.nothing_new:  # everything was stored meanwhile (another tab): no batch was recorded
                status.update(label=result.message_in(principal.locale), state="complete")
                st.session_state.pop(PREVIEW, None)
                st.session_state[NOTHING_NEW] = (upload.file_key, result.message_in(principal.locale))  # said under the button after the rerun
                st.rerun()
            else:
                done = svc.import_words(result.rows_imported, result.opening_set, done=True, locale=principal.locale)
                status.update(label=done, state="complete")
                clear_after_import(upload.file_key, result)  # the summary shows; the uploader is empty for the next file
                if opening_said:  # the box was ticked: the summary says what it did (it said nothing; session 17)
                    st.session_state[OPENING_SET] = (result.batch_id, opening_said[0])
                reset_form(UNDO_FORM)  # History offers this import, unconfirmed
                st.toast(done, icon="✅")
                st.rerun()
    elif n_new == 0 and not balances and preview.can_commit:
        said = st.session_state.get(NOTHING_NEW)
        if said is not None and said[0] == upload.file_key:  # what the Import press just found, not only "nothing new"
            st.info(md(said[1]), icon=":material/info:")
        else:
            st.caption(svc.nothing_new_message(preview.rows_duplicate, committed=False, locale=principal.locale))


def _set_opening(s, principal: Principal, preview: svc.ImportPreview, upload: Upload, batch_id: int | None) -> str:
    """Set the opening balance from the statement (the ticked box); the sentence that says what it did. ``batch_id``:
    the import just committed (its undo puts the balance back: ``importing.balance_undo``)."""
    recon = svc.after_preview(s, user_id=principal.user_id, preview=preview, data=upload.data, batch_id=batch_id)
    if recon is None or recon.account_id is None:
        return "The file's statement balance could not be read after the import: no opening balance was changed."
    statement = recon.statement
    said = f"{money(principal, statement.amount_minor, statement.currency)} on {day(principal, statement.date)}"
    if recon.reconciles:
        return f"“{md(recon.account_name)}” already matches the statement ({said}): its opening balance was not changed."
    view = svc.set_opening_from_statement(s, principal=principal, account_id=recon.account_id, balance=statement,
                                          batch_id=batch_id)
    return (f"The opening balance of “{md(view.name)}” is now {money(principal, view.opening_balance_minor, view.currency)}, "
            f"so the account matches the statement: {said}.")


def _show_refusal(exc: BudgetwiseError) -> None:
    """A refused import in the page's words (its column pickers, not ``--mapping``: :func:`.words.for_page`)."""
    show_error(BudgetwiseError(for_page(exc.message), field=exc.field))
