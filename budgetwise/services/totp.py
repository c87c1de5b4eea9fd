"""Optional two-factor sign-in: time-based one-time codes (RFC 6238, an authenticator app)
and one-time recovery codes.

Life cycle::

    begin_setup()        -> a new secret is stored (not yet enabled); show it / its QR code
    confirm_setup(code, password) -> the first code from the app proves it works: enabled, and
                            RECOVERY_CODE_COUNT recovery codes are returned (shown once)
    verify_second_factor -> at sign-in (called by services.auth.complete_second_factor)
    regenerate_recovery_codes(password, code) / disable(password, code)

Storage. ``users.totp_secret`` holds the base32 secret, followed by ``:<step>`` once a
code has been accepted: the 30-second time step of the last accepted code, so the same
code can never be used twice (RFC 6238 section 5.2). Only this module reads or writes
that column. Recovery codes are 60 random bits each; the ``recovery_codes`` table keeps
only SHA-256 of (user id, code), which is as good as a slow hash for secrets of that
entropy and keeps checking a code instant.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import RecoveryCode, User, utcnow
from budgetwise.services.auth import check_current_password, count_wrong_guess, revoke_sessions
from budgetwise.services.profile import DEMO_EMAIL, is_demo_email  # noqa: F401 - DEMO_EMAIL: totp.DEMO_EMAIL
from budgetwise.services.versions import lock_user_for_import

ISSUER = "BudgetWise"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to type from paper
_RECOVERY_GROUPS = 3
_RECOVERY_GROUP_LEN = 4  # 12 characters of a 31-letter alphabet: about 59 bits
VALID_WINDOW = 1  # accept the previous and next 30-second step too (clock drift)


@dataclass(frozen=True)
class TotpSetup:
    """What the authenticator app needs: the secret and the otpauth:// URI (QR code)."""

    secret: str
    uri: str
    account: str
    issuer: str = ISSUER

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four, easier to type by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


@dataclass(frozen=True)
class TotpStatus:
    enabled: bool
    setup_pending: bool
    recovery_codes_left: int


# --------------------------------------------------------------------------- storage helpers
def _split(stored: str | None) -> tuple[str | None, int | None]:
    if not stored:
        return None, None
    secret, _, step = stored.partition(":")
    return secret, (int(step) if step.isdigit() else None)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("This account no longer exists.")
    return user


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def _clean_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-").lower()


def _recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{_clean_code(code)}".encode()).hexdigest()


def _new_recovery_code() -> str:
    groups = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LEN)) for _ in range(_RECOVERY_GROUPS)
    ]
    return "-".join(groups)


def _matching_step(secret: str, code: str, now: dt.datetime, last_step: int | None) -> int | None:
    """The time step whose code equals ``code`` (within the window and after ``last_step``)."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = _totp(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue  # already used (or older than a used one): no replays
        if security.constant_time_equals(totp.generate_otp(step), code):
            return step
    return None


def _store_secret(user: User, secret: str | None, step: int | None = None) -> None:
    user.totp_secret = None if secret is None else (secret if step is None else f"{secret}:{step}")


# --------------------------------------------------------------------------- status
def status(session: Session, *, user_id: int) -> TotpStatus:
    user = _user(session, user_id)
    left = session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return TotpStatus(
        enabled=bool(user.totp_enabled),
        setup_pending=(not user.totp_enabled) and bool(user.totp_secret),
        recovery_codes_left=int(left or 0) if user.totp_enabled else 0,
    )


def is_enabled(session: Session, *, user_id: int) -> bool:
    return bool(session.scalar(select(User.totp_enabled).where(User.id == user_id)))


# --------------------------------------------------------------------------- setup
def _setup_for(user: User, secret: str) -> TotpSetup:
    uri = _totp(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return TotpSetup(secret=secret, uri=uri, account=user.email)


def begin_setup(session: Session, *, user_id: int) -> TotpSetup:
    """Store a fresh secret (not active yet) and return what the authenticator app needs."""
    user = _user(session, user_id)
    if is_demo_email(user.email):
        raise ValidationError("A demo account cannot use two-factor sign-in. Create your own account.")
    if user.totp_enabled:
        raise ValidationError("Two-factor sign-in is already on. Turn it off first to set up a new app.")
    secret = pyotp.random_base32()  # 32 base32 characters = 160 bits, as RFC 4226 recommends
    _store_secret(user, secret)
    user.updated_at = utcnow()
    session.flush()
    return _setup_for(user, secret)


def pending_setup(session: Session, *, user_id: int) -> TotpSetup | None:
    """The secret of a setup that was started but not confirmed yet (survives page reloads)."""
    user = _user(session, user_id)
    secret, _ = _split(user.totp_secret)
    if user.totp_enabled or not secret:
        return None
    return _setup_for(user, secret)


def cancel_setup(session: Session, *, user_id: int) -> None:
    user = _user(session, user_id)
    if not user.totp_enabled:
        _store_secret(user, None)
        session.flush()


def _replace_recovery_codes(session: Session, user_id: int) -> tuple[str, ...]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = tuple(_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT))
    session.add_all(RecoveryCode(user_id=user_id, code_hash=_recovery_hash(user_id, c)) for c in codes)
    session.flush()
    return codes


def confirm_setup(
    session: Session, *, user_id: int, code: str, password: str, now: dt.datetime | None = None,
    settings: Settings | None = None,
) -> tuple[str, ...]:
    """Turn two-factor sign-in on once the app's first code matches; returns the recovery codes.

    Needs the account's password (checked and counted like a sign-in, :func:`auth.check_current_password`), as
    turning it off does: a session left open must not put someone else's phone between the owner and the account
    (session 20 audit: it could; a password reset keeps two-step sign-in on, so only an administrator got the
    owner back in). The codes are shown to the user once and never again (only their hashes are kept).
    Like a password change, this ends every session and "stay signed in" cookie of the
    account (a session opened with the password alone must not outlive the switch): the
    caller gives the current browser a fresh token (ui.state.refresh_token).
    """
    now = now or utcnow()
    user = _user(session, user_id)
    if user.totp_enabled:
        raise ValidationError("Two-factor sign-in is already on.")
    secret, _ = _split(user.totp_secret)
    if not secret:
        raise ValidationError("Start the setup first: choose 'Set up two-factor sign-in'.")
    cleaned = _clean_code(code)
    if not cleaned:
        raise ValidationError("Enter the 6-digit code your authenticator app shows.", field="code")
    if not password:
        raise ValidationError("Enter your password to turn on two-factor sign-in.", field="password")
    check_current_password(session, user_id=user.id, password=password, settings=settings, now=now,
                           message="The password is not correct.")
    step = _matching_step(secret, cleaned, now, None)
    if step is None:
        raise ValidationError(
            "That code does not match. Check that the app added the BudgetWise entry and that your "
            "device's clock is set automatically, then enter the current code.",
            field="code",
        )
    _store_secret(user, secret, step)
    user.totp_enabled = True
    user.updated_at = now
    revoke_sessions(session, user_id=user_id)
    return _replace_recovery_codes(session, user_id)


# --------------------------------------------------------------------------- verification
def verify_second_factor(session: Session, *, user_id: int, code: str, now: dt.datetime | None = None) -> str | None:
    """Check a sign-in code: a current authenticator code or an unused recovery code.

    Returns ``"totp"`` or ``"recovery"`` on success (and burns what was used), None otherwise.
    Lockout counting is the caller's (services.auth.complete_second_factor).

    The last used step is read under the user's lock (session 29): two requests with one code at once (two "New
    recovery codes", or one with "Turn off") both read it before either wrote, and both accepted the code.
    """
    now = now or utcnow()
    user = _user(session, user_id)
    lock_user_for_import(session, user_id)
    session.refresh(user, attribute_names=["totp_enabled", "totp_secret"])
    if not user.totp_enabled:
        return None
    cleaned = _clean_code(code)
    if not cleaned:
        return None
    secret, last_step = _split(user.totp_secret)
    if secret and cleaned.isdigit():
        step = _matching_step(secret, cleaned, now, last_step)
        if step is None:
            return None
        _store_secret(user, secret, step)
        session.flush()
        return "totp"
    burned = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == _recovery_hash(user_id, cleaned),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return "recovery" if burned.rowcount else None


def _check_password_and_code(
    session: Session, user: User, password: str, code: str, now: dt.datetime, settings: Settings | None = None
) -> None:
    # wrong passwords count towards the sign-in lockout (auth.check_current_password)
    check_current_password(session, user_id=user.id, password=password, settings=settings, now=now,
                           message="The password is not correct.")
    if verify_second_factor(session, user_id=user.id, code=code, now=now) is None:
        # counted like the sign-in's wrong codes (session 20 audit: an open session with the password guessed freely)
        count_wrong_guess(session, user=user, reason="bad_2fa_code", settings=settings or Settings(), now=now,
                          message="That code is not correct (or was already used). Enter a current code.")


def regenerate_recovery_codes(
    session: Session, *, user_id: int, password: str, code: str, now: dt.datetime | None = None,
    settings: Settings | None = None,
) -> tuple[str, ...]:
    """New recovery codes (the old ones stop working); needs the password and a current code."""
    now = now or utcnow()
    user = _user(session, user_id)
    if not user.totp_enabled:
        raise ValidationError("Two-factor sign-in is off: there are no recovery codes.")
    _check_password_and_code(session, user, password, code, now, settings)
    return _replace_recovery_codes(session, user_id)


def disable(
    session: Session, *, user_id: int, password: str, code: str, now: dt.datetime | None = None,
    settings: Settings | None = None,
) -> None:
    """Turn two-factor sign-in off; needs the password and a current code (or a recovery code)."""
    now = now or utcnow()
    user = _user(session, user_id)
    if not user.totp_enabled:
        raise ValidationError("Two-factor sign-in is already off.")
    _check_password_and_code(session, user, password, code, now, settings)
    _store_secret(user, None)
    user.totp_enabled = False
    user.updated_at = now
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.flush()


def admin_reset(session: Session, *, user_id: int) -> None:
    """Turn it off without a code (for an administrator helping a user who lost the device)."""
    user = _user(session, user_id)
    _store_secret(user, None)
    user.totp_enabled = False
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.flush()


# --------------------------------------------------------------------------- presentation
def qr_png(uri: str) -> bytes | None:
    """The otpauth:// URI as a PNG QR code (None when the optional ``qrcode`` package is absent)."""
    try:
        import qrcode
    except ImportError:  # pragma: no cover - qrcode is in requirements.txt
        return None
    image = qrcode.make(uri, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def current_code(secret: str, *, now: dt.datetime | None = None) -> str:
    """The code an authenticator app would show now (tests and the CLI use it)."""
    return _totp(secret).at(now or utcnow())
