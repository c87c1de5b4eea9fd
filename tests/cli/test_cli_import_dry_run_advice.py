"""`budgetwise import --dry-run` gives the currency advice the import itself gives (session 19, nits).

The advice (``rates.import_currency_advice``) was decided from a stored batch's rows, so a dry run,
which stores nothing, said nothing. ``rates.currency_advice`` is the one decision; the dry run gives it
the rows it would import (``importing.rows_to_store``).
"""

from __future__ import annotations

import json

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

# mostly EUR, one USD row: making EUR the user's currency would leave that USD row without a rate
MIXED = ("Date,Description,Amount,Currency\n2024-03-01,Grocer,-12.50,EUR\n2024-03-02,Bakery,-3.00,EUR\n"
         "2024-03-03,Cinema,-9.00,EUR\n2024-03-04,Kiosk,-1.00,USD\n")


def test_a_dry_run_gives_the_advice_the_import_then_gives(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "mixed.csv", MIXED)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ("Currency: 3 of the 4 transactions you would import would be in EUR, but your currency is USD and none "
            "of them would have a EUR → USD rate, so your totals, budgets and reports would leave them out.") in out
    assert "making EUR your currency instead would leave 1 USD transaction without a rate" in out
    assert "  Add them with: budgetwise rates fetch" in out
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] and dry["batch_id"] is None  # nothing was written
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 0
    real = json.loads(capsys.readouterr().out)
    assert real["batch_id"] is not None
    # the same advice; only its words say what a dry run would do ("you would import")
    assert {k: v for k, v in dry["currency_advice"].items() if k != "message"} == {
        k: v for k, v in real["currency_advice"].items() if k != "message"}
    assert "you would import" in dry["currency_advice"]["message"]
    assert "you imported" in real["currency_advice"]["message"]
    assert (real["currency_advice"]["rows"], real["currency_advice"]["would_need_rates"]) == (
        3, [{"what": "USD transaction", "count": 1}])


def test_a_dry_run_leaves_duplicates_out_and_a_plain_file_gets_no_advice(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "mixed.csv", MIXED)
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 0
    capsys.readouterr()
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["would_import"] == 0 and again["currency_advice"] is None  # all already stored
    # (not mixed.csv's EUR "Grocer" row of that day: since session 28, cards28, a file whose rows are stored in another
    # currency is read in it and not asked about)
    plain = _file(cli_env, "usd.csv", "Date,Description,Amount\n2024-03-01,Baker,-12.50\n")
    # ann now has a EUR and a USD account: a file naming neither its account nor its currency is asked about
    # (session 27, imp27), so the plain file says it is in the user's own currency
    assert main(["import", plain, "--user", "ann@example.com", "--dry-run"]) == 2
    assert "--currency" in capsys.readouterr().err
    assert main(["import", plain, "--user", "ann@example.com", "--dry-run", "--currency", "USD"]) == 0
    assert "Currency:" not in capsys.readouterr().out
