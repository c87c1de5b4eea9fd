"""Two-factor sign-in (TOTP + one-time recovery codes): setup, sign-in step, lockout, disable."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pyotp
import pytest
from sqlalchemy import select

from budgetwise.errors import AccountLocked, AuthenticationError, ValidationError
from budgetwise.models import LoginAttempt, RecoveryCode, User
from budgetwise.services import auth, totp
from tests.conftest import STRONG_PASSWORD

# Session tokens are checked against the real clock, so codes are computed around it.
NOW = dt.datetime.now(dt.UTC)
STEP = dt.timedelta(seconds=30)


def _enable(session, principal, now=NOW):
    setup = totp.begin_setup(session, user_id=principal.user_id)
    codes = totp.confirm_setup(session, user_id=principal.user_id, code=totp.current_code(setup.secret, now=now), now=now, password=STRONG_PASSWORD)
    session.flush()
    return setup, codes


def test_setup_gives_secret_uri_and_qr_and_needs_a_right_first_code(db, session, alice):
    setup = totp.begin_setup(session, user_id=alice.user_id)
    assert len(setup.secret) == 32 and pyotp.TOTP(setup.secret).now().isdigit()
    assert setup.uri.startswith("otpauth://totp/BudgetWise:alice%40example.com?") and "issuer=BudgetWise" in setup.uri
    png = totp.qr_png(setup.uri)
    assert png and png.startswith(b"\x89PNG")
    assert totp.pending_setup(session, user_id=alice.user_id) == setup  # survives a page reload
    assert not totp.is_enabled(session, user_id=alice.user_id)
    with pytest.raises(ValidationError, match="does not match"):
        totp.confirm_setup(session, user_id=alice.user_id, code="000000" if totp.current_code(setup.secret, now=NOW) != "000000" else "111111", now=NOW, password=STRONG_PASSWORD)
    codes = totp.confirm_setup(session, user_id=alice.user_id, code=totp.current_code(setup.secret, now=NOW), now=NOW, password=STRONG_PASSWORD)
    assert len(codes) == totp.RECOVERY_CODE_COUNT == len(set(codes))
    st = totp.status(session, user_id=alice.user_id)
    assert st.enabled and not st.setup_pending and st.recovery_codes_left == 10
    stored = session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == alice.user_id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    assert all(c not in "".join(stored) for c in codes)


def test_login_with_2fa_needs_the_second_step(db, session, alice):
    setup, codes = _enable(session, alice)
    result = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings)
    assert result.needs_second_factor and result.access_token == ""
    with pytest.raises(AuthenticationError):  # the pending token is not a session token
        auth.verify_token(session, token=result.second_factor_token, settings=db.settings)
    code = totp.current_code(setup.secret, now=NOW + STEP * 4)
    done = auth.complete_second_factor(
        session, pending_token=result.second_factor_token, code=code, settings=db.settings, now=NOW + STEP * 4
    )
    assert done.access_token and not done.needs_second_factor
    assert auth.verify_token(session, token=done.access_token, settings=db.settings).user_id == alice.user_id
    # the same code cannot be replayed (RFC 6238 5.2)
    again = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings)
    with pytest.raises(AuthenticationError, match="not correct"):
        auth.complete_second_factor(
            session, pending_token=again.second_factor_token, code=code, settings=db.settings, now=NOW + STEP * 4
        )
    reasons = session.scalars(
        select(LoginAttempt.reason).where(LoginAttempt.user_id == alice.user_id).order_by(LoginAttempt.id)
    ).all()
    assert reasons == ["2fa_pending", "ok", "2fa_pending", "bad_2fa_code"]


def test_recovery_code_works_once(db, session, alice):
    _setup, codes = _enable(session, alice)
    first = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings)
    done = auth.complete_second_factor(
        session, pending_token=first.second_factor_token, code=codes[3].upper().replace("-", " "), settings=db.settings, now=NOW
    )
    assert done.access_token
    assert totp.status(session, user_id=alice.user_id).recovery_codes_left == 9
    second = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings)
    with pytest.raises(AuthenticationError):
        auth.complete_second_factor(session, pending_token=second.second_factor_token, code=codes[3], settings=db.settings, now=NOW)


def test_wrong_codes_lock_the_account_and_a_right_password_does_not_reset_the_count(db, session, alice):
    setup, _codes = _enable(session, alice)
    settings = replace(db.settings, lockout_threshold=3)
    right = totp.current_code(setup.secret, now=NOW + STEP * 10)
    wrong = "123456" if right != "123456" else "654321"
    for i in range(2):
        pending = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=settings)
        with pytest.raises(AuthenticationError):
            auth.complete_second_factor(session, pending_token=pending.second_factor_token, code=wrong, settings=settings, now=NOW + STEP * 10)
    pending = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=settings)
    with pytest.raises(AccountLocked):
        auth.complete_second_factor(session, pending_token=pending.second_factor_token, code=wrong, settings=settings, now=NOW + STEP * 10)
    # locked: even the right password, then the right code, is refused
    with pytest.raises(AccountLocked):
        auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=settings)
    with pytest.raises(AccountLocked):
        auth.complete_second_factor(session, pending_token=pending.second_factor_token, code=right, settings=settings, now=NOW + STEP * 11)


def test_pending_token_expires_and_dies_with_logout(db, session, alice):
    setup, _ = _enable(session, alice)
    issued = NOW - auth.SECOND_FACTOR_TTL - dt.timedelta(seconds=2)
    pending = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings, now=issued)
    later = NOW
    with pytest.raises(AuthenticationError, match="took too long"):
        auth.complete_second_factor(
            session, pending_token=pending.second_factor_token, code=totp.current_code(setup.secret, now=later),
            settings=db.settings, now=later,
        )
    fresh = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings)
    auth.logout(session, user_id=alice.user_id)
    session.flush()
    with pytest.raises(AuthenticationError, match="took too long"):
        auth.complete_second_factor(
            session, pending_token=fresh.second_factor_token, code=totp.current_code(setup.secret), settings=db.settings
        )


def test_users_without_2fa_sign_in_as_before(db, session, alice):
    result = auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings)
    assert result.access_token and not result.needs_second_factor
    assert session.get(User, alice.user_id).failed_logins == 0


def test_disable_and_regenerate_need_password_and_code(db, session, alice):
    setup, codes = _enable(session, alice)
    later = NOW + STEP * 20
    with pytest.raises(AuthenticationError, match="password"):
        totp.disable(session, user_id=alice.user_id, password="wrong-password-9", code=totp.current_code(setup.secret, now=later), now=later)
    with pytest.raises(AuthenticationError, match="code"):
        totp.disable(session, user_id=alice.user_id, password=STRONG_PASSWORD, code="000000" if totp.current_code(setup.secret, now=later) != "000000" else "999999", now=later)
    new_codes = totp.regenerate_recovery_codes(
        session, user_id=alice.user_id, password=STRONG_PASSWORD, code=totp.current_code(setup.secret, now=later), now=later
    )
    assert not set(new_codes) & set(codes)
    with pytest.raises(AuthenticationError):  # an old recovery code is dead
        totp.disable(session, user_id=alice.user_id, password=STRONG_PASSWORD, code=codes[0], now=later)
    totp.disable(session, user_id=alice.user_id, password=STRONG_PASSWORD, code=new_codes[0], now=later)
    st = totp.status(session, user_id=alice.user_id)
    assert not st.enabled and not st.setup_pending
    assert session.get(User, alice.user_id).totp_secret is None
    assert not session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == alice.user_id)).all()
    assert auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings).access_token


def test_turning_it_on_needs_the_password(db, session, alice):
    """Session 20 audit: "turn on" asked only for a code of the app being set up, so whoever found a session left
    open could turn it on with their own phone: every other session of the owner ended, the recovery codes were
    theirs, and the owner could not sign in again (a password reset keeps two-step sign-in on)."""
    setup = totp.begin_setup(session, user_id=alice.user_id)
    code = totp.current_code(setup.secret, now=NOW)
    with pytest.raises(ValidationError, match="password"):
        totp.confirm_setup(session, user_id=alice.user_id, code=code, password="", now=NOW, settings=db.settings)
    with pytest.raises(AuthenticationError, match="password"):
        totp.confirm_setup(session, user_id=alice.user_id, code=code, password="wrong-password-9", now=NOW,
                           settings=db.settings)
    assert not totp.is_enabled(session, user_id=alice.user_id)
    reasons = session.scalars(select(LoginAttempt.reason).where(LoginAttempt.user_id == alice.user_id)).all()
    assert reasons == ["bad_current_password"]  # counted like any wrong current password
    assert totp.confirm_setup(session, user_id=alice.user_id, code=code, password=STRONG_PASSWORD, now=NOW,
                              settings=db.settings)
    assert totp.is_enabled(session, user_id=alice.user_id)


def _wrong_code(secret, now):
    right = {totp.current_code(secret, now=now + STEP * k) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.mark.parametrize("action", ["disable", "regenerate"])
def test_wrong_codes_when_turning_it_off_count_towards_the_lockout(db, session, alice, action):
    """Session 20 audit: a session left open plus the password could guess codes at "turn off" (or "new recovery
    codes") without limit (only sign-in counted wrong codes), then sign in with the password alone from then on."""
    setup, _codes = _enable(session, alice)
    session.commit()
    later = NOW + STEP * 20
    call = totp.disable if action == "disable" else totp.regenerate_recovery_codes
    for _ in range(db.settings.lockout_threshold - 1):
        with pytest.raises(AuthenticationError, match="code"):
            call(session, user_id=alice.user_id, password=STRONG_PASSWORD, code=_wrong_code(setup.secret, later),
                 now=later, settings=db.settings)
        session.rollback()  # as the page's unit of work does: the failure must survive it
    with pytest.raises(AccountLocked):
        call(session, user_id=alice.user_id, password=STRONG_PASSWORD, code=_wrong_code(setup.secret, later),
             now=later, settings=db.settings)
    session.rollback()
    with pytest.raises(AccountLocked):  # locked: even the right code is refused
        call(session, user_id=alice.user_id, password=STRONG_PASSWORD, code=totp.current_code(setup.secret, now=later),
             now=later, settings=db.settings)
    assert totp.is_enabled(session, user_id=alice.user_id)
    reasons = session.scalars(select(LoginAttempt.reason).where(LoginAttempt.user_id == alice.user_id)).all()
    assert reasons.count("bad_2fa_code") == db.settings.lockout_threshold - 1 and "locked_now" in reasons


def test_code_window_accepts_clock_drift_of_one_step_only(db, session, alice):
    setup, _ = _enable(session, alice)
    at = NOW + STEP * 40
    for offset, ok in ((-1, True), (1, True), (3, False)):
        code = totp.current_code(setup.secret, now=at + STEP * offset)
        assert (totp.verify_second_factor(session, user_id=alice.user_id, code=code, now=at) is not None) is ok, offset


def test_admin_reset_turns_it_off_without_a_code(db, session, alice):
    _enable(session, alice)
    totp.admin_reset(session, user_id=alice.user_id)
    st = totp.status(session, user_id=alice.user_id)
    assert not st.enabled and not st.setup_pending
    assert not session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == alice.user_id)).all()
    assert auth.login(session, email=alice.email, password=STRONG_PASSWORD, settings=db.settings).access_token


def test_demo_account_cannot_enable_it(db, session):
    from tests.conftest import create_user

    demo = create_user(session, db.settings, totp.DEMO_EMAIL, "Demo")
    with pytest.raises(ValidationError, match="demo"):
        totp.begin_setup(session, user_id=demo.user_id)
