"""Isolation matrix: user B acting on user A's object ids (transaction, category, rule,
budget, goal, import batch, saved mapping) is refused, A's data is unchanged, and nothing
of A's comes back to B.

Every public service function that takes an object id (a ``*_id``/``*_ids`` parameter, a
rule spec, budget items, a learn offer, import options, report/transaction filters) must
have a row in MATRIX or a reason in EXEMPT: ``test_matrix_covers_every_id_taking_service``
finds new ones. Expectations:

* ``refuse``: NotFoundError, exactly as for an id that does not exist;
* ``ignore``: foreign ids in a filter or selection are ignored: the result holds nothing of A's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text

import budgetwise.services as services_pkg
from budgetwise.errors import NotFoundError
from budgetwise.importing import ImportOptions, parse_file
from budgetwise.importing.model import StatementBalance
from budgetwise.models import ImportBatch, Transaction, User
from budgetwise.principal import Principal
from budgetwise.services import (
    account_balance,
    account_lock,
    account_numbers,
    accounts,
    balance_known,
    budgets,
    cashflow,
    categories,
    categorize,
    exports,
    forecast,
    goal_accounts,
    goals,
    importing,
    rates,
    reports,
    transfers,
)
from budgetwise.services import transactions as tx
from budgetwise.services.default_account import set_default_account
from budgetwise.services.importing import balance_undo, file_currency, opening_balance
from tests.security.helpers import Owned, populate, user_owned_tables

TODAY = dt.date.today()


def _opening_row() -> pd.DataFrame:
    """One "Starting Balance" row as the commit's frame has it (open28's opening_balance services)."""
    return pd.DataFrame({"date": [dt.date(2024, 1, 2)], "amount_minor": [500], "kind": ["income"], "currency": ["USD"],
                         "description": ["Starting Balance"], "account": [""], "label": [""], "bank_type": [""],
                         "opening": [True]})
# "Labelled" / "Decision" (session 19 audit): categorize.undo_label and save_review take ids inside a plain dataclass a
# page keeps (a label's undo, the review table's decision) and were not looked at
ID_ANNOTATIONS = ("Spec", "Input", "Offer", "Filter", "Options", "accepted", "Sequence[tuple", "Labelled", "Decision",
                  "Deleted")  # session 21: transactions.restore_deleted takes the record of a delete

def _a_link_row(session, a: Owned) -> int:
    """The money-out row of A's confirmed transfer."""
    from budgetwise.models import TransferLink

    link = session.get(TransferLink, a.transfer_id)
    assert link is not None
    return int(link.out_transaction_id)


EXEMPT = {
    "importing.decide": "internal to commit_import (opening_balance.py, open28): its account ids are the ones "
    "routing.assign placed the rows in; take and apply, which it calls, are in MATRIX",
    "password_reset.create_token": "called by admin.issue_reset_code after require_admin; created_by_id is the admin",
    "rates.convert_each": "takes no object ids; reads the shared rates plus the user's own (test_rates_* below)",
    "rates.store_ecb": "stores shared ECB rates only (user_id NULL); never touches a user's own rates",
    "accounts.create_account": "external_id is the bank's account number the caller gives, not an object id; the new account is the caller's (account_for_external_id in MATRIX shows B never reaches A's)",
    "audit.record": "writes one audit row about an administrator's change after require_admin; reads nothing",
    **{f"importing.{name}": "internal to the import service (routing.py, not exported by budgetwise.services.importing); "
       "reached only through import_target / for_preview / commit_import / reconcile, which are in MATRIX"
       for name in ("assign", "lookup", "resolve")},
    "importing.withhold": "internal to the import preview (unshared.py, not exported by budgetwise.services.importing): "
    "its account id is the preview's own choice among the user's accounts, and every read filters by user_id; reached "
    "only through preview_import / for_preview, which are in MATRIX",
    "importing.suggestion": "internal to the import preview and question (ask.py, session 28, not exported by "
    "budgetwise.services.importing): an account id in its options only ends it, and its reads (the user's card "
    "accounts, the lookup, one row) filter by user_id (test_card_statements_per_card: another user's empty card "
    "account asks nothing)",
    "importing.held_default": "internal to the import preview (earlier_currency.py, session 28, not exported by "
    "budgetwise.services.importing): an account id in its options only ends it, and it reads the user's own accounts "
    "and rows only (test_card_statements_per_card: another user's rows stored in another currency do not count)",
    "importing.clash_question": "internal to the import preview and commit (ask.py, session 29, not exported by "
    "budgetwise.services.importing): an account id in its options only ends it, and its read "
    "(account_numbers.card_clash, in MATRIX) filters by user_id (test_cards_ending_alike_not_merged: another user's "
    "two accounts keeping the digits ask nothing)",
    "importing.question": "internal to the import preview and commit (ask.py, not exported by budgetwise.services."
    "importing): an account id in its options only ends it (a chosen account is no question), and its reads filter by "
    "user_id (test_a_file_naming_nothing_asks_its_account: another user's accounts and rows neither ask nor answer)",
}


def _deleted(session, user_id: int, b: Owned, **forged) -> tx.DeletedTransactions:
    """A delete's record as if of ``user_id``, one of B's rows in it with ``forged`` ids (a page keeps the record)."""
    from budgetwise.models import Transaction

    row = session.get(Transaction, b.transaction_id)
    values = {name: getattr(row, name) for name in tx._KEPT} | forged
    return tx.DeletedTransactions(user_id=user_id, rows=(values,))


def _spec(category_id: int, pattern: str = "zzz isolation") -> categorize.RuleSpec:
    return categorize.RuleSpec(category_id=category_id, pattern=pattern, name="isolation probe")


def _offer(a: Owned, b: Owned, *, tx_of: Owned, cat_of: Owned) -> categorize.LearnOffer:
    return categorize.LearnOffer(
        transaction_id=tx_of.transaction_id, merchant="isolation probe", category_id=cat_of.category_id,
        category_name="x", rule_name="x", rule_match_type="exact", rule_pattern="isolation probe",
        existing_rule_id=None, matching_past=0, matching_manual=0,
    )


def _labelled(session, b: Owned, *, row: int, before_category: int, before_rule: int | None = None,
              rule_before: tuple | None = None) -> categorize.Labelled:
    """An undo of a label click on ``row`` whose state before names ``before_category`` / ``before_rule``; its
    state after is the row's state now (so the undo would write it back)."""
    from budgetwise.services.categorize.review import _STATE

    after = tuple(session.execute(text(f"SELECT {', '.join(_STATE)} FROM transactions WHERE id = :i"), {"i": row}).one())
    return categorize.Labelled("isolation probe", b.category_id, 1, b.rule_id, rule_before,
                               ((row, (before_category, "rule", 0.9, before_rule, None, False), after),))


def _principal(session, user_id: int):
    from budgetwise.services.auth import principal_for

    return principal_for(session.get(User, user_id))


def _own_rate_id(session, owned: Owned) -> int:
    """A's own rate, stored by the two_users fixture (the only own rate there)."""
    return session.scalar(text("SELECT id FROM exchange_rates WHERE user_id IS NOT NULL ORDER BY id"))


def _label_file() -> bytes:
    return b"Date,Description,Amount,Category\n2024-01-05,Probe shop,-5.00,Probe label\n"


def _balance_file() -> bytes:
    return b"Date,Description,Amount,Balance\n2024-01-05,Probe shop,-5.00,95.00\n2024-01-06,Probe pay,10.00,105.00\n"


def _ofx_of(account: str) -> bytes:
    """An OFX statement of bank account ``account`` without CURDEF."""
    return ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"
            f"<BANKACCTFROM><BANKID>1<ACCTID>{account}<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-5.00<FITID>1<NAME>Probe shop</STMTTRN>"
            "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>").encode()


def _statement() -> StatementBalance:
    return StatementBalance(10500, "USD", dt.date(2024, 1, 6), "probe")


def _as_principal(user_id: int) -> Principal:
    return Principal(user_id=user_id, email="probe@example.com", name="Probe", role="user")


def _filters(a: Owned) -> reports.ReportFilter:
    return reports.ReportFilter(category_ids=(a.category_id,), date_from=TODAY - dt.timedelta(days=900), date_to=TODAY)


# (expectation, call(session, b_user_id, a_owned, b_owned))
MATRIX: dict[str, tuple[str, object]] = {
    # transactions
    "transactions.get_transaction": ("refuse", lambda s, u, a, b: tx.get_transaction(s, user_id=u, transaction_id=a.transaction_id)),
    "transactions.update_transaction[A's transaction]": ("refuse", lambda s, u, a, b: tx.update_transaction(s, user_id=u, transaction_id=a.transaction_id, description="pwned")),
    "transactions.update_transaction[A's category]": ("refuse", lambda s, u, a, b: tx.update_transaction(s, user_id=u, transaction_id=b.transaction_id, category_id=a.category_id)),
    "transactions.delete_transaction": ("refuse", lambda s, u, a, b: tx.delete_transaction(s, user_id=u, transaction_id=a.transaction_id)),
    "transactions.delete_transactions[mixed]": ("refuse", lambda s, u, a, b: tx.delete_transactions(s, user_id=u, transaction_ids=[b.transaction_id, a.transaction_id])),
    "transactions.delete_for_undo[mixed]": ("refuse", lambda s, u, a, b: tx.delete_for_undo(s, user_id=u, transaction_ids=[b.transaction_id, a.transaction_id])),
    "transactions.restore_deleted[A's record]": ("refuse", lambda s, u, a, b: tx.restore_deleted(s, user_id=u, deleted=_deleted(s, u + 1000, b))),
    "transactions.restore_deleted[A's account]": ("refuse", lambda s, u, a, b: tx.restore_deleted(s, user_id=u, deleted=_deleted(s, u, b, account_id=a.account_id))),
    "transactions.restore_deleted[A's category, rule, batch]": ("ignore", lambda s, u, a, b: tx.restore_deleted(s, user_id=u, deleted=_deleted(s, u, b, category_id=a.category_id, rule_id=a.rule_id, import_batch_id=a.batch_id))),
    "transactions.set_category_bulk[A's transaction]": ("refuse", lambda s, u, a, b: tx.set_category_bulk(s, user_id=u, transaction_ids=[a.transaction_id], category_id=b.category_id)),
    "transactions.set_category_bulk[A's category]": ("refuse", lambda s, u, a, b: tx.set_category_bulk(s, user_id=u, transaction_ids=[b.transaction_id], category_id=a.category_id)),
    "transactions.add_transaction[A's category]": ("refuse", lambda s, u, a, b: tx.add_transaction(s, user_id=u, date=TODAY, amount="1", kind="expense", description="x", category_id=a.category_id)),
    "transactions.list_transactions[A's category]": ("ignore", lambda s, u, a, b: tx.list_transactions(s, user_id=u, filters=tx.TransactionFilter(category_ids=(a.category_id,)))),
    "transactions.apply_filter[A's account]": ("ignore", lambda s, u, a, b: s.execute(tx.apply_filter(select(Transaction.description), u, tx.TransactionFilter(account_ids=(a.account_id,)))).all()),
    "transactions.apply_filter[A's category]": ("ignore", lambda s, u, a, b: s.execute(tx.apply_filter(select(Transaction.description), u, tx.TransactionFilter(category_ids=(a.category_id,)))).all()),
    "exports.transactions_export_frame[A's account]": ("ignore", lambda s, u, a, b: exports.transactions_export_frame(s, user_id=u, filters=tx.TransactionFilter(account_ids=(a.account_id,)))),
    "exports.transactions_export_frame[A's category]": ("ignore", lambda s, u, a, b: exports.transactions_export_frame(s, user_id=u, filters=tx.TransactionFilter(category_ids=(a.category_id,)))),
    "transactions.list_transactions[A's import batch]": ("ignore", lambda s, u, a, b: tx.list_transactions(s, user_id=u, filters=tx.TransactionFilter(import_batch_id=a.batch_id))),
    "transactions.add_transaction[A's account]": ("refuse", lambda s, u, a, b: tx.add_transaction(s, user_id=u, date=TODAY, amount="1", kind="expense", description="x", account_id=a.account_id)),
    # accounts (issue #19)
    # session 28: a chosen account keeps a file's number; A's account is refused, A's number never read
    "account_numbers.keep_number": ("refuse", lambda s, u, a, b: account_numbers.keep_number(s, user_id=u, account_id=a.account_id, number="DE89370400440532013000")),
    "importing.keep_chosen_number": ("refuse", lambda s, u, a, b: importing.chosen_number.keep_chosen_number(s, u, parse_file(b"Date,Description,Amount,IBAN\n2024-03-01,x,-1.00,DE89370400440532013000\n", "x.csv"), ImportOptions(account_id=a.account_id))),
    "accounts.get_account": ("refuse", lambda s, u, a, b: accounts.get_account(s, user_id=u, account_id=a.account_id)),
    "accounts.locked_account": ("refuse", lambda s, u, a, b: accounts.locked_account(s, user_id=u, account_id=a.account_id)),
    "accounts.locked_account[A's name]": ("refuse", lambda s, u, a, b: accounts.locked_account(s, user_id=u, name="ALICE savings")),
    "account_lock.lock_account": ("refuse", lambda s, u, a, b: account_lock.lock_account(s, user_id=u, account_id=a.account_id)),
    "account_lock.lock_accounts": ("ignore", lambda s, u, a, b: account_lock.lock_accounts(s, user_id=u, account_ids=[a.account_id])),
    "accounts.rename_account": ("refuse", lambda s, u, a, b: accounts.rename_account(s, user_id=u, account_id=a.account_id, name="pwned")),
    "accounts.archive_account": ("refuse", lambda s, u, a, b: accounts.archive_account(s, user_id=u, account_id=a.account_id)),
    "default_account.set_default_account": ("refuse", lambda s, u, a, b: set_default_account(s, user_id=u, account_id=a.account_id)),
    "accounts.set_account_kind": ("refuse", lambda s, u, a, b: accounts.set_account_kind(s, user_id=u, account_id=a.account_id, kind="cash")),
    "accounts.set_opening_balance": ("refuse", lambda s, u, a, b: accounts.set_opening_balance(s, user_id=u, account_id=a.account_id, amount="1")),
    "accounts.resolve_account_id": ("refuse", lambda s, u, a, b: accounts.resolve_account_id(s, user_id=u, account_id=a.account_id)),
    "accounts.attach_unassigned": ("refuse", lambda s, u, a, b: accounts.attach_unassigned(s, user_id=u, account_id=a.account_id)),
    # A's bank account id: B gets an account of B's own, never A's
    "accounts.name_for_external_id": ("ignore", lambda s, u, a, b: accounts.name_for_external_id(s, user_id=u, external_id="ALICE-ACCT", account_type="SAVINGS")),
    "accounts.account_for_external_id": ("ignore", lambda s, u, a, b: (lambda got: "ALICE's account" if got == a.account_id else got)(accounts.account_for_external_id(s, user_id=u, external_id="ALICE-ACCT"))),
    # session 28 (ofx28): the account an OFX statement's id names, a card's by its digits: B's own, never A's
    "account_numbers.by_ofx[A's bank account id]": ("ignore", lambda s, u, a, b: (lambda got: "ALICE's account" if got is not None and got.id == a.account_id else got)(account_numbers.by_ofx(s, user_id=u, account="ALICE-ACCT", account_type="CHECKING"))),
    "account_numbers.card_clash": ("ignore", lambda s, u, a, b: account_numbers.card_clash(s, user_id=u, values=["1234", "ALICE-ACCT"])),
    "account_numbers.by_ofx[a card]": ("ignore", lambda s, u, a, b: (lambda got: "ALICE's account" if got is not None and got.id == a.account_id else got)(account_numbers.by_ofx(s, user_id=u, account="4111111111131234", account_type="CREDITCARD"))),
    "accounts.confirm_balance": ("refuse", lambda s, u, a, b: accounts.confirm_balance(s, user_id=u, account_id=a.account_id, day=dt.date(2024, 1, 6))),
    # session 25: the one owner of the last day a balance is known (the Cash flow page asks about some accounts)
    "balance_known.last_known[A's account]": ("refuse", lambda s, u, a, b: balance_known.last_known(s, user_id=u, today=TODAY, account_ids=[a.account_id])),
    "accounts.opening_start": ("refuse", lambda s, u, a, b: accounts.opening_start(s, user_id=u, account_id=a.account_id)),
    "accounts.account_for_import": ("refuse", lambda s, u, a, b: accounts.account_for_import(s, user_id=u, account_id=a.account_id)),
    "importing.save_mapping[A's account]": ("refuse", lambda s, u, a, b: importing.save_mapping(s, user_id=u, name="x", header_signature="probe", columns=("Date", "Description", "Amount"), mapping=importing.ColumnMapping(date=0, description=(1,), amount=2), account_id=a.account_id)),
    "importing.import_target[A's account]": ("refuse", lambda s, u, a, b: importing.import_target(s, user_id=u, parsed=parse_file(_balance_file(), "x.csv"), options=ImportOptions(account_id=a.account_id))),
    "importing.for_preview[A's account]": ("refuse", lambda s, u, a, b: importing.for_preview(s, user_id=u, parsed=(p := parse_file(_balance_file(), "x.csv")), options=ImportOptions(account_id=a.account_id), data=_balance_file(), new_rows=pd.Series(True, index=p.rows.index))),
    "importing.after_import[A's account]": ("refuse", lambda s, u, a, b: importing.after_import(s, user_id=u, parsed=parse_file(_balance_file(), "x.csv"), options=ImportOptions(account_id=a.account_id), data=_balance_file())),
    # session 25: the import whose undo puts the balance back; B's own account and file, A's batch
    "importing.after_import[A's batch]": ("refuse", lambda s, u, a, b: importing.after_import(s, user_id=u, parsed=parse_file(_balance_file(), "x.csv"), options=ImportOptions(account_id=b.account_id), data=_balance_file(), batch_id=a.batch_id)),
    "importing.after_preview[A's batch]": ("refuse", lambda s, u, a, b: importing.after_preview(s, user_id=u, preview=importing.preview_import(s, user_id=u, data=_balance_file(), filename="x.csv"), data=_balance_file(), batch_id=a.batch_id)),
    "importing.set_opening_from_statement[A's batch]": ("refuse", lambda s, u, a, b: importing.set_opening_from_statement(s, principal=_as_principal(u), account_id=b.account_id, balance=_statement(), batch_id=a.batch_id)),
    "importing.batch_of": ("refuse", lambda s, u, a, b: balance_undo.batch_of(s, user_id=u, batch_id=a.batch_id)),
    "importing.state": ("refuse", lambda s, u, a, b: balance_undo.state(s, user_id=u, account_id=a.account_id)),
    "importing.remember[A's batch]": ("refuse", lambda s, u, a, b: balance_undo.remember(s, user_id=u, batch_id=a.batch_id, account_id=b.account_id, before=(1, None, None))),
    "importing.snapshot[A's account]": ("ignore", lambda s, u, a, b: balance_undo.snapshot(s, user_id=u, batch=s.get(ImportBatch, b.batch_id), held={a.account_id})),
    "importing.restore[A's account]": ("ignore", lambda s, u, a, b: balance_undo.restore(s, user_id=u, batch=s.get(ImportBatch, b.batch_id), snap={a.account_id: ((0, None, dt.date(2024, 1, 6)), 5)})),
    "importing.remember[A's account]": ("refuse", lambda s, u, a, b: balance_undo.remember(s, user_id=u, batch_id=b.batch_id, account_id=a.account_id, before=(1, None, None))),
    "importing.take[A's account]": ("refuse", lambda s, u, a, b: opening_balance.take(s, u, _opening_row(), a.account_id)),
    "importing.preview_line[A's account]": ("refuse", lambda s, u, a, b: opening_balance.preview_line(s, u, _opening_row(), pd.Series([True]), a.account_id)),
    "importing.apply[A's account]": ("refuse", lambda s, u, a, b: opening_balance.apply(s, u, b.batch_id, _opening_row(), opening_balance.OpeningTaken(np.array([False]), ((a.account_id, 0),), ""))),
    "importing.apply[A's batch]": ("refuse", lambda s, u, a, b: opening_balance.apply(s, u, a.batch_id, _opening_row(), opening_balance.OpeningTaken(np.array([False]), ((b.account_id, 0),), ""))),
    "account_balance.set_balance_on": ("refuse", lambda s, u, a, b: account_balance.set_balance_on(s, principal=_as_principal(u), account_id=a.account_id, amount="1", day=dt.date(2024, 1, 6))),
    "importing.set_opening_from_statement[A's account]": ("refuse", lambda s, u, a, b: importing.set_opening_from_statement(s, principal=_as_principal(u), account_id=a.account_id, balance=_statement())),
    "importing.commit_import[A's account]": ("refuse", lambda s, u, a, b: importing.commit_import(s, user_id=u, data=_label_file(), filename="x.csv", options=ImportOptions(account_id=a.account_id))),
    "importing.prepare_import[A's account]": ("refuse", lambda s, u, a, b: importing.prepare_import(s, user_id=u, data=_label_file(), filename="x.csv", options=ImportOptions(account_id=a.account_id))),
    "transfers.confirm_transfer[A's out row]": ("refuse", lambda s, u, a, b: transfers.confirm_transfer(s, user_id=u, out_transaction_id=a.transaction_id, in_transaction_id=b.other_transaction_id)),
    "transfers.confirm_transfer[A's in row]": ("refuse", lambda s, u, a, b: transfers.confirm_transfer(s, user_id=u, out_transaction_id=b.transaction_id, in_transaction_id=a.other_transaction_id)),
    # several pairs at once: one with A's row among B's own pairs refuses them all (nothing of B's is confirmed either)
    "transfers.confirm_transfers[A's out row]": ("refuse", lambda s, u, a, b: transfers.confirm_transfers(s, user_id=u, pairs=[(a.transaction_id, b.other_transaction_id)])),
    "transfers.confirm_transfers[A's in row]": ("refuse", lambda s, u, a, b: transfers.confirm_transfers(s, user_id=u, pairs=[(b.transaction_id, a.other_transaction_id)])),
    # A's confirmed transfer's money-out row: never undone by B's edits (the user-id condition); nothing comes back
    "transfers.undo_if_broken": ("ignore", lambda s, u, a, b: transfers.undo_if_broken(s, user_id=u, transaction_id=_a_link_row(s, a), category_id=None)),
    "transfers.undo_for_category": ("ignore", lambda s, u, a, b: transfers.undo_for_category(s, user_id=u, transaction_ids=[_a_link_row(s, a)], category_id=None)),
    "transfers.undo_links_of": ("ignore", lambda s, u, a, b: transfers.undo_links_of(s, user_id=u, transaction_ids=[_a_link_row(s, a)])),
    "transfers.undo_transfer": ("refuse", lambda s, u, a, b: transfers.undo_transfer(s, user_id=u, transfer_id=a.transfer_id)),
    "transfers.find_candidates": ("ignore", lambda s, u, a, b: transfers.find_candidates(s, user_id=u, window_days=14)),
    "transfers.transfer_page": ("ignore", lambda s, u, a, b: transfers.transfer_page(s, user_id=u, account_id=a.account_id)),
    # an item scheduled for A's account (migration 0028): refused like an account that does not exist (the
    # scheduled items' service is services/cashflow_scheduled.py since session 19, re-exported by cashflow)
    "cashflow_scheduled.add_scheduled[A's account]": ("refuse", lambda s, u, a, b: cashflow.add_scheduled(s, user_id=u, name="x", amount="1", kind="expense", next_date=TODAY + dt.timedelta(days=3), account_id=a.account_id)),
    "cashflow_scheduled.archived_items_note[A's account]": ("ignore", lambda s, u, a, b: cashflow.archived_items_note(s, user_id=u, account_id=a.account_id)),
    "cashflow_scheduled.delete_scheduled": ("refuse", lambda s, u, a, b: cashflow.delete_scheduled(s, user_id=u, item_id=a.scheduled_id)),
    # editing (session 19): A's item with B's own valid fields, and B's own item moved to A's account
    "cashflow_scheduled.update_scheduled[A's item]": ("refuse", lambda s, u, a, b: cashflow.update_scheduled(s, user_id=u, item_id=a.scheduled_id, name="x", amount="1", kind="expense", next_date=TODAY + dt.timedelta(days=3))),
    "cashflow_scheduled.update_scheduled[A's account]": ("refuse", lambda s, u, a, b: cashflow.update_scheduled(s, user_id=u, item_id=b.scheduled_id, name="x", amount="1", kind="expense", next_date=TODAY + dt.timedelta(days=3), account_id=a.account_id)),
    "cashflow_scheduled.update_scheduled[A's item, A's account]": ("refuse", lambda s, u, a, b: cashflow.update_scheduled(s, user_id=u, item_id=a.scheduled_id, name="x", amount="1", kind="expense", next_date=TODAY + dt.timedelta(days=3), account_id=a.account_id)),
    "cashflow.cashflow_user": ("ignore", lambda s, u, a, b: cashflow.cashflow_user(s, user_id=u, horizon_months=2)),
    "cashflow.cashflow_user[A's account]": ("refuse", lambda s, u, a, b: cashflow.cashflow_user(s, user_id=u, horizon_months=1, account_id=a.account_id)),
    "cashflow.cashflow_user[all accounts]": ("ignore", lambda s, u, a, b: cashflow.cashflow_user(s, user_id=u, horizon_months=2, scope="all")),
    "accounts.account_rows": ("refuse", lambda s, u, a, b: accounts.account_rows(s, user_id=u, account_id=a.account_id)),
    # several ids (the cash flow's spending accounts): one of A's among B's own is refused like an unknown id
    "accounts.account_rows[B's and A's]": ("refuse", lambda s, u, a, b: accounts.account_rows(s, user_id=u, account_id=[b.account_id, a.account_id])),
    "forecast.history_from_db[A's account]": ("refuse", lambda s, u, a, b: forecast.history_from_db(s, user_id=u, account_id=a.account_id)),
    "forecast.history_from_db[B's and A's accounts]": ("refuse", lambda s, u, a, b: forecast.history_from_db(s, user_id=u, account_ids=[b.account_id, a.account_id])),
    "cashflow.list_scheduled": ("ignore", lambda s, u, a, b: cashflow.list_scheduled(s, user_id=u)),
    "accounts.balances": ("ignore", lambda s, u, a, b: accounts.balances(s, user_id=u)),
    "accounts.balance_history": ("ignore", lambda s, u, a, b: accounts.balance_history(s, user_id=u, months=3)),
    # categories
    "categories.get_category": ("refuse", lambda s, u, a, b: categories.get_category(s, user_id=u, category_id=a.category_id)),
    "categories.update_category": ("refuse", lambda s, u, a, b: categories.update_category(s, user_id=u, category_id=a.category_id, name="pwned")),
    "categories.rename_category": ("refuse", lambda s, u, a, b: categories.rename_category(s, user_id=u, category_id=a.category_id, name="pwned")),
    "categories.recolor_category": ("refuse", lambda s, u, a, b: categories.recolor_category(s, user_id=u, category_id=a.category_id, color="#000000")),
    "categories.archive_category": ("refuse", lambda s, u, a, b: categories.archive_category(s, user_id=u, category_id=a.category_id)),
    # rules and learning
    "categorize.get_rule": ("refuse", lambda s, u, a, b: categorize.get_rule(s, user_id=u, rule_id=a.rule_id)),
    "categorize.delete_rule": ("refuse", lambda s, u, a, b: categorize.delete_rule(s, user_id=u, rule_id=a.rule_id)),
    "categorize.update_rule[A's rule]": ("refuse", lambda s, u, a, b: categorize.update_rule(s, user_id=u, rule_id=a.rule_id, spec=_spec(b.category_id))),
    "categorize.update_rule[A's category]": ("refuse", lambda s, u, a, b: categorize.update_rule(s, user_id=u, rule_id=b.rule_id, spec=_spec(a.category_id))),
    "categorize.create_rule": ("refuse", lambda s, u, a, b: categorize.create_rule(s, user_id=u, spec=_spec(a.category_id))),
    "categorize.validate_rule_spec": ("refuse", lambda s, u, a, b: categorize.validate_rule_spec(s, user_id=u, spec=_spec(a.category_id))),
    "categorize.preview_rule[A's category]": ("refuse", lambda s, u, a, b: categorize.preview_rule(s, user_id=u, spec=_spec(a.category_id))),
    "categorize.preview_rule[A's rule]": ("refuse", lambda s, u, a, b: categorize.preview_rule(s, user_id=u, spec=_spec(b.category_id), rule_id=a.rule_id)),
    "categorize.save_rule_and_apply[A's rule]": ("refuse", lambda s, u, a, b: categorize.save_rule_and_apply(s, user_id=u, spec=_spec(b.category_id), rule_id=a.rule_id)),
    "categorize.save_rule_and_apply[A's category]": ("refuse", lambda s, u, a, b: categorize.save_rule_and_apply(s, user_id=u, spec=_spec(a.category_id))),
    "categorize.learn_from_correction[A's transaction]": ("refuse", lambda s, u, a, b: categorize.learn_from_correction(s, user_id=u, transaction_id=a.transaction_id, category_id=b.category_id)),
    "categorize.learn_from_correction[A's category]": ("refuse", lambda s, u, a, b: categorize.learn_from_correction(s, user_id=u, transaction_id=b.transaction_id, category_id=a.category_id)),
    "categorize.label_merchant[A's category]": ("refuse", lambda s, u, a, b: categorize.label_merchant(s, user_id=u, merchant="probe merchant", category_id=a.category_id)),
    "categorize.label[A's category]": ("refuse", lambda s, u, a, b: categorize.label(s, user_id=u, merchant="probe merchant", category_id=a.category_id)),
    "categorize.learn_and_apply[A's transaction]": ("refuse", lambda s, u, a, b: categorize.learn_and_apply(s, user_id=u, transaction_id=a.transaction_id, category_id=b.category_id)),
    "categorize.learn_and_apply[A's category]": ("refuse", lambda s, u, a, b: categorize.learn_and_apply(s, user_id=u, transaction_id=b.transaction_id, category_id=a.category_id)),
    "categorize.accept_learn_offer": ("refuse", lambda s, u, a, b: categorize.accept_learn_offer(s, user_id=u, offer=_offer(a, b, tx_of=b, cat_of=a))),
    # A's transaction: the offer does not stand for B (False, nothing of A's revealed)
    "categorize.learn_offer_is_current": ("ignore", lambda s, u, a, b: categorize.learn_offer_is_current(s, user_id=u, offer=_offer(a, b, tx_of=a, cat_of=a))),
    "categorize.accept_suggestions[A's transaction]": ("refuse", lambda s, u, a, b: categorize.accept_suggestions(s, user_id=u, accepted=[(a.transaction_id, b.category_id, 0.9)])),
    "categorize.accept_suggestions[A's category]": ("refuse", lambda s, u, a, b: categorize.accept_suggestions(s, user_id=u, accepted=[(b.transaction_id, a.category_id, 0.9)])),
    # a label's undo (the label plan) and the review table's decision: ids inside plain data a page keeps
    "categorize.undo_label[A's row]": ("ignore", lambda s, u, a, b: categorize.undo_label(s, user_id=u, labelled=_labelled(s, b, row=a.transaction_id, before_category=b.category_id))),
    "categorize.undo_label[A's category before]": ("refuse", lambda s, u, a, b: categorize.undo_label(s, user_id=u, labelled=_labelled(s, b, row=b.transaction_id, before_category=a.category_id))),
    "categorize.undo_label[A's rule before]": ("refuse", lambda s, u, a, b: categorize.undo_label(s, user_id=u, labelled=_labelled(s, b, row=b.transaction_id, before_category=b.category_id, before_rule=a.rule_id))),
    "categorize.undo_label[A's category for B's rule]": ("refuse", lambda s, u, a, b: categorize.undo_label(s, user_id=u, labelled=_labelled(s, b, row=b.transaction_id, before_category=b.category_id, rule_before=(a.category_id, "starts_with", "x", True, None)))),
    "categorize.save_review[A's transaction]": ("refuse", lambda s, u, a, b: categorize.save_review(s, user_id=u, decision=categorize.ReviewDecision({b.category_id: [a.transaction_id]}, []), learn=True)),
    "categorize.save_review[A's category]": ("refuse", lambda s, u, a, b: categorize.save_review(s, user_id=u, decision=categorize.ReviewDecision({a.category_id: [b.transaction_id]}, []), learn=True)),
    "categorize.save_review[A's suggestion row]": ("refuse", lambda s, u, a, b: categorize.save_review(s, user_id=u, decision=categorize.ReviewDecision({}, [(a.transaction_id, b.category_id, 0.9)]), learn=False)),
    "categorize.learn_from_labeled": ("refuse", lambda s, u, a, b: categorize.learn_from_labeled(s, user_id=u, rows=[("Probe shop", a.category_id)])),
    "categorize.apply_rules_to_transactions": ("ignore", lambda s, u, a, b: categorize.apply_rules_to_transactions(s, user_id=u, transaction_ids=[a.transaction_id, a.other_transaction_id])),
    "categorize.reapply_categories": ("ignore", lambda s, u, a, b: categorize.reapply_categories(s, user_id=u, transaction_ids=[a.transaction_id, a.other_transaction_id])),
    "categorize.suggest_for_transactions": ("ignore", lambda s, u, a, b: categorize.suggest_for_transactions(s, user_id=u, transaction_ids=[a.transaction_id])),
    # budgets (a budget is addressed by its category)
    "budgets.set_budget": ("refuse", lambda s, u, a, b: budgets.set_budget(s, user_id=u, month=TODAY.replace(day=1), amount="10", category_id=a.budget_category_id)),
    "budgets.get_budget": ("refuse", lambda s, u, a, b: budgets.get_budget(s, user_id=u, month=TODAY.replace(day=1), category_id=a.budget_category_id)),
    "budgets.end_budget": ("refuse", lambda s, u, a, b: budgets.end_budget(s, user_id=u, month=TODAY.replace(day=1), category_id=a.budget_category_id)),
    "budgets.delete_budget_history": ("refuse", lambda s, u, a, b: budgets.delete_budget_history(s, user_id=u, category_id=a.budget_category_id)),
    "budgets.save_budgets": ("refuse", lambda s, u, a, b: budgets.save_budgets(s, user_id=u, month=TODAY.replace(day=1), items=[budgets.BudgetInput(category_id=a.budget_category_id, amount="10")])),
    # goals and contributions
    "goals.get_goal": ("refuse", lambda s, u, a, b: goals.get_goal(s, user_id=u, goal_id=a.goal_id)),
    "goals.update_goal": ("refuse", lambda s, u, a, b: goals.update_goal(s, user_id=u, goal_id=a.goal_id, name="pwned")),
    "goals.delete_goal": ("refuse", lambda s, u, a, b: goals.delete_goal(s, user_id=u, goal_id=a.goal_id)),
    "goals.list_contributions": ("refuse", lambda s, u, a, b: goals.list_contributions(s, user_id=u, goal_id=a.goal_id)),
    "goals.add_contribution": ("refuse", lambda s, u, a, b: goals.add_contribution(s, user_id=u, goal_id=a.goal_id, amount="5")),
    "goals.delete_contribution": ("refuse", lambda s, u, a, b: goals.delete_contribution(s, user_id=u, contribution_id=a.contribution_id)),
    "goals.contribution_pace": ("ignore", lambda s, u, a, b: goals.contribution_pace(s, user_id=u, goal_id=a.goal_id)),
    "goals.date_alternatives": ("ignore", lambda s, u, a, b: goals.date_alternatives(s, user_id=u, remaining_minor=10_000, goal_id=a.goal_id)),
    # goals linked to a savings account (issue #19): A's savings account is a linkable kind, so only ownership refuses it
    "goal_accounts.link_account[A's account]": ("refuse", lambda s, u, a, b: goal_accounts.link_account(s, user_id=u, goal_id=b.goal_id, account_id=a.account_id)),
    "goal_accounts.link_account[A's goal]": ("refuse", lambda s, u, a, b: goal_accounts.link_account(s, user_id=u, goal_id=a.goal_id, account_id=b.account_id)),
    "goal_accounts.link_account[A's goal, unlink]": ("refuse", lambda s, u, a, b: goal_accounts.link_account(s, user_id=u, goal_id=a.goal_id, account_id=None)),
    "goal_accounts.linked_balances": ("ignore", lambda s, u, a, b: goal_accounts.linked_balances(s, user_id=u, links=[(b.goal_id, a.account_id, "USD"), (a.goal_id, a.account_id, "USD")])),
    "goal_accounts.linkable_accounts": ("ignore", lambda s, u, a, b: goal_accounts.linkable_accounts(s, user_id=u)),
    # imports and saved mappings
    "importing.get_import_batch": ("refuse", lambda s, u, a, b: importing.get_import_batch(s, user_id=u, batch_id=a.batch_id)),
    "importing.batch_accounts": ("refuse", lambda s, u, a, b: importing.batch_accounts(s, user_id=u, batch_id=a.batch_id)),
    "importing.undo_import": ("refuse", lambda s, u, a, b: importing.undo_import(s, user_id=u, batch_id=a.batch_id)),
    "importing.delete_mapping": ("refuse", lambda s, u, a, b: importing.delete_mapping(s, user_id=u, mapping_id=a.mapping_id)),
    "importing.preview_import[A's category in the label map]": ("refuse", lambda s, u, a, b: importing.preview_import(s, user_id=u, data=_label_file(), filename="x.csv", options=ImportOptions(category_map=(("Probe label", a.category_id),)))),
    "importing.commit_import[A's category in the label map]": ("refuse", lambda s, u, a, b: importing.commit_import(s, user_id=u, data=_label_file(), filename="x.csv", options=ImportOptions(category_map=(("Probe label", a.category_id),)))),
    "importing.prepare_import[A's category in the label map]": ("refuse", lambda s, u, a, b: importing.prepare_import(s, user_id=u, data=_label_file(), filename="x.csv", options=ImportOptions(category_map=(("Probe label", a.category_id),)))),
    # the currency of a file's rows from the account chosen / the statement's bank account id (found by the
    # session 13 audit's walk of every module)
    "importing.rows_default[A's account]": ("refuse", lambda s, u, a, b: file_currency.rows_default(s, u, ImportOptions(account_id=a.account_id))),
    "importing.adopt_account_currencies[A's account name]": ("ignore", lambda s, u, a, b: (lambda r: (
        "ALICE's account" if any(v.account_id == a.account_id for v in (r[2] or {}).values()) else "not hers",
        r[1].by_account, sorted(set(r[0].rows["currency"]))))(file_currency.adopt_account_currencies(
            s, u, parse_file(b"Date,Description,Amount,Account\n2024-03-01,x,-1.00,ALICE savings\n", "x.csv"),
            ImportOptions(), b"", file_currency.RowsDefault("EUR")))),
    "importing.statement_default[A's bank account id]": ("ignore", lambda s, u, a, b: file_currency.statement_default(s, u, parse_file(_ofx_of("ALICE-ACCT"), "x.ofx"), ImportOptions(), _ofx_of("ALICE-ACCT"))),
    # exchange rates: A's own rate (issue #13)
    "rates.currency_advice": ("ignore", lambda s, u, a, b: rates.currency_advice(s, user_id=u, rows=[("EUR", TODAY, 3), ("GBP", TODAY, 1)], stored=False)),
    "rates.import_currency_advice": ("ignore", lambda s, u, a, b: rates.import_currency_advice(s, user_id=u, batch_id=a.batch_id)),
    "rates.delete_rate": ("refuse", lambda s, u, a, b: rates.delete_rate(s, principal=_principal(s, u), rate_id=_own_rate_id(s, a))),
    # reports filtered by A's category
    "reports.changes": ("ignore", lambda s, u, a, b: reports.changes(s, user_id=u, month=TODAY.replace(day=1), filters=_filters(a))),
    "reports.monthly_totals": ("ignore", lambda s, u, a, b: reports.monthly_totals(s, user_id=u, date_from=TODAY - dt.timedelta(days=900), date_to=TODAY, category_id=a.category_id)),
    **{
        f"reports.{name}": ("ignore", (lambda fn: lambda s, u, a, b: fn(s, user_id=u, filters=_filters(a)))(getattr(reports, name)))
        for name in ("summary", "kpis", "by_period", "by_category", "category_trend", "average_monthly_by_category",
                     "top_merchants", "unusual_transactions", "spending_spikes", "likely_duplicates",
                     "detect_recurring", "report_bundle")
    },
}


def _discover() -> set[str]:
    found = set()
    # every module, those inside the service packages too (session 13 audit: iter_modules saw only a
    # package's __init__, so a public function defined in e.g. services/importing/routing.py was never
    # looked at); the key is the package's name, as the pages call it (categorize.label)
    for info in pkgutil.walk_packages(services_pkg.__path__, "budgetwise.services."):
        module = importlib.import_module(info.name)
        package = info.name.split(".")[2]
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = inspect.signature(fn).parameters
            if "user_id" not in params and "principal" not in params:
                continue
            source = inspect.getsource(fn)
            if "require_admin(" in source or "require_current_admin(session, principal)" in source:
                continue  # administrators' services: refused to users by the token battery
            takes_ids = any((p.endswith("_id") or p.endswith("_ids")) and p != "user_id" for p in params)
            takes_specs = any(any(k in str(params[p].annotation) for k in ID_ANNOTATIONS) for p in params)
            if takes_ids or takes_specs:
                found.add(f"{package}.{name}")
    return found


def test_matrix_covers_every_id_taking_service():
    covered = {key.split("[")[0] for key in MATRIX} | set(EXEMPT)
    missing = sorted(_discover() - covered)
    assert not missing, f"services taking object ids without an isolation check (add them to MATRIX): {missing}"


# --------------------------------------------------------------------------- running the matrix
def owned_snapshot(session, user_id: int) -> dict[str, list]:
    """Every row of every table tied to ``user_id`` (the users row included)."""
    conn = session.connection()
    out = {}
    for table, column in user_owned_tables().items():
        rows = conn.execute(text(f"SELECT * FROM {table} WHERE {column} = :u ORDER BY 1"), {"u": user_id}).all()
        out[table] = [tuple(r) for r in rows]
    return out


def _as_text(result: object) -> str:
    if isinstance(result, pd.DataFrame):
        return result.to_csv()
    if isinstance(result, (list, tuple)):
        return "\n".join(_as_text(r) for r in result)
    if isinstance(result, dict):
        return "\n".join(f"{_as_text(k)}={_as_text(v)}" for k, v in result.items())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return "\n".join(f"{f.name}={_as_text(getattr(result, f.name))}" for f in dataclasses.fields(result))
    return repr(result)


@pytest.fixture
def two_users(db, session, alice, bob):
    a = populate(session, db.settings, alice, marker="ALICE", with_2fa=False)
    b = populate(session, db.settings, bob, marker="BOB", with_2fa=False)
    rates.add_rate(session, principal=alice, date=TODAY, base="EUR", quote="GBP", rate="1.2345")  # A's own rate
    session.flush()
    return a, b


def test_isolation_matrix(db, session, alice, bob, two_users, subtests):
    """Each row of MATRIX, run as user B against user A's ids inside a savepoint."""
    a, b = two_users
    before = owned_snapshot(session, alice.user_id)
    refused = ignored = 0
    for name, (expect, call) in MATRIX.items():
        with subtests.test(case=name):
            nested = session.begin_nested()
            try:
                try:
                    result = call(session, bob.user_id, a, b)
                except NotFoundError:
                    outcome = "refuse"
                else:
                    outcome = "ignore"
                    shown = _as_text(result)
                    assert "ALICE" not in shown, f"{name} returned user A's data: {shown[:500]}"
                session.flush()
                assert outcome == expect, f"{name}: expected {expect}, got {outcome}"
                assert owned_snapshot(session, alice.user_id) == before, f"{name} changed user A's data"
                refused += outcome == "refuse"
                ignored += outcome == "ignore"
            finally:
                nested.rollback()
    assert refused + ignored == len(MATRIX)
    print(f"\nisolation matrix ({db.backend}): {len(MATRIX)} cases, {refused} refused, {ignored} ignored foreign ids")


def test_the_matrix_would_notice_a_leak(db, session, alice, bob, two_users):
    """Guard against a blind matrix: the same calls as A on A's own ids do succeed."""
    a, b = two_users
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=a.transaction_id).description == "ALICE model trains"
    assert categorize.get_rule(session, user_id=alice.user_id, rule_id=a.rule_id).id == a.rule_id
    assert importing.get_import_batch(session, user_id=alice.user_id, batch_id=a.batch_id).id == a.batch_id
    assert goals.get_goal(session, user_id=alice.user_id, goal_id=a.goal_id).name == "ALICE bike"
    assert goal_accounts.linked_balances(session, user_id=alice.user_id, links=[(a.goal_id, a.account_id, "USD")])
    assert file_currency.statement_default(session, alice.user_id, parse_file(_ofx_of("ALICE-ACCT"), "x.ofx"),
                                           ImportOptions(), _ofx_of("ALICE-ACCT")).account == "ALICE savings"
    assert account_numbers.by_ofx(session, user_id=alice.user_id, account="ALICE-ACCT", account_type="CHECKING").id == a.account_id
    adopted = file_currency.adopt_account_currencies(
        session, alice.user_id, parse_file(b"Date,Description,Amount,Account\n2024-03-01,x,-1.00,ALICE savings\n", "x.csv"),
        ImportOptions(), b"", file_currency.RowsDefault("EUR"))
    assert any(v.account_id == a.account_id for v in (adopted[2] or {}).values())
    assert budgets.get_budget(session, user_id=alice.user_id, month=TODAY.replace(day=1), category_id=a.category_id)
    shown = _as_text(reports.by_category(session, user_id=alice.user_id, filters=_filters(a)))
    assert "ALICE Hobbies" in shown
    assert cashflow.update_scheduled(session, user_id=alice.user_id, item_id=a.scheduled_id, name="ALICE rent",
                                     amount="1300", kind="expense", next_date=TODAY + dt.timedelta(days=5),
                                     account_id=a.account_id).account == "ALICE savings"
    assert session.get(User, alice.user_id).email == "alice@example.com"


# --------------------------------------------------------------------------- exchange rates (issue #13)
def _eur_expense(session, user_id: int, day: dt.date, minor: int = 10_000) -> None:
    from tests.helpers_reports import add_rows

    add_rows(session, user_id, [(day, minor, "expense", "HOTEL PARIS", None, "EUR")])
    session.execute(text("UPDATE users SET currency = 'USD' WHERE id = :u"), {"u": user_id})
    session.flush()


def _expense_usd(session, user_id: int, day: dt.date) -> int:
    return tx.period_summary(session, user_id=user_id, date_from=day, date_to=day).expense_minor


def _official(session, day: dt.date, rate: str = "1.10") -> None:
    from decimal import Decimal

    from budgetwise.services.admin import cli_principal

    rates.store_ecb(session, principal=cli_principal(), values=[(day, "USD", Decimal(rate))])


SATURDAY = TODAY - dt.timedelta(days=(TODAY.weekday() - 5) % 7 or 7)  # the last Saturday before today
FRIDAY = SATURDAY - dt.timedelta(days=1)


def test_rates_a_users_typed_or_uploaded_rate_never_changes_another_users_report(session, alice, bob):
    """The attack: bob types EUR->USD 1000 for a weekend day; alice's 100 EUR expense stays 110 USD."""
    _official(session, FRIDAY)
    for user in (alice, bob):
        _eur_expense(session, user.user_id, SATURDAY)
    assert _expense_usd(session, alice.user_id, SATURDAY) == 11_000  # Friday's official rate covers Saturday
    rates.add_rate(session, principal=bob, date=SATURDAY, base="EUR", quote="USD", rate="1000", confirm=True)
    rates.import_rates_csv(session, principal=bob, data=f"date,base,quote,rate\n{FRIDAY},USD,EUR,0.001\n".encode(),
                           confirm=True)  # far off the official rate: confirmed (session 19)
    assert _expense_usd(session, alice.user_id, SATURDAY) == 11_000  # unchanged for alice
    assert _expense_usd(session, bob.user_id, SATURDAY) == 10_000_000  # bob's own numbers, his choice
    assert rates.Converter(session, "USD", user_id=alice.user_id).rate("EUR", SATURDAY) == rates.parse_rate("1.10")
    # and nothing of bob's rates is listed to alice
    assert {r.user_id for r in rates.list_rates(session, user_id=alice.user_id, limit=1000)[0]} == {None}
    assert all(p.sources == ("ecb",) for p in rates.pair_summaries(session, user_id=alice.user_id))
    assert rates.missing_rates(session, user_id=alice.user_id) == ()
    # the same through the report bundle a page shows
    flt = reports.ReportFilter(date_from=SATURDAY, date_to=SATURDAY)
    assert reports.summary(session, user_id=alice.user_id, filters=flt).expense_minor == 11_000


def test_rates_an_official_rate_wins_over_another_users_rate_even_a_future_one(session, alice, bob):
    """A rate typed for tomorrow does not outrank the official rate fetched later, for anyone else."""
    tomorrow = TODAY + dt.timedelta(days=1)
    _eur_expense(session, alice.user_id, tomorrow)
    rates.add_rate(session, principal=bob, date=tomorrow, base="EUR", quote="USD", rate="1000", confirm=True)
    assert rates.Converter(session, "USD", user_id=alice.user_id).rate("EUR", tomorrow) is None  # not alice's
    _official(session, tomorrow, "1.20")  # fetched later
    assert _expense_usd(session, alice.user_id, tomorrow) == 12_000
    assert rates.Converter(session, "USD", user_id=alice.user_id).rate("EUR", tomorrow) == rates.parse_rate("1.20")
    # for its owner, the documented precedence: the rate he typed for that day is his choice
    assert rates.Converter(session, "USD", user_id=bob.user_id).rate("EUR", tomorrow) == rates.parse_rate("1000")
    # a shared rate of an administrator is shared; a regular user cannot make one
    from budgetwise.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        rates.add_rate(session, principal=bob, date=TODAY, base="EUR", quote="USD", rate="1000", shared=True)
    with pytest.raises(PermissionDenied):
        rates.add_rate(session, principal=bob, date=TODAY, base="EUR", quote="USD", rate="1000", user_id=alice.user_id)


def test_rates_every_change_is_audited_with_whose_rates(session, alice, bob):
    from budgetwise.models import AuditLog
    from budgetwise.services.admin import cli_principal

    start = session.scalar(text("SELECT COALESCE(MAX(id), 0) FROM audit_log"))
    rates.add_rate(session, principal=bob, date=FRIDAY, base="EUR", quote="USD", rate="1.3")
    thursday = FRIDAY - dt.timedelta(days=1)
    rates.import_rates_csv(session, principal=bob, data=f"date,base,quote,rate\n{thursday},EUR,USD,1.4\n".encode())
    rates.import_rates_csv(session, principal=bob, replace=True,
                           data=f"date,base,quote,rate\n{thursday},EUR,USD,1.5\n".encode())
    _official(session, FRIDAY)
    rates.add_rate(session, principal=alice, date=FRIDAY, base="EUR", quote="GBP", rate="0.9", shared=True)
    rates.import_rates_csv(session, principal=cli_principal(), user_id=bob.user_id,
                           data=f"date,base,quote,rate\n{FRIDAY},EUR,CHF,0.95\n".encode())
    own = next(r for r in rates.list_rates(session, user_id=bob.user_id)[0] if r.source == "manual" and not r.shared)
    rates.delete_rate(session, principal=bob, rate_id=own.id)
    rows = session.query(AuditLog).filter(AuditLog.id > start, AuditLog.action.like("rates.%")).order_by(AuditLog.id).all()
    assert [(r.action, r.actor_email) for r in rows] == [
        ("rates.manual", "bob@example.com"),
        ("rates.upload", "bob@example.com"),
        ("rates.upload", "bob@example.com"),
        ("rates.ecb", "cli@localhost"),
        ("rates.manual", "alice@example.com"),
        ("rates.upload", "cli@localhost"),
        ("rates.delete", "bob@example.com"),
    ]
    assert "replaced 1" in rows[2].details
    assert [("own rates of bob@example.com only" in r.details) for r in rows] == [True, True, True, False, False, True, True]
    assert "shared by every user" in rows[3].details and "shared by every user" in rows[4].details


def test_rates_own_rates_go_with_the_account(session, alice, bob):
    from budgetwise.services.profile import delete_user_data

    rates.add_rate(session, principal=bob, date=FRIDAY, base="EUR", quote="USD", rate="1.3")
    delete_user_data(session, bob.user_id)
    assert session.scalar(text("SELECT COUNT(*) FROM exchange_rates")) == 0
