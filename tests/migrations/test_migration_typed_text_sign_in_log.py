"""Migration 0053 (session 29, purge29): text typed into the email box at a sign-in that is not an email address — often
the password — was kept readable in ``login_attempts.email`` for 90 days and shown in the admin's Login log and System
page. sec29 keeps new ones as a keyed hash (``auth.logged_email``); 0053 replaces the ones kept before by a fixed marker
(the migration has no reliable way to the app's secret: see its docstring). Email addresses, an account's own email
and empty texts stay; the downgrade keeps the marker (a privacy change is not undone). The old rows no longer count
for the unknown-email lockout of any text (no new attempt is logged as the bare marker); the per-client throttle still
counts them. SQLite always; PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from budgetwise.config import Settings
from budgetwise.errors import AuthenticationError
from budgetwise.services import auth
from budgetwise.services.admin.common import cli_principal
from budgetwise.services.admin.health import recent_failed_logins
from budgetwise.services.admin.logs import list_login_log
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

TYPED = "hunter2-Password!"
MARKER = "(not an email address)"
WHEN = dt.datetime(2026, 12, 1, 9, 0, 0)

# (email, user_id, success, reason): what the sign-in log held before session 29
ROWS = [
    (TYPED, None, False, "unknown"),  # a password typed where the email goes
    (TYPED.lower(), None, False, "unknown"),  # ... as sign-ins stored it (lower case)
    ("my-bank-login", None, False, "locked"),  # a user name, not an address
    ("alice@exampel.com", None, False, "unknown"),  # a mistyped address: the admin needs to read it
    ("a@example.com", 1, True, "ok"),
    ("a@example.com", 1, False, "bad_password"),
    ("new@example.org", None, False, "registered"),
    ("", None, True, "demo_started"),
    ("owner@localhost", 4, True, "ok"),  # an account's own email that the validator would refuse today: kept
]


def _log(conn) -> dict[int, str]:
    return dict(conn.execute(text("SELECT id, email FROM login_attempts")).all())


def _seed_log(conn) -> None:
    conn.execute(text(
        "INSERT INTO users (id, email, name, password_hash, role, is_active, token_version, data_version, "
        "failed_logins, currency, locale, date_format, week_start, totp_enabled, created_at, updated_at, account_uid) "
        "VALUES (4, 'owner@localhost', 'x', 'h', 'admin', :t, 1, 1, 0, 'USD', 'en_US', '%Y-%m-%d', 0, :f, :n, :n, "
        "'uid-4')"), {"t": True, "f": False, "n": WHEN})
    for i, (email, user_id, success, reason) in enumerate(ROWS, start=1):
        conn.execute(text(
            "INSERT INTO login_attempts (id, user_id, email, success, reason, client, created_at) "
            "VALUES (:i, :u, :e, :s, :r, 'client-1', :c)"),
            {"i": i, "u": user_id, "e": email, "s": success, "r": reason, "c": WHEN + dt.timedelta(seconds=i)})
    if conn.dialect.name == "postgresql":  # ids given: the sequence moves on for the app's own rows
        conn.execute(text("SELECT setval(pg_get_serial_sequence('login_attempts', 'id'), 1000)"))


def _settings(tmp_path: Path) -> Settings:
    return Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path / "data"), "BUDGETWISE_BCRYPT_ROUNDS": "4",
                                  "BUDGETWISE_SECRET_KEY": "purge29-test-secret-" + "k" * 40})


def test_0053_replaces_typed_text_keeps_addresses_and_stays_down(url):  # noqa: F811
    with seeded_at(url, "0050") as (cfg, engine):
        with engine.begin() as conn:
            _seed_log(conn)
            before = _log(conn)
        assert TYPED in before.values()
        command.upgrade(cfg, "0053")
        with engine.connect() as conn:
            after = _log(conn)
        typed_ids = {1, 2, 3}
        assert {i: after[i] for i in typed_ids} == dict.fromkeys(typed_ids, MARKER)
        assert {i: e for i, e in after.items() if i not in typed_ids} == \
            {i: e for i, e in before.items() if i not in typed_ids}  # addresses, an account's email, "" stay
        assert not any("hunter2" in e.lower() or "bank-login" in e for e in after.values())
        command.downgrade(cfg, "0050")
        with engine.connect() as conn:
            assert _log(conn) == after  # a privacy change is not undone
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            assert _log(conn) == after


def test_after_0053_the_login_log_shows_no_typed_text_and_old_rows_lock_nothing(url, tmp_path):  # noqa: F811
    settings = _settings(tmp_path)
    with seeded_at(url, "0050") as (cfg, engine):
        with engine.begin() as conn:
            _seed_log(conn)
            for n in range(settings.lockout_threshold):  # enough old failures to lock the typed text before
                conn.execute(text(
                    "INSERT INTO login_attempts (id, user_id, email, success, reason, client, created_at) "
                    "VALUES (:i, NULL, :e, :s, 'unknown', 'client-2', :c)"),
                    {"i": 100 + n, "e": TYPED.lower(), "s": False, "c": WHEN + dt.timedelta(minutes=1, seconds=n)})
        command.upgrade(cfg, "head")
        with Session(engine) as session:
            shown = list_login_log(session, principal=cli_principal(), page_size=500).rows
            shown += tuple(recent_failed_logins(session, principal=cli_principal(), limit=500))
            emails = {row.email for row in shown}
            assert MARKER in emails and "alice@exampel.com" in emails
            assert not any("hunter2" in e.lower() for e in emails)
            # no sign-in is logged as the bare marker, so the old rows lock no text and no account
            assert auth.logged_email(MARKER, settings) != MARKER
            assert auth.logged_email(TYPED.lower(), settings) != MARKER
            with pytest.raises(AuthenticationError) as refused:
                auth.authenticate(session, email=TYPED, password="x", settings=settings,
                                  now=(WHEN + dt.timedelta(minutes=2)).replace(tzinfo=dt.UTC))
            assert type(refused.value) is AuthenticationError  # not AccountLocked


def test_0053_leaves_no_typed_text_in_a_sqlite_files_free_space(tmp_path):
    """SQLite keeps a replaced row's bytes in the page's free space unless ``secure_delete`` is on (Debian's build has
    it on; python.org's and Homebrew's do not): 0053 turns it on for its rewrite, and back as it was."""
    database_url = f"sqlite:///{tmp_path / 'm.db'}"
    with seeded_at(database_url, "0050") as (cfg, engine):
        with engine.begin() as conn:
            _seed_log(conn)
            for n in range(200):  # short texts among addresses: freed cells in the middle of the pages
                conn.execute(text(
                    "INSERT INTO login_attempts (id, user_id, email, success, reason, client, created_at) "
                    "VALUES (:i, NULL, :e, :s, 'unknown', 'c', :c)"),
                    {"i": 1000 + n, "e": f"zq{n:03d}pw" if n % 2 else f"ok{n}@example.com", "s": False, "c": WHEN})
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete = OFF")  # as most builds start
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0053")
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 0
    path = Path(make_url(database_url).database or "")
    kept = b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    assert b"zq1" not in kept and b"hunter2" not in kept.lower()
