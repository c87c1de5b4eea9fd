"""Transactions: add, filter, browse page by page, edit, recategorize, delete (single and bulk)."""

import datetime as dt

import streamlit as st

from budgetwise.dates import transaction_date_limits
from budgetwise.money import current_currency_codes, from_minor
from budgetwise.services import accounts as accounts_service
from budgetwise.services import categories as categories_service
from budgetwise.services import categorize, exports, rates
from budgetwise.services import transactions as tx
from budgetwise.ui import read_session, require_user
from budgetwise.ui.actions import run_action
from budgetwise.ui.currency import in_base_column
from budgetwise.ui.format import plural
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import (
    column_widths,
    date_column_format,
    date_input_format,
    md,
    money,
    transaction_widths,
    transactions_frame,
)

principal = require_user()

# the selection and every form that acts on it: new widgets after an edit, a bulk change or a delete, so
# nothing the browser still holds (a selected row, a ticked confirmation) carries over to the next action
SELECTION = ("tx_selected", "tx_table", "tx_e", "tx_edit_form", "tx_bulk", "tx_delete")
ADD = "tx_add"  # the add form (see ui.forms: fresh widgets after a successful add)
LEARN = "tx_learn_offer"
PAGE = "tx_page"
AUTO = "— let the rules decide —"
NONE = "— uncategorized —"

st.title("Transactions")

offer = st.session_state.get(LEARN)
if offer is not None:
    with read_session() as s:
        if not categorize.learn_offer_is_current(s, user_id=principal.user_id, offer=offer):
            offer = None  # its transaction was deleted or recategorized since
            st.session_state.pop(LEARN, None)
if offer is not None:
    with st.container(border=True):
        st.markdown(
            f"**Learn this?** Always put transactions like **{md(offer.description or offer.merchant)}** "
            + (f"(any branch or terminal: merchant “{md(offer.merchant)} …”) " if offer.rule_match_type == "starts_with"
               else "")
            + f"in **{md(offer.category_name)}** from now on"
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
            run_action(
                lambda s: categorize.accept_learn_offer(
                    s, user_id=principal.user_id, offer=offer, apply_to_past=choice == "past"
                ),
                then=lambda _changed: st.session_state.pop(LEARN, None),
                toast=lambda changed: f"Learned. {plural(changed, 'past transaction')} updated.", icon="🧠",
            )

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
earliest, latest = transaction_date_limits()  # the same limits the service applies
with read_session() as s:
    empty_account = tx.count_transactions(s, user_id=principal.user_id) == 0
    open_accounts = accounts_service.list_accounts(s, user_id=principal.user_id)
account_names = {a.id: a.name for a in open_accounts}
ak = form_key(ADD)  # new widgets after a successful add: a second press cannot store the same row again
with st.expander("Add a transaction", icon=":material/add_circle:",
                 expanded=empty_account or st.session_state.get("tx_add_open", False)):
    kind = st.radio("Type", ["expense", "income"], horizontal=True, key=f"{ak}_kind", format_func=str.capitalize)
    with st.form(f"{ak}_form"):
        c1, c2, c3 = st.columns([1, 1, 1])
        # no default date: a date the field marks as invalid (e.g. year 2099) leaves it empty, which the
        # service refuses, instead of silently storing the previous value
        day = c1.date_input("Date", value=None, min_value=earliest, max_value=latest, key=f"{ak}_date",
                            format=date_input_format(principal),
                            help=f"From {earliest:%Y-%m-%d} to {latest:%Y-%m-%d}.")
        amount = c2.text_input("Amount", key=f"{ak}_amount", placeholder="e.g. 12.50 or 1,234.56")
        codes = current_currency_codes(include=principal.currency)
        currency = c3.selectbox(
            "Currency", codes, index=codes.index(principal.currency) if principal.currency in codes else 0,
            key=f"{ak}_currency",
        )
        description = st.text_input("Description", key=f"{ak}_description", max_chars=tx.MAX_DESCRIPTION)
        # the first open account is the default; a user without accounts gets "Main account" on the first add
        account_id = st.selectbox(
            "Account", list(account_names), format_func=account_names.get, key=f"{ak}_account",
        ) if account_names else None
        category = st.selectbox(
            "Category", ["auto", *_category_options(kind)], format_func=_cat_label, key=f"{ak}_category"
        )
        notes = st.text_area("Notes (optional)", key=f"{ak}_notes", height=68, max_chars=tx.MAX_NOTES)
        submitted = st.form_submit_button("Add transaction", type="primary")
    if submitted:
        def _added(created) -> None:
            st.session_state["tx_add_open"] = False
            reset_form(ADD)  # a fresh, empty form after success
            st.session_state[PAGE] = 1

        st.session_state["tx_add_open"] = True  # kept open, as typed, after an error
        run_action(
            lambda s: tx.add_transaction(
                s, user_id=principal.user_id, date=day, amount=amount, kind=kind, description=description,
                category_id=None if category == "auto" else category, currency=currency, notes=notes,
                account_id=account_id,
            ),
            then=_added,
            toast=lambda created: f"Added {money(principal, created.signed_minor, created.currency, signed=True)} on "
                                  f"{created.date:%Y-%m-%d} ({md(created.description)})",
            icon="✅",
        )

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


SELECTED = form_key("tx_selected")
TABLE = form_key("tx_table")


def _on_table_select() -> None:
    selection = st.session_state.get(TABLE, {}).get("selection", {}).get("rows", [])
    st.session_state[SELECTED] = [int(frame.iloc[i]["id"]) for i in selection if i < len(frame)]


widths = transaction_widths(frame.columns, base_column=BASE_COLUMN)
shown_frame = frame.drop(columns=["Value"] + [c for c in ("Currency",) if c in frame.columns and c not in widths])
st.dataframe(
    shown_frame,
    hide_index=True,
    width="stretch",
    key=TABLE,
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
ek, efk = form_key("tx_e"), form_key("tx_edit_form")
if len(selected) == 1:
    current = rows_by_id[selected[0]]
    with st.form(f"{efk}_{current.id}"):
        st.markdown(f"**Edit** {md(current.description) or '(no description)'}")
        e1, e2, e3 = st.columns(3)
        e_day = e1.date_input("Date", value=current.date, min_value=earliest, max_value=latest, key=f"{ek}_date_{current.id}",
                              format=date_input_format(principal))
        e_amount = e2.text_input(
            "Amount", value=format(from_minor(current.amount_minor, current.currency), "f"), key=f"{ek}_amount_{current.id}"
        )
        e_kind = e3.selectbox("Type", ["expense", "income"], index=0 if current.kind == "expense" else 1,
                              format_func=str.capitalize, key=f"{ek}_kind_{current.id}")
        e_desc = st.text_input("Description", value=current.description, key=f"{ek}_desc_{current.id}",
                               max_chars=tx.MAX_DESCRIPTION)
        cat_ids = [None, *[c.id for c in categories]]
        e_cat = st.selectbox(
            "Category", cat_ids, index=cat_ids.index(current.category_id) if current.category_id in cat_ids else 0,
            format_func=_cat_label, key=f"{ek}_cat_{current.id}",
        )
        e_notes = st.text_area("Notes", value=current.notes, key=f"{ek}_notes_{current.id}", height=68,
                               max_chars=tx.MAX_NOTES)
        save = st.form_submit_button("Save changes", type="primary")
    if save:
        changes = dict(date=e_day, amount=e_amount, kind=e_kind, description=e_desc, notes=e_notes)
        if e_cat != current.category_id:
            changes["category_id"] = e_cat

        def _saved(_result) -> None:
            if "category_id" in changes and e_cat is not None:
                with read_session() as s:
                    offer = categorize.learn_from_correction(
                        s, user_id=principal.user_id, transaction_id=current.id, category_id=e_cat
                    )
                if offer.worthwhile:
                    st.session_state[LEARN] = offer
            reset_form(*SELECTION)  # a saved edit clears the selection: the next action starts from nothing

        run_action(
            lambda s: tx.update_transaction(s, user_id=principal.user_id, transaction_id=current.id, **changes),
            then=_saved, toast="Transaction updated", icon="✅",
        )

if selected:
    b1, b2 = st.columns(2)
    bk, dk = form_key("tx_bulk"), form_key("tx_delete")
    with b1.form(f"{bk}_category"):
        bulk_cat = st.selectbox("Set the category of the selected", [c.id for c in categories],
                                index=None, placeholder="Choose a category", format_func=_cat_label,
                                key=f"{bk}_cat")
        bulk_uncat = st.checkbox("Or make them uncategorized", key=f"{bk}_uncat")
        if st.form_submit_button(f"Apply to {len(selected)} selected"):
            if bulk_cat is None and not bulk_uncat:
                st.warning("Choose a category first (or tick 'Or make them uncategorized').")
            else:
                run_action(
                    lambda s: tx.set_category_bulk(s, user_id=principal.user_id, transaction_ids=selected,
                                                   category_id=None if bulk_uncat else bulk_cat),
                    then=lambda _n: reset_form(*SELECTION),
                    toast=lambda n: f"Category set on {plural(n, 'transaction')}", icon="🏷️",
                )
    with b2.form(dk):
        confirm = st.checkbox(f"Yes, delete {len(selected)} transaction{'s' if len(selected) != 1 else ''}",
                              key=f"{dk}_confirm")
        if st.form_submit_button("Delete selected", type="secondary"):
            if not confirm:
                st.warning("Tick the confirmation box first: deleting cannot be undone.")
            else:
                run_action(  # no selection and no ticked confirmation survive a delete
                    lambda s: tx.delete_transactions(s, user_id=principal.user_id, transaction_ids=selected),
                    then=lambda _n: reset_form(*SELECTION),
                    toast=lambda n: f"Deleted {plural(n, 'transaction')}", icon="🗑️",
                )

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
