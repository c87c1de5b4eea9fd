import pytest

from budgetwise.errors import AuthenticationError, ConflictError, ValidationError
from budgetwise.models import LoginAttempt, Transaction, User
from budgetwise.services import auth, profile
from budgetwise.services import transactions as tx
from tests.conftest import STRONG_PASSWORD


def test_update_profile_fields(db, session, alice):
    p = profile.update_profile(session, user_id=alice.user_id, name="  Alice L ", currency="eur", locale="fr-FR",
                               date_format="%d/%m/%Y", week_start=6)
    assert (p.name, p.currency, p.locale, p.date_format, p.week_start) == ("Alice L", "EUR", "fr_FR", "%d/%m/%Y", 6)


def test_a_new_date_format_or_locale_renews_cached_sentences(db, session, alice):
    """Cached results carry sentences with the user's dates and numbers (the cash-flow summary, forecast
    verdicts): a change of date format or locale bumps the data version; the same value again does not."""
    from budgetwise.services.versions import data_version

    assert profile.user_date_format(session, alice.user_id) == "%Y-%m-%d"
    before = data_version(session, user_id=alice.user_id)
    profile.update_profile(session, user_id=alice.user_id, date_format="%d.%m.%Y")
    assert profile.user_date_format(session, alice.user_id) == "%d.%m.%Y"
    after_format = data_version(session, user_id=alice.user_id)
    profile.update_profile(session, user_id=alice.user_id, locale="de_DE")
    after_locale = data_version(session, user_id=alice.user_id)
    profile.update_profile(session, user_id=alice.user_id, locale="de_DE", date_format="%d.%m.%Y")
    assert before < after_format < after_locale == data_version(session, user_id=alice.user_id)


@pytest.mark.parametrize(
    "field, value, message",
    [("currency", "XXXX", "ISO 4217"), ("currency", "XXX", "not a currency"), ("locale", "zz_QQ", "locale"), ("date_format", "%Q", "date formats"),
     ("week_start", 9, "Monday to Sunday"), ("name", "", "Enter your name"), ("email", "nope", "not valid")],
)
def test_bad_profile_values(db, session, alice, field, value, message):
    with pytest.raises(ValidationError, match=message):
        profile.update_profile(session, user_id=alice.user_id, **{field: value})


def test_email_change_is_unique_case_insensitively(db, session, alice, bob):
    with pytest.raises(ConflictError):
        profile.update_profile(session, user_id=bob.user_id, email="ALICE@example.com", current_password=STRONG_PASSWORD,
                               settings=db.settings)
    p = profile.update_profile(session, user_id=bob.user_id, email="Robert@Example.com",
                               current_password=STRONG_PASSWORD, settings=db.settings)
    assert p.email == "robert@example.com"


def test_a_new_email_needs_the_current_password_counted_like_a_sign_in(db, session, alice):
    """Session 19 audit: the email is where reset codes go; a session left open moved it without the password
    (a new password, two-step sign-in and deleting the account all ask for it). The same email in another case,
    or no email change, needs none."""
    from budgetwise.models import User

    with pytest.raises(ValidationError, match="current password to change the email"):
        profile.update_profile(session, user_id=alice.user_id, name="Mallory", email="mallory@example.com")
    with pytest.raises(AuthenticationError, match="not correct"):
        profile.update_profile(session, user_id=alice.user_id, email="mallory@example.com", current_password="nope",
                               settings=db.settings)
    user = session.get(User, alice.user_id)
    assert (user.email, user.name, user.failed_logins) == ("alice@example.com", "Alice", 1)
    assert profile.update_profile(session, user_id=alice.user_id, name="Al", email="ALICE@example.com").name == "Al"
    p = profile.update_profile(session, user_id=alice.user_id, email="al@example.com", current_password=STRONG_PASSWORD,
                               settings=db.settings)
    assert p.email == "al@example.com"


def test_change_password_checks_current_and_revokes(db, session, alice):
    token = auth.issue_access_token(session, alice.user_id, db.settings)
    with pytest.raises(AuthenticationError):
        profile.change_password(session, user_id=alice.user_id, current_password="nope", new_password="x", settings=db.settings)
    with pytest.raises(ValidationError, match="too short"):
        profile.change_password(session, user_id=alice.user_id, current_password=STRONG_PASSWORD, new_password="short", settings=db.settings)
    profile.change_password(session, user_id=alice.user_id, current_password=STRONG_PASSWORD,
                            new_password="copper-meadow-whistle-77", settings=db.settings)
    session.expire_all()
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=token, settings=db.settings)


def test_delete_account_removes_everything(db, session, alice, bob):
    tx.add_transaction(session, user_id=bob.user_id, date="2025-01-01", amount="5", kind="expense", description="x")
    with pytest.raises(AuthenticationError):
        profile.delete_account(session, user_id=bob.user_id, password="wrong", confirm_email="bob@example.com")
    with pytest.raises(AuthenticationError):
        auth.authenticate(session, email="bob@example.com", password="wrong", settings=db.settings)
    profile.delete_account(session, user_id=bob.user_id, password=STRONG_PASSWORD, confirm_email="BOB@example.com")
    assert session.get(User, bob.user_id) is None
    assert session.query(Transaction).filter_by(user_id=bob.user_id).count() == 0
    assert session.query(LoginAttempt).filter_by(user_id=bob.user_id).count() == 0
    assert session.query(Transaction).count() == 0
    assert session.get(User, alice.user_id) is not None


def test_last_admin_cannot_delete_itself_while_others_exist(db, session, alice, bob):
    assert alice.role == "admin"
    with pytest.raises(ValidationError, match="last active administrator"):
        profile.delete_account(session, user_id=alice.user_id, password=STRONG_PASSWORD, confirm_email=alice.email)


def test_user_formats_reads_locale_and_date_format_in_one_query(db, session, alice):
    """Session 10: a service that writes amounts and dates (cashflow_user) reads both with one query."""
    import datetime as dt

    from sqlalchemy import event

    from budgetwise.services import cashflow

    profile.update_profile(session, user_id=alice.user_id, locale="de_DE", date_format="%d.%m.%Y")
    assert profile.user_formats(session, alice.user_id) == ("de_DE", "%d.%m.%Y")
    assert profile.user_formats(session, 10**9) == ("en_US", "%Y-%m-%d")  # a missing user: the defaults
    seen: list[str] = []

    def _record(conn, cursor, statement, *args) -> None:
        seen.append(" ".join(statement.lower().split()))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", _record)
    try:
        cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=dt.date(2026, 12, 5))
    except cashflow.NothingToProject:
        pass
    finally:
        event.remove(engine, "before_cursor_execute", _record)
    assert len([s for s in seen if s.startswith("select users.locale, users.date_format from users ")]) == 1, seen
    # never the two one-column reads (the forecast's own history loader reads its columns in one query too)
    assert not [s for s in seen if s.startswith(("select users.locale from", "select users.date_format from"))], seen


def test_the_untouched_starter_account_follows_a_new_base_currency(db, session, alice, bob):
    """Session 11 QA (browser): a new user who set EUR in the profile kept an empty "Main account" in USD,
    so the first import of EUR rows created "Euro account (EUR)" beside it. The untouched starter follows the
    base currency; an account that holds anything keeps its own."""
    import datetime as dt

    from budgetwise.services import accounts

    profile.update_profile(session, user_id=alice.user_id, currency="EUR")
    [starter] = accounts.list_accounts(session, user_id=alice.user_id)
    assert (starter.name, starter.currency) == ("Main account", "EUR")
    tx.add_transaction(session, user_id=bob.user_id, date=dt.date(2026, 1, 5), amount="5", kind="expense",
                       description="coffee")
    profile.update_profile(session, user_id=bob.user_id, currency="EUR")
    assert [a.currency for a in accounts.list_accounts(session, user_id=bob.user_id)] == ["USD"]  # used: kept


def test_locale_label_shows_the_numbers_and_the_month_names_a_locale_writes():
    from budgetwise.services.profile import locale_label

    assert locale_label("nl_NL") == "Nederlands (Nederland) · 1.234,56 · december 2025"
    assert locale_label("de_DE") == "Deutsch (Deutschland) · 1.234,56 · Dezember 2025"
    assert locale_label("en_GB") == "English (United Kingdom) · 1,234.56 · December 2025"
    assert locale_label("xx_YY") == "xx_YY"


def test_the_users_currency_has_one_owner(db, session, alice):
    """Session 14: the profile owns the user's base currency; the rates and the importer's file currency read
    it there (file_currency imported a private copy from the duplicates module)."""
    from budgetwise.errors import NotFoundError
    from budgetwise.services import rates
    from budgetwise.services.importing import duplicates, file_currency

    assert rates.user_currency is profile.user_currency
    assert not hasattr(duplicates, "_user_currency") and not hasattr(file_currency, "_user_currency")
    profile.update_profile(session, user_id=alice.user_id, currency="CHF")
    assert profile.user_currency(session, alice.user_id) == "CHF"
    with pytest.raises(NotFoundError, match="no longer exists"):
        profile.user_currency(session, 999_999)


def test_the_day_month_year_with_dashes_format_is_stored_and_written(db, session, alice):
    """Session 26 (data26): "31-12-2025" is offered; the service stores it and writes the user's dates with it."""
    import datetime as dt

    from budgetwise.dates import day_text
    from budgetwise.services.preferences import user_date_format

    p = profile.update_profile(session, user_id=alice.user_id, date_format="%d-%m-%Y")
    assert p.date_format == "%d-%m-%Y" == user_date_format(session, alice.user_id)
    assert day_text(dt.date(2025, 12, 31), user_date_format(session, alice.user_id)) == "31-12-2025"
