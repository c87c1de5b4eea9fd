"""`budgetwise accounts list|add|rename|archive` (in-process, SQLite data directory)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from budgetwise.cli import main
from budgetwise.config import Settings
from budgetwise.db import (
    make_engine,
    make_session_factory,
    session_scope,
)
from budgetwise.services import auth
from budgetwise.services import transactions as tx
from tests.conftest import STRONG_PASSWORD, migrated_sqlite, use_local_environment


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, sqlite_template: Path):
    use_local_environment(monkeypatch, tmp_path / "data")
    settings = Settings.load()
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        p = auth.register(s, name="Alice", email="alice@example.com", password=STRONG_PASSWORD, settings=settings)
        tx.add_transaction(s, user_id=p.user_id, date=dt.date.today(), amount="25", kind="expense", description="lunch")
    engine.dispose()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_add_list_rename_archive(cli):
    code, out, _ = cli("accounts", "add", "--user", "alice@example.com", "--name", "Savings", "--kind", "savings",
                       "--opening-balance", "1000.50")
    assert code == 0 and "Added the savings account “Savings”" in out
    code, out, err = cli("accounts", "list", "--user", "alice@example.com")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "name,kind,currency,balance,balance_USD,archived"
    assert "Main account,checking,USD,-25.00,-25.00,no" in lines
    assert "Savings,savings,USD,1000.50,1000.50,no" in lines
    assert lines[-1] == "TOTAL,,USD,,975.50,"
    assert cli("accounts", "rename", "--user", "alice@example.com", "--name", "savings", "--to", "Rainy day")[0] == 0
    code, out, _ = cli("accounts", "archive", "--user", "alice@example.com", "--name", "rainy DAY")
    assert code == 0 and "Archived the account “Rainy day”" in out
    assert "Rainy day" not in cli("accounts", "list", "--user", "alice@example.com")[1]
    assert "Rainy day" in cli("accounts", "list", "--user", "alice@example.com", "--archived")[1]


def test_list_writes_no_formula(cli):
    """Session 19 audit: the list is CSV (the others' exports neutralize formulas); an account's name, which an
    imported file's account column gives, went out as it was."""
    assert cli("accounts", "add", "--user", "alice@example.com", "--name", '=HYPERLINK("http://x.example","y")')[0] == 0
    out = cli("accounts", "list", "--user", "alice@example.com")[1]
    assert "\n\"'=HYPERLINK(" in out and "\n=" not in out and "\n\"=" not in out
    assert "Main account,checking,USD,-25.00,-25.00,no" in out  # numbers stay numbers


def test_bad_input_exits_2_with_the_message(cli):
    cli("accounts", "add", "--user", "alice@example.com", "--name", "Cash", "--kind", "cash")
    code, _, err = cli("accounts", "add", "--user", "alice@example.com", "--name", "CASH")
    assert code == 2 and "already have an account called “CASH”" in err
    code, _, err = cli("accounts", "archive", "--user", "alice@example.com", "--name", "Nope")
    assert code == 2 and "no account called “Nope”" in err


def test_cashflow_writes_date_balance_lower_upper(cli, tmp_path):
    import csv as _csv

    cli("accounts", "add", "--user", "alice@example.com", "--name", "Savings", "--opening-balance", "500")
    out = tmp_path / "cf.csv"
    code, text, err = cli("cashflow", "--user", "alice@example.com", "--horizon", "2", "--output", str(out),
                          "--threshold", "100")
    assert code == 0, err
    rows = list(_csv.DictReader(out.open()))
    assert list(rows[0]) == ["date", "balance", "lower", "upper"]
    assert rows[0]["date"] == (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert rows[0]["balance"] == "475.00"  # 500 opening - 25 lunch; no history for a spending forecast
    assert "Lowest projected balance: $475.00" in text and "below $100.00" in text
    code, _, err = cli("cashflow", "--user", "alice@example.com", "--horizon", "13", "--output", str(out))
    assert code == 2 and "1 to 12 months" in err


def test_cashflow_for_one_account(cli, tmp_path):
    import csv as _csv

    cli("accounts", "add", "--user", "alice@example.com", "--name", "Savings", "--kind", "savings",
        "--opening-balance", "500")
    out = tmp_path / "one.csv"
    code, text, err = cli("cashflow", "--user", "alice@example.com", "--horizon", "1", "--account", "SAVINGS",
                          "--output", str(out))
    assert code == 0, err
    rows = list(_csv.DictReader(out.open()))
    assert list(rows[0]) == ["date", "balance", "lower", "upper"]
    assert rows[0]["balance"] == "500.00"  # the savings account alone: the lunch was paid from the main account
    assert "Only “Savings”" in text
    code, _, err = cli("cashflow", "--user", "alice@example.com", "--horizon", "1", "--account", "Holiday fund",
                       "--output", str(out))
    assert code == 2 and "no account called “Holiday fund”" in err and "Your accounts: Main account, Savings" in err


def test_cashflow_counts_all_accounts_unless_told_spending_only(cli, tmp_path):
    """Session 16 (spendacct): the CLI's output is kept (all accounts, no new line); ``--spending-only`` is the
    Cash flow page's default (checking, credit card, cash) and says which accounts; with ``--account`` refused."""
    import csv as _csv

    cli("accounts", "add", "--user", "alice@example.com", "--name", "Savings", "--kind", "savings",
        "--opening-balance", "500")
    whole, spend = tmp_path / "whole.csv", tmp_path / "spend.csv"
    code, text, err = cli("cashflow", "--user", "alice@example.com", "--horizon", "1", "--output", str(whole))
    assert code == 0, err
    assert list(_csv.DictReader(whole.open()))[0]["balance"] == "475.00"  # 500 savings - 25 lunch
    assert text.startswith("Lowest projected balance: $475.00") and "accounts" not in text.split("\n")[0]
    code, text, err = cli("cashflow", "--user", "alice@example.com", "--horizon", "1", "--spending-only",
                          "--output", str(spend))
    assert code == 0, err
    assert list(_csv.DictReader(spend.open()))[0]["balance"] == "-25.00"  # the main account alone
    assert text.startswith("Spending accounts: Main account; Savings is not counted.\nLowest projected balance: -$25.00")
    with pytest.raises(SystemExit) as stopped:  # argparse refuses the pair before anything runs
        cli("cashflow", "--user", "alice@example.com", "--horizon", "1", "--spending-only", "--account", "Savings",
            "--output", str(spend))
    assert stopped.value.code == 2


def test_a_code_that_is_not_money_is_refused(cli):
    code, _, err = cli("accounts", "add", "--user", "alice@example.com", "--name", "Gold", "--currency", "XAU")
    assert code == 2 and "XAU (Gold) is an ISO 4217 code but not a currency" in err


def test_a_foreign_row_in_an_account_names_the_missing_rate_into_the_account_currency(cli, tmp_path: Path):
    """A USD row in a GBP account, without a USD/GBP rate: the warning names USD → GBP (the conversion
    that is missing), never "No USD → USD rate" (README: a missing rate is named)."""
    settings = Settings.load()
    engine = make_engine(settings.database_url)
    from budgetwise.services import accounts

    with session_scope(make_session_factory(engine)) as s:
        uid = auth.get_user_by_email(s, "alice@example.com").id
        acct = accounts.create_account(s, user_id=uid, name="First Direct", currency="GBP", opening_balance="100")
        tx.add_transaction(s, user_id=uid, date=dt.date.today(), amount="5", kind="expense",
                           description="coffee", currency="USD", account_id=acct.id)
    engine.dispose()
    code, out, err = cli("accounts", "list", "--user", "alice@example.com")
    assert code == 0
    assert "USD → USD" not in err
    assert "No USD → GBP rate" in err
    assert "First Direct,checking,GBP,100.00," in out


def test_cashflow_for_one_account_counts_its_scheduled_items_and_archive_says_what_happens_to_them(cli, tmp_path):
    """Session 18 (cfacct): an item scheduled for Savings is in `--account Savings` and in the all-accounts
    projection, not in `--spending-only`; archiving Savings names the item (kept, not projected)."""
    import csv as _csv

    cli("accounts", "add", "--user", "alice@example.com", "--name", "Savings", "--kind", "savings",
        "--opening-balance", "500")
    settings = Settings.load()
    engine = make_engine(settings.database_url)
    from budgetwise.services import accounts, cashflow

    with session_scope(make_session_factory(engine)) as s:
        uid = auth.get_user_by_email(s, "alice@example.com").id
        sav = accounts.find_account(s, user_id=uid, name="Savings")
        cashflow.add_scheduled(s, user_id=uid, name="Top-up", amount="100", kind="income",
                               next_date=dt.date.today() + dt.timedelta(days=1), account_id=sav.id)
    engine.dispose()

    def first_balance(*extra: str) -> str:
        out = tmp_path / "cf.csv"
        code, text, err = cli("cashflow", "--user", "alice@example.com", "--horizon", "1", "--output", str(out), *extra)
        assert code == 0, err
        return list(_csv.DictReader(out.open()))[0]["balance"] + ("|left out" if "left out: “Top-up”" in text else "")

    assert first_balance("--account", "Savings") == "600.00"
    assert first_balance() == "575.00"
    assert first_balance("--spending-only") == "-25.00|left out"
    code, out, _ = cli("accounts", "archive", "--user", "alice@example.com", "--name", "Savings")
    assert code == 0 and out == ("Archived the account “Savings”.\nIts scheduled item “Top-up” stays on the Cash flow "
                                 "page but is not projected while it is archived; restoring the account brings it "
                                 "back.\n")
    assert first_balance() == "475.00"
    code, out, _ = cli("accounts", "archive", "--user", "alice@example.com", "--name", "Savings", "--restore")
    assert out.endswith("Its scheduled item “Top-up” is projected again.\n")


def test_cashflow_on_an_old_balance_gives_no_chance_or_safe_to_spend(cli, tmp_path):
    """Review22b: the Cash flow page and the dashboard give neither a chance nor "safe to spend" on an old balance
    (sessions 21, 22); `budgetwise cashflow` still printed both ("Safe to spend: $... a day"). It says why now."""
    settings = Settings.load()
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        auth.register(s, name="Bob", email="bob@example.com", password=STRONG_PASSWORD, settings=settings)
        bob = auth.authenticate(s, email="bob@example.com", password=STRONG_PASSWORD, settings=settings)
        for days in (130, 100):
            tx.add_transaction(s, user_id=bob.user_id, date=dt.date.today() - dt.timedelta(days=days), amount="25",
                               kind="expense", description="lunch")
    engine.dispose()
    code, text, err = cli("cashflow", "--user", "bob@example.com", "--horizon", "2",
                          "--output", str(tmp_path / "cf.csv"))
    assert code == 0, err
    assert "starts from an old balance" in text
    assert "Safe to spend" not in text and "Chance of" not in text
    assert text.count("Your newest transaction is from") == 1  # the note once, not again under "note:"


def test_default_makes_an_open_account_the_default_and_refuses_an_archived_one(cli):
    """`accounts default` is the page's "Make … the default account" (session 25): the service decides, the CLI says so."""
    from budgetwise.cli._common import principal_by_email
    from budgetwise.services import accounts

    cli("accounts", "add", "--user", "alice@example.com", "--name", "Savings", "--kind", "savings")
    code, out, err = cli("accounts", "default", "--user", "alice@example.com", "--name", "savings")
    assert code == 0, err
    assert "“Savings” is now your default account" in out
    engine = make_engine(Settings.load().database_url)
    with session_scope(make_session_factory(engine)) as s:
        user_id = principal_by_email(s, "alice@example.com").user_id
        default = accounts.default_account_id(s, user_id=user_id)
        assert accounts.find_account(s, user_id=user_id, name="Savings").id == default
    engine.dispose()
    cli("accounts", "archive", "--user", "alice@example.com", "--name", "Savings")
    code, _, err = cli("accounts", "default", "--user", "alice@example.com", "--name", "Savings")
    assert code != 0 and "archived" in err
