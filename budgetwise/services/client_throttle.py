"""Who is throttled at sign-in: the per-client allowance, and the clients an account's lock lets in (split out of
auth.py, session 27, sec27; every name is re-exported there: ``auth.client_key`` etc.).

Several users behind one public address (Streamlit Community Cloud's egress, a school, a carrier's NAT) are one
client by address: sec26 measured 20 strangers' failures refusing the owner's right password for 15 minutes, and the
owner's "known client" address exempting the stranger at it from the account's lock too. So a browser that signed in
to an account keeps a **device token** (:func:`issue_device_token`, the ``budgetwise_device`` cookie: a random device
id and the account sealed under the server's secret, opaque to its reader since session 29 (a JWT naming the account
and its role before), nothing stored on the server, :data:`KNOWN_CLIENT_DAYS` long). Presented at a
sign-in to *that* account (:func:`device_client`), the attempt counts for the device instead of the address: the
address's allowance does not refuse it, and the account's lock lets it in up to the lockout threshold of the device's
own failures (:func:`known_client`). It proves one earlier sign-in to one account, so it buys nothing for guessing at
another (the address's allowance still holds there), and a stolen copy buys at most the lockout threshold of guesses
at that account per window, as an address the owner used does. Not an authenticator: the password is still checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.errors import AccountLocked, AuthenticationError
from budgetwise.models import LoginAttempt, User, utcnow
from budgetwise.text import plural

DEVICE_PREFIX = "device:"  # a device's client key (login_attempts.client) starts so; an address's is plain hex
MAX_DEVICE_ACCOUNTS = 3  # accounts one browser's device cookie remembers (a household sharing a laptop)
MAX_COOKIE = 4000  # a cookie's value is at most about 4 KB in browsers: a longer one is no device cookie of ours

# Password spraying (one guess at each of many accounts) never trips the per-account lockout.
# So failures are also counted per client (the request's address, stored only as a keyed
# hash): after BUDGETWISE_CLIENT_FAILURE_LIMIT failures within the lockout window, that
# client's sign-ins are refused until the window moves on, without touching the accounts.
# And a locked account still lets in a client it was signed in from before (a "known
# client", up to the lockout threshold of its own failures), so a stranger who locks an
# account on purpose does not lock its owner out. Trade-offs: docs/reliability.md.
CLIENT_UNKNOWN = "unknown"  # no address (CLI, tests): one shared bucket
REGISTER_TAKEN = "register_taken"  # "Create account" with an email that has an account: a guess at it
REGISTER_LIMIT = "register_limit"  # "Create account" refused at the client's registrations per day: not a guess
GUESS_REASONS = ("bad_password", "unknown_email", "locked_now", "bad_2fa_code", "bad_current_password", REGISTER_TAKEN)
KNOWN_CLIENT_DAYS = 90
CLIENT_THROTTLED = "client_throttled"
REGISTERED = "registered"  # "Create account" made an account (success row, the new user's id)
DEMO_CREATED = "demo_created"  # "Explore the demo" made a visitor account (services.demo)
DEMO_STARTED = "demo_started"  # the same click, a row of nobody's: kept when the account is deleted (its rate)
EVENT_REASONS = (REGISTERED, DEMO_CREATED, DEMO_STARTED)  # left out of the sign-in counts (admin health)
REGISTRATION_WINDOW = dt.timedelta(hours=24)
# How many rows of one client the sign-in log keeps (:func:`bound_rows`; session 29, sec29): it grew with the request
# rate for its 90 days. Refusals (rows nothing counts: over the client's allowance, an account locked to it, a
# registration over the day's allowance) keep their newest KEEP_REFUSALS; its other failures older than the lockout
# window (all any throttle reads of them) their newest KEEP_FAILURES; an account's sign-ins from it KEEP_SIGN_INS.
REFUSALS = (CLIENT_THROTTLED, "locked", REGISTER_LIMIT)
KEEP_REFUSALS = 50
KEEP_FAILURES = 100
KEEP_SIGN_INS = 20
READ_WINDOW = dt.timedelta(days=1)  # the longest window a count reads (lockout at most 1440 minutes, registrations)
_PRUNE_PER_WRITE = 20  # more than a write adds: a client over its bound comes back under it


def client_key(address: str | None, settings: Settings) -> str:
    """A keyed hash of the request's client, an IPv6 address's /64 (:func:`security.client_hash`); the address is
    personal data: not stored."""
    return security.client_hash(address, settings.secret_key) or CLIENT_UNKNOWN


def client_limit_until(session: Session, client: str, *, reasons: tuple[str, ...], limit: int, window: dt.timedelta,
                        now: dt.datetime) -> dt.datetime | None:
    """The one counter of a client's rows: None under ``limit`` of ``reasons`` in ``window``, else when that ends."""
    times = session.scalars(
        select(LoginAttempt.created_at)
        .where(LoginAttempt.client == client, LoginAttempt.created_at > now - window, LoginAttempt.reason.in_(reasons))
        .order_by(LoginAttempt.created_at.desc())
        .limit(limit)
    ).all()
    if len(times) < limit:
        return None
    return times[-1] + window


def _client_blocked_until(session: Session, client: str, settings: Settings, now: dt.datetime) -> dt.datetime | None:
    limit = settings.client_failure_limit * (10 if client == CLIENT_UNKNOWN else 1)
    return client_limit_until(session, client, reasons=GUESS_REASONS, limit=limit,
                               window=dt.timedelta(minutes=settings.lockout_minutes), now=now)


def refuse_throttled_client(session: Session, client: str | None, settings: Settings, now: dt.datetime, *,
                            key: str | None = None) -> str:
    """The client's key (``key`` if given: a device's, :func:`vouching_device`); AccountLocked over the failure
    allowance (before telling whether an email is taken)."""
    client_id = key or client_key(client, settings)
    blocked_until = _client_blocked_until(session, client_id, settings, now)
    if blocked_until is not None:
        raise AccountLocked(_client_throttle_message(blocked_until, now))
    return client_id


def _client_throttle_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        "Too many failed sign-in attempts from your network: wait "
        f"{plural(minutes, 'minute')} and try again."
    )


def known_client(session: Session, user: User, client: str, settings: Settings, now: dt.datetime) -> bool:
    """This client (an address, or a device: :func:`device_client`) signed in to this account recently and has guessed
    wrong fewer times than the lockout threshold in the current window: the account's lock does not apply to it."""
    if client == CLIENT_UNKNOWN:
        return False
    signed_in_before = client.startswith(DEVICE_PREFIX) or session.scalar(  # a device's token proves it (device_client)
        select(LoginAttempt.id).where(
            LoginAttempt.user_id == user.id, LoginAttempt.client == client, LoginAttempt.success.is_(True),
            LoginAttempt.created_at > now - dt.timedelta(days=KNOWN_CLIENT_DAYS),
        ).limit(1)
    )
    if not signed_in_before:
        return False
    own_failures = session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.user_id == user.id, LoginAttempt.client == client, LoginAttempt.reason.in_(GUESS_REASONS),
            LoginAttempt.created_at > now - dt.timedelta(minutes=settings.lockout_minutes),
        )
    ) or 0
    return own_failures < settings.lockout_threshold


def issue_device_token(session: Session, user_id: int, settings: Settings, *, now: dt.datetime | None = None) -> str:
    """The device cookie's token after a complete sign-in to ``user_id``: this account, a new random device id, sealed
    (:func:`security.seal_device_token`: opaque; session 29, sec29: a readable JWT named the account and its role)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active or not user.account_uid:
        raise AuthenticationError("This account is not available.")
    return security.seal_device_token(user_id=user.id, account_uid=user.account_uid, secret=settings.secret_key,
                                      ttl=dt.timedelta(days=KNOWN_CLIENT_DAYS), now=now or utcnow())


def _tokens(held: str | None) -> list[str]:
    """The tokens of a device cookie's value (comma-separated, newest first; a page may join this session's and the
    request's: at most twice MAX_DEVICE_ACCOUNTS read)."""
    if not held or not isinstance(held, str) or len(held) > 2 * MAX_COOKIE:
        return []
    return [t for t in (part.strip() for part in held.split(",")[:2 * MAX_DEVICE_ACCOUNTS]) if t]


def _device_of(token: str, user: User, settings: Settings) -> security.DeviceToken | None:
    """The device token's contents when it is a valid one of this very account (not another's, nor a deleted
    account's that had its id), else None."""
    return security.open_device_token(
        token, secret=settings.secret_key, account_uid_of=lambda uid: user.account_uid if uid == user.id else None)


def _device_of_anyone(session: Session, token: str, settings: Settings) -> security.DeviceToken | None:
    """The device token's contents when it is a valid one of an account of this database (which one: it says)."""
    def uid_of(user_id: int) -> str | None:
        user = session.get(User, user_id)
        return user.account_uid if user is not None else None

    return security.open_device_token(token, secret=settings.secret_key, account_uid_of=uid_of)


def device_client(held: str | None, user: User, settings: Settings) -> str | None:
    """The client key of the device the cookie value ``held`` names for this very account (a valid device token of
    it, not of another, nor of a deleted account that had its id), else None (the address counts)."""
    for token in _tokens(held):
        if (device := _device_of(token, user, settings)) is not None:
            key = hmac.new(settings.secret_key.encode("utf-8"), b"device:" + device.selector.encode("utf-8"),
                           hashlib.sha256)
            return DEVICE_PREFIX + key.hexdigest()[:40]
    return None


def remember_device(session: Session, user_id: int, settings: Settings, *, held: str | None = None) -> str:
    """The device cookie's new value after a complete sign-in to ``user_id``: a new token of it first, then the tokens
    ``held`` kept for other accounts (people sharing one browser), at most MAX_DEVICE_ACCOUNTS."""
    fresh = issue_device_token(session, user_id, settings)
    others = [t for t in _tokens(held)
              if (device := _device_of_anyone(session, t, settings)) is not None and device.user_id != user_id]
    return ",".join([fresh, *others][:MAX_DEVICE_ACCOUNTS])


def vouching_device(session: Session, held: str | None, settings: Settings, now: dt.datetime) -> str | None:
    """The client a "Create account" from this browser counts under instead of its address (session 27, demo27: the
    10 registrations a day of a shared address stopped everybody behind it): the device cookie ``held`` holds a valid
    token of a person's active account made more than :data:`REGISTRATION_WINDOW` ago; the key is that account's, not
    the token's device id, so signing in again mints no fresh allowance, and an account made today (under the
    address's allowance) vouches for nothing until tomorrow; an account made through a device's vouch vouches for
    nobody (session 28, sec28: each vouched account vouched in turn a day later, so one address's 10 accounts made
    100 the next day and 1,000 the day after; :func:`_made_under_vouch`). None otherwise (the address counts)."""
    from budgetwise.services.auth import is_demo_email  # auth imports this module

    for token in _tokens(held):
        device = _device_of_anyone(session, token, settings)
        user = session.get(User, device.user_id) if device is not None else None
        if user is None or not user.is_active \
                or is_demo_email(user.email) or user.created_at is None \
                or user.created_at > now - REGISTRATION_WINDOW or _made_under_vouch(session, user.id):
            continue
        key = hmac.new(settings.secret_key.encode("utf-8"), b"account:" + user.account_uid.encode("utf-8"),
                       hashlib.sha256)
        return DEVICE_PREFIX + key.hexdigest()[:40]
    return None


def _made_under_vouch(session: Session, user_id: int) -> bool:
    """Whether the account was registered on a device's vouch (its :data:`REGISTERED` row names a device, not an
    address; the row is kept :data:`KNOWN_CLIENT_DAYS`, after which an account that old may vouch)."""
    return session.scalar(select(LoginAttempt.id).where(
        LoginAttempt.user_id == user_id, LoginAttempt.reason == REGISTERED,
        LoginAttempt.client.startswith(DEVICE_PREFIX, autoescape=True)).limit(1)) is not None


def bound_rows(session: Session, *, client: str | None, user_id: int | None, reason: str, success: bool,
               now: dt.datetime) -> int:
    """After a sign-in log row of ``client`` was written: delete up to a few of the client's rows over the bounds
    (:data:`KEEP_REFUSALS`, :data:`KEEP_FAILURES`, :data:`KEEP_SIGN_INS`): the newest rows past a bound, at most
    ``_PRUNE_PER_WRITE`` per rule and write, so a client over a bound comes back under it a few rows per write; how
    many went. Kept whatever
    the bounds: every row a throttle counts (failures of the last :data:`READ_WINDOW`), an account's
    :data:`REGISTERED` row (the vouch reads it 90 days) and a live demo's :data:`DEMO_CREATED` row."""
    if not client:
        return 0
    row = LoginAttempt
    mine = row.client == client
    rules = [(and_(mine, row.created_at < now - READ_WINDOW, or_(
        and_(row.success.is_(False), row.reason.not_in(REFUSALS)), row.reason == DEMO_STARTED,
        and_(row.reason == DEMO_CREATED, row.user_id.is_(None)))), KEEP_FAILURES)]
    if reason in REFUSALS:
        rules.append((and_(mine, row.reason.in_(REFUSALS)), KEEP_REFUSALS))
    elif success and user_id is not None and reason not in EVENT_REASONS:
        rules.append((and_(mine, row.user_id == user_id, row.success.is_(True), row.reason.not_in(EVENT_REASONS)),
                      KEEP_SIGN_INS))
    gone = 0
    for where, keep in rules:
        over = list(session.scalars(select(row.id).where(where).order_by(row.created_at.desc(), row.id.desc())
                                    .offset(keep).limit(_PRUNE_PER_WRITE)))
        if over:
            session.execute(delete(row).where(row.id.in_(over)))
            gone += len(over)
    return gone
