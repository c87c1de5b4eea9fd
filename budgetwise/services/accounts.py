"""Accounts (issue #19): a user's checking, savings, card, cash, loan and investment accounts.

Every function filters by ``user_id``: another user's account id is answered exactly like an id
that does not exist (NotFoundError). Names are unique per user case-insensitively (``name_key``).

Balances come from SQL aggregates (SUM grouped by account, currency and kind), never by loading
rows. An account's balance is its opening balance plus the transactions on or after its opening
date; an opening balance without a date counts from the account's first transaction or its
creation, whichever is earlier (:func:`opening_start`), not in the months before. Transactions that no account was given (a bulk path that predates accounts) count in the
user's default account: the first open account by id. Transfers count in balances (money moves
between accounts); reports exclude them through the ``transfer`` category kind.

Amounts in the base currency use the exchange rates of :mod:`budgetwise.services.rates` at the
balance's date; a balance without a rate is left out of the total and named in ``missing_rates``,
never converted at 1.0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from budgetwise.dates import day_text, parse_date
from budgetwise.errors import ConflictError, NotFoundError, ValidationError
from budgetwise.models import ACCOUNT_KINDS, KIND_EXPENSE, Account, Transaction
from budgetwise.money import (
    currencies_named_in,
    minor_digits,
    parse_decimal,
    to_minor,
    validate_currency,
)
from budgetwise.names import clean_name, name_key, quoted
from budgetwise.services import rates
from budgetwise.services.account_kinds import guess_kind  # noqa: F401 (moved out in session 24; callers use it here)
from budgetwise.services.account_lock import lock_account
from budgetwise.services.profile import user_decimal_separator, user_formats
from budgetwise.services.versions import count_under_user_lock, lock_user_for_import, touch_data
from budgetwise.text import clean_text, plural_word

DEFAULT_ACCOUNT_NAME = "Main account"
# an account an import creates takes the untouched starter's place (becomes the default) only in these kinds: not a
# card the next file without an account would go to (session 21); one added by hand also only in the starter's
# currency (session 24, create_account)
STARTER_KINDS = ("checking",)
MAX_NAME = 100
MAX_ACCOUNTS = 200
# |opening balance| at most 10^13 minor units (100 billion in a two-decimal currency).
MAX_ABS_MINOR = 10**13
MIN_OPENING_DATE = dt.date(1900, 1, 1)
KIND_LABELS = {
    "checking": "Checking",
    "savings": "Savings",
    "credit_card": "Credit card",
    "cash": "Cash",
    "loan": "Loan",
    "investment": "Investment (cash part)",
}
# an OFX account type (ACCTTYPE; CREDITCARD and INVESTMENT: the statement kind) → the account's kind
OFX_ACCOUNT_KINDS = {
    "CHECKING": "checking", "SAVINGS": "savings", "MONEYMRKT": "savings", "CD": "savings",
    "CREDITLINE": "credit_card", "CREDITCARD": "credit_card", "INVESTMENT": "investment",
}


@dataclass(frozen=True)
class AccountView:
    id: int
    name: str
    kind: str
    currency: str
    opening_balance_minor: int
    opening_date: dt.date | None
    external_id: str | None
    is_archived: bool
    balance_confirmed_on: dt.date | None = None  # the day its balance was confirmed to match the bank (0035)
    is_default: bool = False  # the user made it their default (0041; services/default_account.py)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class AccountBalance:
    account: AccountView
    balance_minor: int  # in the account's currency
    base_minor: int | None  # in the user's base currency; None without a rate
    transactions: int


@dataclass(frozen=True)
class Balances:
    as_of: dt.date
    base_currency: str
    accounts: tuple[AccountBalance, ...]
    total_minor: int  # net worth in the base currency (accounts without a rate left out)
    missing_rates: tuple[rates.MissingRate, ...]


def _key(name: str) -> str:
    return name_key(name)[:MAX_NAME]


def _view(row: Account) -> AccountView:
    return AccountView(
        id=row.id, name=row.name, kind=row.kind, currency=row.currency,
        opening_balance_minor=int(row.opening_balance_minor), opening_date=row.opening_date,
        external_id=row.external_id, is_archived=bool(row.is_archived), balance_confirmed_on=row.balance_confirmed_on,
        is_default=bool(row.is_default),
    )


def _validate_name(name: object) -> str:
    return clean_name(name, what="account", limit=MAX_NAME, missing="Give the account a name.")


def _validate_kind(kind: object) -> str:
    value = str(kind or "").strip().lower().replace(" ", "_").replace("-", "_")
    if value not in ACCOUNT_KINDS:
        raise ValidationError(
            f"{quoted(kind)} is not an account type; choose one of: {', '.join(ACCOUNT_KINDS)}.", field="kind"
        )
    return value


def _name_taken(session: Session, user_id: int, key: str, *, except_id: int | None = None,
                fresh: bool = False) -> Account | None:
    """Keys compared in Python: a row written before session 23 holds the key of its name as typed (a decomposed
    "é" is not its composed key), so no lookup goes by the stored ``name_key`` (at most MAX_ACCOUNTS rows).
    ``fresh``: the rows read anew (under the user's lock: a name another request changed meanwhile, not the loaded)."""
    stmt = select(Account).where(Account.user_id == user_id, Account.id != (-1 if except_id is None else except_id))
    stmt = stmt.execution_options(populate_existing=True) if fresh else stmt
    return next((row for row in session.scalars(stmt.order_by(Account.id)) if _key(row.name) == key), None)


def _locked(session: Session, user_id: int, account_id: int | None = None, name: str | None = None) -> Account:
    """The user's account ``account_id``, or the one called ``name`` (found after the user's lock), locked in the one
    order (:mod:`.account_lock`) and read anew."""
    if name is not None:
        lock_user_for_import(session, user_id)
        account_id = _named(session, user_id, name, fresh=True).id
    return lock_account(session, user_id=user_id, account_id=int(account_id or 0))


def _named(session: Session, user_id: int, name: object, *, fresh: bool = False) -> Account:
    row = _name_taken(session, user_id, _key(str(name or "")), fresh=fresh)
    if row is None:
        raise NotFoundError(f"You have no account called {quoted(clean_text(name))}.")
    return row


def _owned(session: Session, user_id: int, account_id: int) -> Account:
    row = session.scalars(
        select(Account).where(Account.id == account_id, Account.user_id == user_id)
    ).first()
    if row is None:
        raise NotFoundError("This account does not exist.")
    return row


def _parse_opening(amount: object, currency: str, name: str = "", decimal_hint: str | None = None) -> int:
    """Typed text in the user's number format (``decimal_hint``: their decimal separator, so "500.123"
    is refused for en_US, not read as 500,123) or a Decimal in major units."""
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        return 0
    if isinstance(amount, (int, float)) and not isinstance(amount, bool):  # 1.234 (float) read 1 234,00 for de_DE
        raise ValidationError("Give the opening balance as text or a Decimal in major units.", field="opening_balance")
    if isinstance(amount, Decimal):  # a machine value (a statement's balance): its "." is the decimal point
        amount, decimal_hint = format(amount, "f"), "."
    named = currencies_named_in(amount)
    if named is not None and currency not in named:  # "€500" for a USD account is not 500 USD
        other = "/".join(sorted(named)) if len(named) <= 3 else "another currency"
        raise ValidationError(
            f"The opening balance {quoted(str(amount).strip())} is in {other} but the account {quoted(name)} is in {currency}; "
            f"give the opening balance in {currency} (or create the account in that currency).",
            field="opening_balance",
        )
    value = parse_decimal(str(amount), field="opening_balance", decimal_hint=decimal_hint)
    try:
        minor = to_minor(value, currency)
    except ValidationError:
        raise ValidationError(
            f"The opening balance {amount} has more decimals than {currency} allows ({minor_digits(currency)}).",
            field="opening_balance",
        ) from None
    if abs(minor) > MAX_ABS_MINOR:
        raise ValidationError("The opening balance is implausibly large; check the amount.", field="opening_balance")
    return minor


def opening_date_limits(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest opening-balance date (1900 to today; the page's picker help shows them).
    ``today`` is the user's own day (the page passes the browser's, which may be a day ahead of the
    server's); the server's date without it."""
    return MIN_OPENING_DATE, today or dt.date.today()


def _validate_opening_date(session: Session, user_id: int, value: object, today: dt.date | None = None) -> dt.date | None:
    """The opening date (None if not given), 1900 to ``today``; refusals write the user's date format (day_text)."""
    if value in (None, ""):
        return None
    value = parse_date(value, field="opening_date", missing_message="Give the opening balance date as YYYY-MM-DD.")
    earliest, latest = opening_date_limits(today)
    if earliest <= value <= latest:
        return value
    locale, fmt = user_formats(session, user_id)  # read only for a refusal
    why = "is in the future; use today or an earlier day" if value > latest else "is before 1900"
    raise ValidationError(f"The opening balance date {day_text(value, fmt, locale)} {why} (the date is from "
                          f"{day_text(earliest, fmt, locale)} to today, {day_text(latest, fmt, locale)}).",
                          field="opening_date")


# --------------------------------------------------------------------------- reads
def list_accounts(session: Session, *, user_id: int, include_archived: bool = False) -> list[AccountView]:
    stmt = select(Account).where(Account.user_id == user_id)
    if not include_archived:
        stmt = stmt.where(Account.is_archived.is_(False))
    return [_view(r) for r in session.scalars(stmt.order_by(Account.id))]


def get_account(session: Session, *, user_id: int, account_id: int) -> AccountView:
    return _view(_owned(session, user_id, account_id))


def find_account(session: Session, *, user_id: int, name: str) -> AccountView:
    """The user's account called ``name`` (any case), archived ones included: a read (one that decides an edit:
    :func:`locked_account`)."""
    return _view(_named(session, user_id, name))


def locked_account(session: Session, *, user_id: int, account_id: int | None = None, name: str | None = None) -> AccountView:
    """:func:`get_account` (by id), or :func:`find_account` (by ``name``, looked up after the lock), under the one lock
    order of account edits (:mod:`.account_lock`: the user's lock, then the row, read anew), held until the caller's
    transaction ends: what an edit decides on is what the lock finds (the command line's names, session 27)."""
    return _view(_locked(session, user_id, account_id, name))


def default_account_id(session: Session, *, user_id: int) -> int:
    """The open account the user made their default, else their first open account; creates "Main account" when the
    user has none open."""
    def first_open() -> int | None:
        return session.scalar(select(Account.id).where(Account.user_id == user_id, Account.is_archived.is_(False))
                              .order_by(Account.is_default.desc(), Account.id).limit(1))

    found = first_open()
    if found is None:  # a write follows: the one lock order (account_lock), the user's first, then read again
        lock_user_for_import(session, user_id)
        found = first_open()
    if found is not None:
        return int(found)
    existing = _name_taken(session, user_id, _key(DEFAULT_ACCOUNT_NAME), fresh=True)
    if existing is not None:  # archived: bring it back rather than fail on the name
        existing.is_archived = False
        session.flush()
        return existing.id
    return create_account(session, user_id=user_id, name=DEFAULT_ACCOUNT_NAME).id


def default_of(views: Collection[AccountView]) -> AccountView | None:
    """The default account among ``views`` (:func:`default_account_id`'s rule: the open one the user made the default,
    else the first open one by id), for pages and previews."""
    return min((v for v in views if not v.is_archived), key=lambda v: (not v.is_default, v.id), default=None)


def resolve_account_id(
    session: Session, *, user_id: int, account_id: int | None = None, name: str | None = None
) -> int:
    """The account a new transaction goes to: the given id (must be the user's and open), else the
    account called ``name`` if there is one, else the default account."""
    if account_id is not None:
        row = _owned(session, user_id, int(account_id))
        if row.is_archived:
            raise ValidationError(
                f"The account {quoted(row.name)} is archived; restore it or choose another account.", field="account"
            )
        return row.id
    if name:
        named = _name_taken(session, user_id, _key(str(name)))
        if named is not None and not named.is_archived:
            return named.id
    return default_account_id(session, user_id=user_id)


def external_account_name(external_id: str, account_type: str | None = None) -> str:
    """A name a person recognises for an account known by its bank's id: its type and the id's last
    4 digits ("Checking …6877"); the id itself stays the account's ``external_id``."""
    ext = clean_text(external_id, max_length=100)
    digits = "".join(c for c in ext if c.isdigit())
    tail = (digits if len(digits) >= 4 else ext)[-4:]
    kind = OFX_ACCOUNT_KINDS.get((account_type or "").strip().upper())
    return f"{KIND_LABELS[kind].split(' (')[0] if kind else 'Account'} …{tail}"


def name_for_external_id(session: Session, *, user_id: int, external_id: str, account_type: str | None = None) -> str:
    """The name :func:`account_for_external_id` gives the account it creates (made unique)."""
    return _unique_name(session, user_id, external_account_name(external_id, account_type))


def _unique_name(session: Session, user_id: int, name: str, also: Collection[str] = ()) -> str:
    """``name`` (validated), or ``name (2)``, ``name (3)``, … — the first the user has no account called (nor one of
    the keys ``also``: names planned beside it)."""
    base = _validate_name(name)
    candidate, n = base, 2
    while _key(candidate) in also or _name_taken(session, user_id, _key(candidate)) is not None:
        candidate = f"{base[: MAX_NAME - 5]} ({n})"
        n += 1
    return candidate


def account_for_external_id(
    session: Session, *, user_id: int, external_id: str, name: str | None = None, currency: str | None = None,
    account_type: str | None = None,
) -> int:
    """The account a bank's account id (OFX ``ACCTID``) belongs to, created the first time it is seen
    (named after its type and last digits unless ``name`` is given; the user can rename it). A card's: by its last 4
    digits, all it keeps (``account_numbers.by_ofx``, ``ofx_number``; session 28, ofx28)."""
    from budgetwise.services.account_numbers import by_ofx, ofx_number  # as accounts_for_names does, in the function

    ext = clean_text(external_id, max_length=100)
    if not ext:
        return default_account_id(session, user_id=user_id)
    found = by_ofx(session, user_id=user_id, account=ext, account_type=account_type)
    if found is not None:
        return int(found.id)
    if name:
        candidate = _unique_name(session, user_id, name)
    else:
        candidate = name_for_external_id(session, user_id=user_id, external_id=ext, account_type=account_type)
    kind = OFX_ACCOUNT_KINDS.get((account_type or "").strip().upper(), "checking")
    return create_account(session, user_id=user_id, name=candidate, kind=kind, currency=currency,
                          external_id=ofx_number(ext, account_type), replace_starter=None).id  # as one added by hand: checking in the starter's currency


# --------------------------------------------------------------------------- writes
def create_account(
    session: Session,
    *,
    user_id: int,
    name: str,
    kind: str = "checking",
    currency: str | None = None,
    opening_balance: object = None,
    opening_balance_currency: str | None = None,
    opening_date: object = None,
    external_id: str | None = None,
    today: dt.date | None = None,
    replace_starter: bool | None = None,
) -> AccountView:
    """Validate and store a new account. Nothing is written when any field is refused. ``today``: the
    user's own date, the latest opening date (the server's date without it).
    ``replace_starter``: True, the account takes the place of the untouched starter account (the demo); False, it
    stays (an import that still puts rows there). None (an account added by hand, or one an import creates): it takes
    the starter's place, and with it the default account's, only as a checking account in the starter's currency,
    whenever the starter is still untouched (session 24: a EUR card added first became a USD user's default, and
    later files without an account went to the card; session 25: an import's CZK account became a EUR user's
    default); any other account is added beside it."""
    clean = _validate_name(name)
    kind_value = _validate_kind(kind)
    cur = validate_currency(currency) if currency else rates.user_currency(session, user_id)
    if opening_balance_currency and validate_currency(opening_balance_currency) != cur:
        raise ValidationError(
            f"The opening balance is in {opening_balance_currency.upper()} but the account {quoted(clean)} is in {cur}; "
            f"give the opening balance in {cur} (or create the account in {opening_balance_currency.upper()}).",
            field="opening_balance",
        )
    opening_minor = _parse_opening(opening_balance, cur, clean, user_decimal_separator(session, user_id))
    day = _validate_opening_date(session, user_id, opening_date, today)
    q = select(func.count(Account.id)).where(Account.user_id == user_id)
    count = count_under_user_lock(session, user_id, q)  # under the user's lock: requests at once queue, and the
    if _name_taken(session, user_id, _key(clean)) is not None:  # second sees the first's name (session 25)
        raise ConflictError(f"You already have an account called {quoted(clean)} (names ignore case).", field="name")
    if count >= MAX_ACCOUNTS:
        raise ValidationError(f"You have {MAX_ACCOUNTS} accounts, the most BudgetWise keeps.", field="name")
    row = _untouched_default(session, user_id) if replace_starter is not False else None
    if replace_starter is None and row is not None and (kind_value not in STARTER_KINDS or cur != row.currency):
        row = None
    if row is not None:  # the user's first own account takes the place of the empty starter account
        row.name, row.name_key, row.kind, row.currency = clean, _key(clean), kind_value, cur
        row.opening_balance_minor, row.opening_date = opening_minor, day
        row.external_id = clean_text(external_id, max_length=100) or None
    else:
        row = Account(
            user_id=user_id, name=clean, name_key=_key(clean), kind=kind_value, currency=cur,
            opening_balance_minor=opening_minor, opening_date=day,
            external_id=clean_text(external_id, max_length=100) or None,
        )
        session.add(row)
    session.flush()
    touch_data(session, user_id)
    return _view(row)


def _untouched_default(session: Session, user_id: int) -> Account | None:
    """The starter "Main account" every user gets at registration, if nothing uses it yet (read under the user's
    lock, anew)."""
    row = _name_taken(session, user_id, _key(DEFAULT_ACCOUNT_NAME), fresh=True)
    if row is None or row.is_archived or row.opening_balance_minor or row.external_id:
        return None
    used = session.scalar(select(Transaction.id).where(Transaction.account_id == row.id).limit(1))
    return None if used is not None else row


def starter_follows_currency(session: Session, *, user_id: int, old: str, new: str) -> bool:
    """The untouched starter account takes the new base currency (QA: an empty USD "Main account" beside the
    first import's "Euro account (EUR)"); an account that holds anything keeps its own."""
    lock_user_for_import(session, user_id)  # the one lock order (account_lock): the user's first, then the row
    row = _untouched_default(session, user_id)
    if row is not None and row.currency == old != new:
        row.currency = new
        session.flush()
    return row is not None and row.currency == new


def rename_account(session: Session, *, user_id: int, account_id: int, name: str) -> AccountView:
    clean = _validate_name(name)
    row = _locked(session, user_id, account_id)  # two renames to one name at once: the second sees the first
    if _name_taken(session, user_id, _key(clean), except_id=row.id, fresh=True) is not None:
        raise ConflictError(f"You already have an account called {quoted(clean)} (names ignore case).", field="name")
    row.name, row.name_key = clean, _key(clean)
    session.flush()
    touch_data(session, user_id)
    return _view(row)


def set_account_kind(session: Session, *, user_id: int, account_id: int, kind: str) -> AccountView:
    """Change an account's type (an imported "Savings" account starts as checking). Refused, naming
    the goals, when goals follow the account and the new type is not one a goal can follow."""
    from budgetwise.models import Goal
    from budgetwise.services.goal_accounts import LINKABLE_KINDS

    row = _locked(session, user_id, account_id)
    value = _validate_kind(kind)
    if value == row.kind:
        return _view(row)
    if value not in LINKABLE_KINDS:
        goals = list(session.scalars(
            select(Goal.name).where(Goal.user_id == user_id, Goal.account_id == row.id).order_by(Goal.name)))
        if goals:
            names = ", ".join(quoted(g) for g in goals)
            raise ValidationError(
                f"{quoted(row.name)} cannot become a {KIND_LABELS[value].lower()} account: the {plural_word(len(goals), 'goal')} "
                f"{names} {plural_word(len(goals), 'follows', 'follow')} it, and a goal follows a savings account. Unlink "
                f"{'them' if len(goals) > 1 else 'it'} on the Goals page first.", field="kind",
            )
    row.kind = value
    session.flush()
    touch_data(session, user_id)
    return _view(row)


def set_opening_balance(
    session: Session, *, user_id: int, account_id: int, amount: object, opening_date: object = None,
    currency: str | None = None, today: dt.date | None = None, confirmed_on: dt.date | None = None,
) -> AccountView:
    """``confirmed_on``: the day whose end-of-day balance this change makes match the bank's (``account_balance``,
    a statement's); None clears the account's confirmed day, since a balance confirmed before may no longer hold."""
    row = _locked(session, user_id, account_id)
    if currency and validate_currency(currency) != row.currency:
        raise ValidationError(
            f"The opening balance is in {currency.upper()} but the account {quoted(row.name)} is in {row.currency}.",
            field="opening_balance",
        )
    minor = _parse_opening(amount, row.currency, row.name, user_decimal_separator(session, user_id))
    day = _validate_opening_date(session, user_id, opening_date, today)
    row.opening_balance_minor, row.opening_date, row.balance_confirmed_on = minor, day, confirmed_on
    session.flush()
    touch_data(session, user_id)
    return _view(row)


def confirm_balance(session: Session, *, user_id: int, account_id: int, day: dt.date) -> None:
    """Record that the account's balance at the end of ``day`` matches the bank's (a statement it reconciles with):
    the newer of it and the confirmed day before (its opening balance is unchanged, so that one still holds)."""
    row = _locked(session, user_id, account_id)
    if row.balance_confirmed_on is None or row.balance_confirmed_on < day:
        row.balance_confirmed_on = day
        session.flush()
        touch_data(session, user_id)


def archive_account(session: Session, *, user_id: int, account_id: int, archived: bool = True) -> AccountView:
    """Archive (or restore) an account: it keeps its transactions and stays in net worth history,
    but new transactions cannot go to it. The last open account cannot be archived. Under the user's lock, as making
    an account the default: two tabs at once left an archived account flagged as the default (session 26, sec26)."""
    row = _locked(session, user_id, account_id)
    if archived and not row.is_archived:
        others = session.scalar(
            select(func.count(Account.id)).where(
                Account.user_id == user_id, Account.is_archived.is_(False), Account.id != row.id
            )
        ) or 0
        if not others:
            raise ValidationError(
                f"{quoted(row.name)} is your only open account; add another before archiving it.", field="account"
            )
    row.is_archived = bool(archived)
    row.is_default = bool(row.is_default) and not archived  # restored, it does not become the default again
    session.flush()
    touch_data(session, user_id)
    return _view(row)


def attach_unassigned(session: Session, *, user_id: int, account_id: int | None = None) -> int:
    """Give the user's transactions without an account ``account_id`` (default: the default account).
    Returns how many rows moved."""
    target = resolve_account_id(session, user_id=user_id, account_id=account_id)
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Transaction)
        .where(Transaction.user_id == user_id, Transaction.account_id.is_(None))
        .values(account_id=target)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        touch_data(session, user_id)
    return int(result.rowcount or 0)


# --------------------------------------------------------------------------- balances
def _signed_sum():
    return func.sum(case((Transaction.kind == KIND_EXPENSE, -Transaction.amount_minor), else_=Transaction.amount_minor))


def _account_expr(default_id: int | None):
    if default_id is None:
        return Transaction.account_id
    return func.coalesce(Transaction.account_id, default_id)


def _default_id_or_none(session: Session, user_id: int) -> int | None:
    found = session.scalar(select(Account.id).where(Account.user_id == user_id).order_by(
        Account.is_archived, Account.is_default.desc(), Account.id).limit(1))
    return None if found is None else int(found)


def _first_days(session: Session, user_id: int, default_id: int | None) -> dict[int, dt.date]:
    """{account_id: day of its first transaction} (one indexed GROUP BY)."""
    acct = _account_expr(default_id)
    rows = session.execute(
        select(acct, func.min(Transaction.date)).where(Transaction.user_id == user_id).group_by(acct)
    ).all()
    return {int(a): d for a, d in rows if a is not None and d is not None}


def _opening_start(account: Account, first_day: dt.date | None) -> dt.date:
    """The day from which ``account``'s opening balance counts: its opening date; without one, its first
    transaction (``first_day``) or its creation, whichever is earlier (an undated opening balance is
    what the account held when its history starts, not before)."""
    if account.opening_date is not None:
        return account.opening_date
    created = account.created_at.date() if account.created_at is not None else dt.date.today()
    return min(first_day, created) if first_day is not None else created


def opening_start(
    session: Session, *, user_id: int, account_id: int, pending_first: dt.date | None = None,
) -> dt.date:
    """The day from which the account's opening balance counts (see :func:`_opening_start`);
    ``pending_first``: the first day of rows about to be added (an import's preview)."""
    row = _owned(session, user_id, account_id)
    first = _first_days(session, user_id, _default_id_or_none(session, user_id)).get(row.id)
    if pending_first is not None:
        first = pending_first if first is None else min(first, pending_first)
    return _opening_start(row, first)


def account_rows(session: Session, *, user_id: int, account_id: int | Collection[int], table: Any = Transaction):
    """A WHERE clause on ``table`` (Transaction or an alias of it) for the user's rows in ``account_id``, or in any
    of several ids (the default account also holds rows without an account). NotFoundError for an account that
    is not the user's; several ids: one query."""
    wanted = {int(account_id)} if isinstance(account_id, int) else {int(a) for a in account_id}
    ids = sorted(session.scalars(select(Account.id).where(Account.user_id == user_id, Account.id.in_(wanted))))
    if len(ids) != len(wanted) or not ids:
        raise NotFoundError("This account does not exist.")
    inside = table.account_id == ids[0] if len(ids) == 1 else table.account_id.in_(ids)
    return inside | table.account_id.is_(None) if _default_id_or_none(session, user_id) in ids else inside


def _foreign_day():
    """A grouping key: a row's day when its currency is not its account's, else NULL (the account's own rows collapse
    into one sum). Such a row is converted into the account's currency at its own day's rate, the rule of every figure
    (docs/currencies.md): what the bank booked then, not a value that moves with today's rate (session 24: a history
    whose rates stop long ago had its balances asked for a rate "for today")."""
    return case((Transaction.currency != Account.currency, Transaction.date), else_=None)


def _native_balances(
    session: Session, user_id: int, accounts: dict[int, Account], as_of: dt.date
) -> tuple[dict[int, dict[tuple[str, dt.date | None], list[int]]], dict[int, int]]:
    """{account_id: {(currency, the rows' day or None: :func:`_foreign_day`): [signed minor, rows, sizes]}} up to
    ``as_of`` and the transaction counts."""
    default_id = _default_id_or_none(session, user_id)
    acct = _account_expr(default_id).label("acct")
    day = _foreign_day().label("fday")
    rows = session.execute(
        select(acct, Transaction.currency, day, _signed_sum(), func.count(), func.min(Transaction.date),
               func.sum(Transaction.amount_minor))
        .select_from(Transaction)
        .outerjoin(Account, Account.id == _account_expr(default_id))
        .where(Transaction.user_id == user_id, Transaction.date <= as_of)
        .where((Account.opening_date.is_(None)) | (Transaction.date >= Account.opening_date))
        .group_by(acct, Transaction.currency, Account.opening_date, day)
    ).all()
    native: dict[int, dict[tuple[str, dt.date | None], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    counts: dict[int, int] = defaultdict(int)
    first_days: dict[int, dt.date] = {}  # first row up to as_of: decides _opening_start <= as_of as _first_days would
    for account_id, currency, when, total, count, first, sizes in rows:
        if account_id is None or int(account_id) not in accounts:
            continue
        got = native[int(account_id)][(currency, when)]
        got[0], got[1], got[2] = got[0] + int(total or 0), got[1] + int(count), got[2] + int(sizes or 0)
        counts[int(account_id)] += int(count)
        first_days[int(account_id)] = min(first, first_days.get(int(account_id), first))
    for account in accounts.values():
        if _opening_start(account, first_days.get(account.id)) <= as_of:
            native[account.id][(account.currency, None)][0] += int(account.opening_balance_minor)
    return native, counts


def balances(session: Session, *, user_id: int, as_of: dt.date | None = None, include_archived: bool = True) -> Balances:
    """Each account's balance and the total (net worth) on ``as_of`` (default today)."""
    day = as_of or dt.date.today()
    base = rates.user_currency(session, user_id)
    rows = {r.id: r for r in session.scalars(select(Account).where(Account.user_id == user_id).order_by(Account.id))}
    native, counts = _native_balances(session, user_id, rows, day)
    to_account = {cur: rates.Converter(session, cur, user_id=user_id) for cur in {r.currency for r in rows.values()}}
    to_base = rates.Converter(session, base, user_id=user_id)
    out, total = [], 0
    for account_id, row in rows.items():
        if row.is_archived and not include_archived:
            continue
        in_account, complete = 0, True
        conv = to_account[row.currency]
        conv.prepare((c, when) for c, when in native.get(account_id, {}) if when is not None)
        for (currency, when), (minor, count, sizes) in native.get(account_id, {}).items():
            if when is None:
                in_account += minor
                continue
            value = conv.convert_minor(minor, currency, when)  # at the rows' own day (_foreign_day)
            if value is None:  # named as the conversion that is missing, on the rows' day (not "USD → USD" for a
                conv.note_missing(currency, when, sizes, count)  # base-currency row, not "for today")
                complete = False
                continue
            in_account += value
        to_base.prepare([(row.currency, day)])
        in_base = to_base.convert_minor(in_account, row.currency, day) if complete else None
        if in_base is None and complete:
            to_base.note_missing(row.currency, day, in_account, 0, balances=1)
        if in_base is not None:
            total += in_base
        out.append(AccountBalance(_view(row), in_account, in_base, counts.get(account_id, 0)))
    return Balances(day, base, tuple(out), total, to_base.missing + tuple(m for c in to_account.values() for m in c.missing))


def balance_history(session: Session, **kw: Any):
    """Month-end balances per account (:func:`budgetwise.services.account_history.balance_history`, moved out in
    session 24); ``kw``: ``user_id``, ``months``, ``today``."""
    from budgetwise.services.account_history import balance_history as month_ends  # it reads this module's helpers

    return month_ends(session, **kw)


# --------------------------------------------------------------------------- imports
def account_for_import(
    session: Session, *, user_id: int, account_id: int | None = None, external_id: str | None = None,
    currency: str | None = None, account_type: str | None = None,
) -> int:
    """The account an import's rows go to: the chosen one (the user's, open), else the account of the
    file's bank account id (OFX ``ACCTID``, created the first time), else the default account."""
    if account_id is not None:
        return resolve_account_id(session, user_id=user_id, account_id=account_id)
    if external_id:
        return account_for_external_id(
            session, user_id=user_id, external_id=external_id, currency=currency, account_type=account_type
        )
    return default_account_id(session, user_id=user_id)


# an import's account column (issue #19): more new accounts than this from one file is most likely the wrong
# column (a quarter of MAX_ACCOUNTS; a real household history in ../shared/data names 21 accounts)
MAX_NEW_IMPORT_ACCOUNTS = 50
# how many of the user's newest rows say which account earlier rows with a file's value went to
EARLIER_ROWS = 5_000


@dataclass(frozen=True)
class NamedAccount:
    """Where an import's rows that name an account go: an account of the user, or one to create."""

    name: str
    account_id: int | None  # None: created by the import
    currency: str
    archived: bool = False
    kind: str = ""  # one to create: the type it gets (guess_kind's suggestion from its name)
    external_id: str | None = None  # one to create: the account number it keeps (account_numbers; session 26)


def kind_phrase(kind: str) -> str:
    """An account type in a sentence: "savings account", "credit card account"."""
    return KIND_LABELS.get(kind, kind).split(" (")[0].lower() + " account"


def import_account_name(value: str) -> str:
    """The account name a file's account value stands for (spacing collapsed, at most MAX_NAME characters)."""
    return " ".join(clean_text(value).split())[:MAX_NAME]


def import_account_key(value: str) -> str:
    """The key a file's account value is matched by (account names ignore case and spacing); "" for none."""
    return _key(import_account_name(value))


def too_many_new_accounts(names: list[str]) -> str:
    """Why an import whose account column names this many new accounts is refused (the preview says it too); their
    account numbers masked, as in their names (sec27: the refusal quoted them whole)."""
    from budgetwise.services.account_numbers import masked

    shown = ", ".join(quoted(n) for n in list(dict.fromkeys(masked(n) for n in names))[:5])
    return (f"The file's account column has {len(names)} values that are not accounts of yours ({shown}, …): more "
            f"than {MAX_NEW_IMPORT_ACCOUNTS} new accounts from one file looks like the wrong column. Map the "
            "account role to another column (or to none), or choose one account for the whole file.")


def accounts_for_names(
    session: Session, *, user_id: int, names: Mapping[str, str], create: bool = False, keep_starter: bool = False,
    kinds: Mapping[str, str] | None = None, cards: bool = False,
) -> dict[str, NamedAccount]:
    """The accounts a file's account values stand for (``names``: {value: currency of its rows}), by
    :func:`_key` (any case and spacing): the user's account of that name (an archived one is reported,
    never reopened), else the open account that holds the user's recent rows carrying that value (the newest
    EARLIER_ROWS; a bank file imported into another account before stays with it), else a new account in the rows' currency
    (its type :func:`guess_kind`'s suggestion from the name, checking by default), created only when ``create``.
    ``keep_starter``: the untouched starter stays (rows without a value go there); else a new STARTER_KINDS one replaces it.
    ``kinds``: {key: kind} the user chose for new accounts (:func:`import_account_key`), instead of the guess.
    ``cards``: the values are card numbers ("Card No." "1234"; session 27): the account for that card first
    (:func:`.account_numbers.by_card`), and a new one is "Card …1234" keeping those digits."""
    wanted: dict[str, tuple[str, str]] = {}
    for value, currency in names.items():
        name = import_account_name(value)
        if name:
            wanted.setdefault(_key(name), (name, currency))
    if not wanted:
        return {}
    out: dict[str, NamedAccount] = {}
    from budgetwise.services.account_numbers import (
        by_card,
        by_number,
        card_name,
        card_number,
        masked,
        number_of,
    )

    for value, row in (by_card(session, user_id=user_id, values=[n for n, _ in wanted.values()]) if cards else {}).items():
        out.setdefault(_key(value), NamedAccount(row.name, row.id, row.currency, bool(row.is_archived)))
    for row in session.scalars(select(Account).where(Account.user_id == user_id).order_by(Account.id)):  # _name_taken
        if _key(row.name) in wanted and _key(row.name) not in out:
            out[_key(row.name)] = NamedAccount(row.name, row.id, row.currency, bool(row.is_archived))
    # a value carrying an account number: the account keeping that number (its name is masked: account_numbers)
    for value, row in by_number(session, user_id=user_id, values=[wanted[k][0] for k in wanted if k not in out]).items():
        out.setdefault(_key(value), NamedAccount(row.name, row.id, row.currency, bool(row.is_archived)))
    from budgetwise.services.account_earlier_rows import held_by_earlier_rows

    held_by_earlier_rows(session, user_id, names, [k for k in wanted if k not in out], out)
    new = [k for k in wanted if k not in out]
    if create and len(new) > MAX_NEW_IMPORT_ACCOUNTS:
        raise ValidationError(too_many_new_accounts([wanted[k][0] for k in new]), field="account")
    chosen = kinds or {}
    shown = {k: (card_name if cards else masked)(wanted[k][0]) for k in new}  # a number shows as "…1234" (session 26)
    kind_of = {k: chosen.get(k) or chosen.get(_key(shown[k])) or guess_kind(shown[k] if cards else wanted[k][0])
               for k in new}
    planned: set[str] = set()
    # a checking account in the base currency first: only one of STARTER_KINDS in the starter's currency takes its
    # place (the default account; session 25: a CZK file's account became a EUR user's default)
    base = rates.user_currency(session, user_id) if create and new else ""
    for k in sorted(new, key=lambda k: (kind_of[k] not in STARTER_KINDS, wanted[k][1] != base)):
        name, currency = wanted[k]
        kind, number = kind_of[k], (card_number if cards else number_of)(name)
        label = shown[k] if number is None else _unique_name(session, user_id, shown[k], also=planned)
        planned.add(_key(label))
        if create:
            view = create_account(session, user_id=user_id, name=label, currency=currency, external_id=number,
                                  kind=kind, replace_starter=False if keep_starter else None)
            out[k] = NamedAccount(view.name, view.id, view.currency, kind=view.kind)
        else:
            out[k] = NamedAccount(label, None, currency, kind=kind, external_id=number)
    return out
