"""Undoing an import while another tab of the same user writes (session 26, sec26).

``importing.undo_import`` took no lock of the user's: it read which accounts the import created were now empty, and
what balance the account held, and then deleted and wrote. Two tabs at once (PostgreSQL, MariaDB; SQLite has one writer):

* an import of the file's updated export (its rows imported before sit in the account the undone import created, so
  session 25 sends the new rows there) stored its new rows in that account while the undo found it empty and
  deleted it: the foreign key's ON DELETE SET NULL took the new rows' account away, and they counted silently in
  the default account (EUR rows in a USD account);
* "Set a balance" (an opening balance) written while the undo had read that the account still held the import's
  balance: the undo then wrote the balance from before the import over the one the user had just set.

The undo now reads which accounts are empty under the user's lock, as an import writes, and the account's balance
state with a row lock (the latest row).
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.importing import ImportOptions
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services.importing import commit as commit_module
from budgetwise.services.importing import history as history_module
from tests.conftest import create_user, make_settings
from tests.security.helpers import run_two, scratch_database

FIRST = b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n2024-03-02,Salary,1000.00\n2024-03-03,Cafe,-3.10\n"
LATER = FIRST + b"2024-03-04,Bakery,-2.40\n2024-03-05,Cinema,-11.00\n"
EUR = ImportOptions(currency="EUR")
# the statement says 2,180.00 after the last row; the rows add up to 1,180.00: the box sets the opening balance 1,000
CSV = (b"Date,Description,Amount,Balance\n2024-03-01,Coffee,-3.50,996.50\n2024-03-02,Salary,2500.00,3496.50\n"
       b"2024-03-03,Rent,-1200.00,2296.50\n2024-03-04,Groceries,-96.50,2200.00\n2024-03-05,Book,-20.00,2180.00\n")


def _url(tmp_path, sqlite_template, backend, stack) -> str:
    if backend == "sqlite":
        path = tmp_path / "race.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = stack.enter_context(scratch_database(backend))
    upgrade_database(url)
    return url


def _wait(barrier: threading.Barrier) -> None:
    try:
        barrier.wait(timeout=3)
    except threading.BrokenBarrierError:
        pass


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_an_import_into_the_account_an_undone_import_created_keeps_its_account(
        tmp_path, sqlite_template, backend, monkeypatch):
    import contextlib

    with contextlib.ExitStack() as stack:
        url = _url(tmp_path, sqlite_template, backend, stack)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with session_scope(factory) as s:
            uid = create_user(s, make_settings(tmp_path / "data"), "racer@example.com", "Racer").user_id
            first = svc.commit_import(s, user_id=uid, data=FIRST, filename="bank.csv", options=EUR)  # creates EUR
        inserted = threading.Event()
        barrier = threading.Barrier(2)
        errors: list[str] = []
        insert_rows, created_accounts = commit_module._insert_rows, history_module._created_accounts

        def insert_then_hold(*args, **kwargs):  # the updated export's rows are written, not yet committed
            out = insert_rows(*args, **kwargs)
            inserted.set()
            _wait(barrier)  # the undo has read which accounts are empty
            time.sleep(0.5)
            return out

        def check_after_the_insert(*args, **kwargs):
            _wait(barrier)
            return created_accounts(*args, **kwargs)

        monkeypatch.setattr(commit_module, "_insert_rows", insert_then_hold)
        monkeypatch.setattr(history_module, "_created_accounts", check_after_the_insert)

        def request(n: int) -> None:
            try:
                if n == 1:
                    inserted.wait(timeout=10)
                with session_scope(factory) as s:
                    if n == 0:
                        svc.commit_import(s, user_id=uid, data=LATER, filename="bank-later.csv", options=EUR)
                    else:
                        svc.undo_import(s, user_id=uid, batch_id=first.batch_id)
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            rows = s.execute(select(Transaction.description, Transaction.account_id, Account.currency)
                             .outerjoin(Account, Account.id == Transaction.account_id)
                             .where(Transaction.user_id == uid)).all()
        # before: [('Bakery', None, None), ('Cinema', None, None)]: counted in the USD default account
        assert sorted(d for d, _a, _c in rows) == ["Bakery", "Cinema"], rows
        assert all(a is not None and c == "EUR" for _d, a, c in rows), rows


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_a_balance_set_while_an_import_is_undone_is_not_overwritten(tmp_path, sqlite_template, backend):
    import contextlib

    with contextlib.ExitStack() as stack:
        url = _url(tmp_path, sqlite_template, backend, stack)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with session_scope(factory) as s:
            user = create_user(s, make_settings(tmp_path / "data"), "racer@example.com", "Racer")
            preview = svc.preview_import(s, user_id=user.user_id, data=CSV, filename="a.csv")
            result = svc.commit_import(s, user_id=user.user_id, data=CSV, filename="a.csv", preview=preview)
            recon = svc.after_preview(s, user_id=user.user_id, preview=preview, data=CSV, batch_id=result.batch_id)
            svc.set_opening_from_statement(s, principal=user, account_id=recon.account_id, balance=recon.statement,
                                           batch_id=result.batch_id)
            account_id = recon.account_id
            assert accounts.get_account(s, user_id=user.user_id, account_id=account_id).opening_balance_minor == 100000
        barrier = threading.Barrier(2)
        errors: list[str] = []

        def request(n: int) -> None:
            try:
                with session_scope(factory) as s:
                    def hold(*_args) -> None:  # both have read the account, neither has written
                        _wait(barrier)
                        if n == 0:
                            time.sleep(0.5)  # the user's balance is written first
                    event.listen(s, "before_flush", hold)
                    if n == 0:
                        svc.undo_import(s, user_id=user.user_id, batch_id=result.batch_id)
                    else:
                        accounts.set_opening_balance(s, user_id=user.user_id, account_id=account_id, amount="750",
                                                     opening_date=dt.date(2024, 1, 1))
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            view = accounts.get_account(s, user_id=user.user_id, account_id=account_id)
        # before: (0, None) on PostgreSQL and MariaDB: the undo wrote the balance from before the import over it
        assert (view.opening_balance_minor, view.opening_date) == (75000, dt.date(2024, 1, 1))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_tabs_undoing_one_import_get_one_undo_and_one_already_undone(tmp_path, sqlite_template, backend):
    """The second tab read "imported" before the first committed: on PostgreSQL it then 'removed 0 transactions'
    and said nothing of the accounts; now it is told the import was already undone, as on MariaDB and SQLite."""
    import contextlib

    with contextlib.ExitStack() as stack:
        url = _url(tmp_path, sqlite_template, backend, stack)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with session_scope(factory) as s:
            uid = create_user(s, make_settings(tmp_path / "data"), "racer@example.com", "Racer").user_id
            batch = svc.commit_import(s, user_id=uid, data=FIRST, filename="bank.csv", options=EUR).batch_id
        barrier = threading.Barrier(2)
        results: list[object] = []

        def request(n: int) -> None:
            try:
                with session_scope(factory) as s:
                    _wait(barrier)
                    results.append(svc.undo_import(s, user_id=uid, batch_id=batch).rows)
            except svc.ImportAlreadyUndone as exc:
                results.append(exc.message)
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                results.append(repr(exc))

        run_two(request)
        assert sorted(results, key=str) == [3, f"Import #{batch} (bank.csv) was already undone; nothing else was removed."], results
