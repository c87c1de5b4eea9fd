"""Realistic generated demo data: about two years of a household's transactions.

Deterministic for a seed. Used by ``budgetwise demo``, by demo mode
(``BUDGETWISE_DEMO``) and to write ``sample_data/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.dates import add_months
from budgetwise.db import chunked
from budgetwise.errors import AccountLocked, Busy, ConflictError, NotFoundError
from budgetwise.models import ROLE_ADMIN, Category, Goal, LoginAttempt, Transaction, TransferLink, User, utcnow
from budgetwise.money import to_minor
from budgetwise.principal import Principal
from budgetwise.services.auth import (
    CLIENT_UNKNOWN,
    DEMO_CREATED,
    DEMO_DOMAIN,
    DEMO_EMAIL,
    DEMO_STARTED,
    client_key,
    client_limit_until,
    demo_email_clause,
    get_user_by_email,
    is_visitor_email,
    normalize_email,
    principal_for,
    record_client_event,
    visitor_email_clause,
)
from budgetwise.services.profile import delete_user_data
from budgetwise.services.versions import lock_users, touch_data
from budgetwise.text import fingerprint, plural
from budgetwise.textforms import merchant_key

DEMO_NAME = "Demo User"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DemoRow:
    date: dt.date
    amount: Decimal  # positive, major units
    kind: str  # income / expense
    description: str
    category: str
    account: str


def _amt(rng: random.Random, low: float, high: float) -> Decimal:
    # random draws are turned into exact cents immediately; money never stays a float
    return Decimal(str(round(rng.uniform(low, high), 2))).quantize(CENT)


def _business_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


_GROCERIES = ("WHOLE FOODS MARKET #10{n}", "TRADER JOE'S #5{n}", "SAFEWAY STORE 0{n}", "ALDI 7{n}", "LIDL US 4{n}")
_DINING = ("STARBUCKS STORE {n}", "CHIPOTLE 0{n}", "SWEETGREEN", "THAI BASIL RESTAURANT", "PIZZERIA NAPOLI", "SUSHI ZEN")
_SHOPPING = ("AMAZON MKTPLACE PMTS", "TARGET 000{n}", "IKEA", "BEST BUY 00{n}", "ZARA")
_FUN = ("AMC THEATRES", "TICKETMASTER", "STEAM GAMES", "BOWLING ALLEY")

# add(day, amount, kind, description, category): keeps the row when the day is in the generated range
_Add = Callable[[dt.date, Decimal, str, str, str], None]


def generate(*, end: dt.date | None = None, months: int = 24, seed: int = 42) -> list[DemoRow]:
    """Generate ``months`` of history ending at ``end`` (default today)."""
    rng = random.Random(seed)
    end = end or dt.date.today()
    first = add_months(end.replace(day=1), -(months - 1))
    rows: list[DemoRow] = []

    def add(day: dt.date, amount: Decimal, kind: str, description: str, category: str) -> None:
        if first <= day <= end:
            rows.append(DemoRow(day, amount, kind, description, category, "Checking"))

    month = first
    index = 0
    while month <= end:  # the random draws come in this order: a seed always gives the same rows
        _income_and_bills(add, rng, month, index)
        _daily_spending(add, rng, month)
        _seasonal_and_irregular(add, rng, month)
        month = add_months(month, 1)
        index += 1
    rows.sort(key=lambda r: (r.date, r.description))
    return rows


def _income_and_bills(add: _Add, rng: random.Random, month: dt.date, index: int) -> None:
    """Salary, interest, rent, bills and subscriptions of the ``index``-th generated month."""
    year_factor = Decimal("1.03") ** (index // 12)
    # income
    salary = (Decimal("4200.00") * year_factor).quantize(CENT)
    add(_business_day(month.replace(day=25)), salary, "income", "ACME CORP PAYROLL SALARY", "Salary")
    if month.month == 12:
        add(_business_day(month.replace(day=15)), Decimal("1500.00"), "income", "ACME CORP PAYROLL BONUS", "Salary")
    add(month.replace(day=28), _amt(rng, 2, 9), "income", "INTEREST PAYMENT SAVINGS", "Investment Income")
    # housing and bills
    rent = Decimal("1450.00") if index < 12 else Decimal("1495.00")
    add(month, rent, "expense", "RENT PAYMENT - OAK STREET APARTMENTS", "Rent")
    winter = month.month in (12, 1, 2)
    add(month.replace(day=8), _amt(rng, 95, 150) if winter else _amt(rng, 55, 90), "expense",
        "PG&E ELECTRIC BILL", "Utilities")
    if month.month % 2 == 0:
        add(month.replace(day=12), _amt(rng, 38, 52), "expense", "CITY WATER UTILITY", "Utilities")
    add(month.replace(day=5), Decimal("49.99"), "expense", "COMCAST INTERNET", "Utilities")
    add(month.replace(day=18), Decimal("25.00"), "expense", "T-MOBILE PHONE BILL", "Utilities")
    add(month.replace(day=3), Decimal("98.40"), "expense", "GEICO AUTO INSURANCE", "Insurance")
    # subscriptions (Spotify raises its price after a year)
    add(month.replace(day=14), Decimal("15.49"), "expense", "NETFLIX.COM", "Subscriptions")
    add(month.replace(day=21), Decimal("10.99") if index < 12 else Decimal("11.99"), "expense",
        "SPOTIFY USA", "Subscriptions")
    add(month.replace(day=2), Decimal("39.00"), "expense", "PLANET FITNESS MEMBERSHIP", "Subscriptions")
    add(month.replace(day=1), Decimal("90.00"), "expense", "BART CLIPPER MONTHLY PASS", "Transport")
    add(month.replace(day=26), Decimal("500.00"), "expense", "TRANSFER TO SAVINGS ACCOUNT", "Transfers")


def _daily_spending(add: _Add, rng: random.Random, month: dt.date) -> None:
    """Variable spending, day by day: groceries, dining, fuel, shopping and the like."""
    last = add_months(month, 1) - dt.timedelta(days=1)
    day = month
    while day <= last:
        weekday = day.weekday()
        if rng.random() < (0.45 if weekday >= 5 else 0.2):
            name = rng.choice(_GROCERIES).format(n=rng.randint(10, 99))
            add(day, _amt(rng, 18, 140), "expense", f"CARD PAYMENT {name}", "Groceries")
        if rng.random() < 0.22:
            name = rng.choice(_DINING).format(n=rng.randint(100, 999))
            low, high = (4, 8) if "STARBUCKS" in name else (14, 75)
            add(day, _amt(rng, low, high), "expense", f"CARD PAYMENT {name}", "Dining")
        if rng.random() < 0.09:
            add(day, _amt(rng, 38, 72), "expense", f"SHELL OIL {rng.randint(10000, 99999)}", "Transport")
        if rng.random() < 0.05:
            add(day, _amt(rng, 9, 35), "expense", "UBER TRIP HELP.UBER.COM", "Transport")
        holiday = month.month in (11, 12)
        if rng.random() < (0.16 if holiday else 0.07):
            name = rng.choice(_SHOPPING).format(n=rng.randint(100, 999))
            add(day, _amt(rng, 12, 220 if holiday else 120), "expense", f"CARD PAYMENT {name}", "Shopping")
        if rng.random() < 0.04:
            add(day, _amt(rng, 12, 85), "expense", f"CARD PAYMENT {rng.choice(_FUN)}", "Entertainment")
        if rng.random() < 0.025:
            add(day, _amt(rng, 8, 60), "expense", "CVS PHARMACY", "Health")
        if rng.random() < 0.02:
            add(day, _amt(rng, 25, 70), "expense", "GREAT CLIPS HAIRCUT", "Personal Care")
        day += dt.timedelta(days=1)


def _seasonal_and_irregular(add: _Add, rng: random.Random, month: dt.date) -> None:
    """Travel in July, gifts in December, taxes in April; repairs, refunds, courses and fees."""
    if month.month == 7:
        add(month.replace(day=9), _amt(rng, 380, 620), "expense", "UNITED AIRLINES TICKET", "Travel")
        add(month.replace(day=20), _amt(rng, 600, 950), "expense", "MARRIOTT HOTELS", "Travel")
    if month.month == 12:
        add(month.replace(day=10), _amt(rng, 150, 300), "expense", "GIFT SHOP HOLIDAY PRESENTS", "Gifts & Donations")
        add(month.replace(day=20), Decimal("100.00"), "expense", "RED CROSS DONATION", "Gifts & Donations")
    if month.month == 4:
        add(month.replace(day=12), _amt(rng, 250, 600), "expense", "IRS TAX PAYMENT", "Taxes")
    if rng.random() < 0.12:
        add(month.replace(day=rng.randint(1, 27)), _amt(rng, 280, 900), "expense", "MIDAS AUTO REPAIR", "Transport")
    if rng.random() < 0.15:
        add(month.replace(day=rng.randint(1, 27)), _amt(rng, 15, 80), "income", "AMAZON REFUND", "Refunds")
    if month.month in (1, 9):
        add(month.replace(day=6), _amt(rng, 120, 260), "expense", "COURSERA ONLINE COURSE", "Education")
    if rng.random() < 0.3:
        add(month.replace(day=rng.randint(1, 27)), Decimal("3.00"), "expense", "ATM FEE", "Fees")


def to_frame(rows: list[DemoRow]) -> pd.DataFrame:
    """The rows as a CSV-ready frame (date, description, amount, type, category, account)."""
    return pd.DataFrame(
        {
            "date": [r.date.isoformat() for r in rows],
            "description": [r.description for r in rows],
            "amount": [format(r.amount, "f") for r in rows],
            "type": [r.kind for r in rows],
            "category": [r.category for r in rows],
            "account": [r.account for r in rows],
        }
    )


def seed_transactions(session: Session, *, user_id: int, rows: list[DemoRow], currency: str = "USD") -> int:
    """Bulk-insert generated rows for a user (categories looked up by name among the defaults)."""
    categories = {
        name: cid
        for cid, name in session.execute(select(Category.id, Category.name).where(Category.user_id.is_(None)))
    }
    now = utcnow()
    from budgetwise.services import accounts as accounts_service

    account_ids: dict[str, int] = {}
    for name in dict.fromkeys(r.account for r in rows if r.account):
        folded = name.casefold()
        kind = "credit_card" if "card" in folded else "savings" if "saving" in folded else "checking"
        try:
            account_ids[name] = accounts_service.find_account(session, user_id=user_id, name=name).id
        except NotFoundError:
            account_ids[name] = accounts_service.create_account(  # the first takes the empty starter's place
                session, user_id=user_id, name=name, kind=kind, currency=currency, replace_starter=True
            ).id
    payload = []
    for r in rows:
        minor = to_minor(r.amount, currency)
        payload.append(
            {
                "user_id": user_id,
                "date": r.date,
                "amount_minor": minor,
                "currency": currency,
                "kind": r.kind,
                "description": r.description,
                "merchant": merchant_key(r.description),
                "notes": "",
                "account": r.account,
                "account_id": account_ids.get(r.account),
                "category_id": categories.get(r.category),
                # Generated with known categories: they count as set by hand, so rules never move them
                # (a row without one, like the demo's savings credits, is left as an import leaves it).
                "category_manual": categories.get(r.category) is not None,
                "category_source": "demo" if categories.get(r.category) is not None else None,
                "source": "demo",
                "fingerprint": fingerprint(r.date.isoformat(), minor, r.kind, r.description, currency),
                "created_at": now,
                "updated_at": now,
            }
        )
    for part in chunked(payload, 1000):
        session.execute(insert(Transaction), part)
    touch_data(session, user_id)
    return len(payload)


# --------------------------------------------------------------------------- the demo's savings account
SAVINGS = "Savings"
SAVINGS_OPENING = Decimal("2500.00")
TRANSFER_OUT = "TRANSFER TO SAVINGS ACCOUNT"
TRANSFER_IN = "TRANSFER FROM CHECKING"
INTEREST = "INTEREST PAYMENT SAVINGS"  # paid by the savings account, so it lands there (session 16)
OFFERED_TRANSFERS = 1  # the newest transfers left unconfirmed: the visitor sees an offer under Accounts → Transfers
GOAL_NAME = "Emergency fund"
GOAL_TARGET = Decimal("20000.00")
GOAL_MONTHS = 12  # the goal's target date: this many months after the day the demo is made


def checking_rows(rows: list[DemoRow]) -> list[DemoRow]:
    """The Checking account's side of the generated history: every row but the savings interest."""
    return [r for r in rows if r.description != INTEREST]


def savings_rows(rows: list[DemoRow], *, end: dt.date) -> list[DemoRow]:
    """The Savings account's side of the generated history: a "TRANSFER FROM CHECKING" credit of the same
    amount the day after each "TRANSFER TO SAVINGS ACCOUNT" (none after ``end``), and the generated
    "INTEREST PAYMENT SAVINGS" rows, which the savings account pays (session 16; they were in Checking).
    Derived from the rows, no random draw: :func:`generate` stays what it was (benchmarks use its
    histories). The credits carry no category, as a bank's statement brings them; :func:`seed_savings`
    confirms them as transfers. Sorted by date."""
    credits = [
        DemoRow(r.date + dt.timedelta(days=1), r.amount, "income", TRANSFER_IN, "", SAVINGS)
        for r in rows
        if r.description == TRANSFER_OUT and r.kind == "expense" and r.date + dt.timedelta(days=1) <= end
    ]
    interest = [dataclasses.replace(r, account=SAVINGS) for r in rows if r.description == INTEREST]
    return sorted(credits + interest, key=lambda r: (r.date, r.description))


def by_account(rows: list[DemoRow], *, end: dt.date) -> tuple[list[DemoRow], list[DemoRow]]:
    """(Checking's rows, Savings' rows) of a generated history as the demo stores them (:func:`seed_demo`) and
    ``budgetwise demo --csv`` writes them (:func:`demo_rows`)."""
    return checking_rows(rows), savings_rows(rows, end=end)


def demo_rows(*, end: dt.date | None = None, months: int = 24, seed: int = 42) -> list[DemoRow]:
    """The rows of both of the demo's accounts, by date: what ``budgetwise demo --csv`` writes (session 17: it
    wrote :func:`generate`'s single-account rows, the interest in Checking and no Savings credit)."""
    end = end or dt.date.today()
    checking, savings = by_account(generate(end=end, months=months, seed=seed), end=end)
    return sorted(checking + savings, key=lambda r: (r.date, r.account, r.description))


def seed_savings(session: Session, *, user_id: int, rows: list[DemoRow], end: dt.date, currency: str = "USD") -> int:
    """Give a demo user a Savings account (kind savings, an opening balance at the history's first day) with
    the rows of :func:`savings_rows`, and store each transfer pair through the transfer service (the one
    owner), except the newest :data:`OFFERED_TRANSFERS`, left as offers. Confirmed transfers count as
    neither income nor spending; an offered pair's credit counts as income until it is confirmed (docs/accounts.md).
    ``rows`` is the whole generated history (its Checking side must be seeded first). Returns the number of
    rows added."""
    from budgetwise.services import accounts as accounts_service
    from budgetwise.services import transfers

    own = savings_rows(rows, end=end)
    if not own:
        return 0
    accounts_service.create_account(session, user_id=user_id, name=SAVINGS, kind="savings", currency=currency,
                                    opening_balance=SAVINGS_OPENING, opening_date=rows[0].date, today=end,
                                    replace_starter=False)
    count = seed_transactions(session, user_id=user_id, rows=own, currency=currency)
    savings_id = accounts_service.find_account(session, user_id=user_id, name=SAVINGS).id
    ids: dict[tuple[str, dt.date], int] = {}
    for tid, day, description, account_id in session.execute(
        select(Transaction.id, Transaction.date, Transaction.description, Transaction.account_id).where(
            Transaction.user_id == user_id, Transaction.source == "demo",
            Transaction.description.in_([TRANSFER_OUT, TRANSFER_IN]))
    ):
        if (account_id == savings_id) == (description == TRANSFER_IN):  # each side in its own account
            ids[(description, day)] = tid
    credits = [r for r in own if r.description == TRANSFER_IN]
    pairs = sorted((c.date, ids[(TRANSFER_OUT, c.date - dt.timedelta(days=1))], ids[(TRANSFER_IN, c.date)])
                   for c in credits)
    for _day, out_id, in_id in pairs[: max(0, len(pairs) - OFFERED_TRANSFERS)]:
        transfers.confirm_transfer(session, user_id=user_id, out_transaction_id=out_id, in_transaction_id=in_id)
    return count


def seed_goal(session: Session, *, user_id: int, today: dt.date) -> int | None:
    """The demo's savings goal: :data:`GOAL_NAME`, :data:`GOAL_TARGET` by :data:`GOAL_MONTHS` months from
    ``today``, linked to the Savings account (its progress is that account's balance), through the goals
    services (the one owner). None, and nothing made, when the user has no Savings account or it is not in
    the user's currency (a goal is kept in the user's currency: its progress would need an exchange rate)."""
    from budgetwise.services import accounts as accounts_service
    from budgetwise.services import goal_accounts, goals
    from budgetwise.services.rates import user_currency

    try:
        savings = accounts_service.find_account(session, user_id=user_id, name=SAVINGS)
    except NotFoundError:
        return None
    if savings.currency != user_currency(session, user_id):
        return None
    goal = goals.create_goal(session, user_id=user_id, name=GOAL_NAME, target=GOAL_TARGET,
                             target_date=add_months(today, GOAL_MONTHS), today=today)
    goal_accounts.link_account(session, user_id=user_id, goal_id=goal.id, account_id=savings.id)
    return goal.id


@dataclass(frozen=True)
class DemoSeed:
    """What :func:`seed_demo` stored for a user."""

    transactions: int
    accounts: tuple[str, ...]
    transfers: int  # confirmed
    offered: int  # left as offers under Accounts → Transfers
    goal_id: int | None


def seed_demo(
    session: Session, *, user_id: int, today: dt.date, months: int = 24, seed: int = 42, currency: str = "USD"
) -> DemoSeed:
    """The one owner of a demo user's data (``budgetwise demo``, a demo-mode visitor, the dashboard's "Load
    demo data"): :func:`generate`'s history in Checking (:func:`checking_rows`), the Savings account with its
    transfers and interest (:func:`seed_savings`) and the savings goal linked to it (:func:`seed_goal`)."""
    rows = generate(end=today, months=months, seed=seed)
    checking, savings = by_account(rows, end=today)
    count = seed_transactions(session, user_id=user_id, rows=checking, currency=currency)
    count += seed_savings(session, user_id=user_id, rows=rows, end=today, currency=currency)
    goal_id = seed_goal(session, user_id=user_id, today=today)
    names = tuple(dict.fromkeys(r.account for r in checking + savings))
    confirmed = session.scalar(select(func.count(TransferLink.id)).where(TransferLink.user_id == user_id)) or 0
    offered = max(0, sum(r.description == TRANSFER_IN for r in savings) - confirmed)
    return DemoSeed(count, names, confirmed, offered, goal_id)


def load_demo_data(session: Session, *, user_id: int, today: dt.date | None = None) -> DemoSeed:
    """The dashboard's "Load demo data" for a signed-in user's own account: the same data as ``budgetwise
    demo`` (:func:`seed_demo`), in the user's currency when it has cents (else USD, as before). Refused, with
    nothing written, when the user already has transactions (loading again is refused: it would double
    them) or an account or goal the demo would make (same name); all or nothing (a savepoint: a failure
    half-way leaves the database as it was, whatever the caller does next)."""
    from budgetwise.money import minor_digits
    from budgetwise.services import accounts as accounts_service
    from budgetwise.services.rates import user_currency

    today = today or dt.date.today()
    session.execute(select(User.id).where(User.id == user_id).with_for_update())  # two clicks: one at a time
    if session.scalar(select(Transaction.id).where(Transaction.user_id == user_id).limit(1)) is not None:
        raise ConflictError("You already have transactions: demo data is only loaded into an account without any "
                            "(it would mix with yours, or double itself if loaded twice).", field="demo")
    taken = [a.name for a in accounts_service.list_accounts(session, user_id=user_id, include_archived=True)
             if a.name.casefold() in ("checking", SAVINGS.casefold())]
    if taken:
        raise ConflictError(f"The demo data makes the accounts “Checking” and “{SAVINGS}”, and you already have "
                            f"{' and '.join(f'“{n}”' for n in taken)}: rename {'it' if len(taken) == 1 else 'them'} "
                            "on the Accounts page first.", field="demo")
    if session.scalar(select(Goal.id).where(Goal.user_id == user_id, Goal.is_archived.is_(False),
                                            func.lower(Goal.name) == GOAL_NAME.lower())) is not None:
        raise ConflictError(f"The demo data makes the goal “{GOAL_NAME}”, and you already have one of that name: "
                            "rename yours on the Goals page first.", field="demo")
    own = user_currency(session, user_id)
    currency = own if minor_digits(own) == 2 else "USD"
    with session.begin_nested():
        return seed_demo(session, user_id=user_id, today=today, currency=currency)


def create_demo_account(
    session: Session,
    *,
    settings: Settings,
    email: str = DEMO_EMAIL,
    name: str = DEMO_NAME,
    password: str | None = None,
    months: int = 24,
    seed: int = 42,
    today: dt.date | None = None,
) -> tuple[Principal, int]:
    """Create a user with the demo's data (:func:`seed_demo`). Returns the principal and the number of rows."""
    today = today or dt.date.today()
    normalized = normalize_email(email)
    if get_user_by_email(session, normalized) is not None:
        raise ConflictError(f"An account {normalized} already exists; use --reset to recreate it.")
    user = User(
        email=normalized,
        name=name,
        password_hash=security.hash_password(password or secrets.token_urlsafe(24), rounds=settings.bcrypt_rounds),
        role="user",
        currency="USD",
    )
    session.add(user)
    session.flush()
    seeded = seed_demo(session, user_id=user.id, today=today, months=months, seed=seed)
    return principal_for(user), seeded.transactions


def ensure_demo_account(session: Session, *, settings: Settings) -> None:
    """Make sure the `budgetwise demo` account exists (created once, with data).

    Demo mode no longer uses it: every visitor gets their own account (:func:`create_visitor_account`)."""
    if get_user_by_email(session, DEMO_EMAIL) is None:
        create_demo_account(session, settings=settings)


# --------------------------------------------------------------------------- demo mode: one account per visitor
VISITOR_NAME = "Demo visitor"


@dataclass(frozen=True)
class DemoCleanup:
    expired: int  # older than BUDGETWISE_DEMO_HOURS
    over_cap: int  # idle ones, least recently used first, removed to stay under BUDGETWISE_DEMO_MAX_ACCOUNTS


# A visitor's account is in use while its last activity (``users.updated_at``: its creation, every write to its data,
# and :func:`mark_active` at a rerun of its pages, at most every ACTIVITY_STEP) is this recent: it is never deleted to
# make room (session 27, demo27: at the cap, a stranger's click deleted the oldest visitor's account mid-visit).
DEMO_ACTIVE_MINUTES = 30
ACTIVITY_STEP = dt.timedelta(minutes=1)
BUSY = "The demo is busy: every demo account ({count}) is in use. Try again in a few minutes."
BUSY_HERE = ("The demo is busy on your network: every demo account it may hold ({count}) is in use. "
             "Try again in a few minutes.")


@dataclass(frozen=True)
class _Demo:
    user_id: int
    created_at: dt.datetime | None
    active_at: dt.datetime | None  # users.updated_at: the last activity


def _demo_accounts(session: Session, *, client: str | None = None) -> list[_Demo]:
    """Every demo account (never an administrator), oldest first; with ``client``, the visitor accounts that client
    made (its :data:`auth.DEMO_CREATED` rows)."""
    query = select(User.id, User.created_at, User.updated_at).where(demo_email_clause(), User.role != ROLE_ADMIN)
    if client is not None:
        query = query.where(visitor_email_clause(), User.id.in_(select(LoginAttempt.user_id).where(
            LoginAttempt.reason == DEMO_CREATED, LoginAttempt.client == client)))
    return [_Demo(uid, created, seen) for uid, created, seen in session.execute(query.order_by(User.created_at, User.id))]


def _idle_first(accounts: list[_Demo], now: dt.datetime) -> list[int]:
    """The ids of the accounts not in use (:data:`DEMO_ACTIVE_MINUTES`), least recently used first."""
    since = now - dt.timedelta(minutes=DEMO_ACTIVE_MINUTES)
    idle = [a for a in accounts if a.active_at is None or a.active_at <= since]
    return [a.user_id for a in sorted(idle, key=lambda a: (a.active_at or dt.datetime.min.replace(tzinfo=dt.UTC),
                                                           a.user_id))]


def _make_room(accounts: list[_Demo], *, room_for: int, cap: int, now: dt.datetime,
               busy: str) -> list[int]:
    """The idle accounts to delete so that ``room_for`` more fit under ``cap``; Busy (nothing deleted) when the
    accounts in use leave no room for them."""
    excess = max(0, len(accounts) + room_for - cap)
    chosen = _idle_first(accounts, now)[:excess]
    if room_for and len(chosen) < excess:
        raise Busy(busy.format(count=cap))
    return chosen


def purge_demo_accounts(
    session: Session, *, settings: Settings, now: dt.datetime | None = None, room_for: int = 0,
    gone: Collection[int] = (),
) -> DemoCleanup:
    """Delete expired demo accounts with all their data, then idle ones beyond the cap (least recently used first).

    ``room_for`` leaves space for that many new accounts, or raises :class:`Busy` (and deletes nothing beyond the
    expired) when every account under the cap is in use (:data:`DEMO_ACTIVE_MINUTES`): an account in use is never
    deleted to make room. Deletion goes through ``profile.delete_user_data`` (the one owner), so nothing of a
    visitor is left behind; a person's account is never a demo account (``auth.validate_own_email``). Also removes
    the old shared demo account of demo mode (``DEMO_EMAIL``) once it is older than the limit: visitors' imports in
    it must not outlive the demo's promise. ``gone``: accounts the caller chose to delete too (a client's own, to
    make room under its share), deleted with these and not counted (one lock order: :func:`_delete_accounts`)."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(hours=settings.demo_hours)
    accounts = [a for a in _demo_accounts(session) if a.user_id not in gone]
    expired = [a.user_id for a in accounts if a.created_at is None or a.created_at <= cutoff]
    live = [a for a in accounts if a.created_at is not None and a.created_at > cutoff]
    try:
        over_cap = _make_room(live, room_for=room_for, cap=settings.demo_max_accounts, now=now, busy=BUSY)
    except Busy:
        _delete_accounts(session, [*gone, *expired])
        raise
    _delete_accounts(session, [*gone, *expired, *over_cap])
    return DemoCleanup(expired=len(expired), over_cap=len(over_cap))


def _delete_accounts(session: Session, user_ids: list[int]) -> None:
    """Delete these accounts with all their data (``profile.delete_user_data``), their users' locks taken first, all
    at once in ascending id (``versions.lock_users``). Session 29: two purges at once deleted idle accounts in
    least-recently-used order, or one as expired and the other as idle, which can differ between them: each held
    an account the other wanted next (a deadlock)."""
    lock_users(session, user_ids)
    for uid in user_ids:
        delete_user_data(session, uid)


DEMOS_PER_CLIENT = 10  # live visitor accounts one address holds at least (its share: half the cap, if more)
DEMOS_PER_CLIENT_PER_HOUR = 60  # new visitor accounts one address makes in an hour (a class of 30 fits twice over)


def client_share(settings: Settings) -> int:
    """The live visitor accounts one address may hold: half of ``BUDGETWISE_DEMO_MAX_ACCOUNTS``, at least
    :data:`DEMOS_PER_CLIENT`. One client cannot fill the demo; many visitors behind one address (Community Cloud's
    egress, a school) are not stopped at ten."""
    return max(DEMOS_PER_CLIENT, settings.demo_max_accounts // 2)


def mark_active(session: Session, *, principal: Principal, now: dt.datetime | None = None) -> bool:
    """A rerun of a demo visitor's page: its account is in use now (``users.updated_at``; written at most every
    :data:`ACTIVITY_STEP`). False, and nothing written, for any other account."""
    if not is_visitor(principal):
        return False
    now = now or utcnow()
    session.execute(update(User).where(User.id == principal.user_id, visitor_email_clause(),
                                       User.updated_at < now - ACTIVITY_STEP).values(updated_at=now))
    return True


def create_visitor_account(
    session: Session, *, settings: Settings, seed: int = 42, client: str | None = None
) -> Principal:
    """Demo mode: a private, temporary account with generated history for one "Explore the demo" click.

    Cleans up first (expired accounts, then idle ones beyond the cap), so a public demo cannot fill the disk; an
    account in use is never deleted for a new one: when all are in use, :class:`Busy` ("try again in a few
    minutes"). The account is never an administrator and never counts as the first account.

    ``client`` is the request's address (``auth.client_key``): one address holds at most :func:`client_share` live
    accounts, its next click recycling its own idle ones first (session 20 audit: one client clicking in a loop
    evicted every other visitor's at the cap), and makes at most :data:`DEMOS_PER_CLIENT_PER_HOUR` (session 21: each
    click costs about a quarter of a second of CPU, recycled or not; counted from :data:`auth.DEMO_STARTED` rows,
    which outlive the accounts). Without an address (command line, tests) only the cap applies."""
    if not settings.demo:
        raise ConflictError("Demo mode is not enabled on this installation.")
    now = utcnow()
    client_id = client_key(client, settings)
    if client_id != CLIENT_UNKNOWN and (until := client_limit_until(
            session, client_id, reasons=(DEMO_STARTED,), limit=DEMOS_PER_CLIENT_PER_HOUR, window=dt.timedelta(hours=1),
            now=now)) is not None:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        raise AccountLocked(f"Too many demo accounts from your network: at most {DEMOS_PER_CLIENT_PER_HOUR} an hour. "
                            f"Try again in {plural(minutes, 'minute')}.")
    gone: list[int] = []
    if client_id != CLIENT_UNKNOWN:
        cutoff = now - dt.timedelta(hours=settings.demo_hours)
        own = [a for a in _demo_accounts(session, client=client_id) if a.created_at and a.created_at > cutoff]
        gone = _make_room(own, room_for=1, cap=client_share(settings), now=now, busy=BUSY_HERE)
    purge_demo_accounts(session, settings=settings, now=now, room_for=1, gone=gone)
    email = f"visitor-{secrets.token_hex(8)}@{DEMO_DOMAIN}"
    principal, _count = create_demo_account(session, settings=settings, email=email, name=VISITOR_NAME, seed=seed)
    user = session.get(User, principal.user_id)
    assert user is not None
    record_client_event(session, user=user, reason=DEMO_CREATED, client=client_id, now=now)
    if client_id != CLIENT_UNKNOWN:
        session.add(LoginAttempt(user_id=None, email="", success=True, reason=DEMO_STARTED, created_at=now,
                                 client=client_id))
    return principal


def is_visitor(principal: Principal) -> bool:
    """A demo-mode visitor's temporary account (not the `budgetwise demo` one, not a person's)."""
    return is_visitor_email(principal.email)


def end_visit(session: Session, *, principal: Principal) -> bool:
    """A visitor who logs out: their temporary account and everything in it are deleted now rather
    than at expiry (through ``profile.delete_user_data``, the one owner). False, and nothing done,
    for any other account."""
    if not is_visitor(principal):
        return False
    delete_user_data(session, principal.user_id)
    return True


def demo_expires_at(session: Session, *, principal: Principal, settings: Settings) -> dt.datetime | None:
    """When a demo-mode visitor's account is deleted (None for any other account)."""
    if not is_visitor(principal):
        return None
    created = session.scalar(select(User.created_at).where(User.id == principal.user_id))
    return None if created is None else created + dt.timedelta(hours=settings.demo_hours)


def demo_principal(session: Session, *, settings: Settings, client: str | None = None) -> Principal:
    """For the "Explore the demo" button (only in demo mode): a new account of the visitor's own
    (``client``: the request's address, see :func:`create_visitor_account`)."""
    return create_visitor_account(session, settings=settings, client=client)
