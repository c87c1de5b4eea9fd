"""Session 21 (sec21b): old sign-in records are purged; per-user ceilings hold under concurrent requests; an undone
delete cannot pass the transaction ceiling. Session 22 (tidy22): the rules ceiling too."""

from __future__ import annotations

import datetime as dt
import shutil
import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import ConflictError, ValidationError
from budgetwise.importing import limits
from budgetwise.models import AuditLog, Category, LoginAttempt, RememberToken, Rule, Transaction, utcnow
from budgetwise.services import auth, categories, categorize, retention
from budgetwise.services import transactions as tx
from budgetwise.services.categorize import RuleSpec
from budgetwise.services.categorize import rules as rules_service
from tests.conftest import create_user, make_settings
from tests.security.helpers import run_two, scratch_database


# --------------------------------------------------------------------------- retention
def test_the_purge_keeps_what_the_longest_rule_reads():
    assert retention.SIGN_IN_LOG_DAYS >= auth.KNOWN_CLIENT_DAYS
    assert retention.PER_ATTEMPT > 1  # each sign-in row written purges more than it adds


def test_old_sign_in_rows_and_expired_cookies_go_at_the_next_sign_in_attempt(db, session, alice):
    now = utcnow()
    old, kept = now - dt.timedelta(days=retention.SIGN_IN_LOG_DAYS + 1), now - dt.timedelta(days=30)
    for when in (old, old, kept):
        session.add(LoginAttempt(user_id=alice.user_id, email=alice.email, success=True, reason="ok", created_at=when,
                                 client="c"))
    session.add(AuditLog(actor_id=None, actor_email="x@example.com", action="old", created_at=old))
    session.add(RememberToken(user_id=alice.user_id, selector="s" * 32, validator_hash="v" * 64, token_version=0,
                              created_at=old, expires_at=old + dt.timedelta(hours=72), chain_expires_at=old))
    session.flush()
    with pytest.raises(Exception):  # noqa: B017 - any refusal: the attempt is what matters
        auth.authenticate(session, email="nobody@example.com", password="wrong-password", settings=db.settings, now=now)
    times = sorted(t.replace(tzinfo=None) for t in session.scalars(select(LoginAttempt.created_at)))
    assert len(times) == 2 and times[0] >= kept.replace(tzinfo=None) - dt.timedelta(seconds=1)  # kept + this attempt
    assert session.scalar(select(func.count()).select_from(RememberToken)) == 0
    assert session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "old")) == 1


def test_the_purge_is_bounded(db, session, alice):
    old = utcnow() - dt.timedelta(days=retention.SIGN_IN_LOG_DAYS + 5)
    session.add_all([LoginAttempt(user_id=None, email="x@example.com", success=False, reason="unknown_email",
                                  created_at=old) for _ in range(7)])
    session.flush()
    assert retention.purge_old_sign_in_records(session, limit=5).sign_in_rows == 5
    assert retention.purge_old_sign_in_records(session, limit=5).sign_in_rows == 2


# --------------------------------------------------------------------------- undo past the ceiling
def test_an_undone_delete_cannot_pass_the_transaction_limit(db, session, alice, monkeypatch):
    uid = alice.user_id
    ids = [tx.add_transaction(session, user_id=uid, date=dt.date.today(), amount="5.00", kind="expense",
                              description=f"Shop {i}").id for i in range(3)]
    deleted = tx.delete_for_undo(session, user_id=uid, transaction_ids=ids)
    monkeypatch.setattr(limits, "MAX_TRANSACTIONS_PER_USER", 3)
    tx.add_transaction(session, user_id=uid, date=dt.date.today(), amount="1.00", kind="expense", description="New")
    with pytest.raises(ConflictError, match=r"Undo would put back 3 transactions, but this account now holds 1 and "
                                            r"the limit is 3"):
        tx.restore_deleted(session, user_id=uid, deleted=deleted)
    assert tx.count_transactions(session, user_id=uid) == 1
    monkeypatch.setattr(limits, "MAX_TRANSACTIONS_PER_USER", 4)
    assert tx.restore_deleted(session, user_id=uid, deleted=deleted) == 3


# --------------------------------------------------------------------------- two requests at once
def _race(url: str, settings, monkeypatch, what: str) -> int:
    """Two requests of one user, one row short of the ceiling, each held after its count until the other has
    counted too (or 3 s, when the other waits for the user's lock). How many rows the ceiling let through."""
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with session_scope(factory) as s:
            uid = create_user(s, settings, "racer@example.com", "Racer").user_id
            own = s.scalar(select(func.count(Category.id)).where(Category.user_id == uid)) or 0
            own_rules = s.scalar(select(func.count(Rule.id)).where(Rule.user_id == uid)) or 0
            category = s.scalar(select(Category.id).where(Category.user_id.is_(None), Category.kind == "expense")
                                .order_by(Category.id).limit(1))
        monkeypatch.setattr(limits, "MAX_TRANSACTIONS_PER_USER", 1)
        monkeypatch.setattr(categories, "MAX_OWN_CATEGORIES", own + 1)
        monkeypatch.setattr(rules_service, "MAX_RULES_PER_USER", own_rules + 1)
        barrier = threading.Barrier(2)
        errors: list[str] = []

        def request(n: int) -> None:
            try:
                with session_scope(factory) as s:
                    def hold(*_args) -> None:  # after the count, before the write
                        try:
                            barrier.wait(timeout=3)
                        except threading.BrokenBarrierError:
                            pass
                    event.listen(s, "before_flush", hold)
                    if what == "transactions":
                        tx.add_transaction(s, user_id=uid, date=dt.date.today(), amount="1.00", kind="expense",
                                           description=f"Race {n}")
                    elif what == "rules":
                        categorize.create_rule(s, user_id=uid, spec=RuleSpec(category_id=category, pattern=f"race {n}"))
                    else:
                        categories.create_category(s, user_id=uid, name=f"Race {n}", kind="expense")
            except (ConflictError, ValidationError):
                pass
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            if what == "transactions":
                return s.scalar(select(func.count(Transaction.id)).where(Transaction.user_id == uid)) or 0
            if what == "rules":
                return (s.scalar(select(func.count(Rule.id)).where(Rule.user_id == uid)) or 0) - own_rules
            return (s.scalar(select(func.count(Category.id)).where(Category.user_id == uid)) or 0) - own
    finally:
        engine.dispose()


@pytest.mark.parametrize("what", ["transactions", "categories", "rules"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_requests_at_once_cannot_both_pass_a_per_user_limit(tmp_path, sqlite_template, backend, what, monkeypatch):
    settings = make_settings(tmp_path / "data")
    if backend == "sqlite":
        path = tmp_path / "race.db"
        shutil.copyfile(sqlite_template, path)
        assert _race(f"sqlite:///{path}", settings, monkeypatch, what) == 1
        return
    with scratch_database(backend) as url:
        upgrade_database(url)
        assert _race(url, settings, monkeypatch, what) == 1
