"""`budgetwise import` (session 28, cards28): a numbered card statement for a user whose one credit-card account is
empty and keeps no number is refused (exit 2) naming --account NAME and the account suggested; chosen with
--account, that account keeps the card's digits and the card's next statement goes there without --account."""

from __future__ import annotations

import json

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

CARD = ("Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        "2015-12-31,2016-01-02,1234,Airplanes R Us,Other Travel,1000.00,\n"
        "2015-12-31,2016-01-02,1234,CAPITAL ONE AUTOPAY PYMT,Payment/Credit,,1000.00\n")


def test_the_command_line_asks_about_the_empty_card_account_and_then_routes_by_itself(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "capitalone.csv", CARD)
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "Visa", "--kind", "credit_card"]) == 0
    capsys.readouterr()
    for extra in ([], ["--dry-run"], ["--json"]):
        assert main(["import", path, "--user", "ann@example.com", *extra]) == 2
        said = capsys.readouterr()
        message = json.loads(said.out)["error"] if extra == ["--json"] else " ".join(said.err.split())
        assert "Which account is this card statement's? It numbers the card …1234" in message, message
        assert "“Visa”" in message and "Pass --account NAME" in message
    assert main(["import", path, "--user", "ann@example.com", "--account", "Visa", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and out["account"] == "Visa", out
    later = _file(cli_env, "capitalone2.csv", CARD.replace("2015-12-31", "2016-01-31").replace("2016-01-02", "2016-02-02"))
    assert main(["import", later, "--user", "ann@example.com", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and out["account"] == "Visa", out
