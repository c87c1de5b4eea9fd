"""Importing: the history of import batches and their undo."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.models import Account, Goal, ImportBatch, ImportMapping, ScheduledItem, Transaction, utcnow
from budgetwise.services.account_numbers import file_name
from budgetwise.services.importing.balance_undo import records, restore, snapshot
from budgetwise.services.importing.chosen_number import take_back_number
from budgetwise.services.importing.types import ImportAlreadyUndone, ImportBatchView, UndoResult
from budgetwise.services.versions import lock_user_for_import, touch_data


# =========================================================================== history & undo
def _batch_view(b: ImportBatch, remaining: int, accounts: tuple[str, ...] = ()) -> ImportBatchView:
    return ImportBatchView(
        id=b.id, filename=file_name(b.filename), file_format=b.file_format, account=b.account, created_at=b.created_at,
        rows_read=b.rows_read, rows_imported=b.rows_imported, rows_duplicate=b.rows_duplicate,
        rows_rejected=b.rows_rejected, status=b.status, undone_at=b.undone_at, rows_remaining=remaining,
        accounts=accounts, balances=len(records(b)),
    )


def list_import_batches(session: Session, *, user_id: int, limit: int = 50) -> list[ImportBatchView]:
    """The user's imports, newest first, with how many of each batch's rows still exist."""
    batches = list(
        session.scalars(
            select(ImportBatch)
            .where(ImportBatch.user_id == user_id)
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
            .limit(max(1, min(int(limit), 500)))
        )
    )
    if not batches:
        return []
    ids = [b.id for b in batches]
    counts = dict(
        session.execute(
            select(Transaction.import_batch_id, func.count())
            .where(Transaction.user_id == user_id, Transaction.import_batch_id.in_(ids))
            .group_by(Transaction.import_batch_id)
        ).all()
    )
    named: dict[int, list[tuple[int, str]]] = {}
    for batch_id, name, n in session.execute(  # the accounts the rows are in now (renamed: the new name)
        select(Transaction.import_batch_id, Account.name, func.count())
        .join(Account, Account.id == Transaction.account_id)
        .where(Transaction.user_id == user_id, Transaction.import_batch_id.in_(ids))
        .group_by(Transaction.import_batch_id, Account.name)
    ):
        named.setdefault(int(batch_id), []).append((-int(n), str(name)))
    return [_batch_view(b, int(counts.get(b.id, 0)), tuple(name for _, name in sorted(named.get(b.id, []))))
            for b in batches]


def get_import_batch(session: Session, *, user_id: int, batch_id: int) -> ImportBatchView:
    b = session.scalar(select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id))
    if b is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    remaining = session.scalar(
        select(func.count()).where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id)
    )
    return _batch_view(b, int(remaining or 0))


def batch_accounts(session: Session, *, user_id: int, batch_id: int) -> list[tuple[str, int]]:
    """(account name, rows) of the batch's rows still there, most rows first (one GROUP BY);
    NotFoundError for a batch that is not the user's."""
    if session.scalar(select(ImportBatch.id).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id)) is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    rows = session.execute(
        select(Account.name, func.count())
        .select_from(Transaction)
        .join(Account, Account.id == Transaction.account_id)
        .where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id)
        .group_by(Account.name)
    ).all()
    return sorted(((str(n), int(c)) for n, c in rows), key=lambda x: (-x[1], x[0]))


def undo_import(session: Session, *, user_id: int, batch_id: int) -> UndoResult:
    """Delete exactly the transactions this batch added (those still there); mark it undone; remove the accounts
    the import created (an OFX account id seen first, the names in a file's account column, a currency without an
    account) that are now empty and that nothing refers to (:func:`_created_accounts`), named in the result. All in
    one savepoint: a failure leaves the database as it was. A starter account the import took over existed before
    and stays; so do the accounts of imports made before migration 0028 (not recorded). The balance the import
    confirmed or set from the file's statement is put back as it was, and a balance confirmed since that counted the
    rows is no longer marked as confirmed (:func:`.balance_undo.restore`, sessions 25-26).

    Which accounts are empty is read under the user's lock, as an import writes: an import in another tab that
    stored rows in an account the undo found empty lost their account (the foreign key's SET NULL) when the undo
    deleted it (session 26, sec26). The lock is taken first, on every backend: the one lock order of account edits
    (:mod:`..account_lock`, session 27; on PostgreSQL the undo took it last, after its accounts' rows, and deadlocked
    with a rename or a default chosen at the same moment)."""
    lock_user_for_import(session, user_id)
    b = session.scalar(select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id))
    if b is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    def undone_before() -> ImportAlreadyUndone:
        return ImportAlreadyUndone(
            f"Import #{batch_id} ({b.filename}) was already undone; nothing else was removed.", field="batch"
        )

    if b.status == "undone":
        raise undone_before()
    with session.begin_nested():
        marked: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(ImportBatch)
            .where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id, ImportBatch.status != "undone")
            .values(status="undone", undone_at=utcnow())
        )
        if not marked.rowcount:  # undone in another tab meanwhile (its row locked until then; session 26, sec26)
            raise undone_before()
        held = set(session.scalars(select(Transaction.account_id).distinct().where(
            Transaction.user_id == user_id, Transaction.import_batch_id == batch_id, Transaction.account_id.is_not(None))))
        snap = snapshot(session, user_id=user_id, batch=b, held=held)  # the balances before the rows go
        result = session.execute(
            delete(Transaction).where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id)
        )
        balance = restore(session, user_id=user_id, batch=b, snap=snap)  # first: an opening balance put back may free an account
        take_back_number(session, user_id, b)  # a number the import gave its chosen account (session 28)
        removed, kept = _created_accounts(session, user_id, batch_id, held)
        if removed:
            _delete_accounts(session, user_id, [i for i, _ in removed])
        touch_data(session, user_id)
    session.expire(b)
    gone = {name for _, name in removed}  # nothing to say of the balance of an account the undo removed (open29)
    return UndoResult(int(result.rowcount or 0), tuple(n for _, n in removed), tuple(kept),
                      tuple(note for note in balance if note[0] not in gone))


def _created_accounts(session: Session, user_id: int, batch_id: int, held: set[int]):
    """([(id, name)] to remove, [(name, why it stays)]): the accounts this import created, and those an import
    already undone created that held this one's rows (undoing two imports into a new account removes it), that are
    now empty (no transaction of any import or typed by hand), that no goal follows, no item is scheduled for, no
    saved column mapping sends files to, with no opening balance or opening date (set by hand, or from the file's
    statement: a figure the user gave stays), and not the user's last open account."""
    undone = select(ImportBatch.id).where(ImportBatch.user_id == user_id, ImportBatch.status == "undone")
    rows = list(session.scalars(select(Account).where(Account.user_id == user_id, or_(
        Account.created_by_import_id == batch_id,
        and_(Account.id.in_(held or {0}), Account.created_by_import_id.in_(undone)))).order_by(Account.id)))
    if not rows:
        return [], []
    ids = [r.id for r in rows]
    used = {int(a) for a in session.scalars(select(Transaction.account_id).distinct().where(
        Transaction.user_id == user_id, Transaction.account_id.in_(ids)))}
    goals = set(session.scalars(select(Goal.account_id).where(Goal.user_id == user_id, Goal.account_id.in_(ids))))
    planned = set(session.scalars(select(ScheduledItem.account_id).where(
        ScheduledItem.user_id == user_id, ScheduledItem.account_id.in_(ids))))
    mapped = {json.loads(m).get("account_id") for m in session.scalars(
        select(ImportMapping.mapping_json).where(ImportMapping.user_id == user_id))}
    removed, kept = [], []
    for r in rows:
        why = ("it holds other transactions" if r.id in used else "a goal follows it" if r.id in goals
               else "an item is scheduled for it on the Cash flow page" if r.id in planned
               else "a saved column mapping sends files to it" if r.id in mapped
               else "it has an opening balance" if r.opening_balance_minor or r.opening_date is not None else "")
        if why:
            kept.append((r.name, why))
        else:
            removed.append((r.id, r.name))
    open_left = session.scalar(select(func.count(Account.id)).where(
        Account.user_id == user_id, Account.is_archived.is_(False), Account.id.not_in([i for i, _ in removed] or {0})))
    open_removed = [r for r in rows if (r.id, r.name) in removed and not r.is_archived]
    if open_removed and not open_left:  # never the user's last open account (as archiving refuses it)
        removed.remove((open_removed[0].id, open_removed[0].name))
        kept.append((open_removed[0].name, "it is your only open account"))
    return removed, kept


def _delete_accounts(session: Session, user_id: int, ids: list[int]) -> None:
    session.execute(delete(Account).where(Account.user_id == user_id, Account.id.in_(ids))
                    .execution_options(synchronize_session=False))
