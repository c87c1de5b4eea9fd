"""`budgetwise import` prints what the import does with a file's opening-balance row (session 28, open28): the same
line as the Import page's preview."""

from __future__ import annotations

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

YNAB = "Date,Payee,Outflow,Inflow\n2019-11-02,Starting Balance,0.00,5231.00\n2019-11-05,Market,12.00,0.00\n"


def test_the_import_prints_the_opening_balance_line(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "ynab.csv", YNAB)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "Opening balance: “Starting Balance” $5,231.00 on 2019-11-02 becomes “" in dry
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Opening balance:"))
    assert line in dry.splitlines()
    assert "Imported: 1" in out or "1 new" in out or "imported 1" in out.lower()


def test_a_file_of_several_accounts_sets_each_opening_balance_and_a_reimport_is_nothing_new(cli_env, capsys):  # noqa: F811
    """Session 29 (open29): each account's "(New Account)" row becomes its opening balance; the second run finds them
    set (``--dry-run``: nothing would be imported)."""
    from tests.services.test_services_import_opening_balances_many import BLUECOINS

    path = _file(cli_env, "bluecoins.csv", BLUECOINS)
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Opening balance: 3 opening-balance rows become their accounts' opening balances: " in out
    assert "Imported: 8" in out
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "Would import: 0" in dry and "Duplicates already in your data: 11" in dry
    assert "already their accounts' opening balances" in dry


def test_the_summary_counts_the_transactions_and_the_opening_balances_apart(cli_env, capsys):  # noqa: F811
    """Session 29 (imp29): "Would import: 11", then "Imported: 8": the rows that become opening balances are said apart,
    in the dry run, the import and ``--json``; a file of only an opening row is imported (its balance set)."""
    import json

    from tests.services.test_services_import_opening_balances_many import BLUECOINS

    only = _file(cli_env, "start.csv", "Date,Payee,Outflow,Inflow\n2019-11-02,Starting Balance,0.00,5231.00\n")
    assert main(["import", only, "--user", "ann@example.com", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["imported"], got["opening_balances_set"], got["nothing_new"]) == (0, 1, False)
    path = _file(cli_env, "bluecoins.csv", BLUECOINS)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    assert "Would import: 8 and set 3 opening balances (dry run: nothing was written)" in capsys.readouterr().out
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["would_import"], got["opening_balances_set"]) == (8, 3)
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    assert "Imported: 8 and set 3 opening balances" in capsys.readouterr().out.splitlines()
