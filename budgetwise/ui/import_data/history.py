"""Import history, with undo of an import whose rows are still there (ImportBatchView.can_undo)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.dates import day_text
from budgetwise.errors import BudgetwiseError
from budgetwise.principal import Principal
from budgetwise.services import importing as svc
from budgetwise.ui.actions import flash, run_action, show_flash
from budgetwise.ui.format import md, moment_cells, moment_column, moment_text, plural
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.import_data.state import PREVIEW, RESULT, UNDO_FORM
from budgetwise.ui.widgets import (
    CHAR_PX,
    IMPORT_HISTORY_ACCOUNT,
    IMPORT_HISTORY_FILE_MIN,
    IMPORT_HISTORY_STATUS,
    IMPORT_HISTORY_WIDTHS,
    PROSE_PX,
    column_widths,
    fitted_widths,
    show_error,
    text_width,
    wrapped_column,
)


def _table(principal: Principal, batches: list[svc.ImportBatchView]) -> None:
    # the user's date format, as every date of the page (session 26: "When" was ISO to a user who reads 31-12-2025);
    # plain text in a cell (day_text, not the sentence's unbreakable day())
    statuses = [f"undone {day_text(b.undone_at.date(), principal.date_format, principal.locale)}" if b.undone_at
                else b.status for b in batches]
    hist = pd.DataFrame(
        {
            "#": [b.id for b in batches],
            "When (UTC)": moment_cells(principal, [b.created_at for b in batches]),
            # no Format column (session 19: it pushed Status off a 1280 px window; the file's name says it)
            "File": [b.filename for b in batches],
            "Account": [b.accounts_text for b in batches],  # the accounts its rows are in (session 26)
            "Read": [b.rows_read for b in batches],
            "Imported": [b.rows_imported for b in batches],
            "Duplicates": [b.rows_duplicate for b in batches],
            "Rejected": [b.rows_rejected for b in batches],
            "Still there": [b.rows_remaining for b in batches],
            "Status": statuses,
        }
    )
    # "2026-12-05 20:36" fits 118 px; a longer date format ("05 Dec 2026 20:36") gets its extra characters
    sample = moment_text(principal, batches[0].created_at) if batches else ""
    when_px = IMPORT_HISTORY_WIDTHS["When (UTC)"] + round(CHAR_PX * max(0, len(sample) - 16))
    fixed = {**IMPORT_HISTORY_WIDTHS, "When (UTC)": when_px,
             "Account": text_width(hist["Account"], IMPORT_HISTORY_ACCOUNT, char_px=PROSE_PX)}
    # Status is the last column: "undone 28 juill. 2026" (fr_CA, "31 Dec 2025") beside the Account column ran past a
    # 1280 px window, cut to "undone 28 juill." (session 27, in Chromium); it gets what is left and wraps instead
    status, row_height = wrapped_column(fixed, text_width(statuses, IMPORT_HISTORY_STATUS, char_px=PROSE_PX),
                                        IMPORT_HISTORY_STATUS, flexible_minimum=IMPORT_HISTORY_FILE_MIN,
                                        longest=max(map(len, statuses), default=0))
    widths = fitted_widths({**fixed, "Status": status}, "File", minimum=IMPORT_HISTORY_FILE_MIN)
    config = {**column_widths(widths), "When (UTC)": moment_column(principal, width=widths["When (UTC)"])}
    st.dataframe(hist, hide_index=True, width="stretch", row_height=row_height, column_config=config)


def _undo(principal: Principal, batch: svc.ImportBatchView) -> None:
    def _refused(exc: BudgetwiseError) -> None:
        if isinstance(exc, svc.ImportAlreadyUndone):  # an import undone before is news (info), not an error
            reset_form(UNDO_FORM)
            show_error(exc, kind="info")
        else:
            show_error(exc)

    def _undone(done: svc.UndoResult) -> None:
        st.session_state.pop(PREVIEW, None)
        if done.accounts_text:  # the accounts it removed (or kept, and why) stay on the page: a flash, not a toast
            flash(f"Undid import #{batch.id} ({batch.filename}). {done.accounts_text}")
        reset_form(UNDO_FORM)  # the next undo needs its own choice and confirmation

    run_action(
        lambda s: svc.undo_import(s, user_id=principal.user_id, batch_id=batch.id),
        then=_undone, on_error=_refused, icon="↩️",
        toast=lambda done: f"Removed {plural(done.rows, 'transaction', locale=principal.locale)} (import #{batch.id}, {md(batch.filename)}).",
    )


def render(principal: Principal, batches: list[svc.ImportBatchView]) -> None:
    show_flash()  # an undo's accounts (removed or kept), where the undo was done
    if not batches:
        st.info("No imports yet.", icon=":material/history:")
        return
    _table(principal, batches)
    undoable = {b.id: b for b in batches if b.can_undo}
    if not undoable:
        return
    # Keys from form_key: after an undo (or a new import) the picker and the confirmation are new
    # widgets, so nothing chosen or ticked for the last action carries over to the next one.
    uk = form_key(UNDO_FORM)
    offered = st.session_state.get(RESULT)  # the batch this page just imported is offered first
    offered_id = offered[1].batch_id if offered is not None else None
    ids = list(undoable)
    pick = st.selectbox(
        "Undo an import", ids, index=ids.index(offered_id) if offered_id in undoable else None,
        placeholder="Choose the import to undo",
        format_func=lambda i: f"#{i} {undoable[i].filename} ({plural(undoable[i].rows_remaining, 'transaction', locale=principal.locale)})",
        key=f"{uk}_pick",
    )
    if pick is None:
        return
    batch = undoable[pick]
    sure = st.checkbox(
        f"Yes, delete the {plural(batch.rows_remaining, 'transaction', locale=principal.locale)} import #{batch.id} ({md(batch.filename)}) added",
        key=f"{uk}_sure_{batch.id}",
    )
    # the button names its batch and carries its id: a repeated click can only repeat this
    # undo, which the service refuses once the batch is undone
    if st.button(f"Undo import #{batch.id} ({md(batch.filename)})", icon=":material/undo:", key=f"{uk}_go_{batch.id}"):
        if not sure:
            st.warning("Tick the box to confirm.")
        else:
            _undo(principal, batch)
