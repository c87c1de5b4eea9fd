"""Transactions: add, edit, delete, list with filters and pagination, monthly summary.

Every function filters by ``user_id``: an id that belongs to somebody else is
answered exactly like an id that does not exist (NotFoundError), never with data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import Select, case, delete, func, select
from sqlalchemy.orm import Session

from budgetwise.dates import validate_transaction_date
from budgetwise.db import chunked
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.kinds import TransactionKind, is_transaction_kind
from budgetwise.models import KIND_EXPENSE, Account, Category, Transaction, utcnow
from budgetwise.money import parse_positive_amount, validate_currency
from budgetwise.paging import page_bounds, page_count
from budgetwise.services import categories as categories_service
from budgetwise.services.profile import user_currency, user_decimal_separator, user_formats
from budgetwise.services.versions import count_under_user_lock, lock_user_for_import, touch_data
from budgetwise.text import and_list, clean_text, fingerprint, plural_word
from budgetwise.textforms import merchant_key

MAX_DESCRIPTION = 500
MAX_NOTES = 2000
MAX_BULK = 10_000


@dataclass(frozen=True)
class TransactionView:
    id: int
    date: dt.date
    amount_minor: int
    currency: str
    kind: str
    description: str
    category_id: int | None
    category_name: str | None
    category_kind: str | None
    category_manual: bool
    category_source: str | None
    category_confidence: float | None
    notes: str
    account: str | None
    source: str
    import_batch_id: int | None
    created_at: dt.datetime
    account_id: int | None = None
    account_name: str | None = None  # the name of the account the row belongs to (account_id)
    bank_type: str | None = None  # the bank's own type of the row ("ATM", "FEE", "DD"), from an imported file
    notice: str | None = None  # what an edit did beyond the edit, for the user to read (a transfer undone)

    @property
    def signed_minor(self) -> int:
        return -self.amount_minor if self.kind == KIND_EXPENSE else self.amount_minor


@dataclass(frozen=True)
class TransactionFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str | None = None  # income / expense / None
    category_ids: tuple[int, ...] = ()
    uncategorized: bool = False
    text: str = ""
    import_batch_id: int | None = None
    account_ids: tuple[int, ...] = ()  # the rows of these accounts only (of the user's own: others match nothing)


@dataclass(frozen=True)
class TransactionPage:
    rows: list[TransactionView]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)


@dataclass(frozen=True)
class PeriodSummary:
    currency: str
    income_minor: int
    expense_minor: int
    count: int
    other_currencies: tuple[str, ...] = field(default=())  # present besides ``currency`` (converted when possible)
    missing_rates: tuple = field(default=())  # rates.MissingRate: amounts left out for want of a rate

    @property
    def net_minor(self) -> int:
        return self.income_minor - self.expense_minor


# --------------------------------------------------------------------------- validation
def _parse_amount(amount: object, currency: str, decimal_hint: str | None = ".") -> int:
    """Decimal/int exactly; text with the user's locale's decimal separator settling "1.234"."""
    if isinstance(amount, bool):
        raise ValidationError("Enter an amount.", field="amount")
    if isinstance(amount, Decimal):
        return parse_positive_amount(format(amount, "f"), currency, decimal_hint=".")
    if isinstance(amount, int):
        return parse_positive_amount(str(amount), currency)
    if isinstance(amount, float):
        raise ValidationError("Amounts are exact: pass text or a Decimal, not a float.", field="amount")
    return parse_positive_amount(str(amount), currency, decimal_hint=decimal_hint)


def _validate_kind(kind: str) -> TransactionKind:
    value = (kind or "").strip().lower()
    if not is_transaction_kind(value):
        raise ValidationError("The type must be income or expense.", field="type")
    return value


def _validate_description(description: str) -> str:
    value = clean_text(description)
    if not value:
        raise ValidationError("Enter a description (for example the shop or the payer).", field="description")
    if len(value) > MAX_DESCRIPTION:
        raise ValidationError(f"The description is too long ({MAX_DESCRIPTION} characters at most).", field="description")
    return value


def _account_text(value: object) -> str | None:
    """A row's account text as an import keeps it (``account_numbers.row_text``: a number masked; session 29)."""
    from budgetwise.services.account_numbers import row_text

    return row_text(clean_text(value, max_length=100) or None)


def _owned(session: Session, user_id: int, transaction_id: int) -> Transaction:
    txn = session.scalar(select(Transaction).where(Transaction.id == transaction_id, Transaction.user_id == user_id))
    if txn is None:
        raise NotFoundError(f"Transaction {transaction_id} does not exist.")
    return txn


# --------------------------------------------------------------------------- queries
def _view_stmt() -> Select:
    return (
        select(Transaction, Category.name, Category.kind, Account.name)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .outerjoin(Account, Account.id == Transaction.account_id)
    )


def _to_view(txn: Transaction, cat_name: str | None, cat_kind: str | None,
             account_name: str | None = None) -> TransactionView:
    return TransactionView(
        id=txn.id,
        date=txn.date,
        amount_minor=txn.amount_minor,
        currency=txn.currency,
        kind=txn.kind,
        description=txn.description,
        category_id=txn.category_id,
        category_name=cat_name,
        category_kind=cat_kind,
        category_manual=txn.category_manual,
        category_source=txn.category_source,
        category_confidence=txn.category_confidence,
        notes=txn.notes,
        account=txn.account,
        source=txn.source,
        import_batch_id=txn.import_batch_id,
        created_at=txn.created_at,
        account_id=txn.account_id,
        account_name=account_name,
        bank_type=txn.bank_type,
    )


def get_transaction(session: Session, *, user_id: int, transaction_id: int) -> TransactionView:
    row = session.execute(
        _view_stmt().where(Transaction.id == transaction_id, Transaction.user_id == user_id)
    ).first()
    if row is None:
        raise NotFoundError(f"Transaction {transaction_id} does not exist.")
    return _to_view(*row)


def apply_filter(stmt: Select, user_id: int, flt: TransactionFilter) -> Select:
    """``stmt`` limited to the user's rows that ``flt`` keeps (the page's list and its downloads alike)."""
    stmt = stmt.where(Transaction.user_id == user_id)
    if flt.date_from:
        stmt = stmt.where(Transaction.date >= flt.date_from)
    if flt.date_to:
        stmt = stmt.where(Transaction.date <= flt.date_to)
    if flt.kind:
        stmt = stmt.where(Transaction.kind == _validate_kind(flt.kind))
    if flt.category_ids and flt.uncategorized:
        stmt = stmt.where(Transaction.category_id.in_(flt.category_ids) | Transaction.category_id.is_(None))
    elif flt.category_ids:
        stmt = stmt.where(Transaction.category_id.in_(flt.category_ids))
    elif flt.uncategorized:
        stmt = stmt.where(Transaction.category_id.is_(None))
    if flt.import_batch_id is not None:
        stmt = stmt.where(Transaction.import_batch_id == flt.import_batch_id)
    if flt.account_ids:  # with the user_id condition above: another user's account id matches no row
        stmt = stmt.where(Transaction.account_id.in_([int(i) for i in flt.account_ids]))
    text = clean_text(flt.text)[:100]
    if text:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        stmt = stmt.where(
            func.lower(Transaction.description).like(pattern, escape="\\")
            | func.lower(Transaction.notes).like(pattern, escape="\\")
        )
    return stmt


def list_transactions(
    session: Session,
    *,
    user_id: int,
    filters: TransactionFilter | None = None,
    page: int = 1,
    page_size: int = 50,
) -> TransactionPage:
    """One page of the user's transactions, newest first (an indexed LIMIT/OFFSET query)."""
    flt = filters or TransactionFilter()
    total = int(
        session.scalar(apply_filter(select(func.count(Transaction.id)), user_id, flt)) or 0
    )
    page, page_size = page_bounds(total, page, page_size)
    stmt = (
        apply_filter(_view_stmt(), user_id, flt)
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    rows = [_to_view(*row) for row in session.execute(stmt)]
    return TransactionPage(rows=rows, total=total, page=page, page_size=page_size)


def recent_transactions(session: Session, *, user_id: int, limit: int = 10) -> list[TransactionView]:
    return list_transactions(session, user_id=user_id, page=1, page_size=limit).rows


def period_summary(session: Session, *, user_id: int, date_from: dt.date, date_to: dt.date) -> PeriodSummary:
    """Income and expenses between two dates (inclusive), in SQL. Transfers are excluded.

    Amounts are in the user's base currency: its rows are summed in SQL, rows in other
    currencies are grouped in SQL by (currency, date) and converted at each day's rate
    (:mod:`budgetwise.services.rates`); amounts without a rate are left out and listed
    in ``missing_rates``.
    """
    from budgetwise.services import rates

    currency = user_currency(session, user_id)
    is_transfer = Category.kind == "transfer"
    fx_day = case((Transaction.currency != currency, Transaction.date), else_=None).label("fx_day")
    stmt = (
        select(Transaction.kind, Transaction.currency, fx_day, func.sum(Transaction.amount_minor), func.count(Transaction.id))
        .outerjoin(Category, Category.id == Transaction.category_id)
        .where(
            Transaction.user_id == user_id,
            Transaction.date >= date_from,
            Transaction.date <= date_to,
            (Category.kind.is_(None)) | ~is_transfer,
        )
        .group_by(Transaction.kind, Transaction.currency, fx_day)
    )
    rows = session.execute(stmt).all()
    others = sorted({cur for _, cur, _, _, _ in rows if cur != currency})
    fx = rates.Converter(session, currency, user_id=user_id)
    sums = rates.sum_converted(fx, (((kind,), cur, day, int(total or 0), int(cnt or 0)) for kind, cur, day, total, cnt in rows))
    income, n_income = sums.get(("income",), (0, 0))
    expense, n_expense = sums.get(("expense",), (0, 0))
    return PeriodSummary(
        currency=currency, income_minor=income, expense_minor=expense, count=n_income + n_expense,
        other_currencies=tuple(others), missing_rates=fx.missing,
    )


def count_transactions(session: Session, *, user_id: int) -> int:
    return int(session.scalar(select(func.count(Transaction.id)).where(Transaction.user_id == user_id)) or 0)


def _held_under_lock(session: Session, user_id: int) -> int:
    """The user's transactions, counted under the user's import lock: writers of one user queue for the ceiling."""
    return count_under_user_lock(
        session, user_id, select(func.count(Transaction.id)).where(Transaction.user_id == user_id)
    )


# --------------------------------------------------------------------------- writes
def add_transaction(
    session: Session,
    *,
    user_id: int,
    date: object,
    amount: object,
    kind: str,
    description: str,
    category_id: int | None = None,
    currency: str | None = None,
    notes: str = "",
    account: str | None = None,
    auto_categorize: bool = True,
    account_id: int | None = None,
) -> TransactionView:
    """Validate and store one transaction entered by a person.

    ``amount`` is text ("12.50", "1,234.56") or a Decimal in major units; it must be positive.
    A chosen category is a manual one and sticks; without one, the rules may pick it.
    """
    cur = validate_currency(currency) if currency else user_currency(session, user_id)
    day = _valid_date(session, user_id, date)
    minor = _parse_amount(amount, cur, user_decimal_separator(session, user_id))
    kind_value = _validate_kind(kind)
    desc = _validate_description(description)
    if len(notes or "") > MAX_NOTES:
        raise ValidationError(f"The notes are too long ({MAX_NOTES} characters at most).", field="notes")
    from budgetwise.importing import limits  # the package loads the readers: only when a row is added
    from budgetwise.services import accounts as accounts_service  # accounts reads reports; no import cycle

    # The chosen account (must be the user's, open), else the one named ``account``, else the default.
    target_account = accounts_service.resolve_account_id(
        session, user_id=user_id, account_id=account_id, name=account
    )
    limits.check_room(_held_under_lock(session, user_id), 1, "add")  # the imports' per-account ceiling
    txn = Transaction(
        user_id=user_id,
        account_id=target_account,
        date=day,
        amount_minor=minor,
        currency=cur,
        kind=kind_value,
        description=desc,
        merchant=merchant_key(desc),
        notes=clean_text(notes, max_length=MAX_NOTES),
        account=_account_text(account),
        source="manual",
        fingerprint=fingerprint(day.isoformat(), minor, kind_value, desc, cur),
    )
    if category_id is not None:
        categories_service.get_category(session, user_id=user_id, category_id=category_id)
        txn.category_id = category_id
        txn.category_manual = True
        txn.category_source = "manual"
    session.add(txn)
    session.flush()
    if category_id is None and auto_categorize:
        _auto_categorize(session, user_id=user_id, transaction_ids=[txn.id])
    touch_data(session, user_id)
    return get_transaction(session, user_id=user_id, transaction_id=txn.id)


def _auto_categorize(session: Session, *, user_id: int, transaction_ids: list[int]) -> None:
    """Let the rule engine categorize freshly added rows (never touches manual categories)."""
    try:
        from budgetwise.services import categorize
    except ImportError:  # pragma: no cover - the engine ships with the package
        return
    apply = getattr(categorize, "apply_rules_to_transactions", None)
    if apply is not None:
        apply(session, user_id=user_id, transaction_ids=transaction_ids)


_UNSET = object()


def update_transaction(
    session: Session,
    *,
    user_id: int,
    transaction_id: int,
    date: object = _UNSET,
    amount: object = _UNSET,
    kind: object = _UNSET,
    description: object = _UNSET,
    category_id: object = _UNSET,
    notes: object = _UNSET,
    account: object = _UNSET,
    currency: object = _UNSET,
    account_id: object = _UNSET,
) -> TransactionView:
    """Change fields of one of the user's transactions. A category set here becomes manual.

    ``account_id`` moves the row to another of the user's open accounts; the row keeps its own currency
    (a row in another currency than its account is converted in the account's balance, docs/accounts.md).
    When the row is half of a confirmed transfer and the edit leaves the two rows no longer one transfer
    (amount, currency, type, account or dates), the transfer is undone first, as when one half is deleted,
    and the returned view's ``notice`` says so.

    Under the user's lock, taken first (the one lock order of a user's writes, :mod:`.account_lock`; session 27): an
    import's undo deleting the row, or the account it moves to archived, in another tab meanwhile, is seen (before: a
    deadlock on PostgreSQL, a StaleDataError on MariaDB)."""
    lock_user_for_import(session, user_id)
    txn = _owned(session, user_id, transaction_id)
    if account_id is not _UNSET and account_id is not None and int(str(account_id)) != txn.account_id:
        from budgetwise.services import accounts as accounts_service  # accounts reads reports; no import cycle

        txn.account_id = accounts_service.resolve_account_id(session, user_id=user_id, account_id=int(str(account_id)))
    if currency is not _UNSET:
        txn.currency = validate_currency(str(currency))
    if date is not _UNSET:
        txn.date = _valid_date(session, user_id, date)
    if amount is not _UNSET:
        txn.amount_minor = _parse_amount(amount, txn.currency, user_decimal_separator(session, user_id))
    if kind is not _UNSET:
        txn.kind = _validate_kind(str(kind))
    if description is not _UNSET:
        txn.description = _validate_description(str(description))
        txn.merchant = merchant_key(txn.description)
    if notes is not _UNSET:
        if len(str(notes or "")) > MAX_NOTES:
            raise ValidationError(f"The notes are too long ({MAX_NOTES} characters at most).", field="notes")
        txn.notes = clean_text(notes, max_length=MAX_NOTES)
    if account is not _UNSET:
        txn.account = _account_text(account)
    session.flush()
    from budgetwise.services import transfers  # transfers reads this module's models only; no cycle

    # before a category set here; a category away from the transfer ones says "not a transfer" (session 13)
    changed = category_id is not _UNSET and (None if category_id is None else int(str(category_id))) != txn.category_id
    notice = (transfers.undo_if_broken(session, user_id=user_id, transaction_id=txn.id, category_id=category_id)
              if changed else transfers.undo_if_broken(session, user_id=user_id, transaction_id=txn.id))
    if category_id is not _UNSET:
        if category_id is None:
            txn.category_id = None
            txn.category_manual = True
            txn.category_source = "manual"
        else:
            categories_service.get_category(session, user_id=user_id, category_id=int(category_id))
            txn.category_id = int(category_id)
            txn.category_manual = True
            txn.category_source = "manual"
        txn.category_confidence = None
        txn.rule_id = None
        txn.category_signal = None
    txn.fingerprint = fingerprint(txn.date.isoformat(), txn.amount_minor, txn.kind, txn.description, txn.currency)
    txn.updated_at = utcnow()
    session.flush()
    touch_data(session, user_id)
    view = get_transaction(session, user_id=user_id, transaction_id=txn.id)
    return replace(view, notice=notice) if notice else view


@dataclass(frozen=True)
class BulkCategoryResult:
    """What :func:`set_category_bulk` did: how many rows it set, how many confirmed transfers it undid on
    the way, and the sentence naming them (None when it undid none)."""

    changed: int
    transfers_undone: int = 0
    notice: str | None = None


def set_category_bulk(
    session: Session, *, user_id: int, transaction_ids: list[int], category_id: int | None
) -> BulkCategoryResult:
    """Set one category (by hand) on many of the user's transactions; all or nothing. A category that is
    no transfer category undoes the confirmed transfers the rows are half of first (session 13), and
    the result's ``notice`` says which (session 14). Under the user's lock, taken first (session 28)."""
    from budgetwise.services import transfers

    lock_user_for_import(session, user_id)
    ids = _checked_ids(session, user_id, transaction_ids)
    if category_id is not None:
        categories_service.get_category(session, user_id=user_id, category_id=category_id)
    undone, notice = transfers.undo_for_category(session, user_id=user_id, transaction_ids=ids, category_id=category_id)
    for chunk in chunked(ids):
        for txn in session.scalars(select(Transaction).where(Transaction.id.in_(chunk), Transaction.user_id == user_id)):
            txn.category_id = category_id
            txn.category_manual = True
            txn.category_source = "manual"
            txn.category_confidence = None
            txn.rule_id = None
            txn.category_signal = None
    session.flush()
    touch_data(session, user_id)
    return BulkCategoryResult(len(ids), undone, notice)


def _valid_date(session: Session, user_id: int, value: object) -> dt.date:
    """:func:`budgetwise.dates.validate_transaction_date`; a refusal writes its dates in the user's date format
    and locale (read only then: accepted dates cost no query)."""
    try:
        return validate_transaction_date(value)
    except ValidationError:
        locale, fmt = user_formats(session, user_id)
        return validate_transaction_date(value, date_format=fmt, locale=locale)  # refused again, in their words


def _checked_ids(session: Session, user_id: int, transaction_ids: list[int]) -> list[int]:
    ids = sorted({int(i) for i in transaction_ids})
    if not ids:
        raise ValidationError("Select at least one transaction.")
    if len(ids) > MAX_BULK:
        raise ValidationError(f"At most {MAX_BULK:,} transactions can be changed at once.")
    owned: set[int] = set()
    for chunk in chunked(ids):
        owned.update(
            session.scalars(
                select(Transaction.id).where(Transaction.user_id == user_id, Transaction.id.in_(chunk))
            )
        )
    missing = [i for i in ids if i not in owned]
    if missing:
        raise NotFoundError(
            f"{plural_word(len(missing), 'Transaction')} {', '.join(map(str, missing[:10]))} "
            f"{plural_word(len(missing), 'does', 'do')} not exist; nothing was changed."
        )
    return ids


def delete_transactions(session: Session, *, user_id: int, transaction_ids: list[int]) -> int:
    """Delete the user's transactions with these ids: all of them, or none if any id is not theirs. Under the user's
    lock, taken first (as :func:`update_transaction`: an import's undo deleting the same rows deadlocked)."""
    lock_user_for_import(session, user_id)
    ids = _checked_ids(session, user_id, transaction_ids)
    # the confirmed transfers these rows are part of are undone first (the other row gets its own category
    # back): the foreign key deleted the link alone, and the row left behind stayed a "transfer" without its
    # pair, counted as neither income nor spending (browser QA, session 13)
    from budgetwise.services import transfers

    transfers.undo_links_of(session, user_id=user_id, transaction_ids=ids)
    deleted = 0
    for chunk in chunked(ids):
        result = session.execute(
            delete(Transaction).where(Transaction.user_id == user_id, Transaction.id.in_(chunk))
        )
        deleted += result.rowcount or 0
    touch_data(session, user_id)
    return deleted


def delete_transaction(session: Session, *, user_id: int, transaction_id: int) -> None:
    delete_transactions(session, user_id=user_id, transaction_ids=[transaction_id])


# --------------------------------------------------------------------------- undo of the last delete
_KEPT = tuple(c.name for c in Transaction.__table__.columns if c.name not in ("id", "user_id", "updated_at"))


@dataclass(frozen=True)
class DeletedTransactions:
    """What :func:`delete_for_undo` deleted, enough to put it back (:func:`restore_deleted`): each row's stored
    values except its id, as they were after its confirmed transfer (if any) was undone. The caller keeps it
    where only this signed-in user reaches it (the page's session); it names the user it was taken for."""

    user_id: int
    rows: tuple[dict[str, object], ...]
    transfers_undone: int = 0
    # each deleted fingerprint's count among the rows the delete left (review21b: a row added again since, by a
    # re-import that no longer saw it as a duplicate or by hand, would otherwise be in twice after the undo)
    kept: tuple[tuple[str, int], ...] = ()
    # the rows' accounts that were archived at the delete (undoarch): putting rows back into one of them restores
    # what was there; into an account archived since would change its balance behind the user's back
    archived: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.rows)


def delete_for_undo(session: Session, *, user_id: int, transaction_ids: list[int]) -> DeletedTransactions:
    """:func:`delete_transactions`, keeping what it deleted for one undo (new-user trial, session 21: a finance
    app's delete is expected to be undoable, the page could only warn before it)."""
    from budgetwise.services import transfers

    ids = _checked_ids(session, user_id, transaction_ids)
    undone = transfers.undo_links_of(session, user_id=user_id, transaction_ids=ids)  # the rows' categories back first
    rows: list[dict[str, object]] = []
    for chunk in chunked(ids):
        found = session.scalars(select(Transaction).where(Transaction.user_id == user_id, Transaction.id.in_(chunk)))
        rows += [{name: getattr(txn, name) for name in _KEPT} for txn in found]
    delete_transactions(session, user_id=user_id, transaction_ids=ids)
    kept = _fingerprint_counts(session, user_id, {str(r["fingerprint"]) for r in rows})
    archived = _archived_accounts(session, user_id, rows)
    return DeletedTransactions(user_id=user_id, rows=tuple(rows), transfers_undone=undone,
                               kept=tuple(sorted(kept.items())), archived=tuple(sorted(archived)))


def _archived_accounts(session: Session, user_id: int, rows) -> dict[int, str]:
    """The user's archived accounts among these rows' ``account_id``: id → name."""
    wanted = {int(v) for r in rows if (v := r.get("account_id")) is not None}
    if not wanted:
        return {}
    found = session.execute(select(Account.id, Account.name).where(
        Account.user_id == user_id, Account.is_archived.is_(True)))  # a user's accounts are few
    return {int(i): str(name) for i, name in found if int(i) in wanted}


def _fingerprint_counts(session: Session, user_id: int, fps: set[str]) -> dict[str, int]:
    counts = {fp: 0 for fp in fps}
    for part in chunked(sorted(fps)):
        counts.update({str(fp): int(n) for fp, n in session.execute(
            select(Transaction.fingerprint, func.count()).where(
                Transaction.user_id == user_id, Transaction.fingerprint.in_(part)).group_by(Transaction.fingerprint))})
    return counts


def restore_deleted(session: Session, *, user_id: int, deleted: DeletedTransactions) -> int:
    """Put back the rows :func:`delete_for_undo` deleted, under new ids; how many. All or nothing.

    Another user's record is refused like an id that does not exist. Each row goes back to its account, which
    must still be the user's (else NotFoundError and nothing is restored: the money would land in another
    account) and not archived since the delete (else ValidationError naming it, nothing restored: its balance
    would change unseen; one archived at the delete takes its rows back); a category,
    rule or import batch deleted since is dropped (the row comes back uncategorized, or outside the batch). A
    confirmed transfer the delete undid stays undone: its pair can be confirmed again on the Accounts page. Rows
    with a deleted row's fingerprint added since (a re-import finds none left to skip) refuse it: ValidationError.
    """
    from budgetwise.models import ImportBatch, Rule

    if deleted.user_id != user_id:
        raise NotFoundError("There is nothing to undo.")
    if not deleted.rows:
        raise ValidationError("There is nothing to undo.")
    kept = dict(deleted.kept)
    now = _fingerprint_counts(session, user_id, set(kept))
    again = sum(min(now[fp] - n, sum(r["fingerprint"] == fp for r in deleted.rows))
                for fp, n in kept.items() if now[fp] > n)
    if again:
        raise ValidationError(
            f"{again} of these transactions {plural_word(again, 'was', 'were')} added again since (the same date, "
            "amount and description, by an import or by hand); nothing was restored, so none is in twice.")

    def _theirs(model, column: str, *extra) -> set[int]:
        wanted = sorted({int(v) for r in deleted.rows if (v := r.get(column)) is not None})
        found: set[int] = set()
        for part in chunked(wanted):
            found.update(session.scalars(select(model.id).where(model.id.in_(part), *extra)))
        return found

    from budgetwise.importing import limits

    limits.check_room(_held_under_lock(session, user_id), len(deleted.rows), "restore")  # rows added since
    accounts = _theirs(Account, "account_id", Account.user_id == user_id)
    gone = sorted({int(v) for r in deleted.rows if (v := r.get("account_id")) is not None} - accounts)
    if gone:
        raise NotFoundError(f"{plural_word(len(gone), 'The account')} these transactions were in "
                              f"{plural_word(len(gone), 'was', 'were')} deleted since; nothing was restored.")
    since = sorted((name, i) for i, name in _archived_accounts(session, user_id, deleted.rows).items()
                   if i not in deleted.archived)
    if since:
        n = len(since)
        raise ValidationError(
            f"{plural_word(n, 'The account', 'The accounts')} {and_list(f'“{name}”' for name, _ in since)} these "
            f"transactions were in {plural_word(n, 'was', 'were')} archived since the delete; reopen "
            f"{plural_word(n, 'it', 'them')} on the Accounts page (Restore), then undo; nothing was restored.")
    categories = _theirs(Category, "category_id", categories_service.visible_categories_clause(user_id))
    rules = _theirs(Rule, "rule_id", Rule.user_id == user_id)
    batches = _theirs(ImportBatch, "import_batch_id", ImportBatch.user_id == user_id)
    for row in deleted.rows:
        values = {name: row.get(name) for name in _KEPT}
        if values["category_id"] is not None and values["category_id"] not in categories:
            values.update(category_id=None, category_manual=False, category_source=None, category_confidence=None,
                          category_signal=None, rule_id=None)
        if values["rule_id"] not in rules:
            values["rule_id"] = None
        if values["import_batch_id"] not in batches:
            values["import_batch_id"] = None
        session.add(Transaction(user_id=user_id, **values))
    session.flush()
    touch_data(session, user_id)
    return len(deleted.rows)
