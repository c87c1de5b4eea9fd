"""`budgetwise import --set-opening-balance` (session 26, route26): a file naming no account and no currency, whose
rows the import sends to the default account holding other rows (none of the file's), for a user with accounts in
two currencies, is refused before anything is
written (trial26: +$1,000.00 would have moved a whole Canadian history); with ``--account`` the user chose it."""

from __future__ import annotations

import json

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

HISTORY = "Date,Description,Amount\n2023-01-05,RENT,-1200.00\n2023-02-05,RENT,-1200.00\n"
UK = "Date,Description,Amount,Balance\n10/02/2018,MERCHANT NAME@12:34,-5.00,995.00\n"


def test_set_opening_balance_is_refused_for_an_account_the_file_shares_no_rows_with(cli_env, capsys):  # noqa: F811
    assert main(["import", _file(cli_env, "h.csv", HISTORY), "--user", "ann@example.com"]) == 0
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "Euro savings", "--currency", "EUR"]) == 0
    capsys.readouterr()
    path = _file(cli_env, "uk.csv", UK)
    assert main(["import", path, "--user", "ann@example.com", "--set-opening-balance"]) != 0
    err = " ".join(capsys.readouterr().err.split())
    # session 27: such a file is asked about before anything else (its account, or its currency), with or without
    # --set-opening-balance; the refusal of the offer (unshared.withhold) stays for what the question lets through
    assert "names neither its account nor its currency" in err and "--account NAME" in err, err
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json", "--account", "Main account"]) == 0
    assert json.loads(capsys.readouterr().out)["would_import"] == 1  # nothing was written
    assert main(["import", path, "--user", "ann@example.com", "--account", "Main account",
                 "--set-opening-balance"]) == 0
