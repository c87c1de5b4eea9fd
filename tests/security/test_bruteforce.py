"""Brute force: the lockout holds under concurrent attempts on one account, and sign-in
answers give no hint of which emails exist (same messages, same lockout, similar time).

Timing is measured as a behavioural check with a loose bound (no performance target):
an unknown email must cost a password-hash check like a known one, so the medians of
the two are within a factor of two of each other.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import AccountLocked, AuthenticationError
from budgetwise.models import User
from budgetwise.services import auth
from tests.conftest import STRONG_PASSWORD, create_user, make_settings
from tests.security.helpers import scratch_database

ATTEMPTS = 24
THRESHOLD = 5


def _hammer(url: str, settings, tmp_path, *, second_factor: bool = False) -> None:
    """ATTEMPTS threads guess at once (wrong passwords, or wrong codes after the right password)."""
    from budgetwise.services import totp

    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with session_scope(factory) as s:
            uid = create_user(s, settings, "victim@example.com", "Victim").user_id
            if second_factor:
                setup = totp.begin_setup(s, user_id=uid)
                totp.confirm_setup(s, user_id=uid, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)
        settings = replace(settings, lockout_threshold=THRESHOLD, bcrypt_rounds=6)
        pending = None
        if second_factor:
            with session_scope(factory) as s:
                pending = auth.login(s, email="victim@example.com", password=STRONG_PASSWORD, settings=settings).second_factor_token
            right = totp.current_code(setup.secret)
        barrier = threading.Barrier(ATTEMPTS)
        outcomes: list[str] = []
        lock = threading.Lock()

        def attempt(n: int) -> None:
            barrier.wait()
            try:
                with session_scope(factory) as s:
                    if second_factor:
                        code = f"{(n * 7919) % 1_000_000:06d}"
                        auth.complete_second_factor(s, pending_token=pending, code=code if code != right else "000000",
                                                    settings=settings)
                    else:
                        auth.authenticate(s, email="victim@example.com", password=f"wrong-guess-{n}", settings=settings)
                result = "accepted"
            except AccountLocked:
                result = "locked"
            except AuthenticationError:
                result = "rejected"
            except Exception as exc:  # noqa: BLE001 - a database error reaching the user is a failure
                result = f"error: {exc!r}"
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        errors = [o for o in outcomes if o.startswith("error")]
        assert not errors, errors
        assert len(outcomes) == ATTEMPTS and "accepted" not in outcomes
        # Every failure counted (no lost updates): at most THRESHOLD guesses were judged on
        # their merits, the rest were answered "locked".
        assert outcomes.count("rejected") <= THRESHOLD - 1, outcomes
        assert outcomes.count("locked") >= ATTEMPTS - THRESHOLD + 1, outcomes
        with session_scope(factory) as s:
            with pytest.raises(AccountLocked):  # even the right password (or code) now
                if second_factor:
                    auth.complete_second_factor(s, pending_token=pending, code=right, settings=settings)
                else:
                    auth.authenticate(s, email="victim@example.com", password=STRONG_PASSWORD, settings=settings)
            assert s.get(User, uid).locked_until is not None
    finally:
        engine.dispose()


@pytest.mark.parametrize("step", ["password", "second_factor"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_lockout_holds_under_concurrent_attempts(tmp_path, sqlite_template, backend, step):
    settings = make_settings(tmp_path / "data")
    if backend == "sqlite":
        import shutil

        db = tmp_path / "bf.db"
        shutil.copyfile(sqlite_template, db)
        _hammer(f"sqlite:///{db}", settings, tmp_path, second_factor=step == "second_factor")
        return
    with scratch_database(backend) as url:
        upgrade_database(url)
        _hammer(url, settings, tmp_path, second_factor=step == "second_factor")


def _answers(session, settings, email: str, n: int, now=None) -> list[str]:
    out = []
    for i in range(n):
        try:
            auth.authenticate(session, email=email, password=f"wrong-password-{i}", settings=settings, now=now)
            out.append("accepted")
        except AuthenticationError as exc:
            out.append(f"{type(exc).__name__}: {exc}")
    return out


def test_known_and_unknown_emails_get_the_same_answers(db, session, alice):
    """Same message for each attempt, and the unknown address 'locks' at the same attempt."""
    import datetime as dt

    settings = replace(db.settings, lockout_threshold=3)
    t0 = dt.datetime.now(dt.UTC).replace(microsecond=0)
    known, unknown = [], []
    # 5 attempts, then 10 minutes later, then after the lock expired: a new streak
    for offset, n in ((0, 5), (10, 2), (16, 4)):
        now = t0 + dt.timedelta(minutes=offset)
        known += _answers(session, settings, "alice@example.com", n, now)
        unknown += _answers(session, settings, "nobody@example.com", n, now)
    assert known == unknown
    assert known[0] == f"AuthenticationError: {auth.INVALID_LOGIN}"
    assert known[2].startswith("AccountLocked: Too many failed sign-in attempts")
    assert "5 more minutes" in known[5]
    assert known[7:] == [f"AuthenticationError: {auth.INVALID_LOGIN}"] * 2 + known[2:4]


def _hash_checks(monkeypatch, session, settings, email: str, n: int) -> list[int]:
    """The bcrypt cost factor of every hash check ``n`` failed sign-ins of ``email`` perform."""
    import bcrypt

    costs: list[int] = []
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        costs.append(int(hashed.split(b"$")[2]))  # $2b$<cost>$...
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    for i in range(n):
        try:
            auth.authenticate(session, email=email, password=f"wrong-password-{i}", settings=settings)
        except AuthenticationError:
            pass
    monkeypatch.setattr(bcrypt, "checkpw", real)
    return costs


def test_unknown_email_costs_a_hash_check_like_a_known_one(db, session, alice, monkeypatch):
    """An unknown email must cost what a known one costs: one bcrypt check at the configured cost
    per attempt (a dummy hash), so response times do not tell which emails have accounts. Checked
    by counting the checks and their cost factor, not by timing them (a timed assertion failed
    under load in CI: timings belong in benchmarks, not tests)."""
    settings = replace(db.settings, bcrypt_rounds=8, lockout_threshold=100)  # no lockout path taken
    session.get(User, alice.user_id).password_hash = auth.security.hash_password(STRONG_PASSWORD, rounds=8)
    session.flush()
    known = _hash_checks(monkeypatch, session, settings, "alice@example.com", 5)
    unknown = _hash_checks(monkeypatch, session, settings, "nobody@example.com", 5)
    assert known == unknown == [8] * 5


def test_login_page_shows_the_same_message_for_unknown_emails(app_env):
    app_env.create_user("alice@example.com", "Alice")
    messages = []
    for email in ("alice@example.com", "nobody@example.com"):
        at = app_env.page("pages/login.py")
        at.run()
        at.text_input(key="login_email").input(email)
        at.text_input(key="login_password").input("not-the-password-1")
        at.button(key="FormSubmitter:login_form-Sign in").click().run()
        assert not at.exception
        messages.append([e.value for e in at.error])
    assert messages[0] == messages[1] == [auth.INVALID_LOGIN]


def test_precheck_outside_the_write_transaction_gives_the_same_outcomes(db, session, alice):
    """state.sign_in verifies the password in a read-only session first (auth.check_password);
    authenticate then only records the outcome, with the same answers and lockout."""
    settings = replace(db.settings, lockout_threshold=3)

    def attempt(email: str, password: str) -> str:
        checked = auth.check_password(session, email=email, password=password, settings=settings)
        try:
            auth.authenticate(session, email=email, password=password, settings=settings, checked=checked)
            return "ok"
        except AuthenticationError as exc:
            return f"{type(exc).__name__}: {exc}"

    assert attempt("alice@example.com", STRONG_PASSWORD) == "ok"
    known = [attempt("alice@example.com", f"wrong-{i}-password") for i in range(4)]
    unknown = [attempt("nobody@example.com", f"wrong-{i}-password") for i in range(4)]
    assert known == unknown and known[2].startswith("AccountLocked")
    # a precheck made against an old hash is not trusted after a password change
    checked = auth.check_password(session, email="bob@example.com", password=STRONG_PASSWORD, settings=settings)
    bob = create_user(session, settings, "bob@example.com", "Bob")
    assert checked.ok is False and checked.verified_hash == ""
    assert auth.authenticate(session, email="bob@example.com", password=STRONG_PASSWORD, settings=settings,
                             checked=checked).user_id == bob.user_id
    # a forged "ok" for another address is ignored
    forged = auth.PasswordCheck(email="someone@else.example", verified_hash="x", ok=True)
    with pytest.raises(AuthenticationError):
        auth.authenticate(session, email="bob@example.com", password="not-bobs-password", settings=settings, checked=forged)
