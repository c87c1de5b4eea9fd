"""Registration, login with lockout, session tokens, logout."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.errors import AccountLocked, AuthenticationError, ConflictError, PermissionDenied, ValidationError
from budgetwise.models import ROLE_ADMIN, ROLE_USER, LoginAttempt, RememberToken, User, utcnow
from budgetwise.principal import Principal, require_admin
from budgetwise.services import retention
from budgetwise.services.client_throttle import (  # noqa: F401 - auth.<name> kept
    CLIENT_THROTTLED,
    CLIENT_UNKNOWN,
    DEMO_CREATED,
    DEMO_STARTED,
    EVENT_REASONS,
    GUESS_REASONS,
    KNOWN_CLIENT_DAYS,
    REGISTER_LIMIT,
    REGISTER_TAKEN,
    REGISTERED,
    REGISTRATION_WINDOW,
    _client_blocked_until,
    _client_throttle_message,
    bound_rows,
    client_key,
    client_limit_until,
    device_client,
    issue_device_token,
    known_client,
    refuse_throttled_client,
    remember_device,
    vouching_device,
)
from budgetwise.services.first_account import lock_first_account
from budgetwise.services.versions import (  # noqa: F401 - auth.<name> kept
    cache_version,
    data_version,
    lock_user_for_import,
    touch_data,
)
from budgetwise.text import clean_text, plural, plural_word

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
INVALID_LOGIN = "Invalid email or password."
INVALID_CODE = "That code is not correct (or was already used). Enter the current code from your authenticator app, or a recovery code."
REASON_2FA_PENDING = "2fa_pending"  # password right, second factor not given yet
SECOND_FACTOR_TTL = dt.timedelta(minutes=5)
TOKEN_SECOND_FACTOR = "2fa"  # token type: password checked, waiting for the authenticator code


class SecondFactorExpired(AuthenticationError):
    """The two-step sign-in must start again from the password (pending token expired or revoked)."""


# --------------------------------------------------------------------------- validation
def normalize_email(email: str) -> str:
    """Check the format and return the canonical, lower-cased address."""
    text = (email or "").strip()
    if not text:
        raise ValidationError("Enter your email address.", field="email")
    if len(text) > 254:
        raise ValidationError("That email address is too long.", field="email")
    from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError
    from email_validator import validate_email as _validate_email

    # A household on its own network may use a special-use domain (name@home.local, x@example.test).
    # email-validator refuses those whatever its options (check_deliverability, globally_deliverable,
    # test_environment: 2.4.0), so such a domain is checked with a neutral suffix appended: the
    # syntax is still checked in full (a period is still required), deliverability is not.
    domain = text.rpartition("@")[2].rstrip(".").lower()
    special = "." in domain and any(domain == d or domain.endswith("." + d) for d in SPECIAL_USE_DOMAIN_NAMES)
    suffix = "." + _NEUTRAL_SUFFIX if special else ""
    try:
        result = _validate_email(text + suffix, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(f"That email address is not valid: {exc}", field="email") from None
    normalized = result.normalized.lower()
    return normalized[: len(normalized) - len(suffix)]


_NEUTRAL_SUFFIX = "example"  # RFC 6761: applications need not treat it as special; email-validator does not


def validate_name(name: str, *, missing: str = "Enter your name.") -> str:
    """The cleaned name; ``missing`` is said when it is empty (an admin creating an account types someone else's)."""
    value = clean_text(name)
    if not value:
        raise ValidationError(missing, field="name")
    if len(value) > 100:
        raise ValidationError("The name is too long (100 characters at most).", field="name")
    return value


def _common_passwords() -> frozenset[str]:
    global _COMMON
    if _COMMON is None:
        from zxcvbn.frequency_lists import FREQUENCY_LISTS

        _COMMON = frozenset(FREQUENCY_LISTS["passwords"])
    return _COMMON


_COMMON: frozenset[str] | None = None


def validate_password(password: str, *, email: str = "", name: str = "") -> str:
    """Length, not a common password, not guessable from the user's own data."""
    if password is None or password == "":
        raise ValidationError("Enter a password.", field="password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"The password is too long ({MAX_PASSWORD_LENGTH} characters at most).", field="password")
    if password.lower() in _common_passwords():
        raise ValidationError("That password is one of the most common passwords: choose another.", field="password")
    from zxcvbn import zxcvbn

    user_inputs = [part for part in [email, email.split("@")[0] if email else "", name] if part]
    result = zxcvbn(password[:100], user_inputs=user_inputs)
    if result["score"] < 2:
        hint = result["feedback"].get("warning") or "it is too easy to guess"
        raise ValidationError(
            f"That password is too easy to guess ({hint.rstrip('.').lower()}): "
            "add more words or mix in unusual ones.",
            field="password",
        )
    return password


# --------------------------------------------------------------------------- helpers
def principal_for(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        currency=user.currency,
        locale=user.locale,
        date_format=user.date_format,
        week_start=user.week_start,
        account_uid=user.account_uid,
    )


def require_current_admin(session: Session, principal: Principal | None) -> Principal:
    """Admin services call this: the principal says admin *and* the database says so now.

    Defence in depth (issue 13): a principal object is a snapshot; an administrator demoted,
    disabled or deleted since it was made is refused here even if a caller kept the old one.
    The command line's principal (user id 0, no account) is an administrator by definition.
    """
    require_admin(principal)
    assert principal is not None
    if principal.user_id <= 0:
        return principal
    # session.get: one primary-key read per unit of work (the house rule: a fresh session per
    # rerun or action), answered from the session's own identity map after that.
    user = session.get(User, principal.user_id)
    if (
        user is None
        or user.role != ROLE_ADMIN
        or not user.is_active
        or (principal.account_uid and not security.constant_time_equals(principal.account_uid, user.account_uid))
    ):
        raise PermissionDenied("This needs an administrator account.")
    return principal


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


# --------------------------------------------------------------------------- registration
DEMO_EMAIL = "demo@budgetwise.app"  # the `budgetwise demo` account (once the shared demo account of demo mode)
DEMO_DOMAIN = "demo.budgetwise.app"  # each demo-mode visitor's own temporary account lives here (services.demo)


def is_demo_email(email: str) -> bool:
    """A demo account: the `budgetwise demo` one or a demo-mode visitor's temporary one."""
    folded = (email or "").strip().lower()
    return folded == DEMO_EMAIL or is_visitor_email(folded)


def is_visitor_email(email: str) -> bool:
    """A demo-mode visitor's temporary account (``…@demo.budgetwise.app``), the one owner of the check."""
    return (email or "").strip().lower().endswith("@" + DEMO_DOMAIN)


def visitor_email_clause() -> ColumnElement[bool]:
    """The same check as :func:`is_visitor_email` as a SQL condition on ``User.email``
    (emails are stored lower-case), for queries that count or leave out visitors."""
    return User.email.like("%@" + DEMO_DOMAIN)


def demo_email_clause() -> ColumnElement[bool]:
    """The same check as :func:`is_demo_email` as a SQL condition on ``User.email``."""
    return or_(User.email == DEMO_EMAIL, visitor_email_clause())


def no_account_yet(session: Session) -> bool:
    """True before the first person's account (the one that becomes the administrator; demo accounts do not count,
    so the first person still does, also on Community Cloud where no command line can create one). None found:
    counted again under :func:`.first_account.lock_first_account` (two registrations at once made two admins)."""
    others = select(func.count()).select_from(User).where(~demo_email_clause())
    if session.scalar(others):
        return False
    lock_first_account(session)
    return (session.scalar(others) or 0) == 0


def validate_own_email(email: str) -> str:
    """An email a person's account may hold, at registration and Profile's email change alike: valid and not a demo
    account's (purged at expiry, unable to change email or password; session 20: Profile accepted those)."""
    normalized = normalize_email(email)
    if is_demo_email(normalized):
        raise ValidationError("This email address is reserved for demo accounts. Use your own.", field="email")
    return normalized


def register(
    session: Session, *, name: str, email: str, password: str, settings: Settings, client: str | None = None,
    now: dt.datetime | None = None, device: str | None = None,
) -> Principal:
    """Create an account. The very first account becomes the administrator.

    "This email already has an account" is the one answer that tells a stranger an address is registered, so
    it is rationed like the sign-in's guesses (session 20 audit: it was not): each taken email counts as a
    failure of ``client`` (see :func:`client_key`), committed even when the caller rolls back, and a client
    over the sign-in's allowance is refused before any address is looked up. One with an address makes at most
    ``settings.registrations_per_client`` accounts a day (a :data:`REGISTERED` row each); the CLI and tests have none."""
    now = now or utcnow()
    clean_name = validate_name(name)
    normalized = validate_own_email(email)
    validate_password(password, email=normalized, name=clean_name)
    vouched = vouching_device(session, device, settings, now) if client_key(client, settings) != CLIENT_UNKNOWN else None
    client_id = refuse_throttled_client(session, client, settings, now, key=vouched)
    if client_id != CLIENT_UNKNOWN and (full := client_limit_until(session, client_id, reasons=(REGISTERED,),
            limit=settings.registrations_per_client, window=REGISTRATION_WINDOW, now=now)) is not None:
        _record(session, user=None, email=normalized, success=False, reason=REGISTER_LIMIT, now=now, client=client_id)
        session.commit()  # the Login log shows the admin who was turned away (typed email, no password; no count)
        wait = plural(max(1, math.ceil((full - now).total_seconds() / 3600)), "hour")
        if vouched:
            raise AccountLocked(f"Too many new accounts from this browser: at most {settings.registrations_per_client} "
                                f"a day. Try again in {wait}.")
        raise AccountLocked(f"Too many new accounts from your network: at most {settings.registrations_per_client} a day. "
                            f"Try again in {wait}, or ask "
                            "the administrator to create your account (a class or an office sharing one connection needs that).")
    if get_user_by_email(session, normalized) is not None:
        _record(session, user=None, email=normalized, success=False, reason=REGISTER_TAKEN, now=now, client=client_id)
        session.commit()  # the guess must survive the caller's rollback
        raise ConflictError("An account with this email already exists. Sign in instead.", field="email")
    is_first = no_account_yet(session)
    user = User(
        email=normalized,
        name=clean_name,
        password_hash=security.hash_password(password, rounds=settings.bcrypt_rounds),
        role=ROLE_ADMIN if is_first else ROLE_USER,
        currency=settings.default_currency,
    )
    session.add(user)
    session.flush()
    _open_default_account(session, user.id)
    if client_id != CLIENT_UNKNOWN:  # what the per-client limit counts
        record_client_event(session, user=user, reason=REGISTERED, client=client_id, now=now)
    return principal_for(user)


def _open_default_account(session: Session, user_id: int) -> None:
    """Every new account starts with its default money account, created with the user: created
    later, on the first write, two processes writing at once (an add and an import) both tried."""
    from budgetwise.services.accounts import default_account_id  # the accounts stack loads only here

    default_account_id(session, user_id=user_id)


# --------------------------------------------------------------------------- login
@dataclass(frozen=True)
class LoginResult:
    principal: Principal
    access_token: str  # "" while a second factor is still needed
    second_factor_token: str | None = None  # short-lived; for complete_second_factor()

    @property
    def needs_second_factor(self) -> bool:
        return self.second_factor_token is not None


def _record(
    session: Session, *, user: User | None, email: str, success: bool, reason: str, now: dt.datetime,
    client: str | None = None,
) -> None:
    session.add(LoginAttempt(
        user_id=user.id if user else None, email=email[:254], success=success, reason=reason, created_at=now,
        client=client,
    ))
    retention.purge_old_sign_in_records(session, now=now)  # each row written purges more old ones than it adds
    bound_rows(session, client=client, user_id=user.id if user else None, reason=reason, success=success, now=now)


def record_client_event(session: Session, *, user: User, reason: str, client: str, now: dt.datetime) -> None:
    """``client`` made ``user`` (a reason of :data:`EVENT_REASONS`): what the per-client limits count."""
    _record(session, user=user, email=user.email, success=True, reason=reason, now=now, client=client)


def _lock_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        "Too many failed sign-in attempts: this account is locked for "
        f"{minutes} more {plural_word(minutes, 'minute')}. Try again later or ask an administrator to unlock it."
    )


@dataclass(frozen=True)
class PasswordCheck:
    """The slow (bcrypt) half of a sign-in, done before the write transaction: see check_password."""

    email: str
    verified_hash: str  # the stored hash the password was checked against ("" = the dummy hash)
    ok: bool


def check_password(session: Session, *, email: str, password: str, settings: Settings) -> PasswordCheck:
    """Verify the password in a read-only session, outside any write lock.

    On SQLite a write transaction holds the database's single write lock: with the bcrypt
    check (a quarter of a second at cost 12) inside it, concurrent sign-ins queued behind
    each other until some hit the busy timeout ("database is locked", found by
    benchmarks/load_test.py at 50 users). Pass the result to :func:`login`/:func:`authenticate`,
    which then only record the outcome (milliseconds). An unknown email costs one dummy
    check, like a known one.
    """
    key = (email or "").strip().lower()[:254]
    stored = session.scalar(select(User.password_hash).where(User.email == key)) if key else None
    if stored is None:
        security.verify_password(password or "", security.dummy_hash(settings.bcrypt_rounds))
        return PasswordCheck(email=key, verified_hash="", ok=False)
    return PasswordCheck(email=key, verified_hash=stored, ok=security.verify_password(password or "", stored))


def logged_email(typed: str, settings: Settings) -> str:
    """What the sign-in log keeps of an email typed at a sign-in that names no account: the text when it is an email
    address, else a keyed hash of it (session 29, sec29: a password typed into the email box was kept readable 90
    days and shown to every administrator in the Login log); one text, one hash (the unknown-email lockout counts it)."""
    try:
        normalize_email(typed)
    except ValidationError:
        digest = hmac.new(settings.secret_key.encode("utf-8"), b"typed:" + typed.encode("utf-8"), hashlib.sha256)
        return f"(not an email address) {digest.hexdigest()[:12]}" if typed else ""
    return typed


def authenticate(
    session: Session, *, email: str, password: str, settings: Settings, now: dt.datetime | None = None,
    checked: PasswordCheck | None = None, client: str | None = None, device: str | None = None,
) -> Principal:
    """Check credentials. Every attempt is recorded, and the record is committed even on failure.

    Unknown emails verify against a dummy hash (same cost as a real check) and lock after
    the same number of failures as real accounts, so neither time nor message reveals
    whether an address is registered. ``checked`` (from :func:`check_password`) carries a
    bcrypt result computed outside this transaction; it is used only while the stored hash
    is still the one it was checked against. ``client`` (the request's address, :func:`client_key`) or ``device``
    (the cookie of a browser that signed in to this account before, :mod:`client_throttle`): the client throttled.
    """
    now = now or utcnow()
    typed = (email or "").strip().lower()[:254]
    precheck = checked if checked is not None and checked.email == typed else None

    def spend_dummy_check() -> None:  # same cost on every path (already spent in a precheck)
        if precheck is None:
            security.verify_password(password or "", security.dummy_hash(settings.bcrypt_rounds))

    def password_matches(stored: str) -> bool:
        if precheck is not None and precheck.verified_hash == stored:
            return precheck.ok
        return security.verify_password(password or "", stored)

    # FOR UPDATE (PostgreSQL, MariaDB; SQLite writers are serialized by BEGIN IMMEDIATE):
    # concurrent attempts on one account queue here, so no failure is lost to a race and the
    # lockout holds however many guesses arrive at once (tests/security/test_bruteforce.py).
    user = session.scalar(select(User).where(User.email == typed).with_for_update()
                          .execution_options(populate_existing=True)) if typed else None
    key = typed if user is not None else logged_email(typed, settings)  # what the log keeps of the typed text
    window = dt.timedelta(minutes=settings.lockout_minutes)
    client_id = (device_client(device, user, settings) if user is not None else None) or client_key(client, settings)

    def fail(reason: str, message: str = INVALID_LOGIN, *, locked: bool = False) -> None:
        _record(session, user=user, email=key, success=False, reason=reason, now=now, client=client_id)
        session.commit()  # the attempt (and lockout) must survive the caller's rollback
        raise (AccountLocked if locked else AuthenticationError)(message)

    blocked_until = _client_blocked_until(session, client_id, settings, now)
    if blocked_until is not None:  # before any account state is read or changed
        spend_dummy_check()
        fail(CLIENT_THROTTLED, _client_throttle_message(blocked_until, now), locked=True)

    if user is None:
        # The same state machine as a real account, kept in the attempts log: the attempt
        # that reaches the threshold locks ("locked_now") for the same window, attempts while
        # locked do not count, and the next lock needs a full new streak of failures. Only
        # the last window of attempts is read (the created_at index keeps this cheap), so
        # failures spread over more than one window are forgotten here: docs/reliability.md.
        spend_dummy_check()
        recent = (LoginAttempt.email == key, LoginAttempt.created_at > now - window)
        last_lock = session.scalar(
            select(func.max(LoginAttempt.created_at)).where(*recent, LoginAttempt.reason == "locked_now")
        )
        if last_lock is not None and last_lock + window > now:
            fail("locked", _lock_message(last_lock + window, now), locked=True)
        streak_stmt = select(func.count()).select_from(LoginAttempt).where(*recent, LoginAttempt.reason == "unknown_email")
        if last_lock is not None:
            streak_stmt = streak_stmt.where(LoginAttempt.created_at > last_lock)
        if (session.scalar(streak_stmt) or 0) + 1 >= settings.lockout_threshold:
            fail("locked_now", _lock_message(now + window, now), locked=True)
        fail("unknown_email")
        raise AssertionError("unreachable")  # pragma: no cover

    if (
        user.locked_until is not None
        and user.locked_until > now
        and not known_client(session, user, client_id, settings, now)
    ):
        spend_dummy_check()
        fail("locked", _lock_message(user.locked_until, now), locked=True)

    if not password_matches(user.password_hash):
        user.failed_logins += 1
        if user.failed_logins >= settings.lockout_threshold:
            user.failed_logins = 0
            user.locked_until = now + window
            fail("locked_now", _lock_message(user.locked_until, now), locked=True)
        fail("bad_password")

    if not user.is_active:
        fail("disabled", "This account has been disabled. Contact your administrator.")

    if user.totp_enabled:
        # The password is right but the sign-in is not complete: the failure counter is not
        # reset here (else a password holder could guess codes forever, resetting it each time).
        _record(session, user=user, email=key, success=False, reason=REASON_2FA_PENDING, now=now, client=client_id)
        session.flush()
        return principal_for(user)

    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    _record(session, user=user, email=key, success=True, reason="ok", now=now, client=client_id)
    session.flush()
    return principal_for(user)


def check_current_password(
    session: Session, *, user_id: int, password: str, settings: Settings | None = None,
    now: dt.datetime | None = None, message: str = "The current password is not correct.",
) -> User:
    """Re-check the password of a signed-in user (change password, delete account, 2FA changes).

    Counted like sign-in failures (issue 13): each wrong password is recorded and counts
    towards the same lockout, and a locked account refuses even the right one, so a
    session left open cannot be used to guess the password at full speed. The failure is
    committed before raising (the caller rolls its unit of work back). Returns the user.

    An empty password is no guess: it is refused as a missing field, not counted (session 20: three
    presses of "Change password" with the field left empty and one typo locked the account for 15 minutes).
    """
    settings = settings or Settings()
    now = now or utcnow()
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise AuthenticationError("This account no longer exists.")
    if user.locked_until is not None and user.locked_until > now:
        security.verify_password(password or "", security.dummy_hash(settings.bcrypt_rounds))  # same cost
        raise AccountLocked(_lock_message(user.locked_until, now))
    if not password:
        raise ValidationError("Enter your current password.", field="current_password")
    if security.verify_password(password, user.password_hash):
        return user
    count_wrong_guess(session, user=user, reason="bad_current_password", message=message, settings=settings, now=now)


def count_wrong_guess(
    session: Session, *, user: User, reason: str, message: str, settings: Settings, now: dt.datetime,
    client: str | None = None, field: str | None = None,
) -> NoReturn:
    """A signed-in user's wrong password or two-step code: counted towards the lockout like a sign-in failure
    (locking the account at the threshold), recorded, committed (the caller rolls its unit of work back), raised.
    ``client`` counts it for that client too; ``field``: a ConflictError on it (a taken email at Profile)."""
    user.failed_logins += 1
    error: Exception = ConflictError(message, field=field) if field else AuthenticationError(message)
    if user.failed_logins >= settings.lockout_threshold:
        user.failed_logins = 0
        user.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
        reason, error = "locked_now", AccountLocked(_lock_message(user.locked_until, now))
    _record(session, user=user, email=user.email, success=False, reason=reason, now=now, client=client)
    session.commit()  # the failure (and lockout) must survive the caller's rollback
    raise error


def login(
    session: Session, *, email: str, password: str, settings: Settings, now: dt.datetime | None = None,
    checked: PasswordCheck | None = None, client: str | None = None, device: str | None = None,
) -> LoginResult:
    """Password step. Users with two-factor sign-in get ``second_factor_token`` and no access
    token: :func:`complete_second_factor` with a code from their app finishes the sign-in.
    ``checked``: see :func:`check_password`."""
    principal = authenticate(
        session, email=email, password=password, settings=settings, now=now, checked=checked, client=client,
        device=device,
    )
    user = session.get(User, principal.user_id)
    if user is not None and user.totp_enabled:
        pending = security.issue_token(
            user_id=user.id, role=user.role, token_version=user.token_version, secret=settings.secret_key,
            ttl=SECOND_FACTOR_TTL, token_type=TOKEN_SECOND_FACTOR, now=now, account_uid=user.account_uid,
        )
        return LoginResult(principal=principal, access_token="", second_factor_token=pending)
    return LoginResult(principal=principal, access_token=issue_access_token(session, principal.user_id, settings))


def complete_second_factor(
    session: Session, *, pending_token: str, code: str, settings: Settings, now: dt.datetime | None = None,
    client: str | None = None, device: str | None = None,
) -> LoginResult:
    """Second step of a two-factor sign-in: the pending token from :func:`login` plus a code
    from the authenticator app (or a one-time recovery code).

    Wrong codes count towards the same lockout as wrong passwords (and are committed even
    when the caller rolls back); a locked account refuses even a right code.
    """
    now = now or utcnow()
    from budgetwise.services import totp  # totp imports this module

    expired = "The sign-in took too long. Enter your email and password again."
    try:
        claims = security.decode_token(pending_token, secret=settings.secret_key, token_type=TOKEN_SECOND_FACTOR)
    except AuthenticationError:
        raise SecondFactorExpired(expired) from None
    user = session.get(User, claims.user_id, with_for_update=True, populate_existing=True)  # see authenticate()
    if (
        user is None
        or not same_account(claims, user)
        or not user.is_active
        or claims.token_version != user.token_version
        or not user.totp_enabled
    ):
        raise SecondFactorExpired(expired)
    window = dt.timedelta(minutes=settings.lockout_minutes)

    client_id = device_client(device, user, settings) or client_key(client, settings)

    def fail(reason: str, message: str, *, locked: bool = False) -> None:
        _record(session, user=user, email=user.email, success=False, reason=reason, now=now, client=client_id)
        session.commit()
        raise (AccountLocked if locked else AuthenticationError)(message)

    blocked_until = _client_blocked_until(session, client_id, settings, now)
    if blocked_until is not None:
        fail(CLIENT_THROTTLED, _client_throttle_message(blocked_until, now), locked=True)
    if (
        user.locked_until is not None
        and user.locked_until > now
        and not known_client(session, user, client_id, settings, now)
    ):
        fail("locked", _lock_message(user.locked_until, now), locked=True)
    method = totp.verify_second_factor(session, user_id=user.id, code=code, now=now)
    if method is None:
        user.failed_logins += 1
        if user.failed_logins >= settings.lockout_threshold:
            user.failed_logins = 0
            user.locked_until = now + window
            fail("locked_now", _lock_message(user.locked_until, now), locked=True)
        fail("bad_2fa_code", INVALID_CODE)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    _record(
        session, user=user, email=user.email, success=True, reason="ok" if method == "totp" else "ok_recovery_code",
        now=now, client=client_id,
    )
    session.flush()
    principal = principal_for(user)
    return LoginResult(principal=principal, access_token=issue_access_token(session, user.id, settings))


# --------------------------------------------------------------------------- tokens
def same_account(claims: security.TokenClaims, user: User) -> bool:
    """The token was issued to this very account, not to a deleted one that had the same id."""
    return bool(claims.account_uid) and security.constant_time_equals(claims.account_uid, user.account_uid)


def _issue(
    session: Session, user_id: int, settings: Settings, *, ttl: dt.timedelta, token_type: str,
    now: dt.datetime | None = None, selector: str = "", validator: str = "",
) -> str:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("This account is not available.")
    return security.issue_token(
        user_id=user.id,
        role=user.role,
        token_version=user.token_version,
        secret=settings.secret_key,
        ttl=ttl,
        token_type=token_type,
        now=now,
        account_uid=user.account_uid,
        selector=selector,
        validator=validator,
    )


def issue_access_token(session: Session, user_id: int, settings: Settings) -> str:
    return _issue(
        session, user_id, settings, ttl=dt.timedelta(minutes=settings.token_ttl_minutes),
        token_type=security.TOKEN_ACCESS,
    )


# "Stay signed in": a signed token (like the session token) that also names a server-side
# record (models.RememberToken). Each cookie lives BUDGETWISE_COOKIE_IDLE_HOURS unless used;
# each use rotates it, and a chain ends BUDGETWISE_COOKIE_TTL_DAYS after the password sign-in.
REMEMBER_REPLAY_GRACE = dt.timedelta(minutes=2)  # a slow browser may send a just-rotated cookie once more


def issue_remember_token(
    session: Session, user_id: int, settings: Settings, *, now: dt.datetime | None = None,
    chain_expires_at: dt.datetime | None = None,
) -> str:
    """A token for the "stay signed in" cookie, backed by a revocable record on the server."""
    now = now or utcnow()
    lock_user_for_import(session, user_id)  # before the expired records' delete (session 29: one lock order)
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("This account is not available.")
    chain_end = chain_expires_at or now + dt.timedelta(days=settings.cookie_ttl_days)
    expires = min(chain_end, now + dt.timedelta(hours=settings.cookie_idle_hours))
    if expires <= now:
        raise AuthenticationError("Your 'stay signed in' period has ended. Please sign in again.")
    selector, validator = security.new_one_time_token(12), security.new_one_time_token(24)
    session.execute(delete(RememberToken).where(RememberToken.user_id == user_id, RememberToken.expires_at < now))
    session.add(RememberToken(
        user_id=user_id, selector=selector, validator_hash=security.hash_one_time_token(validator),
        token_version=user.token_version, created_at=now, expires_at=expires, chain_expires_at=chain_end,
    ))
    session.flush()
    return _issue(
        session, user_id, settings, ttl=expires - now, token_type=security.TOKEN_REMEMBER, now=now,
        selector=selector, validator=validator,
    )


def _remember_record(
    session: Session, claims: security.TokenClaims, user: User, now: dt.datetime, *, for_update: bool = False,
    rotated_ok: bool = False,
) -> RememberToken:
    """The live record a "stay signed in" token names (AuthenticationError otherwise). ``rotated_ok``: a record
    rotated less than :data:`REMEMBER_REPLAY_GRACE` ago is still accepted (:func:`redeem_remember_token`)."""
    signed_out = AuthenticationError("You have been signed out. Please sign in again.")
    if not claims.selector or not claims.validator:
        raise signed_out
    stmt = select(RememberToken).where(RememberToken.selector == claims.selector)
    if for_update:
        stmt = stmt.with_for_update()
    record = session.scalar(stmt.execution_options(populate_existing=True))
    if (
        record is None
        or record.user_id != user.id
        or not security.constant_time_equals(record.validator_hash, security.hash_one_time_token(claims.validator))
    ):
        raise signed_out
    if record.replaced_at is not None:
        if for_update and now - record.replaced_at > REMEMBER_REPLAY_GRACE:
            # A rotated cookie came back: someone else holds a copy. End every "stay signed
            # in" of this account (the owner signs in again with the password).
            session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))
            session.commit()
            raise signed_out
        if not rotated_ok:
            raise signed_out
    if record.expires_at <= now or record.token_version != user.token_version:
        raise signed_out
    return record


def _token_user(session: Session, claims: security.TokenClaims) -> User:
    """The account a verified token names, if it may still act: the same account (not a deleted one with
    the same id), active, and the token's version current (logout and a password change bump it)."""
    user = session.get(User, claims.user_id)
    if user is None or not same_account(claims, user):
        raise AuthenticationError("This account no longer exists.")
    if not user.is_active:
        raise AuthenticationError("This account has been disabled. Contact your administrator.")
    if claims.token_version != user.token_version:
        raise AuthenticationError("You have been signed out. Please sign in again.")
    return user


def verify_token(
    session: Session, *, token: str, settings: Settings, token_type: str = security.TOKEN_ACCESS,
    now: dt.datetime | None = None,
) -> Principal:
    """Verify a token on every rerun: signature, algorithm, expiry, same account (not a deleted
    one with the same id), user active, version current; a "stay signed in" token also needs
    its live server-side record."""
    claims = security.decode_token(token, secret=settings.secret_key, token_type=token_type)
    user = _token_user(session, claims)
    if token_type == security.TOKEN_REMEMBER:
        _remember_record(session, claims, user, now or utcnow())
    return principal_for(user)  # role comes from the database, not from the token


def redeem_remember_token(
    session: Session, *, token: str, settings: Settings, now: dt.datetime | None = None
) -> tuple[Principal, str]:
    """Sign in from a "stay signed in" cookie: verify it and rotate it (the old one stops working).

    Returns the principal and the new cookie value. Run it in a read-write session.

    A cookie rotated less than :data:`REMEMBER_REPLAY_GRACE` ago still signs in (and gets a successor of its own;
    the grace counts from its first rotation). Session 19: a page opened by its address right after another page
    load presented the cookie the first load had just rotated (its successor is written by the page's script,
    which the second load interrupted), and landed on the sign-in page with the cookie deleted. After the grace,
    a rotated cookie ends every cookie of the account, as before.
    """
    now = now or utcnow()
    claims = security.decode_token(token, secret=settings.secret_key, token_type=security.TOKEN_REMEMBER)
    lock_user_for_import(session, claims.user_id)  # before the record's (session 29: a logout at once deadlocked)
    user = _token_user(session, claims)
    record = _remember_record(session, claims, user, now, for_update=True, rotated_ok=True)
    if record.replaced_at is None:
        record.replaced_at = now
    session.flush()
    fresh = issue_remember_token(session, user.id, settings, now=now, chain_expires_at=record.chain_expires_at)
    return principal_for(user), fresh


def revoke_sessions(session: Session, *, user_id: int) -> None:
    """Invalidate every token and cookie issued so far for this user."""
    session.execute(update(User).where(User.id == user_id).values(token_version=User.token_version + 1))
    session.execute(delete(RememberToken).where(RememberToken.user_id == user_id))


def logout(session: Session, *, user_id: int) -> None:
    revoke_sessions(session, user_id=user_id)


def user_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)
