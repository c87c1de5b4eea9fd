"""The Reports page's "Unusual" tab: unusual transactions, spending spikes, possible duplicates."""

from __future__ import annotations

import streamlit as st

from budgetwise.services import reports as R
from budgetwise.ui.reporting import display_frame, download_buttons
from budgetwise.ui.reports.common import ReportPage


def render(page: ReportPage) -> None:
    data, flt, today = page.data, page.flt, page.today
    st.markdown("**Unusual transactions** — far above what is typical for their category")
    flagged = [
        (None, R.unusual_frame(data.call(R.unusual_transactions, filters=flt, today=today)), {"typical": "Typical"},
         "Nothing unusual in this period (a category needs at least 8 earlier expenses to be judged).",
         "unusual-transactions", "rep_dl_unusual", None),
        ("**Spending spikes** — months far above the months before",
         R.spikes_frame(data.call(R.spending_spikes, filters=flt, today=today)), {"typical": "Usual month"},
         "No spikes in this period (at least 6 earlier months with transactions are needed).", "spending-spikes", "rep_dl_spikes", None),
        ("**Possible duplicates** — same merchant and amount within a few days",
         R.duplicates_frame(data.call(R.likely_duplicates, filters=flt, today=today)), None,
         "No likely duplicates in this period.", "possible-duplicates", "rep_dl_dups",
         "Check them on the Transactions page and delete the extra copy if it really is one."),
    ]
    for heading, frame, rename, empty_text, stem, key, note in flagged:
        if heading:
            st.markdown(heading)
        if frame.empty:
            st.caption(empty_text)
            continue
        st.dataframe(display_frame(page.principal, frame, rename=rename), hide_index=True, width="stretch",
                     column_config={"Reason": st.column_config.TextColumn(width="large")})
        download_buttons(frame, stem=stem, currency=page.cur, key=key)
        if note:
            st.caption(note)
