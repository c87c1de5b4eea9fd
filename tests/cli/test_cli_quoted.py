"""Session 24 (sec24): the command line quotes what a person typed or a file holds with ``names.quoted`` (“…”), as
the services do, never ``repr`` (a doubled backslash, quotes switched around an apostrophe); the command it suggests
for a missing account is quoted for a shell (``shlex.quote``: repr's double quotes around “it's $(…)” let a pasted
command run what the name holds)."""

from __future__ import annotations

import shlex

from budgetwise.cli import main
from tests.importing.test_importing_cli import _file, cli_env  # noqa: F401  (the fixture)

TABLE = "Date,Description,Amount\n2024-03-01,Grocer,-12.50\n"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_typed_dates_and_emails_are_quoted_as_typed(cli_env, capsys):  # noqa: F811
    code, _, err = _run(capsys, "accounts", "list", "--user", "ann@example.com", "--as-of", "it's\\2024")
    assert code == 2 and "--as-of “it's\\2024” is not a date (use YYYY-MM-DD)." in err
    code, _, err = _run(capsys, "rates", "list", "--from", "2024-13-01")
    assert code == 2 and "“2024-13-01” is not a date (expected YYYY-MM-DD)." in err
    code, _, err = _run(capsys, "accounts", "list", "--user", "O'Brien@Example.com")
    assert code == 2 and "No user with the email “o'brien@example.com”." in err


def test_the_suggested_command_quotes_the_name_for_a_shell(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "a.csv", TABLE)
    name = "it's $(touch pwned)"
    code, _, err = _run(capsys, "import", path, "--user", "ann@example.com", "--account", name)
    assert code == 2 and "no account called “it's $(touch pwned)”" in err
    assert f"--name {shlex.quote(name)}" in err and shlex.split(err.split("--name ", 1)[1].strip())[0] == name


def test_a_files_columns_are_quoted_as_the_file_holds_them(cli_env, capsys):  # noqa: F811
    path = _file(cli_env, "b.csv", "When's,C:\\x,Wert\tx\nfoo,bar,baz\nqux,quux,corge\n")
    code, _, err = _run(capsys, "import", path, "--user", "ann@example.com")
    assert code == 2 and "Columns: 0=“When's”, 1=“C:\\x”, 2=“Wert\\tx”" in err, err
