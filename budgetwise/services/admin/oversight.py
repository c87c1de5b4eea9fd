"""Transactions oversight: every user's transactions, filtered, paged and exported as CSV.

Amount filters are exact decimals compared per currency in minor units; every export is
audited with a description of its filter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pandas as pd
from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.models import TRANSACTION_KINDS, Account, Category, Transaction, User
from budgetwise.money import currency_codes, from_minor, minor_digits
from budgetwise.paging import page_bounds
from budgetwise.principal import Principal
from budgetwise.services.admin.common import MAX_EXPORT_ROWS, Page, _audit, _like
from budgetwise.services.auth import require_current_admin
from budgetwise.services.exports import account_label, to_csv_bytes
from budgetwise.text import plural


@dataclass(frozen=True)
class OversightFilter:
    user_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: In major units (12.50), compared per currency in exact minor units (JPY 0 digits, KWD 3).
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    category_id: int | None = None
    uncategorized: bool = False
    kind: str | None = None
    text: str = ""


@dataclass(frozen=True)
class OversightRow:
    id: int
    user_id: int
    user_email: str
    date: dt.date
    description: str
    kind: str
    amount_minor: int
    currency: str
    category_name: str | None
    account: str | None  # the account's name (exports.account_label)
    source: str

    @property
    def signed_minor(self) -> int:
        return -self.amount_minor if self.kind == "expense" else self.amount_minor


def _currencies_by_digits() -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for code in currency_codes(money_only=False):  # rows stored with any code are filtered too
        groups.setdefault(minor_digits(code), []).append(code)
    return groups


def _amount_clause(low: Decimal | None, high: Decimal | None):
    """low <= amount <= high (either may be None) in exact minor units, whatever the row's currency.

    The bounds are scaled per currency exponent (JPY 0 digits, USD 2, KWD 3) inside one
    CASE whose first branch catches the two-digit currencies, the vast majority, with a
    single IN test per row.
    """
    groups = _currencies_by_digits()
    others = sorted(c for digits, codes in groups.items() if digits != 2 for c in codes)

    def within(digits: int):
        parts = []
        if low is not None:
            parts.append(Transaction.amount_minor >= int(low.scaleb(digits).to_integral_value(rounding=ROUND_CEILING)))
        if high is not None:
            parts.append(Transaction.amount_minor <= int(high.scaleb(digits).to_integral_value(rounding=ROUND_FLOOR)))
        return and_(*parts)

    branches = [(Transaction.currency.not_in(others), within(2))]
    branches += [(Transaction.currency.in_(codes), within(d)) for d, codes in sorted(groups.items()) if d != 2]
    return case(*branches, else_=false())


def _check_amount(value: Decimal | None, label: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except Exception:  # noqa: BLE001
        raise ValidationError(f"The {label} amount is not a number.", field="amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"The {label} amount must be zero or more.", field="amount")
    return amount


def _oversight_where(stmt: Select, flt: OversightFilter) -> Select:
    if flt.user_id is not None:
        stmt = stmt.where(Transaction.user_id == int(flt.user_id))
    if flt.date_from is not None:
        stmt = stmt.where(Transaction.date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(Transaction.date <= flt.date_to)
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ValidationError("The start date is after the end date.", field="date")
    low = _check_amount(flt.min_amount, "minimum")
    high = _check_amount(flt.max_amount, "maximum")
    if low is not None and high is not None and low > high:
        raise ValidationError("The minimum amount is larger than the maximum amount.", field="amount")
    if low is not None or high is not None:
        stmt = stmt.where(_amount_clause(low, high))
    if flt.category_id is not None and flt.uncategorized:
        stmt = stmt.where(or_(Transaction.category_id == int(flt.category_id), Transaction.category_id.is_(None)))
    elif flt.category_id is not None:
        stmt = stmt.where(Transaction.category_id == int(flt.category_id))
    elif flt.uncategorized:
        stmt = stmt.where(Transaction.category_id.is_(None))
    if flt.kind:
        if flt.kind not in TRANSACTION_KINDS:
            raise ValidationError("The type must be income or expense.", field="type")
        stmt = stmt.where(Transaction.kind == flt.kind)
    pattern = _like(flt.text)
    if pattern:
        stmt = stmt.where(func.lower(Transaction.description).like(pattern, escape="\\"))
    return stmt


def _oversight_select() -> Select:
    return (
        select(
            Transaction.id, Transaction.user_id, User.email, Transaction.date, Transaction.description,
            Transaction.kind, Transaction.amount_minor, Transaction.currency, Category.name,
            account_label(), Transaction.source,
        )
        .join(User, User.id == Transaction.user_id)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .outerjoin(Account, Account.id == Transaction.account_id)
    )


def list_all_transactions(
    session: Session,
    *,
    principal: Principal,
    filters: OversightFilter | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[OversightRow]:
    """Every user's transactions (read-only), newest first, filtered and paginated."""
    require_current_admin(session, principal)
    flt = filters or OversightFilter()
    total = int(session.scalar(_oversight_where(select(func.count(Transaction.id)), flt)) or 0)
    page, page_size = page_bounds(total, page, page_size)
    stmt = (
        _oversight_where(_oversight_select(), flt)
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(tuple(OversightRow(*row) for row in session.execute(stmt)), total, page, page_size)


OVERSIGHT_EXPORT_COLUMNS = ["id", "user", "date", "description", "type", "amount", "currency", "category", "account", "source"]


def export_all_transactions_csv(
    session: Session, *, principal: Principal, filters: OversightFilter | None = None
) -> bytes:
    """The filtered transactions of every user as CSV (exact amounts as text; formulas neutralized)."""
    require_current_admin(session, principal)
    flt = filters or OversightFilter()
    stmt = _oversight_where(_oversight_select(), flt).order_by(Transaction.date, Transaction.id).limit(MAX_EXPORT_ROWS)
    records = [
        {
            "id": r.id,
            "user": r.user_email,
            "date": r.date.isoformat(),
            "description": r.description,
            "type": r.kind,
            "amount": format(from_minor(r.amount_minor, r.currency), "f"),
            "currency": r.currency,
            "category": r.category_name or "",
            "account": r.account or "",
            "source": r.source,
        }
        for r in (OversightRow(*row) for row in session.execute(stmt))
    ]
    frame = pd.DataFrame.from_records(records, columns=OVERSIGHT_EXPORT_COLUMNS)
    _audit(session, principal, "transactions.export",
           target_user_id=flt.user_id, target=f"user #{flt.user_id}" if flt.user_id else "all users",
           details=f"Exported {len(frame)} transactions as CSV ({_describe_filter(flt)}).")
    session.flush()
    return to_csv_bytes(frame)


def _describe_filter(flt: OversightFilter) -> str:
    parts = []
    for name in ("user_id", "date_from", "date_to", "min_amount", "max_amount", "category_id", "kind", "text"):
        value = getattr(flt, name)
        if value not in (None, ""):
            parts.append(f"{name}={value}")
    if flt.uncategorized:
        parts.append("uncategorized")
    return ", ".join(parts) or "no filter"


VIEW_ACTION = "transactions.view"


def record_oversight_view(
    session: Session, *, principal: Principal, filters: OversightFilter | None = None, page: int = 1,
    matched: int = 0, now: dt.datetime | None = None,
) -> None:
    """One audit entry for an administrator's look at users' transactions on the oversight page.

    What was asked for, never the rows: whose transactions (the target: the user's email, or
    "all users"), the filter, the page and how many transactions matched. The page writes one per
    distinct filter and page per browser session (``ui/admin/transactions.py``), not one per rerun.
    """
    require_current_admin(session, principal)
    flt = filters or OversightFilter()
    email = session.scalar(select(User.email).where(User.id == int(flt.user_id))) if flt.user_id is not None else None
    target = email or (f"user #{flt.user_id}" if flt.user_id is not None else "all users")
    _audit(session, principal, VIEW_ACTION, target_user_id=flt.user_id, target=target,
           details=f"Viewed page {max(1, int(page))} of the transactions oversight ({_describe_filter(flt)}); "
                   f"{plural(int(matched), 'transaction')} matched.", now=now)
    session.flush()
