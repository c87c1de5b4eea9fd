"""The Transactions page's downloads of every transaction (built only when clicked)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import exports
from budgetwise.ui.context import read_session


def render(principal: Principal) -> None:
    st.divider()
    st.subheader("Export")

    def _export_frame() -> pd.DataFrame:
        with read_session() as s:
            return exports.transactions_export_frame(s, user_id=principal.user_id)

    d1, d2 = st.columns(2)
    d1.download_button(
        "Download all as CSV", lambda: exports.to_csv_bytes(_export_frame()),
        file_name=exports.timestamped_name("budgetwise-transactions", "csv"), mime="text/csv", key="tx_dl_csv",
    )
    d2.download_button(
        "Download all as Excel", lambda: exports.to_excel_bytes(_export_frame(), sheet_name="Transactions"),
        file_name=exports.timestamped_name("budgetwise-transactions", "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="tx_dl_xlsx",
    )
