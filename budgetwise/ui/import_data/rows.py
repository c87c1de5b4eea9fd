"""The preview's rows as they will be stored, and the rows that cannot be imported."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.importing import ImportOptions
from budgetwise.principal import Principal
from budgetwise.services import exports
from budgetwise.services import importing as svc
from budgetwise.ui.format import count_text, date_cells, date_column, money, plural
from budgetwise.ui.widgets import (
    IMPORT_PREVIEW_ACCOUNT,
    IMPORT_PREVIEW_DESCRIPTION_MIN,
    IMPORT_PREVIEW_HOW,
    IMPORT_PREVIEW_STATUS,
    IMPORT_PREVIEW_WIDTHS,
    PROSE_PX,
    column_widths,
    fitted_widths,
    text_width,
    wrapped_column,
)


def _stored(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions) -> None:
    st.subheader("Preview")
    shown = min(len(preview.rows), preview.rows_valid)
    if preview.rows_new == 0 and not opts.include_duplicates:
        what = "already in your data, so nothing will be stored"
    elif shown == 1:
        what = "as it will be stored"
    else:
        what = "as they will be stored"
    st.caption(f"The first {count_text(principal, shown)} of {plural(preview.rows_valid, 'readable row', locale=principal.locale)}, {what}."
               if shown < preview.rows_valid else
               f"{'The readable row' if shown == 1 else f'All {count_text(principal, shown)} readable rows'}, {what}.")
    statuses = ["Duplicate: skipped" if r.duplicate and not opts.include_duplicates
                else ("Duplicate" if r.duplicate else "New") for r in preview.rows]
    hows = [r.how for r in preview.rows]
    frame = pd.DataFrame(
        {
            "Row": [r.row for r in preview.rows],
            "Date": date_cells(principal, [r.date for r in preview.rows]),
            "Description": [r.description for r in preview.rows],
            "Amount": [money(principal, r.amount_minor if r.kind == "income" else -r.amount_minor,
                             r.currency, signed=True) for r in preview.rows],
            # rows going to several accounts (a file of several cards, an Account column): each row's (session 28)
            **({"Account": [r.goes_to for r in preview.rows]} if len({r.goes_to for r in preview.rows}) > 1 else {}),
            "Category": [r.category_name or "—" for r in preview.rows],
            # Status before How: How is last and, with a long "guess: …" beside a long Description, is the
            # column that may run past the page's width; Status must stay in view (QA 2026-12-05: it was cut off)
            "Status": statuses,
            "How": hows,
        }
    )
    fixed = {**IMPORT_PREVIEW_WIDTHS, "Status": text_width(statuses, IMPORT_PREVIEW_STATUS, char_px=PROSE_PX)}
    if "Account" in frame:
        fixed["Account"] = text_width(frame["Account"], IMPORT_PREVIEW_ACCOUNT, char_px=PROSE_PX)
    # a long "guess: …" beside the narrowest Description ran ~160 px past a 1280 px window: How gets what is
    # left and its text wraps (taller rows) instead (session 19, nits)
    how, row_height = wrapped_column(fixed, text_width(hows, IMPORT_PREVIEW_HOW, char_px=PROSE_PX), IMPORT_PREVIEW_HOW,
                                     flexible_minimum=IMPORT_PREVIEW_DESCRIPTION_MIN,
                                     longest=max(map(len, hows), default=0))
    widths = fitted_widths({**fixed, "How": how}, "Description", minimum=IMPORT_PREVIEW_DESCRIPTION_MIN)
    st.dataframe(frame, hide_index=True, width="stretch", row_height=row_height,
                 column_config={**column_widths(widths), "Date": date_column(principal, width=widths["Date"])})
    if preview.currencies and (len(preview.currencies) > 1 or preview.currencies[0][0] != principal.currency):
        st.caption("Currencies: " + ", ".join(f"{c} ({count_text(principal, n)})" for c, n in preview.currencies))


def _rejected(principal: Principal, preview: svc.ImportPreview, fk: str) -> None:
    st.subheader(f"Rows that cannot be imported ({count_text(principal, len(preview.rejections))})")
    rej = pd.DataFrame(
        {
            "Row": [r.row for r in preview.rejections],
            "Field": [r.field for r in preview.rejections],
            "Reason": [r.reason for r in preview.rejections],
            "Value": [r.value for r in preview.rejections],
        }
    )
    st.dataframe(rej, hide_index=True, width="stretch", height=min(400, 38 + 35 * len(rej)))
    st.download_button(
        "Download the list (CSV)", exports.to_csv_bytes(rej), file_name="rejected-rows.csv",
        mime="text/csv", key=f"imp_rej_dl_{fk}",
    )


def render(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    if preview.rows:
        _stored(principal, preview, opts)
    if preview.rejections:
        _rejected(principal, preview, fk)
