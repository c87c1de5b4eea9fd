"""Import: upload a bank file, check the preview, map columns if needed, commit; history with undo."""

import hashlib

import pandas as pd
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import currency_codes
from budgetwise.importing import ROLE_LABELS, SIGN_LABELS, ColumnMapping, ImportOptions
from budgetwise.services import auth
from budgetwise.services import categories as categories_service
from budgetwise.services import categorize
from budgetwise.services import exports
from budgetwise.services import accounts as accounts_service
from budgetwise.services import importing as svc
from budgetwise.ui import db_session, get_settings, read_session, require_user
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import IMPORT_HISTORY_WIDTHS, column_widths, kpi, md, money, show_error

principal = require_user()
settings = get_settings()

OPTS = "imp_opts"  # ImportOptions for the current file
FILE_KEY = "imp_file_key"
PREVIEW = "imp_preview"  # (key, ImportPreview)
UNDO_FORM = "imp_undo"  # the picker, confirmation and button of History → Undo (see ui.forms)
RESULT = "imp_result"  # (file key, ImportResult) of the last commit: shown only with that file, while not undone
NONE = "—"
DATE_ORDER_LABELS = {None: "Detect", "dmy": "Day first (31/12/2024)", "mdy": "Month first (12/31/2024)"}
DECIMAL_LABELS = {None: "Detect", ".": "Point (1,234.56)", ",": "Comma (1.234,56)"}

st.title("Import transactions")
st.caption(
    "Bring in your history from your bank: CSV or TSV exports in any layout, Excel (.xlsx) or OFX/QFX. "
    "Nothing is saved until you press **Import**; rows already in your data are skipped."
)

with read_session() as s:
    version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
    categories = categories_service.list_categories(s, user_id=principal.user_id)
cat_names = {c.id: c.name + (" (transfer)" if c.kind == "transfer" else "") for c in categories}
name_to_cat = {v: k for k, v in cat_names.items()}

tab_import, tab_history, tab_mappings = st.tabs(["Import a file", "History", "Saved mappings"])


def _options() -> ImportOptions:
    return st.session_state.get(OPTS) or ImportOptions()


def _set_options(**changes) -> None:
    st.session_state[OPTS] = _options().with_(**changes)
    st.session_state.pop(PREVIEW, None)


def _use_currency(code: str, widget_key: str) -> None:
    """The user confirmed the file's currency: the option and the currency picker both show it."""
    _set_options(currency=code)
    st.session_state[widget_key] = code


def _n(count: int, noun: str) -> str:
    """"1 transaction", "2 transactions": the number and a plural-aware noun."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _col_label(columns, index) -> str:
    return NONE if index is None else f"{index + 1}: {columns[index]}"


# ======================================================================= import
with read_session() as s:
    batches = svc.list_import_batches(s, user_id=principal.user_id)
live_batches = {b.id for b in batches if b.status == "committed" and b.rows_remaining > 0}

with tab_import:
    upload = st.file_uploader(
        f"Bank file (CSV, TSV, Excel .xlsx, OFX/QFX; up to {settings.max_upload_mb} MB)",
        key="imp_upload",
        max_upload_size=settings.max_upload_mb,
        help="Download a statement or transaction export from your online banking and drop it here.",
    )
    if upload is None:
        st.session_state.pop(RESULT, None)  # the result belonged to a file that is gone (or to another visit)
        st.info("Choose a file to see a preview. Nothing is imported until you confirm.", icon=":material/upload_file:")
    else:
        data = upload.getvalue()
        file_key = (upload.name, hashlib.sha256(data).hexdigest())
        if st.session_state.get(FILE_KEY) != file_key:
            st.session_state[FILE_KEY] = file_key
            st.session_state[OPTS] = ImportOptions()
            st.session_state.pop(PREVIEW, None)
            st.session_state.pop(RESULT, None)
        fk = file_key[1][:12]
        last = st.session_state.get(RESULT)
        if last is not None and (last[0] != file_key or last[1].batch_id not in live_batches):
            st.session_state.pop(RESULT, None)  # another file, or the import was undone
            last = None
        just_imported = last[1] if last is not None else None
        if just_imported is not None:
            st.success(
                f"Imported {_n(just_imported.rows_imported, 'transaction')} from this file "
                f"({_n(just_imported.rows_duplicate, 'duplicate')} skipped, "
                f"{_n(just_imported.rows_rejected, 'row')} rejected). You can undo it under **History**.",
                icon=":material/task_alt:",
            )
            with read_session() as s:
                plan = categorize.labelling_plan(s, user_id=principal.user_id, limit=10)
            if plan.waiting:
                st.info(
                    f"{_n(plan.waiting, 'transaction')} wait for a category ({plan.uncategorized:,} uncategorized, "
                    f"the rest uncertain). Label {_n(len(plan.items), 'merchant')} on the **Categorize** page "
                    f"to sort {plan.sorts:,} of them: " + ", ".join(f"{md(i.stem)} ({i.rows:,})" for i in plan.items[:5])
                    + ("…" if len(plan.items) > 5 else "") + ".",
                    icon=":material/label:",
                )
        opts = _options()
        preview_key = (file_key, opts, version)
        cached = st.session_state.get(PREVIEW)
        preview = None
        if cached and cached[0] == preview_key:
            preview = cached[1]
        else:
            try:
                with st.spinner("Reading the file…"), read_session() as s:
                    preview = svc.preview_import(
                        s, user_id=principal.user_id, data=data, filename=upload.name, options=opts,
                        max_bytes=settings.max_upload_bytes,
                    )
            except BudgetwiseError as exc:
                show_error(exc)
            else:
                st.session_state[PREVIEW] = (preview_key, preview)

        if preview is not None:
            # ---------------------------------------------------------- what was detected
            fmt = preview.file_format.upper()
            delim = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(preview.delimiter or "", preview.delimiter or "—")
            details = [f"**Format:** {fmt}"]
            if preview.file_format in ("csv", "tsv"):
                details += [f"**Encoding:** {md(preview.encoding)}", f"**Delimiter:** {delim}",
                            f"**Header:** {'row ' + str(preview.header_row) if preview.header_row else 'none'}"]
            if preview.sheet:
                details.append(f"**Sheet:** {md(preview.sheet)}")
            if preview.date_order and preview.file_format != "ofx":
                details.append(f"**Dates:** {DATE_ORDER_LABELS[preview.date_order].split(' (')[0].lower()}")
            if preview.decimal:
                details.append(f"**Decimal:** {'comma' if preview.decimal == ',' else 'point'}")
            st.markdown(" · ".join(details))
            # The currency of rows that carry none of their own (a currency column or OFX CURDEF wins).
            codes = currency_codes()
            file_currency = opts.currency or principal.currency
            chosen_currency = st.columns([1, 3])[0].selectbox(
                "Currency of this file", codes, index=codes.index(file_currency), key=f"imp_currency_{fk}",
                help="For rows without a currency of their own (a currency column or the OFX statement's currency "
                     f"wins). Amounts in another currency than {principal.currency} are converted in reports at "
                     "the rate of each transaction's date (Profile → Exchange rates).",
            )
            if chosen_currency != file_currency:
                _set_options(currency=None if chosen_currency == principal.currency else chosen_currency)
                st.rerun()
            # The account the rows go to (issue #19): OFX statements name their own account; a CSV layout's
            # saved mapping remembers its account; otherwise the first (default) account.
            with read_session() as s:
                open_accounts = {a.id: a.name for a in accounts_service.list_accounts(s, user_id=principal.user_id)}
            saved_account = preview.saved_mapping.account_id if preview.saved_mapping is not None else None
            auto_label = ("The statement's own account (matched by its account number)" if preview.file_format == "ofx"
                          else f"Remembered with the mapping: {open_accounts.get(saved_account, 'default account')}"
                          if saved_account else "My first account (default)")
            account_choice = st.columns([2, 2])[0].selectbox(
                "Account", [None, *open_accounts], key=f"imp_account_{fk}",
                index=([None, *open_accounts].index(opts.account_id) if opts.account_id in open_accounts else 0),
                format_func=lambda i: auto_label if i is None else open_accounts[i],
                help="Which of your accounts these transactions belong to (balances and the cash-flow forecast).",
            )
            if account_choice != opts.account_id and not (account_choice is None and opts.account_id == saved_account):
                _set_options(account_id=account_choice)
                st.rerun()
            kept_key = f"imp_currency_kept_{fk}"
            if preview.suggested_currency and not st.session_state.get(kept_key):
                code, sign = preview.suggested_currency, preview.suggested_from_sign
                st.info(f"The amounts in this file are written with “{md(sign)}”. Is the file in {code}? As it is, "
                        f"they would be stored in {principal.currency}.", icon=":material/currency_exchange:")
                y, n, _ = st.columns([1, 1, 2])
                y.button(f"Yes, the file is in {code}", key=f"imp_currency_yes_{fk}", type="primary",
                         on_click=_use_currency, args=(code, f"imp_currency_{fk}"))
                if n.button(f"No, keep {principal.currency}", key=f"imp_currency_no_{fk}"):
                    st.session_state[kept_key] = True
                    st.rerun()
            if preview.date_order_reason and preview.file_format != "ofx":
                st.caption(f"Date order: {md(preview.date_order_reason)}.")
            if preview.saved_mapping is not None:
                st.info(f"Using your saved mapping **{md(preview.saved_mapping.name)}** for this layout.",
                        icon=":material/bookmark:")
            if preview.previous_import is not None and (
                just_imported is None or preview.previous_import[0] != just_imported.batch_id
            ):  # not for the batch this very page just committed: the banner above says so
                batch_id, when = preview.previous_import
                st.warning(f"You imported this exact file before (import #{batch_id}, {when:%Y-%m-%d %H:%M} UTC). "
                           "Its rows will show up as duplicates.", icon=":material/content_copy:")
            for w in preview.warnings:
                st.warning(md(w), icon=":material/info:")

            c1, c2, c3, c4 = st.columns(4)
            with c1:
                kpi("Rows read", f"{preview.rows_read:,}")
            with c2:
                kpi("Will be imported", f"{preview.rows_new:,}")
            with c3:
                kpi("Duplicates", f"{preview.rows_duplicate:,}",
                    help="Already in your data (same date, amount, direction and description).")
            with c4:
                kpi("Cannot be imported", f"{len(preview.rejections):,}")

            # ---------------------------------------------------------- sheet / columns / format
            if preview.file_format != "ofx":
                with st.expander("Columns and format", expanded=not preview.mapping_confident):
                    if not preview.mapping_confident:
                        st.info("Please check which column holds what, then press **Apply**.", icon=":material/tune:")
                    if preview.raw_sample:
                        sample = pd.DataFrame(
                            list(preview.raw_sample),
                            columns=[f"{i + 1}: {c}" for i, c in enumerate(preview.columns)][: len(preview.raw_sample[0])],
                        )
                        st.caption("The file as read (first rows):")
                        st.dataframe(sample, hide_index=True, width="stretch", height=min(250, 38 + 35 * len(sample)))
                    choices = [None, *range(len(preview.columns))]
                    m = preview.mapping
                    with st.form(f"imp_map_form_{fk}"):
                        if len(preview.sheet_names) > 1:
                            sheet = st.selectbox("Sheet", preview.sheet_names,
                                                 index=preview.sheet_names.index(preview.sheet), key=f"imp_sheet_{fk}")
                        else:
                            sheet = preview.sheet
                        a, b, c = st.columns(3)
                        picks = {}
                        for i, role in enumerate(["date", "amount", "debit", "credit", "direction", "currency",
                                                  "category", "subcategory", "account"]):
                            col = (a, b, c)[i % 3]
                            current = getattr(m, role)
                            picks[role] = col.selectbox(
                                ROLE_LABELS[role], choices, index=choices.index(current),
                                format_func=lambda x: _col_label(preview.columns, x), key=f"imp_map_{role}_{fk}",
                            )
                        description = st.multiselect(
                            ROLE_LABELS["description"], list(range(len(preview.columns))), default=list(m.description),
                            format_func=lambda x: _col_label(preview.columns, x), key=f"imp_map_description_{fk}",
                            help="Several columns are joined in the order you pick them.",
                        )
                        d1, d2, d3, d4 = st.columns(4)
                        orders = list(DATE_ORDER_LABELS)
                        date_order = d1.selectbox("Date order", orders, index=orders.index(opts.date_order),
                                                  format_func=DATE_ORDER_LABELS.get, key=f"imp_order_{fk}")
                        decimals = list(DECIMAL_LABELS)
                        decimal = d2.selectbox("Decimal separator", decimals, index=decimals.index(opts.decimal),
                                               format_func=DECIMAL_LABELS.get, key=f"imp_decimal_{fk}")
                        signs = list(SIGN_LABELS)
                        sign = d3.selectbox("Amount signs", signs, index=signs.index(opts.sign),
                                            format_func=SIGN_LABELS.get, key=f"imp_sign_{fk}")
                        header_row = d4.number_input(
                            "Header row (0 = none)", min_value=0, max_value=1000, step=1,
                            value=int(preview.header_row or 0) if opts.header_row is None else int(opts.header_row),
                            key=f"imp_header_{fk}",
                        )
                        applied = st.form_submit_button("Apply", type="primary")
                    if applied:
                        new_header = int(header_row)
                        header_changed = new_header != (preview.header_row or 0)
                        sheet_changed = sheet != preview.sheet
                        # A new header row or sheet means new columns: detect them again.
                        mapping = None if (header_changed or sheet_changed) else ColumnMapping(
                            description=tuple(description), **picks)
                        _set_options(
                            mapping=mapping, date_order=date_order, decimal=decimal, sign=sign,
                            sheet=sheet if len(preview.sheet_names) > 1 else None,
                            header_row=None if sheet_changed else (
                                new_header if (header_changed or opts.header_row is not None) else None),
                        )
                        st.rerun()
                    if preview.header_signature and preview.mapping.complete:
                        with st.form(f"imp_save_map_{fk}", clear_on_submit=True):
                            name = st.text_input("Save this mapping for the next file with the same columns as",
                                                 placeholder="e.g. My bank – checking", key=f"imp_map_name_{fk}",
                                                 max_chars=svc.MAX_MAPPING_NAME)
                            if st.form_submit_button("Save mapping"):
                                try:
                                    with db_session() as s:
                                        svc.save_mapping(
                                            s, user_id=principal.user_id, name=name,
                                            header_signature=preview.header_signature, columns=preview.columns,
                                            mapping=preview.mapping, date_order=preview.date_order,
                                            decimal=preview.decimal, sign=preview.sign if opts.sign != "auto" else "auto",
                                            account_id=opts.account_id,
                                        )
                                except BudgetwiseError as exc:
                                    show_error(exc)
                                else:
                                    st.toast(f"Saved the mapping “{md(name)}”.", icon="✅")

            # ---------------------------------------------------------- the file's own categories
            if preview.labels:
                st.subheader("The file's categories")
                st.caption("Your file has its own categories. Choose the BudgetWise category for each row label; "
                           "leave a label empty (catch-alls such as “general” start empty) to let your rules decide.")
                groups = svc.label_groups(preview.labels)  # spellings of one label are mapped together
                label_frame = pd.DataFrame(
                    {
                        "Label in the file": [g.label for g in groups],
                        "Also written": [", ".join(g.spellings[1:]) for g in groups],
                        "Rows": [g.count for g in groups],
                        "BudgetWise category": [cat_names.get(g.category_id) if g.category_id else None for g in groups],
                    }
                )
                edited = st.data_editor(
                    label_frame, key=f"imp_labels_{fk}", hide_index=True, width="stretch",
                    disabled=["Label in the file", "Also written", "Rows"],
                    column_config={"BudgetWise category": st.column_config.SelectboxColumn(
                        options=sorted(name_to_cat), required=False)},
                )
                chosen = svc.group_choices(groups, {
                    label: name_to_cat.get(value) if isinstance(value, str) else None
                    for label, value in zip(edited["Label in the file"], edited["BudgetWise category"])
                })
                current = tuple((m.label, m.category_id) for m in preview.labels)
                if dict(chosen) != dict(current):
                    _set_options(category_map=chosen)
                    st.rerun()
                learn_labels = st.checkbox(
                    "Learn my merchant habits from this file's categories",
                    value=preview.learn_from_labels, key=f"imp_learn_labels_{fk}",
                    help="On: the rows keep these categories as if you had set them by hand, and BudgetWise learns "
                         "each merchant as a rule. Leave it off for a bank's own categories (they are the bank's "
                         "guesses, not your habits): the rows get the category, but your rules can still refine "
                         "them and nothing is learned. "
                         + ("This file looks like an export from a budgeting app, so it starts on."
                            if preview.labels_from_app else "This file looks like a bank's export, so it starts off."),
                )
                if learn_labels != preview.learn_from_labels:
                    _set_options(learn_from_labels=learn_labels)
                    st.rerun()

            # ---------------------------------------------------------- rows as they will be stored
            if preview.rows:
                st.subheader("Preview")
                shown = min(len(preview.rows), preview.rows_valid)
                if preview.rows_new == 0 and not opts.include_duplicates:
                    what = "already in your data, so nothing will be stored"
                elif shown == 1:
                    what = "as it will be stored"
                else:
                    what = "as they will be stored"
                st.caption(f"The first {shown:,} of {_n(preview.rows_valid, 'readable row')}, {what}."
                           if shown < preview.rows_valid else
                           f"{'The readable row' if shown == 1 else f'All {shown:,} readable rows'}, {what}.")
                frame = pd.DataFrame(
                    {
                        "Row": [r.row for r in preview.rows],
                        "Date": [r.date for r in preview.rows],
                        "Description": [r.description for r in preview.rows],
                        "Amount": [money(principal, r.amount_minor if r.kind == "income" else -r.amount_minor,
                                         r.currency, signed=True) for r in preview.rows],
                        "Type": [r.kind.capitalize() for r in preview.rows],
                        "Category": [(r.category_name or "—") + (f" ({r.category_source})" if r.category_source else "")
                                     for r in preview.rows],
                        "Status": ["Duplicate: skipped" if r.duplicate and not opts.include_duplicates
                                   else ("Duplicate" if r.duplicate else "New") for r in preview.rows],
                    }
                )
                st.dataframe(frame, hide_index=True, width="stretch",
                             column_config={"Date": st.column_config.DateColumn(format="YYYY-MM-DD")})
                if preview.currencies and (len(preview.currencies) > 1 or preview.currencies[0][0] != principal.currency):
                    st.caption("Currencies: " + ", ".join(f"{c} ({n:,})" for c, n in preview.currencies))

            # ---------------------------------------------------------- rejected rows
            if preview.rejections:
                st.subheader(f"Rows that cannot be imported ({len(preview.rejections):,})")
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

            # ---------------------------------------------------------- duplicates + commit
            if preview.rows_duplicate:
                include = st.checkbox(
                    f"Import the {_n(preview.rows_duplicate, 'duplicate row')} anyway", value=opts.include_duplicates,
                    key=f"imp_dups_{fk}",
                    help="Duplicates have the same date, amount, direction and description as a transaction you "
                         "already have. They are skipped unless you tick this.",
                )
                if include != opts.include_duplicates:
                    _set_options(include_duplicates=include)
                    st.rerun()
            n_new = preview.rows_valid if opts.include_duplicates else preview.rows_new
            disabled = not preview.can_commit or n_new == 0
            if st.button(f"Import {_n(n_new, 'transaction')}", type="primary", disabled=disabled, key=f"imp_commit_{fk}",
                         icon=":material/download_done:"):
                with st.status(f"Importing {_n(n_new, 'transaction')}…", expanded=True) as status:
                    bar = st.progress(0.0, text="Starting")
                    try:
                        with db_session() as s:
                            result = svc.commit_import(
                                s, user_id=principal.user_id, data=data, filename=upload.name, options=opts,
                                max_bytes=settings.max_upload_bytes, preview=preview,
                                progress=lambda f, msg: bar.progress(min(max(f, 0.0), 1.0), text=msg),
                            )
                    except BudgetwiseError as exc:
                        status.update(label="Nothing was imported", state="error")
                        show_error(exc)
                    else:
                        status.update(label=f"Imported {_n(result.rows_imported, 'transaction')}", state="complete")
                        st.session_state[RESULT] = (file_key, result)
                        st.session_state.pop(PREVIEW, None)
                        reset_form(UNDO_FORM)  # History offers this import, unconfirmed
                        st.toast(f"Imported {_n(result.rows_imported, 'transaction')}", icon="✅")
                        st.rerun()
            elif n_new == 0 and preview.can_commit:
                st.caption("There is nothing new to import in this file.")

# ======================================================================= history
with tab_history:
    if not batches:
        st.info("No imports yet.", icon=":material/history:")
    else:
        hist = pd.DataFrame(
            {
                "#": [b.id for b in batches],
                "When (UTC)": [b.created_at.strftime("%Y-%m-%d %H:%M") for b in batches],
                "File": [b.filename for b in batches],
                "Format": [b.file_format.upper() for b in batches],
                "Read": [b.rows_read for b in batches],
                "Imported": [b.rows_imported for b in batches],
                "Duplicates": [b.rows_duplicate for b in batches],
                "Rejected": [b.rows_rejected for b in batches],
                "Still there": [b.rows_remaining for b in batches],
                "Status": [("undone " + b.undone_at.strftime("%Y-%m-%d")) if b.undone_at else b.status for b in batches],
            }
        )
        st.dataframe(hist, hide_index=True, width="stretch", column_config=column_widths(IMPORT_HISTORY_WIDTHS))
        undoable = {b.id: b for b in batches if b.can_undo}
        if undoable:
            # Keys from form_key: after an undo (or a new import) the picker and the confirmation are new
            # widgets, so nothing chosen or ticked for the last action carries over to the next one.
            uk = form_key(UNDO_FORM)
            offered = st.session_state.get(RESULT)  # the batch this page just imported is offered first
            offered_id = offered[1].batch_id if offered is not None else None
            ids = list(undoable)
            pick = st.selectbox(
                "Undo an import", ids, index=ids.index(offered_id) if offered_id in undoable else None,
                placeholder="Choose the import to undo",
                format_func=lambda i: f"#{i} {undoable[i].filename} ({_n(undoable[i].rows_remaining, 'transaction')})",
                key=f"{uk}_pick",
            )
            if pick is not None:
                batch = undoable[pick]
                sure = st.checkbox(
                    f"Yes, delete the {_n(batch.rows_remaining, 'transaction')} import #{batch.id} "
                    f"({batch.filename}) added",
                    key=f"{uk}_sure_{batch.id}",
                )
                # the button names its batch and carries its id: a repeated click can only repeat this
                # undo, which the service refuses once the batch is undone
                if st.button(f"Undo import #{batch.id} ({batch.filename})", icon=":material/undo:",
                             key=f"{uk}_go_{batch.id}"):
                    if not sure:
                        st.warning("Tick the box to confirm.")
                    else:
                        try:
                            with db_session() as s:
                                removed = svc.undo_import(s, user_id=principal.user_id, batch_id=batch.id)
                        except svc.ImportAlreadyUndone as exc:
                            reset_form(UNDO_FORM)
                            st.info(exc.message)
                        except BudgetwiseError as exc:
                            show_error(exc)
                        else:
                            st.session_state.pop(PREVIEW, None)
                            reset_form(UNDO_FORM)  # the next undo needs its own choice and confirmation
                            st.toast(f"Removed {_n(removed, 'transaction')} (import #{batch.id}, "
                                     f"{md(batch.filename)}).", icon="↩️")
                            st.rerun()

# ======================================================================= saved mappings
with tab_mappings:
    with read_session() as s:
        mappings = svc.list_mappings(s, user_id=principal.user_id)
    if not mappings:
        st.info("No saved mappings. Save one from the “Columns and format” panel of a preview; it is used "
                "automatically for the next file with the same columns.", icon=":material/bookmark:")
    for m in mappings:
        c1, c2 = st.columns([5, 1])
        cols = ", ".join(f"{k}: {'+'.join(map(str, v)) if isinstance(v, list) else v}"
                         for k, v in m.columns.items() if v not in (None, []))
        c1.markdown(f"**{md(m.name)}** — {md(cols)}")
        if c2.button("Delete", key=f"imp_map_del_{m.id}"):
            try:
                with db_session() as s:
                    svc.delete_mapping(s, user_id=principal.user_id, mapping_id=m.id)
            except BudgetwiseError as exc:
                show_error(exc)
            else:
                st.rerun()
