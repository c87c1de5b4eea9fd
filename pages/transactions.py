"""Transactions: add, filter, browse page by page, edit, recategorize, delete (single and bulk)."""

import datetime as dt

import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import current_currency_codes, from_minor
from budgetwise.services import categories as categories_service
from budgetwise.services import categorize
from budgetwise.services import exports, rates
from budgetwise.services import transactions as tx
from budgetwise.ui import db_session, read_session, require_user
from budgetwise.ui.currency import in_base_column
from budgetwise.ui.widgets import (
    column_widths, date_column_format, date_input_format, md, money, show_error, transaction_widths, transactions_frame,
)

principal = require_user()

SELECTED = "tx_selected"
LEARN = "tx_learn_offer"
PAGE = "tx_page"
AUTO = "— let the rules decide —"
NONE = "— uncategorized —"

st.title("Transactions")

offer = st.session_state.get(LEARN)
if offer is not None:
    with st.container(border=True):
        st.markdown(
            f"**Learn this?** Always put **{md(offer.merchant)}** in **{md(offer.category_name)}** from now on"
            + (f", and recategorize {offer.matching_past} past transaction{'s' if offer.matching_past != 1 else ''}"
               " of this merchant" if offer.matching_past else "")
            + ". You can edit or delete the rule on the Categorize page."
        )
        if offer.matching_manual:
            st.caption(f"{offer.matching_manual} transaction(s) you categorized by hand stay as they are.")
        l1, l2, l3 = st.columns(3)
        choice = None
        if l1.button("Yes, learn it" + (" and update the past" if offer.matching_past else ""), type="primary",
                     key="tx_learn_yes"):
            choice = "past"
        if offer.matching_past and l2.button("Only for new transactions", key="tx_learn_future"):
            choice = "future"
        if l3.button("No, thanks", key="tx_learn_no"):
            st.session_state.pop(LEARN, None)
            st.rerun()
        if choice:
            try:
                with db_session() as s:
                    changed = categorize.accept_learn_offer(
                        s, user_id=principal.user_id, offer=offer, apply_to_past=choice == "past"
                    )
            except BudgetwiseError as exc:
                show_error(exc)
            else:
                st.session_state.pop(LEARN, None)
                st.toast(f"Learned. {changed} past transaction{'s' if changed != 1 else ''} updated.", icon="🧠")
                st.rerun()

with read_session() as s:
    categories = categories_service.list_categories(s, user_id=principal.user_id)
cat_by_id = {c.id: c for c in categories}


def _category_options(kind: str) -> list[int]:
    allowed = {"expense": ("expense", "transfer"), "income": ("income", "transfer")}[kind]
    return [c.id for c in categories if c.kind in allowed]


def _cat_label(cid) -> str:
    if cid is None:
        return NONE
    if cid == "auto":
        return AUTO
    c = cat_by_id.get(cid)
    return f"{c.name}" + (" (transfer)" if c and c.kind == "transfer" else "") if c else str(cid)


# ---------------------------------------------------------------- add
with st.expander("Add a transaction", icon=":material/add_circle:", expanded=st.session_state.get("tx_add_open", False)):
    kind = st.radio("Type", ["expense", "income"], horizontal=True, key="tx_add_kind", format_func=str.capitalize)
    with st.form("tx_add_form"):
        c1, c2, c3 = st.columns([1, 1, 1])
        day = c1.date_input("Date", value=dt.date.today(), key="tx_add_date", format=date_input_format(principal))
        amount = c2.text_input("Amount", key="tx_add_amount", placeholder="e.g. 12.50 or 1,234.56")
        codes = current_currency_codes(include=principal.currency)
        currency = c3.selectbox(
            "Currency", codes, index=codes.index(principal.currency) if principal.currency in codes else 0,
            key="tx_add_currency",
        )
        description = st.text_input("Description", key="tx_add_description", max_chars=tx.MAX_DESCRIPTION)
        category = st.selectbox(
            "Category", ["auto", *_category_options(kind)], format_func=_cat_label, key="tx_add_category"
        )
        notes = st.text_area("Notes (optional)", key="tx_add_notes", height=68)
        submitted = st.form_submit_button("Add transaction", type="primary")
    if submitted:
        try:
            with db_session() as s:
                created = tx.add_transaction(
                    s, user_id=principal.user_id, date=day, amount=amount, kind=kind, description=description,
                    category_id=None if category == "auto" else category, currency=currency, notes=notes,
                )
        except BudgetwiseError as exc:
            st.session_state["tx_add_open"] = True
            show_error(exc)
        else:
            st.session_state["tx_add_open"] = False
            for key in ("tx_add_amount", "tx_add_description", "tx_add_notes", "tx_add_category"):
                st.session_state.pop(key, None)  # a fresh form after success; kept as typed after an error
            st.toast(f"Added {money(principal, created.signed_minor, created.currency, signed=True)}", icon="✅")
            st.session_state[PAGE] = 1
            st.rerun()

# ---------------------------------------------------------------- filters
with st.expander("Filter", icon=":material/filter_list:", expanded=False):
    f1, f2 = st.columns(2)
    use_dates = f1.checkbox("Limit to a date range", key="tx_f_use_dates")
    dates = f1.date_input(
        "Date range", value=(dt.date.today().replace(day=1), dt.date.today()), key="tx_f_dates",
        disabled=not use_dates, format=date_input_format(principal),
    )
    kind_filter = f2.selectbox("Type", ["all", "expense", "income"], key="tx_f_kind", format_func=str.capitalize)
    cat_filter = st.multiselect(
        "Categories", [c.id for c in categories], format_func=_cat_label, key="tx_f_categories"
    )
    uncategorized = st.checkbox("Include uncategorized only / also", key="tx_f_uncat",
                                help="With no category chosen: only uncategorized. With categories: those or uncategorized.")
    text = st.text_input("Search description and notes", key="tx_f_text")

date_from = date_to = None
if use_dates and isinstance(dates, tuple) and len(dates) == 2:
    date_from, date_to = dates
flt = tx.TransactionFilter(
    date_from=date_from, date_to=date_to, kind=None if kind_filter == "all" else kind_filter,
    category_ids=tuple(cat_filter), uncategorized=uncategorized, text=text,
)

# ---------------------------------------------------------------- table
p1, p2 = st.columns([1, 3])
page_size = p1.selectbox("Rows per page", [25, 50, 100, 250], index=1, key="tx_page_size")
with read_session() as s:
    result = tx.list_transactions(
        s, user_id=principal.user_id, filters=flt, page=st.session_state.get(PAGE, 1), page_size=page_size
    )
if result.page != st.session_state.get(PAGE):
    st.session_state[PAGE] = result.page

if result.total == 0:
    if flt == tx.TransactionFilter():
        st.info("No transactions yet. Add one above, or bring your history in on the **Import** page.")
    else:
        st.info("No transactions match these filters.")
    st.stop()

page_number = p2.number_input(
    f"Page (of {result.pages:,})", min_value=1, max_value=result.pages, step=1, key=PAGE,
)
first = (result.page - 1) * result.page_size + 1
st.caption(f"Showing {first:,}–{first + len(result.rows) - 1:,} of {result.total:,} transactions, newest first.")

frame = transactions_frame(principal, result.rows)
rows_by_id = {r.id: r for r in result.rows}
BASE_COLUMN = f"In {principal.currency}"
if any(r.currency != principal.currency for r in result.rows):
    # the amount as entered stays in "Amount"; beside it, at the rate of the transaction's date
    with read_session() as s:
        converted = rates.convert_each(
            s, user_id=principal.user_id, items=[(r.currency, r.date, r.amount_minor) for r in result.rows]
        )
    frame.insert(frame.columns.get_loc("Amount") + 1, BASE_COLUMN, in_base_column(principal, result.rows, converted))
    if any(v is None for v in converted):
        st.caption(
            f"“— no rate”: no exchange rate to {principal.currency} for that date yet; add it under "
            "Profile → Exchange rates."
        )


def _on_table_select() -> None:
    selection = st.session_state.get("tx_table", {}).get("selection", {}).get("rows", [])
    st.session_state[SELECTED] = [int(frame.iloc[i]["id"]) for i in selection if i < len(frame)]


widths = transaction_widths(frame.columns, base_column=BASE_COLUMN)
shown_frame = frame.drop(columns=["Value"] + [c for c in ("Currency",) if c in frame.columns and c not in widths])
st.dataframe(
    shown_frame,
    hide_index=True,
    use_container_width=True,
    key="tx_table",
    on_select=_on_table_select,
    selection_mode="multi-row",
    column_config={
        **column_widths(widths),
        "id": None,
        "Date": st.column_config.DateColumn("Date", format=date_column_format(principal), width=widths["Date"]),
    },
)

st.session_state[SELECTED] = [i for i in st.session_state.get(SELECTED, []) if i in rows_by_id]
selected = st.multiselect(
    "Selected transactions (tick rows in the table, or choose here)",
    list(rows_by_id),
    key=SELECTED,
    format_func=lambda i: (
        f"{rows_by_id[i].date.isoformat()} · {rows_by_id[i].description[:40] or '(no description)'} · "
        f"{money(principal, rows_by_id[i].signed_minor, rows_by_id[i].currency)}"
    ),
)

# ---------------------------------------------------------------- actions on the selection
if len(selected) == 1:
    current = rows_by_id[selected[0]]
    with st.form(f"tx_edit_form_{current.id}"):
        st.markdown(f"**Edit** {md(current.description) or '(no description)'}")
        e1, e2, e3 = st.columns(3)
        e_day = e1.date_input("Date", value=current.date, key=f"tx_e_date_{current.id}",
                              format=date_input_format(principal))
        e_amount = e2.text_input(
            "Amount", value=format(from_minor(current.amount_minor, current.currency), "f"), key=f"tx_e_amount_{current.id}"
        )
        e_kind = e3.selectbox("Type", ["expense", "income"], index=0 if current.kind == "expense" else 1,
                              format_func=str.capitalize, key=f"tx_e_kind_{current.id}")
        e_desc = st.text_input("Description", value=current.description, key=f"tx_e_desc_{current.id}",
                               max_chars=tx.MAX_DESCRIPTION)
        cat_ids = [None, *[c.id for c in categories]]
        e_cat = st.selectbox(
            "Category", cat_ids, index=cat_ids.index(current.category_id) if current.category_id in cat_ids else 0,
            format_func=_cat_label, key=f"tx_e_cat_{current.id}",
        )
        e_notes = st.text_area("Notes", value=current.notes, key=f"tx_e_notes_{current.id}", height=68)
        save = st.form_submit_button("Save changes", type="primary")
    if save:
        changes = dict(date=e_day, amount=e_amount, kind=e_kind, description=e_desc, notes=e_notes)
        if e_cat != current.category_id:
            changes["category_id"] = e_cat
        try:
            with db_session() as s:
                tx.update_transaction(s, user_id=principal.user_id, transaction_id=current.id, **changes)
        except BudgetwiseError as exc:
            show_error(exc)
        else:
            if "category_id" in changes and e_cat is not None:
                with read_session() as s:
                    offer = categorize.learn_from_correction(
                        s, user_id=principal.user_id, transaction_id=current.id, category_id=e_cat
                    )
                if offer.worthwhile:
                    st.session_state[LEARN] = offer
            st.toast("Transaction updated", icon="✅")
            st.rerun()

if selected:
    b1, b2 = st.columns(2)
    with b1.form("tx_bulk_category"):
        bulk_cat = st.selectbox("Set the category of the selected", [c.id for c in categories],
                                index=None, placeholder="Choose a category", format_func=_cat_label,
                                key="tx_bulk_cat")
        bulk_uncat = st.checkbox("Or make them uncategorized", key="tx_bulk_uncat")
        if st.form_submit_button(f"Apply to {len(selected)} selected"):
            if bulk_cat is None and not bulk_uncat:
                st.warning("Choose a category first (or tick 'Or make them uncategorized').")
            else:
                try:
                    with db_session() as s:
                        n = tx.set_category_bulk(s, user_id=principal.user_id, transaction_ids=selected,
                                                 category_id=None if bulk_uncat else bulk_cat)
                except BudgetwiseError as exc:
                    show_error(exc)
                else:
                    st.toast(f"Category set on {n} transaction{'s' if n != 1 else ''}", icon="🏷️")
                    st.rerun()
    with b2.form("tx_delete"):
        confirm = st.checkbox(f"Yes, delete {len(selected)} transaction{'s' if len(selected) != 1 else ''}",
                              key="tx_delete_confirm")
        if st.form_submit_button("Delete selected", type="secondary"):
            if not confirm:
                st.warning("Tick the confirmation box first: deleting cannot be undone.")
            else:
                try:
                    with db_session() as s:
                        n = tx.delete_transactions(s, user_id=principal.user_id, transaction_ids=selected)
                except BudgetwiseError as exc:
                    show_error(exc)
                else:
                    del st.session_state[SELECTED]
                    st.toast(f"Deleted {n} transaction{'s' if n != 1 else ''}", icon="🗑️")
                    st.rerun()

# ---------------------------------------------------------------- export
st.divider()
st.subheader("Export")


def _export_frame():
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
