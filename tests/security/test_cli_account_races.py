"""The command line finds an account by its name under the lock its edit takes (issue #19, session 27).

``budgetwise accounts rename|archive|default --name`` and ``budgetwise import --account`` read the account by its
name (``accounts.find_account``) before the service took the user's lock, and the services then used the row as
id as found: a page that renamed the account in the moment between was not seen. Here the command line is held
just before its first locking statement while a page's request edits the account and commits; before, on PostgreSQL
and MariaDB (4 of 6 failed): the account renamed away was archived under its old name ("Archived the account
“Savings”"), an import's rows went to the account the name no longer named. Now the name is looked up after the lock
(``accounts.locked_account``), and the command is refused with nothing written. The archived default passed before
too (the row the name found was not kept, so the service read it again) and guards the row read anew under the lock.
SQLite has one writer: the command line's write transaction holds the database from its first read.
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from budgetwise.cli import main
from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
from budgetwise.models import Transaction
from budgetwise.services import accounts, auth
from tests.conftest import STRONG_PASSWORD, use_local_environment
from tests.security.helpers import scratch_database

LOCKING = re.compile(r"^\s*(UPDATE|INSERT|DELETE)\b|\bFOR (NO KEY )?UPDATE\b", re.IGNORECASE)
CSV = b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n2024-03-02,Salary,1000.00\n"


@pytest.mark.parametrize("case", ["default-archived", "archive-renamed", "import-renamed"])
@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_the_command_line_edits_the_account_its_name_names_under_the_lock(
        tmp_path, monkeypatch, capsys, backend, case):
    with scratch_database(backend) as url:
        use_local_environment(monkeypatch, tmp_path / "data")
        monkeypatch.setenv("BUDGETWISE_DATABASE_URL", url)
        upgrade_database(url)
        engine = make_engine(url)
        try:
            _race(tmp_path, capsys, engine, case)
        finally:
            engine.dispose()


def _race(tmp_path, capsys, engine, case) -> None:
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        uid = auth.register(s, name="Alice", email="alice@example.com", password=STRONG_PASSWORD,
                            settings=Settings.load()).user_id
        main_id = accounts.default_account_id(s, user_id=uid)
        savings = accounts.create_account(s, user_id=uid, name="Savings", kind="savings").id
    (tmp_path / "bank.csv").write_bytes(CSV)
    argv = {
        "default-archived": ["accounts", "default", "--user", "alice@example.com", "--name", "Savings"],
        "archive-renamed": ["accounts", "archive", "--user", "alice@example.com", "--name", "Savings"],
        "import-renamed": ["import", str(tmp_path / "bank.csv"), "--user", "alice@example.com",
                           "--account", "Savings"],
    }[case]
    cli_ready, page_done = threading.Event(), threading.Event()
    codes: list[int] = []
    cli_thread: list[int] = []

    def hold_before_the_first_lock(_conn, _cursor, statement, *_args) -> None:
        if cli_thread == [threading.get_ident()] and not cli_ready.is_set() and LOCKING.search(statement):
            cli_ready.set()  # the command line has read what it reads before its first lock
            page_done.wait(timeout=10)

    def command_line() -> None:
        cli_thread.append(threading.get_ident())
        codes.append(main(argv))

    event.listen(Engine, "before_cursor_execute", hold_before_the_first_lock)
    try:
        thread = threading.Thread(target=command_line)
        thread.start()
        assert cli_ready.wait(timeout=30)
        with session_scope(factory) as s:  # the page's request, committed in the moment between
            if case == "default-archived":
                accounts.archive_account(s, user_id=uid, account_id=savings)
            else:
                accounts.rename_account(s, user_id=uid, account_id=savings, name="Rainy day")
                if case == "import-renamed":
                    accounts.create_account(s, user_id=uid, name="Savings", kind="savings")
        page_done.set()
        thread.join(timeout=60)
    finally:
        event.remove(Engine, "before_cursor_execute", hold_before_the_first_lock)
    _out, err = capsys.readouterr()
    with session_scope(factory) as s:
        view = accounts.get_account(s, user_id=uid, account_id=savings)
        rows = s.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == uid))
        if case == "default-archived":
            # before: archived and flagged as the default ("“Savings” is now your default account")
            assert view.is_archived and not view.is_default
            assert codes == [2] and "is archived" in err, err
            assert accounts.default_account_id(s, user_id=uid) == main_id
        elif case == "archive-renamed":
            assert not view.is_archived and view.name == "Rainy day"  # before: archived under its old name
            assert codes == [2] and "You have no account called “Savings”" in err, err
        else:
            assert rows == 0  # before: the rows went to “Rainy day”, the account the name no longer named
            assert codes == [2] and "now names another account" in err and "Nothing was imported" in err, err
