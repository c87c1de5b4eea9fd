"""The user's own profile: name, email, password, preferences, account deletion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.core import Locale, UnknownLocaleError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.dates import month_text
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import ROLE_ADMIN, Category, ImportBatch, LoginAttempt, Rule, Transaction, User, utcnow
from budgetwise.money import validate_currency
from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services.auth import (
    DEMO_EMAIL,  # noqa: F401 - profile.DEMO_EMAIL is imported elsewhere
    REGISTER_TAKEN,
    check_current_password,
    count_wrong_guess,
    get_user_by_email,
    is_demo_email,
    normalize_email,
    principal_for,
    refuse_throttled_client,
    revoke_sessions,
    touch_data,
    validate_name,
    validate_own_email,
    validate_password,
)
from budgetwise.services.preferences import (  # noqa: F401 - the lookups other services import from profile
    user_currency,
    user_date_format,
    user_decimal_separator,
    user_formats,
    user_locale,
)

DATE_FORMATS: dict[str, str] = {
    "%Y-%m-%d": "2025-12-31 (ISO)",
    "%d/%m/%Y": "31/12/2025",
    "%m/%d/%Y": "12/31/2025",
    "%d.%m.%Y": "31.12.2025",
    "%d-%m-%Y": "31-12-2025",  # day-month-year with dashes (Dutch, Danish, Indian usage; session 26)
    "%d %b %Y": "31 Dec 2025",
}
# Locales offered in the profile (number format); any valid CLDR locale is accepted by the service.
LOCALES = (
    "en_US", "en_GB", "en_IE", "en_CA", "en_AU", "en_NZ", "en_IN", "en_ZA", "en_SG",
    "de_DE", "de_AT", "de_CH", "fr_FR", "fr_BE", "fr_CA", "fr_CH", "nl_NL", "nl_BE",
    "es_ES", "es_MX", "it_IT", "pt_PT", "pt_BR", "sv_SE", "da_DK", "nb_NO", "fi_FI",
    "pl_PL", "cs_CZ", "hu_HU", "ja_JP", "zh_CN", "ko_KR",
)


LOCALE_SAMPLE_MONTH = dt.date(2025, 12, 1)


def locale_label(code: str) -> str:
    """'de_DE' -> 'Deutsch (Deutschland) · 1.234,56 · Dezember 2025': the numbers and the month names the
    locale writes (``dates.month_text``/``day_text`` name months in the locale's language, docs/reports.md
    "Session 10"), so the choice shows both."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    try:
        loc = Locale.parse(code)
        sample = month_text(LOCALE_SAMPLE_MONTH, code)
        return f"{loc.display_name} · {format_decimal(Decimal('1234.56'), locale=loc)} · {sample}"
    except (UnknownLocaleError, ValueError):
        return code


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Profile:
    user_id: int
    email: str
    name: str
    role: str
    currency: str
    locale: str
    date_format: str
    week_start: int
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    totp_enabled: bool




def _refuse_demo(user: User, what: str) -> None:
    if is_demo_email(user.email):
        raise ValidationError(f"A demo account cannot {what}. Create your own account to try this.")


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("This account no longer exists.")
    return user


def get_profile(session: Session, *, user_id: int) -> Profile:
    u = _user(session, user_id)
    return Profile(
        user_id=u.id,
        email=u.email,
        name=u.name,
        role=u.role,
        currency=u.currency,
        locale=u.locale,
        date_format=u.date_format,
        week_start=u.week_start,
        created_at=u.created_at,
        last_login_at=u.last_login_at,
        totp_enabled=u.totp_enabled,
    )


def validate_locale(value: str) -> str:
    text = (value or "").strip().replace("-", "_")
    try:
        Locale.parse(text)
    except (UnknownLocaleError, ValueError):
        raise ValidationError(f"{quoted(value)} is not a known locale (for example en_US, de_DE, fr_FR).", field="locale") from None
    return text


def update_profile(
    session: Session,
    *,
    user_id: int,
    name: str | None = None,
    email: str | None = None,
    currency: str | None = None,
    locale: str | None = None,
    date_format: str | None = None,
    week_start: int | None = None,
    current_password: str | None = None,
    settings: Settings | None = None,
    client: str | None = None,
) -> Principal:
    """Update the given fields; email stays unique case-insensitively.

    A new email needs ``current_password`` (checked and counted like a sign-in, :func:`auth.check_current_password`),
    as a new password, two-step sign-in and deleting the account do: the email is where a password-reset code goes,
    so a session left open must not be able to move it (session 19 audit: it could, and then reset the password).
    It must be an email a person's account may hold (:func:`auth.validate_own_email`, as at registration).

    "Another account already uses this email" tells whether an address has an account, so it is rationed as at
    registration (session 20): a client over the failed-attempt allowance is refused before the lookup, and a
    taken email counts as a failed attempt of the account (towards its lockout) and of ``client`` (the request's
    address). The answer itself stays plain: there is no confirmation e-mail to defer it to, and a person who
    typed the address of an old account of theirs needs to hear it."""
    settings = settings or Settings()
    user = _user(session, user_id)
    if email is not None and email.strip().lower() != user.email:
        _refuse_demo(user, "change its email")
    if email is not None:
        normalized = normalize_email(email)
        if normalized != user.email:
            validate_own_email(normalized)
            if not current_password:
                raise ValidationError("Enter your current password to change the email.", field="current_password")
            now = utcnow()
            client_id = refuse_throttled_client(session, client, settings, now)
            check_current_password(session, user_id=user.id, password=current_password, settings=settings, now=now)
            other = get_user_by_email(session, normalized)
            if other is not None and other.id != user.id:
                count_wrong_guess(session, user=user, reason=REGISTER_TAKEN, message="Another account already uses "
                                  "this email.", settings=settings, now=now, client=client_id, field="email")
            user.email = normalized
            _cancel_reset_codes(session, user.id)
    if name is not None:
        user.name = validate_name(name)
    if currency is not None:
        new_currency = validate_currency(currency)
        if new_currency != user.currency:
            from budgetwise.services.accounts import starter_follows_currency

            starter_follows_currency(session, user_id=user.id, old=user.currency, new=new_currency)
            user.currency = new_currency
            # every figure is computed in the base currency: cached views must be recomputed
            touch_data(session, user.id)
    if locale is not None:
        new_locale = validate_locale(locale)
        if new_locale != user.locale:
            user.locale = new_locale
            # cached sentences (forecast verdicts, cash-flow notes) carry numbers in the old format
            touch_data(session, user.id)
    if date_format is not None:
        if date_format not in DATE_FORMATS:
            raise ValidationError("Choose one of the offered date formats.", field="date_format")
        if date_format != user.date_format:
            user.date_format = date_format
            touch_data(session, user.id)  # ... and dates (a cached cash-flow summary)
    if week_start is not None:
        if not 0 <= int(week_start) <= 6:
            raise ValidationError("The first day of the week must be Monday to Sunday.", field="week_start")
        if int(week_start) != user.week_start:
            user.week_start = int(week_start)
            touch_data(session, user.id)  # weekly reports and forecasts group by it (session 23: was a global clear)
    user.updated_at = utcnow()
    session.flush()
    return principal_for(user)


def change_password(
    session: Session, *, user_id: int, current_password: str, new_password: str, settings: Settings
) -> None:
    """Requires the current password; revokes every open session and cookie."""
    user = _user(session, user_id)
    _refuse_demo(user, "change its password")
    check_current_password(session, user_id=user.id, password=current_password, settings=settings)
    validate_password(new_password, email=user.email, name=user.name)
    if security.verify_password(new_password, user.password_hash):
        raise ValidationError("The new password must differ from the current one.", field="password")
    user.password_hash = security.hash_password(new_password, rounds=settings.bcrypt_rounds)
    user.updated_at = utcnow()
    revoke_sessions(session, user_id=user.id)
    _cancel_reset_codes(session, user.id)
    session.flush()


def _cancel_reset_codes(session: Session, user_id: int) -> None:
    from budgetwise.services import password_reset  # it imports this module

    password_reset.cancel_codes(session, user_id=user_id)


def lock_active_admins(session: Session) -> list[int]:
    """The active administrators' ids, read with a row lock (PostgreSQL/MariaDB ``FOR UPDATE``; SQLite serializes
    writers): what a "never the last administrator" check counts before it demotes, disables or deletes one. A
    locking read sees the latest committed rows (a plain read after it, on MariaDB, the transaction's older
    snapshot), so two administrators demoting each other or deleting their own accounts at once cannot both pass
    (session 23: both did, leaving no administrator)."""
    return list(session.scalars(
        select(User.id).where(User.role == ROLE_ADMIN, User.is_active.is_(True)).order_by(User.id).with_for_update()
    ))


def is_last_active_admin(session: Session, user_id: int) -> bool:
    user = _user(session, user_id)
    if user.role != ROLE_ADMIN or not user.is_active:
        return False
    others = session.scalar(
        select(func.count()).select_from(User).where(User.role == ROLE_ADMIN, User.is_active.is_(True), User.id != user_id)
    )
    return not others


def delete_user_data(session: Session, user_id: int) -> None:
    """Remove the user and everything they own (explicitly, not only by cascade).

    Sign-in attempts are removed by user id and by email (attempts recorded before the
    account existed carry only the email). What remains are the administrators' audit-log
    rows (see docs/reliability.md): the foreign key sets their actor id to NULL.

    The user's lock is taken first (``services/account_lock.py``'s order, session 28): the Core deletes locked the
    user's rows before the user's row, and deadlocked with a request of the user holding the user's lock and
    wanting one of them (an import's undo, an edit of one row: an administrator's delete, a demo visitor's logout
    or expiry while another tab writes).
    """
    from budgetwise.models import Account, ScheduledItem, TransferLink
    from budgetwise.services.versions import lock_user_for_import

    lock_user_for_import(session, user_id)
    email = session.scalar(select(User.email).where(User.id == user_id))
    session.execute(delete(TransferLink).where(TransferLink.user_id == user_id))  # refers to transactions
    session.execute(delete(Transaction).where(Transaction.user_id == user_id))
    session.execute(delete(ScheduledItem).where(ScheduledItem.user_id == user_id))
    session.execute(delete(Account).where(Account.user_id == user_id))  # after the rows that refer to it
    session.execute(delete(ImportBatch).where(ImportBatch.user_id == user_id))
    session.execute(delete(Rule).where(Rule.user_id == user_id))
    session.execute(delete(Category).where(Category.user_id == user_id))
    session.execute(delete(LoginAttempt).where(LoginAttempt.user_id == user_id))
    if email:
        # only those tied to no account: another account's attempts under this email (it used the email before
        # changing it) are its own (session 19 audit)
        session.execute(delete(LoginAttempt).where(LoginAttempt.user_id.is_(None), LoginAttempt.email == email))
    from budgetwise.models import (
        Budget,
        ExchangeRate,
        Goal,
        GoalContribution,
        ImportMapping,
        PasswordResetToken,
        RecoveryCode,
        RememberToken,
    )

    for model in (GoalContribution, Goal, Budget, ImportMapping, PasswordResetToken, RecoveryCode, RememberToken, ExchangeRate):
        session.execute(delete(model).where(model.user_id == user_id))
    session.execute(delete(User).where(User.id == user_id))
    session.flush()


def delete_account(
    session: Session, *, user_id: int, password: str, confirm_email: str, settings: Settings | None = None
) -> None:
    """Delete the account and all its data, after the password and the typed email match.

    Wrong passwords count towards the sign-in lockout (``settings``: its threshold)."""
    user = _user(session, user_id)
    _refuse_demo(user, "be deleted")
    if (confirm_email or "").strip().lower() != user.email:
        raise ValidationError("Type your email address exactly to confirm the deletion.", field="confirm_email")
    total_users = session.scalar(select(func.count()).select_from(User)) or 0
    # the administrators' rows are locked (in id order) before the password check locks this user's own row: the
    # other order deadlocked two administrators deleting their accounts at once (PostgreSQL, CI of session 23)
    admins = lock_active_admins(session) if total_users > 1 else []
    check_current_password(session, user_id=user.id, password=password, settings=settings,
                           message="The password is not correct.")
    if total_users > 1 and admins == [user_id]:
        raise ValidationError(
            "You are the last active administrator: promote another user to admin before deleting your account."
        )
    delete_user_data(session, user_id)
