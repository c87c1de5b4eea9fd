"""`budgetwise import` with a file whose account column names several accounts (issue #19)."""

from __future__ import annotations

import json

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

HOUSEHOLD = (
    "Date,Description,Amount,Account\n"
    "2024-03-01,Grocer,-12.50,Checking\n"
    "2024-03-02,Salary,1000.00,Checking\n"
    "2024-03-03,Diner,-30.00,Visa\n"
)


def test_dry_run_and_import_name_the_accounts_with_their_rows(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "household.csv", HOUSEHOLD)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["accounts"] == [{"name": "Checking", "rows": 2, "new": True}, {"name": "Visa", "rows": 1, "new": True}]
    assert dry["account"] == "Checking" and dry["imported"] == 0
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Accounts: Checking (2 rows, new account), Visa (1 row, new account)" in out
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 0  # again: nothing new, no new accounts
    again = json.loads(capsys.readouterr().out)
    assert again["imported"] == 0 and again["accounts"] == []
    assert main(["accounts", "list", "--user", "ann@example.com"]) == 0
    listed = capsys.readouterr().out
    assert listed.count("Checking") == 1 and listed.count("Visa") == 1


def test_an_explicit_account_wins_and_the_output_says_so(cli_env, capsys):  # noqa: F811
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "Joint"]) == 0
    capsys.readouterr()
    path = _file(cli_env, "household.csv", HOUSEHOLD)
    assert main(["import", path, "--user", "ann@example.com", "--account", "joint", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["account"] == "Joint" and result["accounts"] == [{"name": "Joint", "rows": 3, "new": False}]
    assert "Checking, Visa" in result["accounts_note"]


def test_a_running_balance_of_several_accounts_cannot_set_an_opening_balance(cli_env, capsys):  # noqa: F811
    text = ("Date,Description,Amount,Account,Balance\n2024-03-01,Grocer,-12.50,Checking,987.50\n"
            "2024-03-02,Diner,-3.00,Visa,984.50\n")
    path = _file(cli_env, "both.csv", text)
    assert main(["import", path, "--user", "ann@example.com", "--set-opening-balance"]) == 2
    assert "several accounts" in capsys.readouterr().err
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)  # the refused import was rolled back, accounts too
    assert dry["would_import"] == 2 and all(a["new"] for a in dry["accounts"])
    assert "several accounts" in dry["reconciliation"]["message"]


SAVINGS = (
    "Date,Description,Amount,Account\n"
    "2024-03-01,Grocer,-12.50,Checking\n"
    "2024-03-02,Transfer in,200.00,Rainy day savings\n"
    "2024-03-03,Diner,-30.00,Visa\n"
)


def test_the_output_names_the_type_each_new_account_gets(cli_env, capsys):  # noqa: F811
    """As the Import page's preview ("new, credit card account"): the type guessed from the name, in a
    line of its own (the lines before stay as they were) and as ``new_accounts`` in --json."""
    from budgetwise.cli._common import cli_session, load_settings, principal_by_email
    from budgetwise.services import accounts

    path = _file(cli_env, "household.csv", SAVINGS)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "Would go to: Checking (1 row, new account), Rainy day savings (1 row, new account), Visa (1 row, new account)" in dry
    assert "New accounts: Checking (checking account), Rainy day savings (savings account), Visa (credit card account)" in dry
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["new_accounts"] == [{"name": "Checking", "kind": "checking"},
                                       {"name": "Rainy day savings", "kind": "savings"}, {"name": "Visa", "kind": "credit_card"}]
    assert all(set(a) == {"name", "rows", "new"} for a in payload["accounts"])  # unchanged
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert "New accounts: Checking (checking account), Rainy day savings (savings account), Visa (credit card account)" in out
    with cli_session(load_settings()) as s:  # what the output said is what was created
        uid = principal_by_email(s, "ann@example.com").user_id
        assert {a.name: a.kind for a in accounts.list_accounts(s, user_id=uid)} == {
            "Checking": "checking", "Rainy day savings": "savings", "Visa": "credit_card"}
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 0  # again: nothing created
    assert json.loads(capsys.readouterr().out)["new_accounts"] == []


def test_no_new_account_line_when_the_accounts_exist(cli_env, capsys):  # noqa: F811
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "Joint"]) == 0
    capsys.readouterr()
    path = _file(cli_env, "household.csv", SAVINGS)
    assert main(["import", path, "--user", "ann@example.com", "--account", "joint"]) == 0
    out = capsys.readouterr().out
    assert "Account: Joint" in out and "New account" not in out


def test_account_kind_sets_the_type_of_a_new_account_and_refuses_what_it_cannot_set(cli_env, capsys):  # noqa: F811
    """Session 24 (acct24): the preview's guess can be changed on the command line too (``--account-kind``)."""
    from budgetwise.cli._common import cli_session, load_settings, principal_by_email
    from budgetwise.services import accounts

    path = _file(cli_env, "household.csv", SAVINGS.replace(",Visa", ",Degiro"))
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--account-kind", "Degiro=investment",
                 "--account-kind", "visa=investment"]) == 2
    assert "“visa” is not a new account this import creates from the file's account column (its new accounts: " in capsys.readouterr().err
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--account-kind", "Degiro=broker"]) == 2
    assert "“broker” is not an account type" in capsys.readouterr().err
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--account-kind", "Degiro"]) == 2
    assert "--account-kind takes NAME=KIND" in capsys.readouterr().err
    assert main(["import", path, "--user", "ann@example.com", "--account-kind", "degiro=Investment",
                 "--account-kind", "Rainy day savings=checking"]) == 0
    out = capsys.readouterr().out
    assert "Degiro (investment account)" in out and "Rainy day savings (checking account)" in out
    with cli_session(load_settings()) as s:
        uid = principal_by_email(s, "ann@example.com").user_id
        kinds = {a.name: a.kind for a in accounts.list_accounts(s, user_id=uid)}
    assert (kinds["Degiro"], kinds["Rainy day savings"], kinds["Checking"]) == ("investment", "checking", "checking")
