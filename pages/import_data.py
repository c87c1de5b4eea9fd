"""Import: upload a bank file, check the preview, map columns if needed, commit; history with undo.

A shell over the sections in budgetwise/ui/import_data/; the import rules live in the service
and model (ImportOptions.with_layout, ImportPreview.rows_to_commit, ImportBatchView.can_undo).
"""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.services import auth
from budgetwise.services import categories as categories_service
from budgetwise.services import importing as svc
from budgetwise.ui import get_settings, read_session, require_user
from budgetwise.ui.import_data import columns, commit, detected, history, labels, mappings, rows, upload
from budgetwise.ui.import_data.state import options

principal = require_user()
settings = get_settings()


@st.cache_resource(show_spinner=False)
def _warmed() -> bool:
    """Once per server process: the libraries a first preview needs, imported in the background."""
    svc.warm_up()
    return True


_warmed()

st.title("Import transactions")
st.caption(
    "Bring in your history from your bank: CSV or TSV exports in any layout, Excel (.xlsx) or OFX/QFX. "
    "Nothing is saved until you press **Import**; rows already in your data are skipped."
)

with read_session() as s:
    version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
    categories = categories_service.list_categories(s, user_id=principal.user_id)
    batches = svc.list_import_batches(s, user_id=principal.user_id)
cat_names = {c.id: c.name + (" (transfer)" if c.kind == "transfer" else "") for c in categories}

tab_import, tab_history, tab_mappings = st.tabs(  # keyed: a choice under History reran on "Import a file" (session 13)
    ["Import a file", "History", "Saved mappings"], key="imp_tab")

with tab_import:
    file = upload.render(principal, settings, {b.id for b in batches if b.can_undo})
    if file is not None:
        opts = options()
        preview = detected.load(principal, settings, file, opts, version)
        if preview is not None:
            detected.render(principal, preview, opts, file)
            columns.render(principal, preview, opts, file.fk)
            labels.render(preview, cat_names, file.fk)
            rows.render(principal, preview, opts, file.fk)
            commit.render(principal, settings, preview, opts, file)
with tab_history:
    history.render(principal, batches)
with tab_mappings:
    mappings.render(principal)
