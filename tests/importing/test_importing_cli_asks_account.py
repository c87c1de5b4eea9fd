"""`budgetwise import` (session 27, #19): a file naming neither its account nor its currency, for a user whose accounts
are in several currencies, is refused with the options that answer it (--account, --currency), nothing written; a user
with accounts in one currency imports it as before."""

from __future__ import annotations

import json

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

PLAIN = "Date,Description,Amount\n2024-03-01,Tesco,-12.50\n2024-03-02,Pret,-4.20\n"


def _count(capsys) -> int:
    assert main(["export", "--user", "ann@example.com", "--output", "-"]) == 0
    return len(capsys.readouterr().out.strip().splitlines()) - 1


def test_the_command_line_refuses_a_file_it_would_only_guess_and_names_the_option(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "plain.csv", PLAIN)
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "Girokonto", "--currency", "EUR"]) == 0
    capsys.readouterr()
    for extra in ([], ["--dry-run"], ["--json"]):
        assert main(["import", path, "--user", "ann@example.com", *extra]) == 2
        said = capsys.readouterr()
        message = json.loads(said.out)["error"] if extra == ["--json"] else " ".join(said.err.split())
        assert ("Which account is this file's? It names neither its account nor its currency, and your accounts are "
                "in EUR and USD (“Main account” and “Girokonto”), so its rows would only be guessed to be in USD. "
                "Pass --account NAME") in message, message
        assert "--currency CODE" in message
    assert _count(capsys) == 0  # nothing written
    assert main(["import", path, "--user", "ann@example.com", "--account", "Girokonto", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and out["account"] == "Girokonto", out


def test_the_currency_answers_it_too_and_one_currency_is_not_asked(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "plain.csv", PLAIN)
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 0  # accounts in USD only: as before
    assert json.loads(capsys.readouterr().out)["imported"] == 2
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "Girokonto", "--currency", "EUR"]) == 0
    more = _file(cli_env, "more.csv", PLAIN.replace("Tesco", "Aldi").replace("Pret", "Lidl"))
    assert main(["import", more, "--user", "ann@example.com"]) == 2
    capsys.readouterr()
    assert main(["import", more, "--user", "ann@example.com", "--currency", "EUR", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and out["account"] == "Girokonto", out
