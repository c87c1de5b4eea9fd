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
