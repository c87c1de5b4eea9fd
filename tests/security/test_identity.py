"""Issue 13: what an independent attack battery got through on identity and sessions.

* A new account must never inherit a deleted account's identity: ids are never reused
  (every backend), and even where an id does come back (a database from before migration
  0006, a restored backup, MariaDB before 10.2.4 after a restart) the deleted account's
  session token and "stay signed in" cookie are refused and its cached pages are not shown.
* "Stay signed in" cookies are server-side records: rotated on use, a replayed copy ends the
  chain, short idle lifetime, revoked by logout / password change / turning 2FA on.
* Turning 2FA on ends every other session.
* Wrong current passwords (change password, delete account, 2FA changes) count towards the lockout.
* Admin services re-read the caller's role.
* Password spraying is throttled per client; a stranger cannot lock the owner out.
* "Download all my data" names its file from the user id and a date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select, text, update

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.errors import AccountLocked, AuthenticationError, PermissionDenied
from budgetwise.models import LoginAttempt, RememberToken, User
from budgetwise.services import admin, auth, data_export, profile, totp
from tests.conftest import STRONG_PASSWORD, create_user

NEW_PASSWORD = "copper-meadow-violin-77"


def _delete(session, principal) -> None:
    profile.delete_account(session, user_id=principal.user_id, password=STRONG_PASSWORD, confirm_email=principal.email)
    session.flush()


def _force_id(session, user_id: int, old_id: int) -> None:
    """What the old schema (or a restore, or MariaDB < 10.2.4 after a restart) did: the new
    account gets the deleted account's id. (Its unused starter money account is dropped first:
    its foreign key would refuse the id change; the next write makes it again.)"""
    from budgetwise.models import Account

    session.execute(Account.__table__.delete().where(Account.user_id == user_id))
    session.execute(update(User).where(User.id == user_id).values(id=old_id))
    session.flush()
    session.expire_all()


# --------------------------------------------------------------------------- ids are never reused
def test_deleting_the_newest_account_does_not_free_its_id(db, session, alice):
    bob = create_user(session, db.settings, "bob@example.com", "Bob")
    _delete(session, bob)
    carol = create_user(session, db.settings, "carol@example.com", "Carol")
    assert carol.user_id > bob.user_id
    assert carol.account_uid != bob.account_uid and len(carol.account_uid) == 32


def test_sqlite_tables_whose_ids_are_referenced_use_autoincrement(db, session):
    if db.backend != "sqlite":
        pytest.skip("AUTOINCREMENT is SQLite's; PostgreSQL sequences and InnoDB counters never go back")
    sql = dict(session.execute(text("select name, sql from sqlite_master where type = 'table'")).all())
    for table in ("users", "categories", "rules", "import_batches", "goals", "remember_tokens"):
        assert "AUTOINCREMENT" in sql[table], table


# --------------------------------------------------------------------------- the critical replay
def test_a_deleted_accounts_token_and_cookie_are_refused_for_a_new_account_with_the_same_id(db, session, alice):
    """Register, take the token and cookie, delete the account, register someone else who gets
    the old id (forced: the old schema did it by itself), replay: refused."""
    victim = create_user(session, db.settings, "first@example.com", "First")
    access = auth.issue_access_token(session, victim.user_id, db.settings)
    cookie = auth.issue_remember_token(session, victim.user_id, db.settings)
    old_cache_key = auth.cache_version(session, user_id=victim.user_id)
    _delete(session, victim)
    stranger = create_user(session, db.settings, "stranger@example.com", "Stranger")
    _force_id(session, stranger.user_id, victim.user_id)
    same = session.get(User, victim.user_id)
    assert same.email == "stranger@example.com" and same.token_version == 1  # id and version both repeat
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=access, settings=db.settings)
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=cookie, settings=db.settings, token_type=security.TOKEN_REMEMBER)
    with pytest.raises(AuthenticationError):
        auth.redeem_remember_token(session, token=cookie, settings=db.settings)
    # the stranger's own cache key differs from the deleted account's though id and version repeat
    assert auth.cache_version(session, user_id=victim.user_id) != old_cache_key
    # and the stranger's own tokens work
    own = auth.issue_access_token(session, victim.user_id, db.settings)
    assert auth.verify_token(session, token=own, settings=db.settings).email == "stranger@example.com"


def test_a_deleted_accounts_pending_two_factor_token_is_refused_too(db, session, alice):
    victim = create_user(session, db.settings, "first@example.com", "First")
    setup = totp.begin_setup(session, user_id=victim.user_id)
    totp.confirm_setup(session, user_id=victim.user_id, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)
    pending = auth.login(session, email=victim.email, password=STRONG_PASSWORD, settings=db.settings).second_factor_token
    _delete(session, victim)
    stranger = create_user(session, db.settings, "stranger@example.com", "Stranger")
    _force_id(session, stranger.user_id, victim.user_id)
    session.get(User, victim.user_id).totp_enabled = True
    session.flush()
    with pytest.raises(auth.SecondFactorExpired):
        auth.complete_second_factor(session, pending_token=pending, code="000000", settings=db.settings)


def test_the_new_account_is_not_shown_the_deleted_accounts_cached_pages(app_env):
    """The dashboard of the stranger who got the deleted account's id and data version shows
    nothing of the deleted account (the cache is keyed by the account's random identifier)."""
    from budgetwise.services import transactions as tx

    marker = "QXFIRSTACCOUNTQX"
    app_env.create_user("root@example.com", "Root")  # the first account is the admin
    victim = app_env.create_user("first@example.com", "First")
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=victim.user_id, date=dt.date.today(), amount="4242.00", kind="expense",
                           description=marker)
        version = s.scalar(select(User.data_version).where(User.id == victim.user_id))
    at = app_env.page("pages/dashboard.py", user=victim)
    at.run()
    assert not at.exception
    assert "4,242.00" in _rendered(at)  # the control: the victim's page shows the amount (now cached)
    with app_env.scope() as s:
        _delete(s, victim)
    stranger = app_env.create_user("stranger@example.com", "Stranger")
    with app_env.scope() as s:
        _force_id(s, stranger.user_id, victim.user_id)
        s.execute(update(User).where(User.id == victim.user_id).values(data_version=version))
    with app_env.scope() as s:
        token = auth.issue_access_token(s, victim.user_id, app_env.settings)
    at = app_env.page("pages/dashboard.py")
    at.session_state["bw_access_token"] = token
    at.run()
    assert not at.exception
    shown = _rendered(at)
    assert "4,242.00" not in shown and marker not in shown


def _rendered(at) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


# --------------------------------------------------------------------------- "stay signed in" records
def test_a_cookie_is_rotated_on_use_and_the_used_one_stops_working(db, session, alice):
    first = auth.issue_remember_token(session, alice.user_id, db.settings)
    principal, second = auth.redeem_remember_token(session, token=first, settings=db.settings)
    assert principal.user_id == alice.user_id and second != first
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=first, settings=db.settings, token_type=security.TOKEN_REMEMBER)
    assert auth.verify_token(session, token=second, settings=db.settings, token_type=security.TOKEN_REMEMBER)


def test_a_replayed_cookie_after_the_grace_period_ends_every_cookie_of_the_account(db, session, alice):
    now = dt.datetime.now(dt.UTC)
    stolen = auth.issue_remember_token(session, alice.user_id, db.settings, now=now)
    _, owners = auth.redeem_remember_token(session, token=stolen, settings=db.settings, now=now)
    later = now + auth.REMEMBER_REPLAY_GRACE + dt.timedelta(seconds=1)
    with pytest.raises(AuthenticationError):
        auth.redeem_remember_token(session, token=stolen, settings=db.settings, now=later)
    with pytest.raises(AuthenticationError):  # the chain ended: the copy and the original are both dead
        auth.redeem_remember_token(session, token=owners, settings=db.settings, now=later)
    assert session.scalar(select(RememberToken.id).where(RememberToken.user_id == alice.user_id)) is None


def test_a_just_rotated_cookie_still_signs_in_within_the_grace(db, session, alice):
    """Session 19: a page opened by its address right after another page load presented the cookie that load had
    just rotated (the successor is written by the page's script, which the second load interrupted) and landed on
    the sign-in page. Within the grace it signs in again with a successor of its own; the grace counts from the
    first rotation, and afterwards the replay ends every cookie of the account, as before."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)  # (a token's issue time may not lie ahead of the clock)
    first = auth.issue_remember_token(session, alice.user_id, db.settings, now=now)
    _, lost = auth.redeem_remember_token(session, token=first, settings=db.settings, now=now)
    soon = now + dt.timedelta(seconds=20)
    principal, kept = auth.redeem_remember_token(session, token=first, settings=db.settings, now=soon)
    assert principal.user_id == alice.user_id and kept not in (first, lost)
    _, again = auth.redeem_remember_token(session, token=kept, settings=db.settings, now=soon)  # the chain goes on
    later = now + auth.REMEMBER_REPLAY_GRACE + dt.timedelta(seconds=1)  # not extended by the second use
    with pytest.raises(AuthenticationError):
        auth.redeem_remember_token(session, token=first, settings=db.settings, now=later)
    assert session.scalar(select(RememberToken.id).where(RememberToken.user_id == alice.user_id)) is None
    assert again  # ended with the chain


def test_deleting_the_server_record_revokes_a_validly_signed_cookie(db, session, alice):
    cookie = auth.issue_remember_token(session, alice.user_id, db.settings)
    session.execute(RememberToken.__table__.delete().where(RememberToken.user_id == alice.user_id))
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=cookie, settings=db.settings, token_type=security.TOKEN_REMEMBER)


def test_a_forged_cookie_with_a_wrong_validator_is_refused(db, session, alice):
    cookie = auth.issue_remember_token(session, alice.user_id, db.settings)
    claims = security.decode_token(cookie, secret=db.settings.secret_key, token_type=security.TOKEN_REMEMBER)
    forged = security.issue_token(
        user_id=alice.user_id, role=alice.role, token_version=1, secret=db.settings.secret_key,
        ttl=dt.timedelta(hours=1), token_type=security.TOKEN_REMEMBER, account_uid=alice.account_uid,
        selector=claims.selector, validator="guessed-" + "x" * 24,
    )
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=forged, settings=db.settings, token_type=security.TOKEN_REMEMBER)


def test_cookies_have_a_short_idle_life_and_the_chain_ends_after_the_ttl(db, session, alice):
    settings = db.settings
    now = dt.datetime.now(dt.UTC)
    cookie = auth.issue_remember_token(session, alice.user_id, settings, now=now)
    idle = dt.timedelta(hours=settings.cookie_idle_hours)
    with pytest.raises(AuthenticationError):  # unused for longer than the idle lifetime
        auth.redeem_remember_token(session, token=cookie, settings=settings, now=now + idle + dt.timedelta(seconds=1))
    # used every day, it still ends BUDGETWISE_COOKIE_TTL_DAYS after the password sign-in
    cookie = auth.issue_remember_token(session, alice.user_id, settings, now=now)
    day, t = dt.timedelta(days=1), now
    with pytest.raises(AuthenticationError):
        for _ in range(settings.cookie_ttl_days + 1):
            t += day
            _, cookie = auth.redeem_remember_token(session, token=cookie, settings=settings, now=t)
    assert t <= now + dt.timedelta(days=settings.cookie_ttl_days)


@pytest.mark.parametrize("how", ["logout", "password change", "2fa on"])
def test_sessions_and_cookies_end_on(db, session, alice, how):
    """Logout, a password change and turning two-step sign-in on end every session and cookie."""
    access = auth.issue_access_token(session, alice.user_id, db.settings)
    cookie = auth.issue_remember_token(session, alice.user_id, db.settings)
    if how == "logout":
        auth.logout(session, user_id=alice.user_id)
    elif how == "password change":
        profile.change_password(session, user_id=alice.user_id, current_password=STRONG_PASSWORD,
                                new_password=NEW_PASSWORD, settings=db.settings)
    else:
        setup = totp.begin_setup(session, user_id=alice.user_id)
        totp.confirm_setup(session, user_id=alice.user_id, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)
    session.flush()
    session.expire_all()
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=access, settings=db.settings)
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=cookie, settings=db.settings, token_type=security.TOKEN_REMEMBER)
    assert session.scalar(select(RememberToken.id).where(RememberToken.user_id == alice.user_id)) is None
    # the browser that made the change gets a fresh token (ui.state.refresh_token) that works
    fresh = auth.issue_access_token(session, alice.user_id, db.settings)
    assert auth.verify_token(session, token=fresh, settings=db.settings).user_id == alice.user_id


# --------------------------------------------------------------------------- current password is rate-limited
@pytest.mark.parametrize("where", ["change password", "delete account", "turn 2fa off"])
def test_wrong_current_passwords_count_towards_the_lockout(db, session, alice, where):
    settings = db.settings
    if where == "turn 2fa off":
        setup = totp.begin_setup(session, user_id=alice.user_id)
        totp.confirm_setup(session, user_id=alice.user_id, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)

    def attempt(password: str) -> None:
        if where == "change password":
            profile.change_password(session, user_id=alice.user_id, current_password=password,
                                    new_password=NEW_PASSWORD, settings=settings)
        elif where == "delete account":
            profile.delete_account(session, user_id=alice.user_id, password=password, confirm_email=alice.email,
                                   settings=settings)
        else:
            totp.disable(session, user_id=alice.user_id, password=password, code="000000", settings=settings)

    for i in range(settings.lockout_threshold - 1):
        with pytest.raises(AuthenticationError) as info:
            attempt(f"wrong-guess-{i}")
        assert not isinstance(info.value, AccountLocked)
    with pytest.raises(AccountLocked):
        attempt("wrong-guess-last")
    with pytest.raises(AccountLocked):  # even the right password, while locked
        attempt(STRONG_PASSWORD)
    with pytest.raises(AccountLocked):  # and sign-in is locked as after wrong sign-ins
        auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings)
    reasons = session.scalars(select(LoginAttempt.reason).where(LoginAttempt.user_id == alice.user_id)).all()
    assert reasons.count("bad_current_password") == settings.lockout_threshold - 1 and "locked_now" in reasons



@pytest.mark.parametrize("where", ["change password", "delete account", "turn 2fa off"])
def test_an_empty_current_password_is_asked_for_not_counted(db, session, alice, where):
    """Session 20 (newuser): "Change password" pressed with the current password left empty counted as a wrong
    guess: a few empty presses and a typo locked the account for 15 minutes. An empty field is no guess."""
    from budgetwise.errors import ValidationError

    settings = db.settings
    if where == "turn 2fa off":
        setup = totp.begin_setup(session, user_id=alice.user_id)
        totp.confirm_setup(session, user_id=alice.user_id, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)
    for _ in range(settings.lockout_threshold + 1):
        with pytest.raises(ValidationError, match="Enter your current password"):
            if where == "change password":
                profile.change_password(session, user_id=alice.user_id, current_password="",
                                        new_password=NEW_PASSWORD, settings=settings)
            elif where == "delete account":
                profile.delete_account(session, user_id=alice.user_id, password="", confirm_email=alice.email,
                                       settings=settings)
            else:
                totp.disable(session, user_id=alice.user_id, password="", code="000000", settings=settings)
    assert session.scalars(select(LoginAttempt.reason).where(LoginAttempt.user_id == alice.user_id)).all() == []
    assert auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings) is not None

# --------------------------------------------------------------------------- admin role re-read
def test_a_demoted_admins_stale_principal_is_refused(db, session, alice, bob):
    stale = alice  # made while alice was the administrator
    assert admin.list_users(session, principal=stale).total == 2  # the control
    admin.promote_user(session, principal=alice, user_id=bob.user_id)
    bob_admin = auth.principal_for(session.get(User, bob.user_id))
    admin.demote_user(session, principal=bob_admin, user_id=alice.user_id)
    session.flush()
    assert stale.role == "admin"  # the object still says admin ...
    with pytest.raises(PermissionDenied):  # ... the database does not
        admin.list_users(session, principal=stale)
    with pytest.raises(PermissionDenied):
        admin.promote_user(session, principal=stale, user_id=alice.user_id)


def test_a_deleted_admins_principal_is_refused_for_a_new_account_with_the_same_id(db, session, alice, bob):
    admin.promote_user(session, principal=alice, user_id=bob.user_id)
    stale_bob = auth.principal_for(session.get(User, bob.user_id))
    admin.delete_user(session, principal=alice, user_id=bob.user_id, confirm_email=bob.email)
    carol = create_user(session, db.settings, "carol@example.com", "Carol")
    _force_id(session, carol.user_id, bob.user_id)
    session.get(User, bob.user_id).role = "admin"
    session.flush()
    with pytest.raises(PermissionDenied):
        admin.list_users(session, principal=stale_bob)


# --------------------------------------------------------------------------- spraying and lock-at-will
def test_password_spraying_from_one_client_is_throttled_without_locking_accounts(db, session, alice):
    settings = db.settings
    victims = [create_user(session, settings, f"v{i}@example.com", f"V{i}") for i in range(3)]
    limit = settings.client_failure_limit
    refused_by_throttle = 0
    for i in range(limit + 5):
        email = victims[i % len(victims)].email if i % 2 else f"nobody{i}@example.com"
        with pytest.raises(AuthenticationError) as info:
            auth.authenticate(session, email=email, password=f"Spring2026!{i}", settings=settings, client="203.0.113.7")
        if "from your network" in str(info.value):
            refused_by_throttle += 1
    assert refused_by_throttle == 5  # every guess after the limit
    # the spray locked no real account, and the owners sign in from their own addresses
    for v in victims:
        assert session.get(User, v.user_id).locked_until is None
        assert auth.authenticate(session, email=v.email, password=STRONG_PASSWORD, settings=settings,
                                 client="198.51.100.20").user_id == v.user_id
    # the address is not stored, only a keyed hash of it
    stored = session.scalars(select(LoginAttempt.client).where(LoginAttempt.client.is_not(None))).all()
    assert stored and not any("203.0.113.7" in c for c in stored)


def test_an_ipv6_client_is_its_64_prefix_not_each_address(db, session, alice):
    """Session 21 (sec21): the per-client key was the whole address, so an IPv6 client (a home or a phone is given a
    whole /64) took a fresh allowance with each of its 2^64 addresses: password spraying and new accounts without
    limit. A client is now its /64 (an IPv4-mapped address is its IPv4 address); another /64 is another client."""
    settings = db.settings
    key = auth.client_key
    assert key("2001:db8:7:1::1", settings) == key("2001:DB8:7:1:ffff:1:2:3", settings)
    assert key("2001:db8:7:1::1", settings) != key("2001:db8:7:2::1", settings)
    assert key("::ffff:203.0.113.9", settings) == key("203.0.113.9", settings)
    assert key("fe80::1%eth0", settings) == key("fe80::2", settings) and key("not an ip", settings) != auth.CLIENT_UNKNOWN
    refused = 0
    for i in range(settings.client_failure_limit + 3):  # each guess from a new address of the same /64
        with pytest.raises(AuthenticationError) as info:
            auth.authenticate(session, email=f"nobody{i}@example.com", password="Spring2026!", settings=settings,
                              client=f"2001:db8:7:1::{i + 1:x}")
        refused += "from your network" in str(info.value)
    assert refused == 3
    assert auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings,
                             client="2001:db8:7:2::1").user_id == alice.user_id  # the next /64 is not throttled
    limit = settings.registrations_per_client
    for i in range(limit):
        auth.register(session, name=f"F{i}", email=f"six{i}@example.com", password=STRONG_PASSWORD, settings=settings,
                      client=f"2001:db8:9:1:{i + 1:x}::1")
    with pytest.raises(AccountLocked, match="Too many new accounts from your network"):
        auth.register(session, name="F", email="six-next@example.com", password=STRONG_PASSWORD, settings=settings,
                      client="2001:db8:9:1:abcd::1")


def test_probing_emails_through_registration_is_throttled_like_sign_in_guesses(db, session, alice):
    """Session 20 audit: the sign-in hides whether an email has an account (dummy hash, the same lockout), but
    "Create account" said "An account with this email already exists" to anyone, as often as they liked. Each
    taken email now counts as a failed guess from that client, so a prober gets the sign-in's allowance."""
    from budgetwise.errors import ConflictError

    settings = db.settings
    limit = settings.client_failure_limit
    for i in range(3):  # free addresses the prober registers: they do not count
        auth.register(session, name=f"P{i}", email=f"someone{i}@example.com", password=STRONG_PASSWORD,
                      settings=settings, client="203.0.113.7")
    answers = []
    for _ in range(limit + 2):
        try:
            auth.register(session, name="P", email=alice.email, password=STRONG_PASSWORD, settings=settings,
                          client="203.0.113.7")
        except ConflictError:
            answers.append("taken")
        except AccountLocked as exc:
            assert "from your network" in str(exc)
            answers.append("throttled")
    assert answers == ["taken"] * limit + ["throttled"] * 2
    # every taken email counted; once the allowance is spent nothing more is told, of any address
    with pytest.raises(AccountLocked):
        auth.register(session, name="Q", email="fresh@example.com", password=STRONG_PASSWORD, settings=settings,
                      client="203.0.113.7")
    with pytest.raises(AccountLocked):  # and the same client's sign-ins are throttled too
        auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings,
                          client="203.0.113.7")
    # another client registers and signs in as before; alice's account is not locked
    auth.register(session, name="R", email="r@example.com", password=STRONG_PASSWORD, settings=settings,
                  client="198.51.100.20")
    assert session.get(User, alice.user_id).locked_until is None
    assert auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings,
                             client="198.51.100.21").user_id == alice.user_id


def test_a_taken_email_at_registration_is_recorded_even_when_the_caller_rolls_back(db, session, alice):
    from budgetwise.errors import ConflictError

    with pytest.raises(ConflictError):
        auth.register(session, name="P", email=alice.email, password=STRONG_PASSWORD, settings=db.settings,
                      client="203.0.113.7")
    session.rollback()
    reasons = session.scalars(select(LoginAttempt.reason).where(LoginAttempt.email == alice.email)).all()
    assert reasons == [auth.REGISTER_TAKEN]


def test_a_stranger_cannot_lock_the_owner_out(db, session, alice):
    settings = db.settings
    auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client="198.51.100.20")
    for i in range(settings.lockout_threshold):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email=alice.email, password=f"wrong-{i}", settings=settings, client="203.0.113.7")
    with pytest.raises(AccountLocked):  # the stranger (and any new client) finds the account locked
        auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client="203.0.113.8")
    # the owner, from where they signed in before, still gets in
    assert auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings,
                             client="198.51.100.20").user_id == alice.user_id


def test_a_known_client_gets_no_more_guesses_than_the_lockout_threshold(db, session, alice):
    settings = db.settings
    auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client="198.51.100.20")
    for i in range(settings.lockout_threshold):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email=alice.email, password=f"wrong-{i}", settings=settings, client="203.0.113.7")
    guesses = 0
    for i in range(settings.lockout_threshold * 3):
        try:
            auth.authenticate(session, email=alice.email, password=f"again-{i}", settings=settings, client="198.51.100.20")
        except AccountLocked:
            continue
        except AuthenticationError:
            guesses += 1
    assert guesses <= settings.lockout_threshold


# --------------------------------------------------------------------------- export file name
def test_the_export_file_name_holds_only_the_user_id_and_a_date():
    name = data_export.export_filename(42, now=dt.datetime(2026, 12, 4, 5, 6, 7, tzinfo=dt.UTC))
    assert name == "budgetwise-user42-20261204-050607.zip"
    with pytest.raises(TypeError):
        data_export.export_filename("../../x@example.com")  # type: ignore[arg-type]


def test_the_cookie_script_cannot_close_its_script_element():
    """The "stay signed in" cookie is written by a script frame (session 15): whatever the configured cookie name or
    the value holds, it stays inside one JavaScript string literal."""
    import datetime as dt

    from budgetwise.ui.cookies import cookie_script

    script = cookie_script("bw</script><img src=x onerror=alert(1)>", "a.b</script>",
                           dt.datetime(2027, 1, 1, tzinfo=dt.UTC), secure=True)
    assert script.startswith("<script>") and script.endswith("</script>")
    inner = script.removeprefix("<script>").removesuffix("</script>")
    assert "<" not in inner and ">" not in inner
    assert "SameSite=Strict; Secure" in inner and "expires=Fri, 01 Jan 2027 00:00:00 GMT" in inner


def test_probing_emails_through_the_email_change_counts_like_registration(db, session, alice):
    """Session 20 (sec2): Profile's email change said "Another account already uses this email" with one
    password check each, as often as asked. A taken email now counts as a failed attempt of the account
    (towards its lockout) and of the client (towards the registration/sign-in allowance); the answer stays
    plain, and a free address still moves the email."""
    from budgetwise.errors import ConflictError

    settings = db.settings
    bob = create_user(session, settings, "bob@example.com", "Bob")
    session.commit()
    answers = []
    for _ in range(settings.lockout_threshold + 1):
        try:
            profile.update_profile(session, user_id=bob.user_id, email=alice.email, current_password=STRONG_PASSWORD,
                                   settings=settings, client="198.51.100.9")
        except ConflictError as exc:
            assert exc.field == "email"
            answers.append("taken")
        except AccountLocked:
            answers.append("locked")
        session.rollback()
    assert answers == ["taken"] * (settings.lockout_threshold - 1) + ["locked"] * 2
    taken = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.client == auth.client_key("198.51.100.9", settings),
        LoginAttempt.reason.in_(auth.GUESS_REASONS)))
    assert taken == settings.lockout_threshold  # counted for the client too


def test_a_throttled_client_learns_nothing_from_the_email_change(db, session, alice):
    settings = db.settings
    bob = create_user(session, settings, "bob@example.com", "Bob")
    session.commit()
    key = auth.client_key("198.51.100.9", settings)
    now = dt.datetime.now(dt.UTC)
    for _ in range(settings.client_failure_limit):
        session.add(LoginAttempt(email="x@example.com", success=False, reason=auth.REGISTER_TAKEN, created_at=now,
                                 client=key))
    session.commit()
    with pytest.raises(AccountLocked, match="from your network"):
        profile.update_profile(session, user_id=bob.user_id, email=alice.email, current_password=STRONG_PASSWORD,
                               settings=settings, client="198.51.100.9")
    session.rollback()
    moved = profile.update_profile(session, user_id=bob.user_id, email="bob2@example.com",
                                   current_password=STRONG_PASSWORD, settings=settings, client="192.0.2.1")
    assert moved.email == "bob2@example.com"  # another client, a free address: moved


@pytest.mark.parametrize("email", ["me@demo.budgetwise.app", "Visitor-1@DEMO.budgetwise.app", "demo@budgetwise.app"])
def test_one_validator_refuses_a_demo_address_at_registration_and_at_the_email_change(db, session, alice, email):
    """Session 20 (sec2): registration refused ``…@demo.budgetwise.app`` but Profile accepted it, turning the
    account into a demo account (no email/password change, purged at expiry). ``auth.validate_own_email`` now
    answers both, and also refuses the `budgetwise demo` account's address."""
    from budgetwise.errors import ValidationError

    with pytest.raises(ValidationError, match="reserved for demo"):
        auth.register(session, name="M", email=email, password=STRONG_PASSWORD, settings=db.settings)
    with pytest.raises(ValidationError, match="reserved for demo"):
        profile.update_profile(session, user_id=alice.user_id, email=email, current_password=STRONG_PASSWORD,
                               settings=db.settings)
    assert session.get(User, alice.user_id).email == "alice@example.com"


def test_new_accounts_are_limited_per_client(db, session):
    """Session 20 (sec2): any number of accounts could be made from one address. Now at most
    ``Settings.registrations_per_client`` (10) a day from one client; another client is not affected, and the
    registrations do not show as sign-ins in the administrator's health figures."""
    settings = db.settings
    limit = settings.registrations_per_client
    assert limit == 10
    for i in range(limit):
        auth.register(session, name=f"F{i}", email=f"flood{i}@example.com", password=STRONG_PASSWORD,
                      settings=settings, client="203.0.113.50")
    session.commit()
    with pytest.raises(AccountLocked, match=f"Too many new accounts from your network: at most {limit} a day"):
        auth.register(session, name="F", email="flood-next@example.com", password=STRONG_PASSWORD, settings=settings,
                      client="203.0.113.50")
    session.rollback()
    auth.register(session, name="G", email="other@example.com", password=STRONG_PASSWORD, settings=settings,
                  client="203.0.113.51")
    later = dt.datetime.now(dt.UTC) + auth.REGISTRATION_WINDOW + dt.timedelta(minutes=1)
    auth.register(session, name="F", email="flood-next@example.com", password=STRONG_PASSWORD, settings=settings,
                  client="203.0.113.50", now=later)  # a day later: allowed again
    first_principal = auth.principal_for(session.scalar(select(User).where(User.role == "admin")))
    counts = admin.logins_per_day(session, principal=first_principal, days=1)
    assert int(counts["successful"].sum()) == 0


def test_a_class_behind_one_address_registers_with_a_raised_limit(db, session):
    """A class registering from one school address (one NAT) is not stopped at ten when the administrator sets
    ``BUDGETWISE_REGISTRATIONS_PER_CLIENT``; the refusal names the setting's figure."""
    settings = dataclasses.replace(db.settings, registrations_per_client=30)
    for i in range(30):
        auth.register(session, name=f"S{i}", email=f"student{i}@example.com", password=STRONG_PASSWORD,
                      settings=settings, client="198.51.100.7")
    session.commit()
    with pytest.raises(AccountLocked, match="at most 30 a day") as refused:
        auth.register(session, name="S", email="student-late@example.com", password=STRONG_PASSWORD,
                      settings=settings, client="198.51.100.7")
    # session 21 (admintrial): the student was told only to wait a day; now also who can let them in today
    assert "ask the administrator to create your account" in str(refused.value)


def test_a_refused_registration_is_in_the_login_log_without_the_password(db, session, alice):
    """Session 21 (admin21b): a "Create account" refused at the per-client limit wrote nothing, so the administrator
    of a class could not see that students were turned away. Now it leaves a failure row with the reason and the
    typed email (like a taken email's), kept when the caller rolls back, counting towards no limit."""
    settings = dataclasses.replace(db.settings, registrations_per_client=1, client_failure_limit=2)
    auth.register(session, name="S0", email="student0@example.com", password=STRONG_PASSWORD, settings=settings,
                  client="198.51.100.7")
    session.commit()
    for i in range(1, 4):  # more refusals than the client's failure allowance: they are not guesses
        with pytest.raises(AccountLocked, match="at most 1 a day"):
            auth.register(session, name=f"S{i}", email=f"Student{i}@example.com", password=NEW_PASSWORD,
                          settings=settings, client="198.51.100.7")
        session.rollback()  # what the page's action does with an error
    with pytest.raises(Exception, match="already exists"):  # a taken email: logged as before
        auth.register(session, name="A", email="alice@example.com", password=NEW_PASSWORD, settings=settings,
                      client="203.0.113.9")
    session.rollback()
    page = admin.list_login_log(session, principal=alice, outcome="failure")
    rows = [(r.email, r.reason, r.user_id) for r in page.rows]
    assert rows == [("alice@example.com", auth.REGISTER_TAKEN, None)] + [
        (f"student{i}@example.com", auth.REGISTER_LIMIT, None) for i in (3, 2, 1)]
    stored = session.execute(select(LoginAttempt.email, LoginAttempt.reason, LoginAttempt.client)).all()
    assert not any(NEW_PASSWORD in str(value) for row in stored for value in row)
    assert not any("198.51.100.7" in str(value) for row in stored for value in row)  # a keyed hash, as before
    # not a guess: the client still signs in; not a registration: the limit's count is unchanged
    assert auth.authenticate(session, email="student0@example.com", password=STRONG_PASSWORD, settings=settings,
                             client="198.51.100.7")
    assert session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.reason == auth.REGISTERED)) == 1


def test_the_registration_limit_is_read_from_the_environment(tmp_path):
    env = {"BUDGETWISE_DATA_DIR": str(tmp_path / "d"), "BUDGETWISE_REGISTRATIONS_PER_CLIENT": "40"}
    assert Settings.load(environ=env).registrations_per_client == 40


def test_a_forwarded_address_with_its_port_is_the_same_client(db):
    """review21b: some proxies (Azure App Service, IIS ARR) append 'address:port' to X-Forwarded-For; the whole text
    was the key, so each new connection (a new source port) was a new client with a fresh allowance."""
    settings = db.settings
    key = auth.client_key
    assert key("203.0.113.9:50123", settings) == key("203.0.113.9", settings) == key("203.0.113.9:443", settings)
    assert key("[2001:db8:7:1::1]:443", settings) == key("2001:db8:7:1::5", settings)
    assert key("[::ffff:203.0.113.9]:8080", settings) == key("203.0.113.9", settings)
    assert key("203.0.113.9:50123", settings) != key("203.0.113.10:50123", settings)
