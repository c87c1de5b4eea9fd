"""`budgetwise users ...` and `budgetwise reset-password` (in-process, on a SQLite data directory)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from budgetwise.cli import build_parser, main
from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope
from budgetwise.models import AuditLog, User
from budgetwise.services import auth, password_reset, transactions
from tests.conftest import STRONG_PASSWORD, migrated_sqlite, use_local_environment

NEW_PASSWORD = "copper-meadow-sailboat-77"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, sqlite_template: Path):
    use_local_environment(monkeypatch, tmp_path / "data")
    migrated_sqlite(sqlite_template, Settings.load().database_url)  # the command's start-up finds it migrated

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _scope():
    settings = Settings.load()
    engine = make_engine(settings.database_url)
    return settings, engine, session_scope(make_session_factory(engine))


def _user(email: str) -> User | None:
    _, engine, scope = _scope()
    try:
        with scope as s:
            return s.scalar(select(User).where(User.email == email))
    finally:
        engine.dispose()


def _audit() -> list[AuditLog]:
    _, engine, scope = _scope()
    try:
        with scope as s:
            return list(s.scalars(select(AuditLog).order_by(AuditLog.id)))
    finally:
        engine.dispose()


@pytest.fixture
def two_users(cli):
    assert cli("users", "create", "admin@example.com", "--name", "Admin", "--admin", stdin=STRONG_PASSWORD + "\n")[0] == 0
    assert cli("users", "create", "bob@example.com", "--name", "Bob", stdin=STRONG_PASSWORD + "\n")[0] == 0


def test_users_is_registered_once_with_every_action():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert "users" in sub.choices and "reset-password" in sub.choices
    users = next(a for a in sub.choices["users"]._actions if a.dest == "users_command")
    assert set(users.choices) >= {"list", "create", "disable", "enable", "promote", "demote", "delete"}


def test_create_admin_is_the_command_design_md_names(cli):
    """DESIGN.md names `budgetwise create-admin`; it is `users create EMAIL --admin` under that name."""
    assert cli("users", "create", "first@example.com", "--name", "First", stdin=STRONG_PASSWORD + "\n")[0] == 0
    code, out, _ = cli("create-admin", "Boss@Example.com", "--name", "Boss", stdin=STRONG_PASSWORD + "\n")
    assert (code, out) == (0, "Created admin boss@example.com (id 2).\n")
    code, _, err = cli("create-admin", "weak@example.com", "--name", "Weak", stdin="password123\n")
    assert code == 2 and "common" in err and _user("weak@example.com") is None


def test_users_create_keeps_its_behaviour(cli):
    code, out, _ = cli("users", "create", "First@Example.com", "--name", "First", stdin=STRONG_PASSWORD + "\n")
    assert (code, out) == (0, "Created admin first@example.com (id 1).\n")  # the first account is the admin
    code, out, _ = cli("users", "create", "second@example.com", "--name", "Second", stdin=STRONG_PASSWORD + "\n")
    assert out == "Created user second@example.com (id 2).\n"
    code, out, _ = cli("users", "create", "third@example.com", "--name", "Third", "--admin", stdin=STRONG_PASSWORD + "\n")
    assert out == "Created admin third@example.com (id 3).\n"
    code, _, err = cli("users", "create", "SECOND@example.com", "--name", "Again", stdin=STRONG_PASSWORD + "\n")
    assert code == 2 and "already exists" in err
    code, _, err = cli("users", "create", "weak@example.com", "--name", "Weak", stdin="password123\n")
    assert code == 2 and "common" in err
    code, _, err = cli("users", "create", "none@example.com", "--name", "None", stdin="")
    assert code == 2 and "No password on standard input" in err
    settings, engine, scope = _scope()
    try:
        with scope as s:
            assert auth.authenticate(s, email="second@example.com", password=STRONG_PASSWORD, settings=settings)
    finally:
        engine.dispose()
    entry = _audit()[0]
    assert (entry.action, entry.actor_id, entry.actor_email, entry.target) == (
        "user.create", None, "cli@localhost", "first@example.com"
    )


def test_users_list(cli, two_users):
    settings, engine, scope = _scope()
    try:
        with scope as s:
            bob = s.scalar(select(User.id).where(User.email == "bob@example.com"))
            for _ in range(2):
                transactions.add_transaction(s, user_id=bob, date="2025-01-01", amount="1", kind="expense", description="Tea",
                                             auto_categorize=False)
    finally:
        engine.dispose()
    code, out, _ = cli("users", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["ID", "EMAIL", "NAME", "ROLE", "ACTIVE", "CREATED", "LAST", "LOGIN", "TRANSACTIONS"]
    assert lines[1].split()[:5] == ["1", "admin@example.com", "Admin", "admin", "yes"]
    assert lines[2].split()[1] == "bob@example.com" and lines[2].split()[-1] == "2"
    assert cli("users", "list", "--search", "BOB")[1].count("@example.com") == 1
    assert cli("users", "list", "--role", "admin")[1].count("@example.com") == 1
    assert cli("users", "list", "--search", "zzz")[1] == "No users match.\n"


def test_disable_enable_promote_demote_unlock(cli, two_users):
    assert cli("users", "disable", "bob@example.com")[0] == 0
    assert not _user("bob@example.com").is_active
    assert cli("users", "enable", "BOB@example.com")[0] == 0
    assert _user("bob@example.com").is_active
    assert cli("users", "promote", "bob@example.com")[1] == "bob@example.com is now an administrator.\n"
    assert _user("bob@example.com").role == "admin"
    assert cli("users", "demote", "bob@example.com")[0] == 0
    assert _user("bob@example.com").role == "user"
    assert cli("users", "unlock", "bob@example.com")[0] == 0
    assert [e.action for e in _audit()][2:] == ["user.disable", "user.enable", "user.promote", "user.demote", "user.unlock"]
    assert {(e.actor_id, e.actor_email) for e in _audit()} == {(None, "cli@localhost")}
    code, _, err = cli("users", "disable", "nobody@example.com")
    assert code == 2 and "No user with the email" in err


def test_reset_2fa(cli, two_users):
    from budgetwise.services import totp

    settings, engine, scope = _scope()
    with scope as s:
        uid = s.scalar(select(User.id).where(User.email == "bob@example.com"))
        setup = totp.begin_setup(s, user_id=uid)
        totp.confirm_setup(s, user_id=uid, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)
    engine.dispose()
    code, out, _ = cli("users", "reset-2fa", "bob@example.com")
    assert code == 0 and "Two-step sign-in is off for bob@example.com" in out
    assert not _user("bob@example.com").totp_enabled
    assert _audit()[-1].action == "user.reset_2fa"


def test_the_last_active_admin_is_protected(cli, two_users):
    for action in ("demote", "disable"):
        code, _, err = cli("users", action, "admin@example.com")
        assert code == 2 and "last active administrator" in err
    code, _, err = cli("users", "delete", "admin@example.com", "--yes")
    assert code == 2 and "last active administrator" in err
    admin_user = _user("admin@example.com")
    assert admin_user.role == "admin" and admin_user.is_active


def test_delete_asks_for_the_email(cli, two_users):
    code, _, err = cli("users", "delete", "bob@example.com", stdin="bob@example.org\n")
    assert code == 2 and "exactly" in err and _user("bob@example.com") is not None
    code, _, err = cli("users", "delete", "bob@example.com", stdin="")
    assert code == 2 and "--yes" in err and _user("bob@example.com") is not None
    code, out, err = cli("users", "delete", "bob@example.com", stdin="bob@example.com\n")
    assert code == 0 and "Deleted bob@example.com" in out and "0 transactions" in err
    assert _user("bob@example.com") is None
    cli("users", "create", "carol@example.com", "--name", "Carol", stdin=STRONG_PASSWORD + "\n")
    assert cli("users", "delete", "carol@example.com", "--yes")[0] == 0 and _user("carol@example.com") is None


def test_reset_password_prints_a_working_one_time_code(cli, two_users):
    code, out, _ = cli("reset-password", "bob@example.com")
    assert code == 0
    reset_code = out.splitlines()[1]
    settings, engine, scope = _scope()
    try:
        with scope as s:
            password_reset.reset_password(s, token=reset_code, new_password=NEW_PASSWORD, settings=settings)
        with session_scope(make_session_factory(engine)) as s:
            assert auth.authenticate(s, email="bob@example.com", password=NEW_PASSWORD, settings=settings)
    finally:
        engine.dispose()
    assert _audit()[-2].action == "user.reset_code" and reset_code not in _audit()[-2].details
    code, _, err = cli("reset-password", "nobody@example.com")
    assert code == 2 and "No user" in err


def test_users_create_accepts_a_home_network_address(cli):
    code, out, err = cli("users", "create", "mum@home.local", "--name", "Mum", stdin=STRONG_PASSWORD + "\n")
    assert (code, out, err) == (0, "Created admin mum@home.local (id 1).\n", "")
    assert _user("mum@home.local") is not None


def test_the_demo_account_does_not_count_as_the_first_account(cli):
    """README: the first account becomes the administrator, "demo accounts do not count". After
    `budgetwise demo` on a fresh database, `users create` (like registering in the app) makes the admin."""
    assert cli("demo", "--months", "2")[0] == 0
    code, out, _ = cli("users", "create", "first@example.com", "--name", "First", stdin=NEW_PASSWORD + "\n")
    assert code == 0 and "Created admin first@example.com" in out
    code, out, _ = cli("users", "create", "second@example.com", "--name", "Second", stdin=NEW_PASSWORD + "\n")
    assert code == 0 and "Created user second@example.com" in out
    assert _user(auth.DEMO_EMAIL).role == "user"


def test_users_list_into_a_closed_pipe_exits_quietly(two_users):
    """Session 21 (admintrial): `budgetwise users list | head` ended in a BrokenPipeError traceback. The reader here
    is gone before the command writes anything, so every run meets the closed pipe."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "budgetwise", "users", "list"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120, env={**os.environ, "PYTHONPATH": os.getcwd()})
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")
