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
