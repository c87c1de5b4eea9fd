"""One-time, expiring password reset codes: "forgot password", admin-issued codes, using a code.

Only the SHA-256 of a code is stored (:func:`budgetwise.security.hash_one_time_token`):
codes are 192-bit random strings, not passwords, so a fast hash is enough and a
database leak does not leak usable codes.

Who created a token is kept in ``PasswordResetToken.created_by_id``:

* the user's own id: the user asked for it ("forgot password");
* an administrator's id: issued on the admin page;
* NULL: issued by the command line (``budgetwise reset-password EMAIL``), or by an
  administrator for their own account (the audit log says who).

A user has at most one usable code issued by an administrator or the CLI: a
new one replaces the older ones. When SMTP is not configured, a "forgot
password" request cannot reach the user; its code is thrown away and the
request shows up as *pending* for the administrators, who hand out a fresh
code through a channel they trust.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlencode

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.errors import AccountLocked, ValidationError
from budgetwise.models import AuditLog, PasswordResetToken, User, utcnow
from budgetwise.services import audit, auth, reset_notice
from budgetwise.services.auth import normalize_email, principal_for, revoke_sessions, validate_password
from budgetwise.services.profile import is_demo_email
from budgetwise.text import plural

log = logging.getLogger(__name__)

#: What "forgot password" answers when e-mail is configured, whether or not the address has an account.
REQUEST_MESSAGE = (
    "If an account with that email exists, a password reset code is on its way. "
    "If no e-mail arrives, ask your administrator for a reset code."
)
#: What it answers when no e-mail is configured (QA): the same for every address, so it says
#: nothing about whether the account exists either.
NO_MAIL_MESSAGE = (
    "This installation cannot send e-mail, so no code will be e-mailed to you. "
    "Ask your administrator for a password reset code, then enter it under \"Have a reset code?\"."
)
INVALID_CODE = "This reset code is not valid. Check that you copied all of it, or ask for a new one."
EXPIRED_CODE = "This reset code has expired. Ask for a new one."
USED_CODE = "This reset code has already been used. Ask for a new one if you still need it."
#: Self-service requests per user within one token lifetime; more are silently ignored
#: (they would only flood the user's inbox).
MAX_REQUESTS_PER_WINDOW = 3
#: Every request leaves one sign-in log row of this reason, of nobody's, whether or not the email has an account
#: (session 22: only a known account's request wrote, so its commit took ~10 ms against ~0.6 ms for an unknown
#: address, an oracle of who has an account, as often as asked). Those rows are also what limits one client to
#: RESET_REQUESTS_PER_CLIENT requests an hour (an address without an account, CLI and tests: no limit).
RESET_REQUESTED = "reset_requested"
RESET_REQUESTS_PER_CLIENT = 10
RESET_REQUEST_WINDOW = dt.timedelta(hours=1)
SMTP_TIMEOUT_SECONDS = 15
#: The login page pre-fills its "Have a reset code?" form from this query parameter.
QUERY_PARAM = "reset_code"

Mailer = Callable[[Settings, str, str, str], None]


@dataclass(frozen=True)
class ResetCode:
    """A freshly issued code. ``code`` exists only here: the database keeps its hash."""

    user_id: int
    email: str
    code: str
    expires_at: dt.datetime
    link: str | None = None
    emailed: bool = False
    #: issued with a new account (its first password), so it lives :func:`code_lifetime` (new_account=True)
    new_account: bool = False


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and (settings.smtp_sender or settings.smtp_user))


def reset_link(settings: Settings, code: str) -> str | None:
    """A link to the sign-in page with the code filled in (only when BUDGETWISE_PUBLIC_URL is set)."""
    if not settings.public_url:
        return None
    return settings.public_url.rstrip("/") + "/?" + urlencode({QUERY_PARAM: code})


def code_lifetime(settings: Settings, *, new_account: bool = False) -> dt.timedelta:
    """How long a code works: ``BUDGETWISE_RESET_TOKEN_MINUTES`` for a reset, ``BUDGETWISE_NEW_ACCOUNT_CODE_HOURS``
    for the code a new account's member chooses the first password with (accounts made the evening before a class)."""
    if new_account:
        return dt.timedelta(hours=settings.new_account_code_hours)
    return dt.timedelta(minutes=settings.reset_token_minutes)


def lifetime_text(settings: Settings, *, new_account: bool = False) -> str:
    """The lifetime in words, with its setting: "72 hours (`BUDGETWISE_NEW_ACCOUNT_CODE_HOURS`)"."""
    if new_account:
        hours = settings.new_account_code_hours
        return f"{plural(hours, 'hour')} (`BUDGETWISE_NEW_ACCOUNT_CODE_HOURS`)"
    return f"{settings.reset_token_minutes} minutes (`BUDGETWISE_RESET_TOKEN_MINUTES`)"


def create_token(
    session: Session,
    *,
    user_id: int,
    created_by_id: int | None,
    settings: Settings,
    now: dt.datetime | None = None,
    new_account: bool = False,
) -> ResetCode:
    """Store the hash of a new code for ``user_id`` and return the code itself.

    A code issued by an administrator or the CLI (``created_by_id`` not the user)
    replaces every unused code of that user. A self-service request only replaces
    the user's earlier self-service requests, so a stranger typing the address on
    the login page cannot cancel a code an administrator handed out. ``new_account``: the code of an account just
    created without a password, which lives longer (:func:`code_lifetime`); it is used like any other code.
    """
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError("This account no longer exists.")
    stale = delete(PasswordResetToken).where(
        PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None)
    )
    if created_by_id == user_id:
        stale = stale.where(PasswordResetToken.created_by_id == user_id)
    session.execute(stale)
    code = security.new_one_time_token(24)
    expires_at = now + code_lifetime(settings, new_account=new_account)
    session.add(
        PasswordResetToken(
            user_id=user_id,
            token_hash=security.hash_one_time_token(code),
            created_by_id=created_by_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.flush()
    return ResetCode(
        user_id=user_id, email=user.email, code=code, expires_at=expires_at, link=reset_link(settings, code),
        new_account=new_account,
    )


def cancel_codes(session: Session, *, user_id: int) -> None:
    """Delete every unused code of ``user_id``: the owner moved the email (a code went to the old mailbox) or
    chose a new password, so no code issued before may set one (session 20 audit: they stayed usable)."""
    session.execute(
        delete(PasswordResetToken).where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
    )


# --------------------------------------------------------------------------- e-mail
def build_message(settings: Settings, *, to: str, code: ResetCode) -> tuple[str, str]:
    """(subject, plain-text body) of the reset e-mail."""
    minutes = settings.reset_token_minutes
    lines = [
        "Hello,",
        "",
        "Somebody (hopefully you) asked to reset the password of your BudgetWise account.",
        "",
        f"Your one-time reset code: {code.code}",
        "",
    ]
    if code.link:
        lines += ["Or open this link to choose a new password:", code.link, ""]
    lines += [
        f"The code works once and expires in {minutes} minutes.",
        "On the sign-in page, open \"Have a reset code?\", paste the code and choose a new password.",
        "",
        "If you did not ask for this, ignore this e-mail: your password stays as it is.",
    ]
    return "Your BudgetWise password reset code", "\n".join(lines)


def send_email(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail with the configured SMTP server (STARTTLS, or TLS on port 465)."""
    message = EmailMessage()
    message["From"] = settings.smtp_sender or settings.smtp_user
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    context = ssl.create_default_context()
    if settings.smtp_port == 465:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if settings.smtp_port != 465:
            client.ehlo()
            client.starttls(context=context)
            client.ehlo()
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
        client.send_message(message)


def _send_in_background(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send off the request thread, so the answer takes as long for unknown addresses as for known ones."""

    def run() -> None:
        try:
            send_email(settings, to, subject, body)
        except Exception:  # noqa: BLE001 - a failed delivery must not surface to the requester
            log.exception("Could not send the password reset e-mail (SMTP %s:%s)", settings.smtp_host, settings.smtp_port)

    threading.Thread(target=run, name="budgetwise-reset-mail", daemon=True).start()


# --------------------------------------------------------------------------- self-service
def request_message(settings: Settings) -> str:
    """The "forgot password" answer: it depends on whether e-mail is configured, never on the address."""
    return REQUEST_MESSAGE if smtp_configured(settings) else NO_MAIL_MESSAGE


def forgot_intro(settings: Settings) -> str:
    """The line above the "forgot password" form."""
    if smtp_configured(settings):
        return "**Forgot your password?** We will send a one-time reset code to your account's email."
    return ("**Forgot your password?** This installation cannot send e-mail: your request goes to the "
            "administrators, who can give you a one-time reset code.")


def request_reset(
    session: Session,
    *,
    email: str,
    settings: Settings,
    now: dt.datetime | None = None,
    mailer: Mailer | None = None,
    client: str | None = None,
    device: str | None = None,
) -> str:
    """The "forgot password" flow. Returns :func:`request_message` whether or not the email exists.

    Each request writes one :data:`RESET_REQUESTED` row whatever the email (the same write, and commit, either
    way); ``client`` (the request's address) may ask :data:`RESET_REQUESTS_PER_CLIENT` times an hour; ``device``, the
    device cookie of a browser that signed in to this email's account before (:mod:`.client_throttle`), asks on its
    own allowance instead (session 27: one stranger behind a shared address used up everybody's).

    For a known, active account a code is created; with SMTP configured it is e-mailed
    (in a background thread unless ``mailer`` is given), otherwise the request waits
    on the admin page for an administrator to issue a code. At most
    :data:`MAX_REQUESTS_PER_WINDOW` requests per account and token lifetime are acted on.
    """
    now = now or utcnow()
    normalized = normalize_email(email)  # a malformed address is a typo, not an account probe
    owner = session.scalar(select(User).where(User.email == normalized)) if device else None
    client_id = (auth.device_client(device, owner, settings) if owner is not None else None) \
        or auth.client_key(client, settings)
    if client_id != auth.CLIENT_UNKNOWN and auth.client_limit_until(
        session, client_id, reasons=(RESET_REQUESTED,), limit=RESET_REQUESTS_PER_CLIENT, window=RESET_REQUEST_WINDOW,
        now=now,
    ) is not None:
        raise AccountLocked(f"Too many reset requests from your network: at most {RESET_REQUESTS_PER_CLIENT} an hour. "
                            "Try again later, or ask your administrator for a reset code.")
    auth._record(session, user=None, email=normalized, success=False, reason=RESET_REQUESTED, now=now,
                 client=client_id)
    user = session.scalar(select(User).where(User.email == normalized))
    if user is None or not user.is_active or is_demo_email(user.email):
        return request_message(settings)  # a demo account's password is not anybody's to reset
    window_start = now - dt.timedelta(minutes=settings.reset_token_minutes)
    # Each request leaves one "password.reset_requested" row in the audit log (the tokens
    # of earlier requests are replaced, so they cannot be counted).
    requests = session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.target_user_id == user.id,
            AuditLog.action == "password.reset_requested",
            AuditLog.created_at > window_start,
        )
    )
    if int(requests or 0) >= MAX_REQUESTS_PER_WINDOW:
        return request_message(settings)
    code = create_token(session, user_id=user.id, created_by_id=user.id, settings=settings, now=now)
    delivery = "e-mail" if smtp_configured(settings) else "administrator"
    audit.record(session, principal_for(user), "password.reset_requested", target_user_id=user.id, target=user.email,
                 details=f"Requested on the sign-in page; delivery: {delivery}.", now=now)
    session.flush()
    if smtp_configured(settings):
        subject, body = build_message(settings, to=user.email, code=code)
        (mailer or _send_in_background)(settings, user.email, subject, body)
    return request_message(settings)


def reset_password(
    session: Session, *, token: str, new_password: str, settings: Settings, now: dt.datetime | None = None
) -> str:
    """Use a one-time code: set the new password, end every session, unlock the account.

    Returns the account's email. Raises ValidationError for an unknown, used or
    expired code, a disabled account, or a password the policy refuses (the code
    stays usable in that last case, so the person can try another password).
    """
    now = now or utcnow()
    text = (token or "").strip()
    if not text:
        raise ValidationError("Enter the reset code.", field="reset_code")
    if len(text) > 200:
        raise ValidationError(INVALID_CODE, field="reset_code")
    row = session.scalar(
        select(PasswordResetToken)
        .where(PasswordResetToken.token_hash == security.hash_one_time_token(text))
        .with_for_update()
    )
    if row is None:
        raise ValidationError(INVALID_CODE, field="reset_code")
    if row.used_at is not None:
        raise ValidationError(USED_CODE, field="reset_code")
    if row.expires_at <= now:
        raise ValidationError(EXPIRED_CODE, field="reset_code")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise ValidationError(
            "This account has been disabled, so its password cannot be reset. Contact your administrator.",
            field="reset_code",
        )
    validate_password(new_password, email=user.email, name=user.name)
    user.password_hash = security.hash_password(new_password, rounds=settings.bcrypt_rounds)
    user.failed_logins = 0
    user.locked_until = None
    user.updated_at = now
    row.used_at = now
    # Every other outstanding code of this user dies with this one.
    session.execute(
        delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.id != row.id,
        )
    )
    revoke_sessions(session, user_id=user.id)
    issuer = reset_notice.code_issuer(session, row)  # named in the log; the user is told at sign-in
    by = f" issued by {issuer.label}" if issuer else " the user asked for"
    audit.record(session, principal_for(user), "password.reset", target_user_id=user.id, target=user.email,
                 details=f"Password set with a one-time reset code{by}; every session was signed out.", now=now)
    session.flush()
    return user.email
