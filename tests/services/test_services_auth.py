import datetime as dt

import jwt
import pytest

from budgetwise import security
from budgetwise.errors import AccountLocked, AuthenticationError, ConflictError, ValidationError
from budgetwise.models import LoginAttempt, User
from budgetwise.services import auth
from tests.conftest import STRONG_PASSWORD, TEST_SECRET, create_user


def test_first_user_is_admin_and_later_users_are_not(db, session):
    first = create_user(session, db.settings, "first@example.com", "First")
    second = create_user(session, db.settings, "second@example.com", "Second")
    assert first.role == "admin"
    assert second.role == "user"


def test_demo_mode_still_makes_the_first_person_the_administrator(db, session):
    """QA (session 7): demo mode seeds the shared demo account at start-up, so it was "the first
    account" and nobody who registered ever became administrator (on Community Cloud, where no
    command line can create one, the installation had no admin at all)."""
    from budgetwise.services import demo

    demo.ensure_demo_account(session, settings=db.settings)
    first = create_user(session, db.settings, "host@example.com", "Host")
    second = create_user(session, db.settings, "guest@example.com", "Guest")
    assert (first.role, second.role) == ("admin", "user")
    assert session.query(User).filter_by(email=auth.DEMO_EMAIL).one().role == "user"


def test_email_is_unique_case_insensitively(db, session, alice):
    with pytest.raises(ConflictError):
        create_user(session, db.settings, "ALICE@Example.COM", "Other")


@pytest.mark.parametrize(
    "password, fragment",
    [
        ("short", "too short"),
        ("password123", "common"),
        ("aaaaaaaaaaaa", "easy to guess"),
        ("", "Enter a password"),
    ],
)
def test_password_policy(db, session, password, fragment):
    with pytest.raises(ValidationError) as err:
        auth.register(session, name="X", email="x@example.com", password=password, settings=db.settings)
    assert fragment.lower() in str(err.value).lower()


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.com", "a b@c.com", ""])
def test_bad_emails_are_refused(db, session, email):
    with pytest.raises(ValidationError):
        auth.register(session, name="X", email=email, password=STRONG_PASSWORD, settings=db.settings)


def test_password_is_stored_as_bcrypt_hash(db, session, alice):
    user = session.get(User, alice.user_id)
    assert user.password_hash.startswith("$2")
    assert STRONG_PASSWORD not in user.password_hash


def test_login_success_and_generic_failure(db, session, alice):
    p = auth.authenticate(session, email="ALICE@example.com", password=STRONG_PASSWORD, settings=db.settings)
    assert p.user_id == alice.user_id
    with pytest.raises(AuthenticationError) as bad_pw:
        auth.authenticate(session, email="alice@example.com", password="wrong-password-1", settings=db.settings)
    with pytest.raises(AuthenticationError) as unknown:
        auth.authenticate(session, email="nobody@example.com", password="wrong-password-1", settings=db.settings)
    assert str(bad_pw.value) == str(unknown.value) == "Invalid email or password."


def test_every_attempt_is_recorded(db, session, alice):
    auth.authenticate(session, email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings)
    for email in ("alice@example.com", "ghost@example.com"):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email=email, password="nope-nope-nope", settings=db.settings)
    rows = session.query(LoginAttempt).order_by(LoginAttempt.id).all()
    assert [(r.email, r.success, r.user_id is not None) for r in rows] == [
        ("alice@example.com", True, True),
        ("alice@example.com", False, True),
        ("ghost@example.com", False, False),
    ]


def test_five_failures_lock_for_fifteen_minutes(db, session, alice):
    now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    for i in range(4):
        with pytest.raises(AuthenticationError) as err:
            auth.authenticate(session, email="alice@example.com", password="bad-password!", settings=db.settings, now=now)
        assert not isinstance(err.value, AccountLocked)
    with pytest.raises(AccountLocked) as locked:
        auth.authenticate(session, email="alice@example.com", password="bad-password!", settings=db.settings, now=now)
    assert "locked" in str(locked.value) and "15" in str(locked.value)
    # even the right password is refused while locked
    with pytest.raises(AccountLocked):
        auth.authenticate(
            session, email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings,
            now=now + dt.timedelta(minutes=14),
        )
    p = auth.authenticate(
        session, email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings,
        now=now + dt.timedelta(minutes=15, seconds=1),
    )
    assert p.user_id == alice.user_id


def test_unknown_emails_lock_like_real_ones(db, session):
    now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email="ghost@example.com", password="bad-password!", settings=db.settings, now=now)
    with pytest.raises(AccountLocked):
        auth.authenticate(session, email="ghost@example.com", password="bad-password!", settings=db.settings, now=now)


def test_success_resets_the_failure_count(db, session, alice):
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email="alice@example.com", password="bad-password!", settings=db.settings)
    auth.authenticate(session, email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings)
    for _ in range(4):
        with pytest.raises(AuthenticationError) as err:
            auth.authenticate(session, email="alice@example.com", password="bad-password!", settings=db.settings)
        assert not isinstance(err.value, AccountLocked)


# ------------------------------------------------------------------ tokens
def _token(db, session, principal, **kw):
    return auth.issue_access_token(session, principal.user_id, db.settings)


def test_valid_token_verifies(db, session, alice):
    token = _token(db, session, alice)
    assert auth.verify_token(session, token=token, settings=db.settings).user_id == alice.user_id


def test_expired_token_is_refused(db, session, alice):
    token = security.issue_token(
        user_id=alice.user_id, role="user", token_version=1, secret=TEST_SECRET,
        ttl=dt.timedelta(minutes=5), now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
    )
    with pytest.raises(AuthenticationError, match="expired"):
        auth.verify_token(session, token=token, settings=db.settings)


def test_token_signed_with_another_key_is_refused(db, session, alice):
    token = security.issue_token(
        user_id=alice.user_id, role="admin", token_version=1, secret="another-key-" + "y" * 40, ttl=dt.timedelta(hours=1)
    )
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=token, settings=db.settings)


def test_alg_none_token_is_refused(db, session, alice):
    claims = jwt.decode(_token(db, session, alice), options={"verify_signature": False})
    forged = jwt.encode(claims, key=None, algorithm="none")
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=forged, settings=db.settings)


@pytest.mark.parametrize("change", [{"sub": "999"}, {"role": "admin"}, {"tv": 99}])
def test_modified_payload_is_refused(db, session, alice, change):
    token = _token(db, session, alice)
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(change)
    forged_payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(claims).encode()).decode()
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=f"{header}.{forged_payload}.{signature}", settings=db.settings)


def test_logout_revokes_tokens(db, session, alice):
    token = _token(db, session, alice)
    remember = auth.issue_remember_token(session, alice.user_id, db.settings)
    auth.logout(session, user_id=alice.user_id)
    session.expire_all()
    with pytest.raises(AuthenticationError, match="signed out"):
        auth.verify_token(session, token=token, settings=db.settings)
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=remember, settings=db.settings, token_type=security.TOKEN_REMEMBER)


def test_disabled_user_token_is_refused(db, session, alice):
    token = _token(db, session, alice)
    session.get(User, alice.user_id).is_active = False
    session.flush()
    with pytest.raises(AuthenticationError, match="disabled"):
        auth.verify_token(session, token=token, settings=db.settings)


def test_remember_token_is_not_an_access_token(db, session, alice):
    remember = auth.issue_remember_token(session, alice.user_id, db.settings)
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=remember, settings=db.settings)
    assert auth.verify_token(
        session, token=remember, settings=db.settings, token_type=security.TOKEN_REMEMBER
    ).user_id == alice.user_id


def test_garbage_tokens_are_refused(db, session):
    for token in ["", "abc", "a.b.c", None]:
        with pytest.raises(AuthenticationError):
            auth.verify_token(session, token=token, settings=db.settings)


@pytest.mark.parametrize("email", ["name@home.local", "x@example.test", "Kid@Family.Home.Arpa"])
def test_special_use_domains_of_a_home_network_are_accepted(db, session, email):
    """QA: a household on its own network registers with name@home.local; only the syntax is checked."""
    principal = auth.register(session, name="X", email=email, password=STRONG_PASSWORD, settings=db.settings)
    assert auth.get_user_by_email(session, email).email == email.lower() == auth.normalize_email(email)
    assert principal.user_id


@pytest.mark.parametrize("email", ["a@localhost", "a b@home.local", "a@-x.local", "a@home..local"])
def test_special_use_domains_still_need_valid_syntax(db, session, email):
    with pytest.raises(ValidationError):
        auth.normalize_email(email)
