"""Reading the preview of a file, and what was detected: format, currency, warnings, counts."""

from __future__ import annotations

import zlib

import streamlit as st

from budgetwise.config import Settings
from budgetwise.importing import ImportOptions
from budgetwise.money import currency_codes
from budgetwise.principal import Principal
from budgetwise.services import accounts as accounts_service
from budgetwise.services import importing as svc
from budgetwise.ui import actions, read_session
from budgetwise.ui.format import count_text, day_time, md
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


def _auto_label(preview: svc.ImportPreview, saved_account: int | None) -> str:
    """The "automatic" choice, named after the account the service will use (never a fixed text)."""
    name = preview.account_name or "your default account"
    if preview.accounts_from_file:
        return "The accounts the file's Account column names"
    if preview.file_format == "ofx" and getattr(getattr(preview.analysis, "parsed", None), "account", None):
        return (f"New account “{name}” (from the statement's account number)" if preview.account_new
                else f"{name} (the statement's own account)")
    if saved_account:
        return f"{name} (remembered with the mapping)"
    if preview.accounts_by_currency:
        if len(preview.accounts) > 1:
            return "An account in each of the file's currencies (below)"
        return f"New account “{name}” (in the file's currency)" if preview.account_new else f"{name} (in the file's currency)"
    return f"{name} (default)"


def _account(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    """The account the rows go to (issue #19): OFX statements name their own account; a CSV layout's
    saved mapping remembers its account; otherwise the first (default) account. The automatic choice
    is labelled with the account the import (and the reconciliation below) will use."""
    with read_session() as s:
        open_accounts = {a.id: a.name for a in accounts_service.list_accounts(s, user_id=principal.user_id)}
    if opts.account_id is not None and opts.account_id not in open_accounts:
        set_options(account_id=None)  # chosen before that account was replaced, archived or deleted
        st.rerun()
    saved_account = preview.saved_mapping.account_id if preview.saved_mapping is not None else None
    auto_label = _auto_label(preview, saved_account)
    choices = [None, *open_accounts]
    # the browser keeps a keyed select's shown text while its key stays: once the import has created
    # the account the automatic choice names, the label changes and so must the key (QA, session 11)
    shown = zlib.crc32(repr((auto_label, sorted(open_accounts.items()))).encode())
    chosen = st.columns([2, 2])[0].selectbox(
        "Account", choices, key=f"imp_account_{fk}_{shown:08x}",
        index=choices.index(opts.account_id) if opts.account_id in open_accounts else 0,
        format_func=lambda i: auto_label if i is None else open_accounts[i],
        help="Which of your accounts these transactions belong to (balances and the cash-flow forecast).",
    )
    if chosen != opts.account_id:
        set_options(account_id=chosen)
        st.rerun()
    _account_split(principal, preview)


def _account_split(principal: Principal, preview: svc.ImportPreview) -> None:
    """Where the rows go, in words, when the file's account column decides (or is overruled)."""
    if preview.accounts_from_file or len(preview.accounts) > 1 or preview.accounts_by_currency:
        parts = [f"**{md(a.name)}** ({count_text(principal, a.rows)} row{'s' if a.rows != 1 else ''}"
                 f"{', ' + a.new_label if a.new else ''}{'' if a.from_file else ', rows without an account'})"
                 for a in preview.accounts if a.rows]  # not an account no new row goes to (all duplicates)
        st.caption("The rows go to " + ("; ".join(parts) if parts else "no account (no new rows)") + ".")
    if preview.accounts_note:
        st.caption(md(preview.accounts_note))


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
    if source == "statement":
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
    if opts.rows_to_commit(rows_new=preview.rows_to_import, rows_valid=preview.rows_valid):
        st.checkbox(f"After importing, set the opening balance of {recon.account_name!r} so that it matches the "
                    "statement", key=set_opening_key(fk), help=help_text)
        return
    if recon.account_id is None:  # an account the import would create: nothing to set before it exists
        return
    account_id, statement = recon.account_id, recon.statement

    def _fresh_preview(_result) -> None:
        st.session_state.pop(PREVIEW, None)

    if st.button(f"Set the opening balance of {recon.account_name!r} to match the statement",
                 key=f"imp_set_opening_now_{fk}", icon=":material/balance:", help=help_text):
        actions.run_action(
            lambda s: svc.set_opening_from_statement(s, principal=principal, account_id=account_id, balance=statement),
            then=_fresh_preview, toast=f"Opening balance of {recon.account_name!r} set from the statement",
        )


def render(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, upload: Upload) -> None:
    _format_line(preview)
    _currency(principal, preview, opts, upload.fk)
    _account(principal, preview, opts, upload.fk)
    _reconciliation(principal, preview, opts, upload.fk)
    if preview.date_order_reason and preview.file_format != "ofx":
        st.caption(f"Date order: {md(preview.date_order_reason)}.")
    if preview.saved_mapping is not None:
        st.info(f"Using your saved mapping **{md(preview.saved_mapping.name)}** for this layout.",
                icon=":material/bookmark:")
    just = upload.just_imported
    if preview.previous_import is not None and (just is None or preview.previous_import[0] != just.batch_id):
        # not for the batch this very page just committed: the banner above says so
        batch_id, when = preview.previous_import
        st.warning(f"You imported this exact file before (import #{batch_id}, {day_time(principal, when)}). "
                   "Its rows will show up as duplicates.", icon=":material/content_copy:")
    for w in preview.warnings:
        st.warning(md(w), icon=":material/info:")

    c1, c2, c3, c4 = st.columns(4)
    with c1:
        kpi("Rows read", count_text(principal, preview.rows_read))
    with c2:
        kpi("Will be imported", count_text(principal, preview.rows_to_import))
    with c3:
        kpi("Duplicates", count_text(principal, preview.rows_duplicate),
            help="Already in your data (same date, amount, direction and description).")
    with c4:
        kpi("Cannot be imported", count_text(principal, len(preview.rejections)))
