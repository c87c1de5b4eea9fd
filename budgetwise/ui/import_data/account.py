"""The Import page's account picker: where the file's rows go, and a new account for them."""

from __future__ import annotations

import zlib

import streamlit as st

from budgetwise.dates import today_in
from budgetwise.importing import ImportOptions
from budgetwise.importing.headers import is_card_number
from budgetwise.kinds import ACCOUNT_KINDS
from budgetwise.principal import Principal
from budgetwise.services import accounts as accounts_service
from budgetwise.services import importing as svc
from budgetwise.services.importing import new_account_kinds
from budgetwise.services.importing.ask import currency_answers, page_answer
from budgetwise.ui import actions, read_session
from budgetwise.ui.accounts.add import account_fields
from budgetwise.ui.format import md, plural
from budgetwise.ui.import_data.state import set_options
from budgetwise.ui.widgets import select_or_none

NEW_ACCOUNT = -1  # the account picker's "New account…" choice


def new_account_key(fk: str) -> str:
    """The session key that is set while "New account…" is chosen for this file and the account is not made yet."""
    return f"imp_new_account_{fk}"


def new_account_pending(fk: str) -> bool:
    """Whether "New account…" is chosen for this file and its account not created yet: the Import button
    waits for it (session 18: pressing Import then put the rows in the automatic account, unsaid)."""
    return bool(st.session_state.get(new_account_key(fk)))


def _auto_label(preview: svc.ImportPreview, saved_account: int | None, chosen: int | None) -> str:
    """The "automatic" choice, named after the account the service will use (never a fixed text); while
    another account is chosen the preview names that one, so the automatic choice says only where it goes."""
    name = preview.account_name or "your default account"
    if preview.accounts_from_file:
        i = preview.mapping.account if preview.mapping is not None else None
        header = str(preview.columns[i]) if i is not None and i < len(preview.columns) else ""
        if header and is_card_number(header):  # a card-number column: one account per card (session 28)
            return f"The account of each card in the file's “{header}” column"
        return "The accounts the file's Account column names"
    statement = preview.file_format == "ofx" and getattr(getattr(preview.analysis, "parsed", None), "account", None)
    if chosen is not None:
        return ("Automatic: the statement's own account" if statement else "Automatic: the account remembered with the mapping"
                if saved_account else "Automatic: an account in the file's currency" if preview.accounts_by_currency
                else "Automatic: your default account")
    if statement:
        return (f"New account “{name}” (from the statement's account number)" if preview.account_new
                else f"{name} (the statement's own account)")
    if saved_account:
        return f"{name} (remembered with the mapping)"
    if preview.card_header:  # a card statement: the credit-card account (session 22)
        return f"{name} (your credit-card account: the file's “{preview.card_header}” column)"
    if preview.accounts_by_currency:
        if len(preview.accounts) > 1:
            return "An account in each of the file's currencies (below)"
        return f"New account “{name}” (in the file's currency)" if preview.account_new else f"{name} (in the file's currency)"
    return f"{name} (your default account)"


def render(principal: Principal, preview: svc.ImportPreview, opts: ImportOptions, fk: str) -> None:
    """The account the rows go to (issue #19): OFX statements name their own account; a CSV layout's
    saved mapping remembers its account; otherwise the default account. The automatic choice
    is labelled with the account the import (and the reconciliation below) will use, and that account
    is not listed a second time (session 16: "Platinum Card (default)" and "Platinum Card"). "New
    account…" creates one (the accounts service and its checks) and chooses it."""
    with read_session() as s:
        open_accounts = {a.id: a.name for a in accounts_service.list_accounts(s, user_id=principal.user_id)}
    if opts.account_id is not None and opts.account_id not in open_accounts:
        set_options(account_id=None)  # chosen before that account was replaced, archived or deleted
        st.rerun()
    saved_account = preview.saved_mapping.account_id if preview.saved_mapping is not None else None
    auto_label = _auto_label(preview, saved_account, opts.account_id)
    suggested = preview.account_suggestion if preview.account_suggestion in open_accounts else None
    if preview.account_question:  # neither account nor currency named, accounts in several currencies (session 27)
        st.warning(md(f"{preview.account_question} {page_answer(preview.account_question)}"), icon=":material/help:")
        assumed = preview.file_currency.fallback if preview.file_currency is not None else ""
        if suggested is not None:  # a card statement and the user's one empty card account (session 28)
            if st.button(f"Choose “{open_accounts[suggested]}”", key=f"imp_take_suggested_{fk}"):
                set_options(account_id=suggested)
                st.rerun()
        elif assumed and currency_answers(preview.account_question) and st.button(f"The file is in {assumed}", key=f"imp_confirm_currency_{fk}"):
            set_options(currency=assumed)  # its rows go to your account in it (or a new one), as the preview then says
            st.rerun()
        auto_label = ("Choose the file's account" if suggested is None
                      else f"Choose the file's account (suggested: “{open_accounts[suggested]}”)")
    # the automatic choice's own account, when it is one existing account: not listed again
    same = (preview.account_id if opts.account_id is None and not preview.accounts_from_file
            and len(preview.accounts) <= 1 and not preview.account_question else None)  # asked: every account listed
    # the suggestion first, marked (session 28); chosen only by the user (the import waits for it)
    choices = [*([suggested] if suggested is not None and preview.account_question else []),
               *(i for i in open_accounts if i != same and not (i == suggested and preview.account_question)),
               NEW_ACCOUNT]
    names = {**open_accounts, **({suggested: f"{open_accounts[suggested]} (suggested)"}
                                 if suggested is not None and preview.account_question else {})}
    new_key = new_account_key(fk)
    current = NEW_ACCOUNT if st.session_state.get(new_key) else opts.account_id
    # the browser keeps a keyed select's shown text while its key stays: once the import has created
    # the account the automatic choice names, the label changes and so must the key (QA, session 11)
    shown = zlib.crc32(repr((auto_label, choices, sorted(open_accounts.items()))).encode())
    # three quarters wide: "New account “Checking …6877” (from the statement's account number)" was cut at half (QA 17)
    chosen = select_or_none(
        st.columns([3, 1])[0], "Account", choices, key=f"imp_account_{fk}_{shown:08x}", value=current, none=auto_label,
        format_func=lambda i: "New account…" if i == NEW_ACCOUNT else names[i],
        help="Which of your accounts these transactions belong to (balances and the cash-flow forecast).",
    )
    if chosen == NEW_ACCOUNT:
        st.session_state[new_key] = True
        _new_account(principal, preview, fk, new_key)
    else:
        st.session_state.pop(new_key, None)
        if chosen != opts.account_id:
            set_options(account_id=chosen)
            st.rerun()
    # asked about a card: no new "Card …1234" is made unchosen (session 28), nor its rows said to go to one account of
    # two keeping its digits (session 29)
    if not preview.account_question or (suggested is None and currency_answers(preview.account_question)):
        _account_split(principal, preview, fk)


def _new_account(principal: Principal, preview: svc.ImportPreview, fk: str, new_key: str) -> None:
    """Name, type and currency of a new account for this file, created at once by the accounts service
    (its checks; nothing is written when a field is refused) and chosen for the import."""
    fc = preview.file_currency
    cur = (fc.fallback if fc is not None else None) or principal.currency
    with st.form(f"imp_new_account_form_{fk}", border=True):
        name, kind, currency = account_fields(st.columns([2, 1.2, 1]), new_key, cur, name_label="Name of the new account",
                                              kind="credit_card" if preview.card_note else None)  # the note's advice
        st.caption("The account is created when you press **Create account** (an opening balance can be set on the "
                   "Accounts page); the file's rows go to it when you press **Import**.")
        if st.form_submit_button("Create account", type="primary"):
            def _chosen(created) -> None:
                st.session_state.pop(new_key, None)
                set_options(account_id=created.id)

            actions.run_action(
                lambda s: accounts_service.create_account(
                    s, user_id=principal.user_id, name=name, kind=kind, currency=currency, today=today_in(st.context.timezone),
                ),
                lambda created: f"Created the account “{created.name}” ({created.currency}): this file's rows go to it "
                                "when you press Import. Not importing after all? Delete it on the Accounts page.",
                then=_chosen,
            )


def kinds_key(fk: str) -> str:
    """The session key of the types chosen for the new accounts the file names: {account name: kind}."""
    return f"imp_kinds_{fk}"


def chosen_kinds(fk: str) -> dict[str, str]:
    """The types the user chose for this file's new accounts (the Import button passes them to the import)."""
    return dict(st.session_state.get(kinds_key(fk)) or {})


def _account_split(principal: Principal, preview: svc.ImportPreview, fk: str = "") -> None:
    """Where the rows go, in words, when the file's account column decides (or is overruled). "rows without an
    account" marks the share of rows whose account cell is empty, only where the file has that column (session 25:
    it followed every file with no account column, "(8 rows, new, checking account, rows without an account)")."""
    shares = new_account_kinds.with_kinds(preview.accounts, chosen_kinds(fk))
    if preview.accounts_from_file or len(shares) > 1 or preview.accounts_by_currency:
        blank = ", rows without an account" if preview.accounts_from_file else ""
        parts = [f"**{md(a.name)}** ({plural(a.rows, 'row', locale=principal.locale)}"
                 f"{', ' + a.new_label if a.new else ''}{'' if a.from_file else blank})"
                 for a in shares if a.rows]  # not an account no new row goes to (all duplicates)
        st.caption("The rows go to " + ("; ".join(parts) if parts else "no account (no new rows)") + ".")
    _kind_boxes(shares, fk)
    if preview.accounts_note:  # the page's words (its Account box, not --account)
        st.caption(md(preview.page_accounts_note))
    if preview.opening_line:  # the file's opening-balance row: the account's opening balance, or a row (open28)
        st.caption(md(preview.opening_line))
    if preview.card_note:  # a card statement and no credit-card account (in its currency): "New account…" above
        st.info(md(preview.page_card_note), icon=":material/credit_card:")


def _kind_boxes(shares, fk: str) -> None:
    """A type box per new account the file's account column names, starting at the guess from its name (session 24:
    a budgeting-app export's brokers and pension plan were all created as checking, so the cash-flow answers counted
    them as money to spend). The choice is kept per file until the import and goes to it (:func:`chosen_kinds`)."""
    new = [a for a in new_account_kinds.new_from_file(shares) if a.kind]
    if not new:
        return
    chosen = chosen_kinds(fk)
    with st.expander(f"Types of the new accounts ({len(new)})", expanded=True):
        # the note under the file's accounts already says the type is guessed from the name (session 26: twice)
        st.caption("Investment and savings accounts and loans are not counted as money to spend in the cash-flow "
                   "answers; checking, credit-card and cash accounts are.")
        cols = st.columns(3)
        for i, share in enumerate(new):
            tag = zlib.crc32(accounts_service.import_account_key(share.name).encode())
            kind = cols[i % 3].selectbox(  # a label is Markdown (links, images): the file's name shows as typed
                md(share.name), ACCOUNT_KINDS, index=ACCOUNT_KINDS.index(share.kind),
                format_func=lambda k: accounts_service.KIND_LABELS.get(k, k), key=f"imp_kind_{fk}_{tag:08x}",
            )
            if kind != share.kind:
                chosen[share.name] = kind
        if chosen != chosen_kinds(fk):
            st.session_state[kinds_key(fk)] = chosen
            st.rerun()
