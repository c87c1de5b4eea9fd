"""`budgetwise import` and `budgetwise export` on a SQLite database in a temporary data dir."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from budgetwise.cli import main
from budgetwise.db import make_engine, make_session_factory, session_scope
from tests.conftest import create_user, make_settings, migrated_sqlite, use_local_environment

STATEMENT = "Date,Description,Amount\n2024-03-01,Coffee,-3.50\n2024-03-02,Salary,2500.00\n2024-03-03,Broken,12abc\n"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path):
    data_dir = tmp_path / "data"
    use_local_environment(monkeypatch, data_dir)
    settings = make_settings(data_dir)
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        create_user(s, settings, "ann@example.com", "Ann")
    engine.dispose()
    return tmp_path


def _file(tmp: Path, name: str, text: str | bytes) -> str:
    path = tmp / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_import_prints_counts_and_rejections(cli_env, capsys):
    path = _file(cli_env, "march.csv", STATEMENT)
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Rows read: 3" in out and "Imported: 2" in out and "Duplicates skipped: 0" in out and "Rejected: 1" in out
    assert "row 4, amount: “12abc” is not a number (it contains letters)." in out
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    assert "Imported: 0" in capsys.readouterr().out


def test_import_json_and_dry_run(cli_env, capsys):
    path = _file(cli_env, "march.csv", STATEMENT)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["ok"] and dry["dry_run"] and dry["would_import"] == 2 and dry["imported"] == 0
    assert dry["rejections"] == [{"row": 4, "field": "amount", "reason": "“12abc” is not a number (it contains letters).", "value": "12abc"}]
    assert dry["mapping"] == {"date": "Date", "amount": "Amount", "description": ["Description"]}
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 0
    real = json.loads(capsys.readouterr().out)
    assert (real["rows_read"], real["imported"], real["duplicates_skipped"], real["rejected"]) == (3, 2, 0, 1)
    assert isinstance(real["batch_id"], int)


def test_unreadable_file_exits_non_zero_with_a_message(cli_env, capsys):
    path = _file(cli_env, "x.csv", b"\x00\x01\x02\x03" * 100)
    assert main(["import", path, "--user", "ann@example.com"]) == 2
    assert "binary" in capsys.readouterr().err
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert main(["import", str(cli_env / "missing.csv"), "--user", "ann@example.com"]) == 2
    assert "cannot read" in capsys.readouterr().err
    good = _file(cli_env, "ok.csv", STATEMENT)
    assert main(["import", good, "--user", "nobody@example.com"]) == 2
    assert "No user" in capsys.readouterr().err


def test_mapping_option_for_a_headerless_file(cli_env, capsys):
    path = _file(cli_env, "raw.csv", "x;2024-01-05;bakery;2,10;S\nx;2024-01-06;refund;5,00;H\n")
    assert main(["import", path, "--user", "ann@example.com", "--header-row", "0", "--json",
                 "--mapping", "date=1,amount=3,description=2,direction=4", "--save-mapping", "Raw bank"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["imported"] == 2 and result["rejected"] == 0
    assert main(["import", path, "--user", "ann@example.com", "--mapping", "date=Nope"]) == 2
    assert "no column named “Nope”" in capsys.readouterr().err


def test_export_writes_the_documented_columns(cli_env, capsys):
    path = _file(cli_env, "march.csv", STATEMENT)
    main(["import", path, "--user", "ann@example.com"])
    capsys.readouterr()
    out = cli_env / "out" / "all.csv"
    assert main(["export", "--user", "ann@example.com", "--output", str(out)]) == 0
    assert "Wrote 2 transactions" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == ["date", "description", "amount", "type", "category", "currency"]
    assert [(r["date"], r["description"], r["amount"], r["type"], r["currency"]) for r in rows] == [
        ("2024-03-01", "Coffee", "3.50", "expense", "USD"),
        ("2024-03-02", "Salary", "2500.00", "income", "USD"),
    ]
    # the export imports back as the same transactions (all duplicates)
    assert main(["import", str(out), "--user", "ann@example.com", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["imported"], again["duplicates_skipped"]) == (0, 2)


def test_one_transaction_is_singular_and_iso_dates_claim_no_order(cli_env, capsys):
    path = _file(cli_env, "one.csv", "Date,Description,Amount\n2024-03-01,Coffee,-3.50\n")
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Dates: no date in the file is written day/month or month/day, so there is no order to decide" in out
    assert "day first" not in out  # Session 11: was "no day/month dates in the file", which read oddly
    target = cli_env / "out" / "one.csv"
    assert main(["export", "--user", "ann@example.com", "--output", str(target)]) == 0
    assert "Wrote 1 transaction to" in capsys.readouterr().out


def test_learn_categories_switch(cli_env, capsys):
    """--learn-categories / --no-learn-categories override the per-file default (on for app exports)."""
    from sqlalchemy import select

    from budgetwise.models import Rule

    bank = "Date,Description,Amount,Category\n2024-03-01,Qwx Zorbl 12,-3.50,Restaurants\n"
    mint = ("Date,Description,Original Description,Amount,Transaction Type,Category,Account Name,Labels,Notes\n"
            "03/01/2024,Zyx Corner Shop,ZYX CORNER SHOP 12,30.00,debit,Restaurants,Checking,,\n")
    bank_path, mint_path = _file(cli_env, "bank.csv", bank), _file(cli_env, "mint.csv", mint)
    assert main(["import", mint_path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["learn_categories"] is True
    assert main(["import", mint_path, "--user", "ann@example.com", "--no-learn-categories", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["learn_categories"] is False
    assert main(["import", bank_path, "--user", "ann@example.com", "--learn-categories", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["learn_categories"] is True and out["imported"] == 1

    settings = make_settings(cli_env / "data")
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        learned = s.scalars(select(Rule.pattern).where(Rule.origin == "learned")).all()
    engine.dispose()
    assert learned == ["qwx zorbl"]  # from the bank file (switched on), not from the app export (switched off)


def test_import_reads_and_analyses_the_file_once(cli_env, capsys, monkeypatch):
    """#18: no second parse between preview and commit. Duplicates are counted by the preparation (read
    session) and checked again under the user's lock in the short write transaction (session 10)."""
    from budgetwise.services import importing as svc

    calls = {"parse": 0, "duplicates": 0}
    real_parse, real_dups = svc.preview.parse_file, svc.preview._duplicate_mask

    def parse(*a, **k):
        calls["parse"] += 1
        return real_parse(*a, **k)

    def dups(*a, **k):
        calls["duplicates"] += 1
        return real_dups(*a, **k)

    monkeypatch.setattr(svc.preview, "parse_file", parse)
    monkeypatch.setattr(svc.preview, "_duplicate_mask", dups)
    monkeypatch.setattr(svc.commit, "_duplicate_mask", dups)
    path = _file(cli_env, "march.csv", STATEMENT)
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    assert calls == {"parse": 1, "duplicates": 2}
    assert "Imported: 2" in capsys.readouterr().out
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 0
    assert "Duplicates already in your data: 2" in capsys.readouterr().out


def _ofx_statement(acctid: str = "12345678", ledger: str = "") -> str:
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
        "OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        f"<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>{acctid}<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
        "<DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>1<NAME>DINER"
        f"</STMTTRN></BANKTRANLIST>{ledger}</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )


def _accounts_cli(*args: str) -> int:
    return main(["accounts", *args])


def _rows_by_account(cli_env) -> dict[str, int]:
    from sqlalchemy import func, select

    from budgetwise.config import Settings
    from budgetwise.models import Account, Transaction

    engine = make_engine(Settings.load().database_url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(select(Account.name, func.count(Transaction.id)).join(
                Transaction, Transaction.account_id == Account.id).group_by(Account.name)).all())
    finally:
        engine.dispose()


def test_account_option_puts_the_rows_in_the_named_account(cli_env, capsys):
    assert _accounts_cli("add", "--user", "ann@example.com", "--name", "Joint Checking") == 0
    capsys.readouterr()
    path = _file(cli_env, "march.csv", STATEMENT)
    assert main(["import", path, "--user", "ann@example.com", "--account", "joint checking", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and out["account"] == "Joint Checking"
    assert _rows_by_account(cli_env) == {"Joint Checking": 2}


def test_account_option_refuses_an_unknown_or_archived_account_and_writes_nothing(cli_env, capsys):
    assert _accounts_cli("add", "--user", "ann@example.com", "--name", "Savings") == 0
    assert _accounts_cli("add", "--user", "ann@example.com", "--name", "Old card") == 0
    assert _accounts_cli("archive", "--user", "ann@example.com", "--name", "Old card") == 0
    capsys.readouterr()
    path = _file(cli_env, "march.csv", STATEMENT)
    assert main(["import", path, "--user", "ann@example.com", "--account", "Holiday"]) == 2
    err = capsys.readouterr().err
    assert "no account called “Holiday”" in err and "“Savings”" in err
    assert "budgetwise accounts add --user EMAIL --name Holiday" in err
    assert main(["import", path, "--user", "ann@example.com", "--account", "old card", "--json"]) == 2
    assert "archived" in json.loads(capsys.readouterr().out)["error"]
    assert _rows_by_account(cli_env) == {}


def test_ofx_account_ids_still_map_automatically_and_account_overrides(cli_env, capsys):
    first = _file(cli_env, "a.ofx", _ofx_statement("12345678"))
    assert main(["import", first, "--user", "ann@example.com", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["account"] == "Checking …5678"
    assert _accounts_cli("add", "--user", "ann@example.com", "--name", "Brokerage cash") == 0
    capsys.readouterr()
    other = _file(cli_env, "b.ofx", _ofx_statement("999").replace("<FITID>1", "<FITID>2").replace("DINER", "CAFE"))
    assert main(["import", other, "--user", "ann@example.com", "--account", "Brokerage cash"]) == 0
    assert "Account: Brokerage cash" in capsys.readouterr().out
    assert _rows_by_account(cli_env) == {"Checking …5678": 1, "Brokerage cash": 1}


BALANCED = ("Date,Description,Amount,Balance\n2024-03-01,Coffee,-3.50,996.50\n2024-03-02,Salary,2500.00,3496.50\n"
            "2024-03-03,Rent,-1200.00,2296.50\n")


def test_json_reconciles_the_statement_balance_and_can_set_the_opening_balance(cli_env, capsys):
    path = _file(cli_env, "statement.csv", BALANCED)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)["reconciliation"]
    assert (dry["statement_balance"], dry["computed_balance"], dry["difference"]) == ("2296.50", "1296.50", "1000.00")
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--set-opening-balance"]) == 2
    assert "without --dry-run" in capsys.readouterr().err
    assert main(["import", path, "--user", "ann@example.com", "--set-opening-balance", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["imported"] == 3 and done["reconciliation"]["reconciles"] and done["reconciliation"]["difference"] == "0.00"
    plain = _file(cli_env, "plain.csv", STATEMENT)
    assert main(["import", plain, "--user", "ann@example.com", "--set-opening-balance"]) == 2
    assert "states no balance" in capsys.readouterr().err


@pytest.mark.parametrize("code", ["XXX", "XTS"])
def test_import_refuses_a_currency_code_that_is_not_money(cli_env, capsys, code):
    path = _file(cli_env, "march.csv", STATEMENT)
    assert main(["import", path, "--user", "ann@example.com", "--currency", code]) == 2
    err = capsys.readouterr().err
    assert f"error: {code} (" in err and "is an ISO 4217 code but not a currency" in err


def test_importing_the_same_file_twice_records_no_empty_batch(cli_env, capsys):
    """QA: the second run finds nothing new; it says so and records no batch (nothing to undo). Session 15
    (polish): it names the import that holds the rows, as the Import page does (ImportResult.message)."""
    from sqlalchemy import func, select

    from budgetwise.config import Settings
    from budgetwise.models import ImportBatch

    path = _file(cli_env, "march.csv", STATEMENT)
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    assert "Import batch #1 (undo it" in capsys.readouterr().out
    assert main(["import", path, "--user", "ann@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Imported: 0" in out and "Duplicates skipped: 2" in out
    assert ("Nothing new in this file (2 rows already imported, by import #1 (march.csv)): nothing was imported "
            "and no import was recorded.") in out
    assert "undo it" not in out and "Import batch" not in out
    assert main(["import", path, "--user", "ann@example.com", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["batch_id"], payload["nothing_new"], payload["duplicates_skipped"]) == (None, True, 2)
    assert payload["stored_by"] == [{"batch_id": 1, "filename": "march.csv"}]
    engine = make_engine(Settings.load().database_url)
    with session_scope(make_session_factory(engine)) as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 1
    engine.dispose()


REPEATED = "date,amount,amount,description\n2024-03-01,-3.50,-4.00,Coffee\n2024-03-02,2500.00,2400.00,Salary\n"


def test_the_repeated_header_note_comes_from_the_structured_signal(cli_env, capsys, monkeypatch):
    """The error repeats the notes of ``repeated_headers`` (the parse's structured signal), not every
    warning that happens to mention --mapping."""
    from budgetwise.importing.model import RepeatedHeader

    monkeypatch.setattr(RepeatedHeader, "note", property(lambda r: f"[{r.role} in columns {r.columns}]"))
    path = _file(cli_env, "dup.csv", REPEATED)
    assert main(["import", path, "--user", "ann@example.com"]) == 2
    assert capsys.readouterr().err.startswith("error: [amount in columns (1, 2)] Could not tell which column")
    path = _file(cli_env, "nodate.csv", "when,what,value\nsoon,x,1\n")
    assert main(["import", path, "--user", "ann@example.com"]) == 2
    assert capsys.readouterr().err.startswith("error: Could not tell which column")


def test_a_repeated_amount_header_is_refused_until_the_column_is_named(cli_env, capsys):
    """QA: `date,amount,amount,description` used the first amount silently. Now the CLI refuses, naming
    the header and its positions; --mapping by number imports the chosen column."""
    path = _file(cli_env, "dup.csv", REPEATED)
    assert main(["import", path, "--user", "ann@example.com"]) == 2
    err = capsys.readouterr().err
    assert 'Columns 2 and 3 are both called "amount"' in err and "amount=1 or 2" in err
    assert "Could not tell which column holds the amount" in err
    assert err == (
        'error: Columns 2 and 3 are both called "amount": BudgetWise will not guess which one holds the amount. '
        "Choose the column (in the app), or name it by number with --mapping (command line, 0-based: amount=1 or 2). "
        "Could not tell which column holds the amount (or debit/credit). Name them with --mapping, e.g. --mapping "
        "date=0,amount=3,description=2. Columns: 0=“date”, 1=“amount”, 2=“amount (2)”, 3=“description”\n"
    )
    assert main(["import", path, "--user", "ann@example.com", "--mapping", "amount=2", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["imported"] == 2 and payload["mapping"]["amount"] == "amount (2)"
    assert main(["export", "--user", "ann@example.com", "--output", "-"]) == 0
    exported = capsys.readouterr().out
    assert "Coffee,4.00,expense" in exported and "Salary,2400.00,income" in exported and "3.50" not in exported


def test_a_dollar_card_statement_with_only_a_euro_card_account_says_where_its_rows_go(cli_env, capsys):
    """Session 23 (tidy23): the card note was the Import page's alone (and empty with any card account at all): the
    command line put a dollar card statement in the default account without a word."""
    assert main(["accounts", "add", "--user", "ann@example.com", "--name", "Euro Visa", "--kind", "credit_card",
                 "--currency", "EUR"]) == 0
    card = ("Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
            "2015-12-31,2016-01-02,1234,Airplanes R Us,Other Travel,1000.00,\n")
    path = _file(cli_env, "capitalone.csv", card)
    capsys.readouterr()
    # session 27: a file naming no currency, for a user with USD and EUR accounts, needs --currency (or --account)
    assert main(["import", path, "--user", "ann@example.com", "--dry-run"]) == 2
    assert "--currency CODE" in capsys.readouterr().err
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--currency", "USD"]) == 0
    out = capsys.readouterr().out
    assert ("Note: This file looks like a credit-card statement (its “Card No.” column), but its rows are in USD and "
            "your credit-card account “Euro Visa” (EUR) is not: they go to") in out
    assert "--kind credit_card" in out
    assert main(["import", path, "--user", "ann@example.com", "--dry-run", "--json", "--currency", "USD"]) == 0
    assert "“Euro Visa” (EUR) is not" in json.loads(capsys.readouterr().out)["card_note"]
