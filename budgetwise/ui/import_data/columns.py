"""The "Columns and format" panel: the file as read, the column mapping form, saving a mapping."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.importing import ROLE_LABELS, SIGN_LABELS, ColumnMapping, ImportOptions
from budgetwise.principal import Principal
from budgetwise.services import importing as svc
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import md
from budgetwise.ui.import_data.state import DATE_ORDER_LABELS, DECIMAL_LABELS, col_label, set_options
from budgetwise.ui.widgets import select_or_none

_ROLES = ["date", "amount", "debit", "credit", "direction", "currency", "category", "subcategory", "account", "bank_type"]


def _sample(preview: svc.ImportPreview) -> None:
    if preview.raw_sample:
        sample = pd.DataFrame(
            list(preview.raw_sample),
            columns=[f"{i + 1}: {c}" for i, c in enumerate(preview.columns)][: len(preview.raw_sample[0])],
        )
        st.caption("The file as read (first rows):")
        st.dataframe(sample, hide_index=True, width="stretch", height=min(250, 38 + 35 * len(sample)))


def _mapping_form(preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    columns = list(range(len(preview.columns)))
    m = preview.mapping
    with st.form(f"imp_map_form_{fk}"):
        sheet: str | None
        if len(preview.sheet_names) > 1:
            sheet = st.selectbox("Sheet", preview.sheet_names,
                                 index=preview.sheet_names.index(preview.sheet), key=f"imp_sheet_{fk}")
        else:
            sheet = preview.sheet
        a, b, c = st.columns(3)
        picks = {}
        for i, role in enumerate(_ROLES):
            picks[role] = select_or_none(
                (a, b, c)[i % 3], ROLE_LABELS[role], columns, value=getattr(m, role), none=col_label(preview.columns, None),
                format_func=lambda x: col_label(preview.columns, x), key=f"imp_map_{role}_{fk}",
            )
        description = st.multiselect(
            ROLE_LABELS["description"], list(range(len(preview.columns))), default=list(m.description),
            format_func=lambda x: col_label(preview.columns, x), key=f"imp_map_description_{fk}",
            help="Several columns are joined in the order you pick them.",
        )
        d1, d2, d3, d4 = st.columns(4)
        orders: list[str | None] = list(DATE_ORDER_LABELS)
        date_order = d1.selectbox("Date order", orders, index=orders.index(opts.date_order),
                                  format_func=lambda v: DATE_ORDER_LABELS[v], key=f"imp_order_{fk}")
        decimals: list[str | None] = list(DECIMAL_LABELS)
        decimal = d2.selectbox("Decimal separator", decimals, index=decimals.index(opts.decimal),
                               format_func=lambda v: DECIMAL_LABELS[v], key=f"imp_decimal_{fk}")
        signs = list(SIGN_LABELS)
        sign = d3.selectbox("Amount signs", signs, index=signs.index(opts.sign),
                            format_func=lambda v: SIGN_LABELS[v], key=f"imp_sign_{fk}")
        header_row = d4.number_input(
            "Header row (0 = none)", min_value=0, max_value=1000, step=1,
            value=int(preview.header_row or 0) if opts.header_row is None else int(opts.header_row),
            key=f"imp_header_{fk}",
        )
        applied = st.form_submit_button("Apply", type="primary")
    if applied:  # what a new header row or sheet resets is the options' rule (ImportOptions.with_layout)
        set_options(opts.with_layout(
            detected_header_row=preview.header_row, detected_sheet=preview.sheet,
            several_sheets=len(preview.sheet_names) > 1, header_row=int(header_row), sheet=sheet,
            mapping=ColumnMapping(description=tuple(description), **picks),
            date_order=date_order, decimal=decimal, sign=str(sign),
        ))
        st.rerun()


def _save_form(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    with st.form(f"imp_save_map_{fk}", clear_on_submit=True):
        name = st.text_input("Save this mapping for the next file with the same columns as",
                             placeholder="e.g. My bank – checking", key=f"imp_map_name_{fk}",
                             max_chars=svc.MAX_MAPPING_NAME)
        if st.form_submit_button("Save mapping"):
            saved = run_action(
                lambda s: svc.save_mapping(
                    s, user_id=principal.user_id, name=name,
                    header_signature=preview.header_signature, columns=preview.columns,
                    mapping=preview.mapping, date_order=preview.date_order,
                    decimal=preview.decimal, sign=preview.sign if opts.sign != "auto" else "auto",
                    account_id=opts.account_id,
                ),
                rerun=False,
            )
            if saved is not None:
                st.toast(f"Saved the mapping “{md(name)}”.", icon="✅")


def render(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    if preview.file_format == "ofx":
        return
    with st.expander("Columns and format", expanded=not preview.mapping_confident):
        if not preview.mapping_confident:
            st.info("Please check which column holds what, then press **Apply**.", icon=":material/tune:")
        _sample(preview)
        _mapping_form(preview, opts, fk)
        if preview.header_signature and preview.mapping.complete:
            _save_form(principal, preview, opts, fk)
