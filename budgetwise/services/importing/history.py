"""Importing: the history of import batches and their undo."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.models import Account, ImportBatch, Transaction, utcnow
from budgetwise.services.importing.types import ImportAlreadyUndone, ImportBatchView
from budgetwise.services.versions import touch_data


# =========================================================================== history & undo
def _batch_view(b: ImportBatch, remaining: int) -> ImportBatchView:
    return ImportBatchView(
        id=b.id, filename=b.filename, file_format=b.file_format, account=b.account, created_at=b.created_at,
        rows_read=b.rows_read, rows_imported=b.rows_imported, rows_duplicate=b.rows_duplicate,
        rows_rejected=b.rows_rejected, status=b.status, undone_at=b.undone_at, rows_remaining=remaining,
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
    return [_batch_view(b, int(counts.get(b.id, 0))) for b in batches]


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


def undo_import(session: Session, *, user_id: int, batch_id: int) -> int:
    """Delete exactly the transactions this batch added (those still there); mark it undone.

    Accounts the import created (an OFX account id seen first, the names in a file's account
    column) stay, empty: their balance is their opening balance (0 unless the user set one), and
    importing the file again puts the rows back into them rather than into a second set. The
    user archives an unwanted one on the Accounts page."""
    b = session.scalar(select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id))
    if b is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    if b.status == "undone":
        raise ImportAlreadyUndone(
            f"Import #{batch_id} ({b.filename}) was already undone; nothing else was removed.", field="batch"
        )
    result = session.execute(
        delete(Transaction).where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id)
    )
    session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id)
        .values(status="undone", undone_at=utcnow())
    )
    touch_data(session, user_id)
    session.expire(b)
    return int(result.rowcount or 0)
