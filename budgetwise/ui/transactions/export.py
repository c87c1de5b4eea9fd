"""The Transactions page's downloads (built only when clicked): every transaction, or under an active filter
the transactions it shows, with labels that say which (session 26: "Download all as CSV" under an account
filter)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import exports
from budgetwise.services import transactions as tx
from budgetwise.ui.context import read_session


def render(principal: Principal, flt: tx.TransactionFilter | None = None) -> None:
    st.divider()
    st.subheader("Export")
    filtered = flt is not None and flt != tx.TransactionFilter()

    def _export_frame() -> pd.DataFrame:
        with read_session() as s:
            return exports.transactions_export_frame(
                s, user_id=principal.user_id, filters=flt if filtered else None
            )

    what, stem = ("the filtered transactions", "budgetwise-transactions-filtered") if filtered else (
        "all", "budgetwise-transactions")
    if filtered:
        st.caption("Only the transactions that match the filter above. Clear the filter to download all of them.")
    d1, d2 = st.columns(2)
    d1.download_button(
        f"Download {what} as CSV", lambda: exports.to_csv_bytes(_export_frame()),
        file_name=exports.timestamped_name(stem, "csv"), mime="text/csv", key="tx_dl_csv",
    )
    d2.download_button(
        f"Download {what} as Excel", lambda: exports.to_excel_bytes(_export_frame(), sheet_name="Transactions"),
        file_name=exports.timestamped_name(stem, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="tx_dl_xlsx",
    )
