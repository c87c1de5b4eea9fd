"""Reading the preview of a file, and what was detected: format, currency, warnings, counts."""

from __future__ import annotations

import streamlit as st

from budgetwise.config import Settings
from budgetwise.importing import ImportOptions
from budgetwise.money import currency_codes
from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services import importing as svc
from budgetwise.ui import actions, read_session
from budgetwise.ui import currency as ui_currency
from budgetwise.ui.format import count_text, day_time, md, plural
from budgetwise.ui.import_data import account
from budgetwise.ui.import_data.state import DATE_ORDER_LABELS, PREVIEW, set_options, use_currency
from budgetwise.ui.import_data.upload import Upload
from budgetwise.ui.widgets import kpi


def load(principal: Principal, settings: Settings, upload: Upload, opts: ImportOptions, version) -> svc.ImportPreview | None:
    """The preview for this file, options and data version (kept for reruns with the same three)."""
    preview_key = (upload.file_key, opts, version)
    cached = st.session_state.get(PREVIEW)
    if cached and cached[0] == preview_key:
        return cached[1]
    def _read() -> svc.ImportPreview:
        with st.spinner("Reading the file…"), read_session() as s:
            return svc.preview_import(
                s, user_id=principal.user_id, data=upload.data, filename=upload.name, options=opts,
                max_bytes=settings.max_upload_bytes,
            )

    preview = actions.load(_read)
    if preview is None:
        return None
    st.session_state[PREVIEW] = (preview_key, preview)
    return preview


def _format_line(preview: svc.ImportPreview) -> None:
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


def _currency(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    """Where the rows' currency comes from (the service's ``file_currency``) and the picker for rows
    without one of their own: with a currency column it is labelled so, never as the file's currency."""
    codes = currency_codes()
    fc = preview.file_currency
    source = fc.source if fc is not None else "default"
    shown = fc.fallback if fc is not None else (opts.currency or principal.currency)
    automatic = fc.automatic if fc is not None else principal.currency
    if fc is not None and source in ("statement", "column"):
        st.markdown(f"**Currency:** {md(fc.note)}")
    if fc is not None and not fc.asks:  # the file gives every row its currency (session 23)
        return
    label = "Currency of rows without one" if source == "column" else "Currency of this file"
    # keyed by the automatic currency too: choosing an account in another currency changes what the picker
    # shows (the browser keeps a keyed select's value while its key stays, which would pin the old one)
    picker_key = f"imp_currency_{fk}" if automatic == principal.currency else f"imp_currency_{fk}_{automatic}"
    chosen_currency = st.columns([1, 3])[0].selectbox(
        label, codes, index=codes.index(shown) if shown in codes else 0, key=picker_key,
        help="For rows without a currency of their own (a currency column or the OFX statement's currency "
             f"wins). Amounts in another currency than {principal.currency} are converted in reports at "
             "the rate of each transaction's date (Profile → Exchange rates).",
    )
    if chosen_currency != shown:
        set_options(currency=None if chosen_currency == automatic else chosen_currency)
        st.rerun()
    if fc is not None and source in ("header", "account", "accounts"):
        st.caption(md(fc.note))
    if fc is not None and source == "default":
        _assumed(fc, picker_key, fk)
    kept_key = f"imp_currency_kept_{fk}"
    if preview.suggested_currency and not st.session_state.get(kept_key):
        code, sign = preview.suggested_currency, preview.suggested_from_sign
        st.info(f"The amounts in this file are written with “{md(sign)}”. Is the file in {code}? As it is, "
                f"they would be stored in {shown}.", icon=":material/currency_exchange:")
        y, n, _ = st.columns([1, 1, 2])
        y.button(f"Yes, the file is in {code}", key=f"imp_currency_yes_{fk}", type="primary",
                 on_click=use_currency, args=(code, picker_key))
        if n.button(f"No, keep {shown}", key=f"imp_currency_no_{fk}"):
            st.session_state[kept_key] = True
            st.rerun()


def _assumed(fc, picker_key: str, fk: str) -> None:
    """The currency taken for a file that names none, said, with the browser's country's currency one click away
    (session 29, trial29: a Dutch file imported as USD, every amount "$")."""
    st.caption(md(fc.note))
    guess = ui_currency.browser_currency()
    if guess and guess != fc.fallback:
        st.button(f"The file is in {guess}", key=f"imp_currency_guess_{fk}", on_click=use_currency,
                  args=(guess, picker_key), icon=":material/currency_exchange:")


def set_opening_key(fk: str) -> str:
    """The checkbox "set the opening balance from the statement" of this file (read by the commit)."""
    return f"imp_set_opening_{fk}"


def _reconciliation(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    """The statement's own balance against the account (issue #19): shown, and the opening balance
    set from it only when the user ticks the box (the commit does it, in the same unit of work) or,
    when the import adds nothing (the file is already in), presses the button."""
    recon = preview.reconciliation
    if not isinstance(recon, svc.Reconciliation):
        return
    if recon.reconciles:
        st.success(md(recon.message), icon=":material/balance:")
        return
    st.warning(md(recon.message), icon=":material/balance:")
    if recon.difference_minor is None:
        return
    help_text = "The account's opening balance changes by the difference shown; the change is recorded."
    if opts.rows_to_commit(rows_new=preview.rows_to_import, rows_valid=preview.rows_storable):
        st.checkbox(f"After importing, set the opening balance of {md(quoted(recon.account_name))} so that it matches the "
                    "statement", key=set_opening_key(fk), help=help_text)
        return
    if recon.account_id is None:  # an account the import would create: nothing to set before it exists
        return
    account_id, statement = recon.account_id, recon.statement

    def _fresh_preview(_result) -> None:
        st.session_state.pop(PREVIEW, None)

    if st.button(f"Set the opening balance of “{md(recon.account_name)}” to match the statement",
                 key=f"imp_set_opening_now_{fk}", icon=":material/balance:", help=help_text):
        actions.run_action(
            lambda s: svc.set_opening_from_statement(s, principal=principal, account_id=account_id, balance=statement),
            then=_fresh_preview, toast=f"Opening balance of “{md(recon.account_name)}” set from the statement",
        )


def render(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, upload: Upload) -> None:
    _format_line(preview)
    _currency(principal, preview, opts, upload.fk)
    account.render(principal, preview, opts, upload.fk)
    _reconciliation(principal, preview, opts, upload.fk)
    if preview.date_order_reason and preview.file_format != "ofx":
        st.caption(f"Date order: {md(preview.date_order_reason)}.")
    if preview.saved_mapping is not None:
        st.info(f"Using your saved mapping **{md(preview.saved_mapping.name)}** for this layout.",
                icon=":material/bookmark:")
    if preview.previous_import is not None:  # the uploader is emptied after an import: this is a file chosen again
        batch_id, when = preview.previous_import
        st.warning(f"You imported this exact file before (import #{batch_id}, {day_time(principal, when)}). "
                   "Its rows will show up as duplicates.", icon=":material/content_copy:")
    for w in preview.page_warnings:  # the page's words (a repeated header: its column picker, not --mapping)
        st.warning(md(w), icon=":material/info:")

    c1, c2, c3, c4 = st.columns(4)
    with c1:
        kpi("Rows read", count_text(principal, preview.rows_read))
    with c2:
        kpi("Will be imported", count_text(principal, preview.rows_to_import), help=(
            f"Transactions. Besides, the import sets {plural(preview.balances_to_set, 'opening balance', locale=principal.locale)} "
            "from the file's opening-balance rows (the line under the Account box)." if preview.balances_to_set else None))
    with c3:
        kpi("Duplicates", count_text(principal, preview.rows_duplicate),
            help="Already in your data (same date, amount, direction and description).")
    with c4:
        kpi("Cannot be imported", count_text(principal, len(preview.rejections)))
