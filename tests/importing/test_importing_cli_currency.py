"""`budgetwise import`: where the rows' currency comes from and the account in their currency (session 10 QA).

The Import page says which source decides the rows' currency ("Each row's currency comes from the
file's “Währung” column: EUR (2 rows)") and `--help` described rows without an account as going to
"the user's first account", which session 10 changed: the command line said neither.
"""

from __future__ import annotations

import json

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

EUR_COLUMN = "Date,Description,Amount,Currency\n2024-03-01,Grocer,-12.50,EUR\n2024-03-02,Bakery,-3.00,EUR\n"
EUR_HEADER = "Date,Description,Amount (EUR)\n2024-03-01,Grocer,-12.50\n"


def test_the_output_says_a_currency_column_decides_and_names_the_new_account(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "eur.csv", EUR_COLUMN)
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Currency: Each row's currency comes from the file's “Currency” column: EUR (2 rows)." in out
    assert "Account: Euro account (EUR)" in out
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["currency"] == {"source": "column", "column": "Currency", "fallback": "USD",
                               "found": [{"currency": "EUR", "rows": 2}]}


def test_an_amount_header_names_the_currency_and_a_plain_file_says_it_assumes_the_users(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "header.csv", EUR_HEADER)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    assert "Currency: The column “Amount (EUR)” names the currency: EUR." in capsys.readouterr().out
    plain = _file(cli_env, "plain.csv", "Date,Description,Amount\n2024-03-01,Grocer,-12.50\n")
    assert main(["import", plain, "--user", "ann@example.com", "--dry-run"]) == 0
    # said, not assumed silently (session 29, trial29: it printed no currency line)
    assert ("Currency: The file names no currency, so its amounts are taken as USD, your currency"
            in capsys.readouterr().out)


def test_help_no_longer_sends_rows_without_an_account_to_the_first_account(capsys):
    try:
        main(["import", "--help"])
    except SystemExit:
        pass
    text = " ".join(capsys.readouterr().out.split())
    assert "anything else goes to the user's first account" not in text and "else your first account" not in text
    assert "anything else goes to an account in their currency" in text and "Euro account (EUR)" in text


BALANCE = ("Date,Description,Amount,Balance\n2024-03-01,Tesco,-3.50,996.50\n2024-03-02,Refund,20.00,1016.50\n")


def test_a_file_without_a_currency_into_a_gbp_account_is_in_gbp_and_sets_its_opening_balance(cli_env, capsys):  # noqa: F811
    """Session 13: `--account "GBP card"` stored the rows in the user's USD, so --set-opening-balance was
    refused (the statement's balance in USD, the account in GBP)."""
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "GBP card", "--currency", "GBP"]) == 0
    capsys.readouterr()
    path = _file(cli_env, "card.csv", BALANCE)
    assert main(["import", path, "--user", "ann@example.com", "--account", "gbp card", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["currency"] == {"source": "account", "column": None, "fallback": "GBP",
                               "found": [{"currency": "GBP", "rows": 2}]}
    assert dry["reconciliation"]["statement_currency"] == "GBP"
    assert main(["import", path, "--user", "ann@example.com", "--account", "GBP card", "--set-opening-balance"]) == 0
    out = capsys.readouterr().out
    assert ("Currency: The file names no currency, so its rows are stored in GBP, the currency of the account "
            "“GBP card”.") in out
    assert "Account: GBP card" in out and "another currency" not in out
    assert main(["export", "--user", "ann@example.com", "--output", "-"]) == 0
    exported = capsys.readouterr().out
    assert exported.count(",GBP") == 2 and ",USD" not in exported
    assert main(["accounts", "list", "--user", "ann@example.com"]) == 0
    listed = next(line for line in capsys.readouterr().out.splitlines() if "GBP card" in line)
    assert ",GBP,1016.50," in listed  # the opening balance (1,000.00) set from the statement, plus the rows


def test_a_currency_column_still_wins_over_the_accounts_currency(cli_env, capsys):  # noqa: F811
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "GBP card", "--currency", "GBP"]) == 0
    capsys.readouterr()
    path = _file(cli_env, "eur.csv", EUR_COLUMN)
    assert main(["import", path, "--user", "ann@example.com", "--account", "GBP card", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["currency"]["source"] == "column" and result["currency"]["fallback"] == "GBP"
    assert "“GBP card” is in GBP but the file's rows are in EUR" in result["accounts_note"]


def test_an_import_in_another_currency_without_rates_says_so_and_how_to_fix_it(cli_env, capsys):  # noqa: F811
    """Session 19: the summary of a EUR file imported by a USD user with no EUR → USD rate says that the rows
    are left out of every figure and offers the fixes (the user's currency, or rates); ``currency_advice``."""
    path = _file(cli_env, "eur.csv", EUR_COLUMN)
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert ("Currency: Both transactions you imported are in EUR, but your currency is USD and neither of them has a "
            "EUR → USD rate") in out
    assert "Make EUR your currency under Profile → Preferences, or add rates: budgetwise rates fetch" in out
    more = _file(cli_env, "eur2.csv", EUR_COLUMN.replace("Bakery", "Cinema").replace("Grocer", "Deli"))
    assert main(["import", more, "--user", "ann@example.com", "--json"]) == 0
    advice = json.loads(capsys.readouterr().out)["currency_advice"]
    assert (advice["currency"], advice["base"], advice["rows"], advice["can_switch"]) == ("EUR", "USD", 2, True)
    plain = _file(cli_env, "usd.csv", "Date,Description,Amount\n2024-03-01,Grocer,-12.50\n")
    # session 27: a file naming no currency, now that ann has a EUR account beside her USD one, needs --currency
    assert main(["import", plain, "--user", "ann@example.com", "--json", "--currency", "USD"]) == 0
    assert json.loads(capsys.readouterr().out)["currency_advice"] is None
