"""The file uploader, a new file's fresh options, and the summary of the import just made (the uploader
emptied for the next file)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from budgetwise.config import Settings
from budgetwise.importing import ImportOptions
from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services.importing import ImportResult, import_words
from budgetwise.ui import read_session
from budgetwise.ui.format import count_text, md, plural
from budgetwise.ui.import_data import currency_advice
from budgetwise.ui.import_data.state import (
    FILE_KEY,
    NOTHING_NEW,
    OPENING_SET,
    OPTS,
    PREVIEW,
    RESULT,
    RESULT_FRESH,
    UPLOADER_ROUND,
)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    file_key: tuple[str, str]  # (name, sha256)

    @property
    def fk(self) -> str:
        """The short key suffix of this file's widgets."""
        return self.file_key[1][:12]


def uploader_key() -> str:
    """The file uploader's key: a new one after each import (``clear_after_import``) empties it."""
    n = st.session_state.get(UPLOADER_ROUND, 0)
    return f"imp_upload_{n}" if n else "imp_upload"


def clear_after_import(file_key: tuple[str, str], result: ImportResult) -> None:
    """After a commit: keep its result for the summary and empty the uploader (a new key), so that the
    page does not go on offering the file just imported ("Import 0 transactions", "import the
    duplicates anyway"; session 16). The options and preview of that file go with it."""
    st.session_state[RESULT] = (file_key, result)
    st.session_state[RESULT_FRESH] = True
    st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
    for key in (FILE_KEY, OPTS, PREVIEW, NOTHING_NEW):
        st.session_state.pop(key, None)


def render(principal: Principal, settings: Settings, undoable: set[int]) -> Upload | None:
    key = uploader_key()
    # Streamlit forgets a widget's state when a run leaves it out: an uploader without state that was not
    # just emptied by an import means the user left the page and came back (no stale summary then)
    came_back = key not in st.session_state and not st.session_state.pop(RESULT_FRESH, False)
    upload = st.file_uploader(
        f"Bank file (CSV, TSV, Excel .xlsx, OFX/QFX; up to {settings.max_upload_mb} MB)",
        key=key,
        max_upload_size=settings.max_upload_mb,
        help="Download a statement or transaction export from your online banking and drop it here.",
    )
    if upload is None:
        st.session_state.pop(NOTHING_NEW, None)
        last = st.session_state.get(RESULT)
        if last is not None and last[1].batch_id in undoable and not came_back:  # the import just made (until undone or another file)
            _banner(principal, last[1], last[0][0])
            st.info("Choose another file to import more.", icon=":material/upload_file:")
            return None
        st.session_state.pop(RESULT, None)
        st.info("Choose a file to see a preview. Nothing is imported until you confirm.", icon=":material/upload_file:")
        return None
    data = upload.getvalue()
    file_key = (upload.name, hashlib.sha256(data).hexdigest())
    st.session_state.pop(RESULT, None)  # a file chosen after an import: its own preview (and "imported before")
    if st.session_state.get(FILE_KEY) != file_key:
        st.session_state[FILE_KEY] = file_key
        st.session_state[OPTS] = ImportOptions()
        st.session_state.pop(PREVIEW, None)
    return Upload(upload.name, data, file_key)


def _banner(principal: Principal, result: ImportResult, name: str | None = None) -> None:
    source = f"“{md(name)}”" if name else "this file"
    st.success(
        f"{import_words(result.rows_imported, result.opening_set, done=True, locale=principal.locale)} from {source} "
        f"({plural(result.rows_duplicate, 'duplicate', locale=principal.locale)} skipped, "
        f"{plural(result.rows_rejected, 'row', locale=principal.locale)} rejected). You can undo it under **History**.",
        icon=":material/task_alt:",
    )
    opening = st.session_state.get(OPENING_SET)
    if opening is not None and opening[0] == result.batch_id:  # the import's "set the opening balance" box was ticked
        st.success(opening[1], icon=":material/balance:")
    if result.batch_id is not None:  # mostly another currency than the user's and no rate: say so, offer the fix
        currency_advice.render(principal, result.batch_id)
    with read_session() as s:
        plan = categorize.labelling_plan(s, user_id=principal.user_id, limit=10)
    if plan.waiting:
        head = (f"{plural(plan.waiting, 'transaction', locale=principal.locale)} {'waits' if plan.waiting == 1 else 'wait'} "
                f"for a category ({count_text(principal, plan.uncategorized)} uncategorized, "
                f"{count_text(principal, plan.waiting - plan.uncategorized)} uncertain). ")
        if plan.items:
            kinds = sum(1 for i in plan.items if i.payment)  # a stem of payment words is no merchant (session 23)
            what = " and ".join(plural(n, word, form, locale=principal.locale) for n, word, form in (
                (len(plan.items) - kinds, "merchant", None), (kinds, "kind of payment", "kinds of payment")) if n)
            more = (f"Label {what} on the **Categorize** page to sort {count_text(principal, plan.sorts)} of them: "
                    + ", ".join(f"{md(i.name)} ({'a kind of payment, ' if i.payment else ''}"
                                f"{'refunds, ' if i.refund_of else ''}"
                                f"{count_text(principal, i.rows)})" for i in plan.items[:5])
                    + (f" and {count_text(principal, len(plan.items) - 5)} more" if len(plan.items) > 5 else "")
                    + ".")  # not "…." (session 23)
        else:  # no merchant that sorts several at once (it read "Label 0 merchants … to sort 0 of them: ."; session 16)
            more = "Label them on the **Categorize** page."
        st.info(head + more, icon=":material/label:")
