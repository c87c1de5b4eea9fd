"""Many users behind one public address (Streamlit Community Cloud, a school, a carrier's NAT): one stranger's
wrong guesses must not lock the others out, while guesses at an account stay limited (session 27, sec27).

sec26 measured it through the services: with one shared address, 20 strangers' failures refused the owner's right
password for 15 minutes ("Too many failed sign-in attempts from your network"), and the "known client" exemption
from an account's lock (the address the owner signed in from before) exempted the stranger at that same address
too, until his own failures ended it for both. A browser that signed in to an account is now given a device token
(:func:`auth.issue_device_token`, a cookie): presented at that account's sign-in, the attempt is counted for that
device, not the address, and the account's lock lets it in up to the lockout threshold of its own failures. It
proves one earlier sign-in to that one account, so it buys nothing for guessing at any other.
"""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import AccountLocked, AuthenticationError
from budgetwise.models import User
from budgetwise.services import auth, totp
from tests.conftest import STRONG_PASSWORD, create_user

SHARED = "35.230.10.1"  # one address for every visitor (the platform's egress)


def _spray(session, settings, n: int, *, email: str | None = None) -> None:
    for i in range(n):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email=email or f"nobody{i}@example.com", password=f"Spring2026!{i}",
                              settings=settings, client=SHARED)


def _signed_in_device(session, settings, user_id: int, email: str) -> str:
    auth.authenticate(session, email=email, password=STRONG_PASSWORD, settings=settings, client=SHARED)
    return auth.issue_device_token(session, user_id, settings)


def test_a_stranger_spraying_from_the_shared_address_does_not_keep_the_owner_out(db, session, alice):
    settings = db.settings
    device = _signed_in_device(session, settings, alice.user_id, alice.email)
    _spray(session, settings, settings.client_failure_limit + 3)
    with pytest.raises(AccountLocked, match="from your network"):  # the address is throttled, as before
        auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED)
    # the owner's browser, which signed in before, still gets in with the right password
    assert auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED,
                             device=device).user_id == alice.user_id


def test_a_stranger_locking_the_account_from_the_shared_address_does_not_keep_the_owner_out(db, session, alice):
    settings = db.settings
    device = _signed_in_device(session, settings, alice.user_id, alice.email)
    _spray(session, settings, settings.lockout_threshold * 2, email=alice.email)
    # the stranger (same address the owner signed in from, no device) finds the account locked
    with pytest.raises(AccountLocked, match="this account is locked"):
        auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED)
    assert auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED,
                             device=device).user_id == alice.user_id


def test_a_device_gets_no_more_guesses_than_the_lockout_threshold(db, session, alice):
    settings = db.settings
    device = _signed_in_device(session, settings, alice.user_id, alice.email)
    _spray(session, settings, settings.lockout_threshold, email=alice.email)  # locked by a stranger
    guesses = 0
    for i in range(settings.lockout_threshold * 3):
        try:
            auth.authenticate(session, email=alice.email, password=f"again-{i}", settings=settings, client=SHARED,
                              device=device)
        except AccountLocked:
            continue
        except AuthenticationError:
            guesses += 1
    assert 0 < guesses <= settings.lockout_threshold
    with pytest.raises(AccountLocked):
        auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED,
                          device=device)


def test_a_device_token_of_ones_own_account_buys_no_guesses_at_others(db, session, alice):
    settings = db.settings
    mallory = create_user(session, settings, "mallory@example.com", "Mallory")
    own = _signed_in_device(session, settings, mallory.user_id, mallory.email)
    victims = [create_user(session, settings, f"v{i}@example.com", f"V{i}") for i in range(3)]
    refused = 0
    for i in range(settings.client_failure_limit + 5):
        email = victims[i % 3].email if i % 2 else f"nobody{i}@example.com"  # one guess at each of many
        with pytest.raises(AuthenticationError) as info:
            auth.authenticate(session, email=email, password=f"Spring2026!{i}", settings=settings, client=SHARED,
                              device=own)
        refused += "from your network" in str(info.value)
    assert refused == 5
    for v in victims:
        assert session.get(User, v.user_id).locked_until is None


@pytest.mark.parametrize("bad", ["", "not-a-token", "other user", "expired", "access token", "deleted account"])
def test_a_device_token_that_is_not_this_accounts_is_ignored(db, session, alice, bad):
    settings = db.settings
    bob = create_user(session, settings, "bob2@example.com", "Bob")
    now = dt.datetime.now(dt.UTC)
    token = {
        "": "",
        "not-a-token": "not-a-token",
        "other user": auth.issue_device_token(session, bob.user_id, settings),
        "expired": auth.issue_device_token(session, alice.user_id, settings, now=now - dt.timedelta(days=400)),
        "access token": auth.issue_access_token(session, alice.user_id, settings),
        "deleted account": "",
    }[bad]
    if bad == "deleted account":  # a token of an account that had the same id
        token = auth.issue_device_token(session, alice.user_id, settings)
        session.execute(
            User.__table__.update().where(User.id == alice.user_id).values(account_uid="another-account-uid-000000")
        )
        session.expire_all()
    _spray(session, settings, settings.client_failure_limit)
    with pytest.raises(AccountLocked, match="from your network"):
        auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED,
                          device=token)


def test_the_second_factor_step_honours_the_device(db, session, alice):
    settings = db.settings
    device = _signed_in_device(session, settings, alice.user_id, alice.email)
    setup = totp.begin_setup(session, user_id=alice.user_id)
    codes = totp.confirm_setup(session, user_id=alice.user_id, code=totp.current_code(setup.secret),
                               password=STRONG_PASSWORD)
    result = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED,
                        device=device)
    _spray(session, settings, settings.client_failure_limit)
    with pytest.raises(AccountLocked, match="from your network"):
        auth.complete_second_factor(session, pending_token=result.second_factor_token, settings=settings,
                                    code=codes[0], client=SHARED)
    done = auth.complete_second_factor(session, pending_token=result.second_factor_token, settings=settings,
                                       code=codes[0], client=SHARED, device=device)
    assert done.principal.user_id == alice.user_id


def test_one_browser_remembers_a_few_accounts_and_drops_the_rest(db, session, alice):
    settings = db.settings
    users = [create_user(session, settings, f"h{i}@example.com", f"H{i}") for i in range(4)]
    held = ""
    for u in users:
        held = auth.remember_device(session, u.user_id, settings, held=held + ",not-a-token")
    assert len(held.split(",")) == 3
    owners = [u for u in users if auth.device_client(held, session.get(User, u.user_id), settings)]
    assert [u.user_id for u in owners] == [u.user_id for u in users[1:]]  # the oldest dropped
    again = auth.remember_device(session, users[3].user_id, settings, held=held)  # a new token, not a second one
    assert len(again.split(",")) == 3
    assert [u.user_id for u in users if auth.device_client(again, session.get(User, u.user_id), settings)] \
        == [u.user_id for u in users[1:]]
    assert auth.device_client(again, session.get(User, users[3].user_id), settings) \
        != auth.device_client(held, session.get(User, users[3].user_id), settings)
    assert auth.device_client("x" * 9000, session.get(User, users[3].user_id), settings) is None


def test_a_strangers_reset_requests_at_the_shared_address_leave_the_owners_browser_its_own(db, session, alice):
    """sec26: 10 "forgot password" requests an hour from one address, for everybody behind it together. The device
    cookie of a browser that signed in to the account asks for that account's reset on its own allowance."""
    from dataclasses import replace

    from budgetwise.services import password_reset
    from tests.services.test_services_password_reset import FakeMailer

    settings = replace(db.settings, smtp_host="mail.example.com", smtp_sender="budget@example.com",
                       public_url="https://budget.example.com/")
    device = _signed_in_device(session, settings, alice.user_id, alice.email)
    mailer = FakeMailer()
    for n in range(password_reset.RESET_REQUESTS_PER_CLIENT):
        password_reset.request_reset(session, email=f"guess{n}@example.com", settings=settings, mailer=mailer,
                                     client=SHARED)
    with pytest.raises(AccountLocked, match="Too many reset requests from your network"):
        password_reset.request_reset(session, email=alice.email, settings=settings, mailer=mailer, client=SHARED)
    password_reset.request_reset(session, email=alice.email, settings=settings, mailer=mailer, client=SHARED,
                                 device=device)
    assert [m[0] for m in mailer.sent] == [alice.email]
    for other in ("nobody@example.com", "bob@example.com"):  # the device is alice's: nobody else's request passes
        with pytest.raises(AccountLocked, match="Too many reset requests from your network"):
            password_reset.request_reset(session, email=other, settings=settings, mailer=mailer, client=SHARED,
                                         device=device)
