"""The file uploader, a new file's fresh options, and the banner of the import just made."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from budgetwise.config import Settings
from budgetwise.importing import ImportOptions
from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services.importing import ImportResult
from budgetwise.ui import read_session
from budgetwise.ui.format import count_text, md, plural
from budgetwise.ui.import_data.state import FILE_KEY, NOTHING_NEW, OPTS, PREVIEW, RESULT


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    file_key: tuple[str, str]  # (name, sha256)
    just_imported: ImportResult | None  # this file's import on this visit, while it is not undone

    @property
    def fk(self) -> str:
        """The short key suffix of this file's widgets."""
        return self.file_key[1][:12]


def render(principal: Principal, settings: Settings, undoable: set[int]) -> Upload | None:
    upload = st.file_uploader(
        f"Bank file (CSV, TSV, Excel .xlsx, OFX/QFX; up to {settings.max_upload_mb} MB)",
        key="imp_upload",
        max_upload_size=settings.max_upload_mb,
        help="Download a statement or transaction export from your online banking and drop it here.",
    )
    if upload is None:
        st.session_state.pop(RESULT, None)  # the result belonged to a file that is gone (or to another visit)
        st.session_state.pop(NOTHING_NEW, None)
        st.info("Choose a file to see a preview. Nothing is imported until you confirm.", icon=":material/upload_file:")
        return None
    data = upload.getvalue()
    file_key = (upload.name, hashlib.sha256(data).hexdigest())
    if st.session_state.get(FILE_KEY) != file_key:
        st.session_state[FILE_KEY] = file_key
        st.session_state[OPTS] = ImportOptions()
        st.session_state.pop(PREVIEW, None)
        st.session_state.pop(RESULT, None)
    last = st.session_state.get(RESULT)
    if last is not None and (last[0] != file_key or last[1].batch_id not in undoable):
        st.session_state.pop(RESULT, None)  # another file, or the import was undone
        last = None
    just_imported = last[1] if last is not None else None
    if just_imported is not None:
        _banner(principal, just_imported)
    return Upload(upload.name, data, file_key, just_imported)


def _banner(principal: Principal, result: ImportResult) -> None:
    st.success(
        f"Imported {plural(result.rows_imported, 'transaction', locale=principal.locale)} from this file "
        f"({plural(result.rows_duplicate, 'duplicate', locale=principal.locale)} skipped, "
        f"{plural(result.rows_rejected, 'row', locale=principal.locale)} rejected). You can undo it under **History**.",
        icon=":material/task_alt:",
    )
    with read_session() as s:
        plan = categorize.labelling_plan(s, user_id=principal.user_id, limit=10)
    if plan.waiting:
        st.info(
            f"{plural(plan.waiting, 'transaction', locale=principal.locale)} {'waits' if plan.waiting == 1 else 'wait'} for a category "
            f"({count_text(principal, plan.uncategorized)} uncategorized, "
            f"{count_text(principal, plan.waiting - plan.uncategorized)} uncertain). Label {plural(len(plan.items), 'merchant', locale=principal.locale)} on the **Categorize** page "
            f"to sort {count_text(principal, plan.sorts)} of them: " + ", ".join(f"{md(i.stem)} ({count_text(principal, i.rows)})" for i in plan.items[:5])
            + ("…" if len(plan.items) > 5 else "") + ".",
            icon=":material/label:",
        )
