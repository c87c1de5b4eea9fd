"""The Reports page's "Monthly PDF" tab: pick a month, prepare the PDF (cached), download it."""

from __future__ import annotations

import streamlit as st

from budgetwise.services import exports
from budgetwise.services import reports as R
from budgetwise.ui.actions import load
from budgetwise.ui.format import month_label
from budgetwise.ui.reports.common import ReportPage


def render(page: ReportPage) -> None:
    st.markdown("A printable monthly report: summary and category tables, charts, budgets, merchants, "
                "recurring and unusual payments.")
    first_data, last_data = page.data.call(R.data_range)
    pdf_months = R.report_months(first_data, last_data, page.today)
    pdf_month = st.selectbox("Month", pdf_months, format_func=lambda m: month_label(page.principal, m), key="rep_pdf_pick")
    if st.button("Prepare PDF", key="rep_pdf_make", icon=":material/picture_as_pdf:") and pdf_month:
        st.session_state["rep_pdf_month"] = pdf_month.isoformat()
    wanted = st.session_state.get("rep_pdf_month")
    if not (wanted and pdf_month and wanted == pdf_month.isoformat()):
        return
    with st.spinner("Drawing the charts…"):
        pdf_bytes = load(lambda: page.data.pdf(pdf_month, page.today))
    if pdf_bytes:
        st.download_button(
            f"Download the {month_label(page.principal, pdf_month)} report (PDF)", data=pdf_bytes,
            file_name=exports.timestamped_name(f"budgetwise-report-{pdf_month.strftime('%Y-%m')}", "pdf"),
            mime="application/pdf", key="rep_pdf_download", type="primary", icon=":material/download:",
            on_click="ignore",
        )
