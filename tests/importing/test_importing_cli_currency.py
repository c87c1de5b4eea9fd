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


def test_an_amount_header_names_the_currency_and_a_plain_file_prints_no_currency_line(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "header.csv", EUR_HEADER)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    assert "Currency: The column “Amount (EUR)” names the currency: EUR." in capsys.readouterr().out
    plain = _file(cli_env, "plain.csv", "Date,Description,Amount\n2024-03-01,Grocer,-12.50\n")
    assert main(["import", plain, "--user", "ann@example.com", "--dry-run"]) == 0
    assert "Currency:" not in capsys.readouterr().out


def test_help_no_longer_sends_rows_without_an_account_to_the_first_account(capsys):
    try:
        main(["import", "--help"])
    except SystemExit:
        pass
    text = " ".join(capsys.readouterr().out.split())
    assert "anything else goes to the user's first account" not in text and "else your first account" not in text
    assert "anything else goes to an account in their currency" in text and "Euro account (EUR)" in text
