"""`budgetwise categorize INPUT.csv --output OUT.csv [--user EMAIL] [--learn-from LABELED.csv]`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budgetwise.cli import main
from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope
from budgetwise.models import Rule, Transaction
from budgetwise.services import auth, categories, categorize
from tests.conftest import STRONG_PASSWORD, migrated_sqlite, use_local_environment


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    use_local_environment(monkeypatch, tmp_path / "data")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_default_rules_add_a_category_column(cli, tmp_path):
    src = write(tmp_path / "in.csv", "description,amount\nCARD PAYMENT TESCO 12,-12.50\nACME PAYROLL,2000\nZqx Thing,-5\n")
    code, out, _ = cli("categorize", str(src), "--output", str(tmp_path / "out.csv"))
    assert code == 0 and "3 rows" in out
    rows = read(tmp_path / "out.csv")
    assert [(r["description"], r["amount"], r["category"]) for r in rows] == [
        ("CARD PAYMENT TESCO 12", "-12.50", "Groceries"), ("ACME PAYROLL", "2000", "Salary"), ("Zqx Thing", "-5", ""),
    ]


def test_type_and_debit_credit_columns_decide_the_direction(cli, tmp_path):
    src = write(tmp_path / "in.csv", "Memo,Debit,Credit\nCredit Card Payment,,100.00\nInterest,,1.20\nInterest,3.00,\n")
    assert cli("categorize", str(src), "--output", str(tmp_path / "o.csv"))[0] == 0
    assert [r["category"] for r in read(tmp_path / "o.csv")] == ["Transfers", "Investment Income", "Fees"]
    src = write(tmp_path / "t.csv", "Description,Amount,Type\nInterest,1.20,credit\nInterest,1.20,debit\n")
    assert cli("categorize", str(src), "--output", str(tmp_path / "t2.csv"))[0] == 0
    assert [r["category"] for r in read(tmp_path / "t2.csv")] == ["Investment Income", "Fees"]


def test_learn_from_a_labelled_file_without_saving_anything(cli, tmp_path):
    src = write(tmp_path / "in.csv", "description,amount\nBlue Parrot Cafe 1,-4.00\nQwerty Widget,-5\n")
    lab = write(tmp_path / "lab.csv", "Description,Amount,Category\nBlue Parrot Cafe 2,-4,Travel\n"
                "Qwerty Widget 9,-3,education\nFoo,-1,No Such Category\n")
    code, out, err = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--learn-from", str(lab))
    assert code == 0 and "Learned from 2 rows" in out and "No Such Category" in err
    assert [r["category"] for r in read(tmp_path / "o.csv")] == ["Travel", "Education"]


def test_a_users_rules_are_used_and_left_untouched(cli, tmp_path, sqlite_template):
    settings = Settings.load()
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as s:
            p = auth.register(s, name="Ann", email="ann@example.com", password=STRONG_PASSWORD, settings=settings)
            edu = categories.find_category_by_name(s, user_id=p.user_id, name="Education").id
            categorize.create_rule(s, user_id=p.user_id, spec=categorize.RuleSpec(category_id=edu, pattern="zqx"))
        src = write(tmp_path / "in.csv", "description,amount\nZqx Thing,-5\n")
        lab = write(tmp_path / "lab.csv", "description,amount,category\nWidget Co,-5,Travel\n")
        assert cli("categorize", str(src), "--output", str(tmp_path / "o.csv"))[0] == 0
        assert read(tmp_path / "o.csv")[0]["category"] == ""
        code, _, _ = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--user", "ANN@example.com",
                         "--learn-from", str(lab))
        assert code == 0 and read(tmp_path / "o.csv")[0]["category"] == "Education"
        with session_scope(make_session_factory(engine)) as s:  # a dry run: nothing learned was kept
            assert s.scalar(select(func.count(Rule.id)).where(Rule.user_id == p.user_id)) == 1
            assert s.scalar(select(func.count(Transaction.id))) == 0
    finally:
        engine.dispose()
    code, _, err = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--user", "nobody@example.com")
    assert code == 2 and "nobody@example.com" in err


def test_formulas_are_neutralized_and_bad_files_explained(cli, tmp_path):
    src = write(tmp_path / "in.csv", 'description,amount\n"=HYPERLINK(""http://x"")",-1\n')
    assert cli("categorize", str(src), "--output", str(tmp_path / "o.csv"))[0] == 0
    assert read(tmp_path / "o.csv")[0]["description"].startswith("'=")
    bad = write(tmp_path / "bad.csv", "foo,bar\n1,2\n")
    code, _, err = cli("categorize", str(bad), "--output", str(tmp_path / "o.csv"))
    assert code == 2 and "description" in err
    code, _, err = cli("categorize", str(tmp_path / "missing.csv"), "--output", str(tmp_path / "o.csv"))
    assert code == 2 and "missing.csv" in err


def test_fallback_guesses_are_written_and_counted(cli, tmp_path):
    src = write(tmp_path / "in.csv", "description,amount\nPOS Purchase Zorblat Emporium,-12.50\nZqx Thing,-5\n")
    code, out, _ = cli("categorize", str(src), "--output", str(tmp_path / "out.csv"))
    assert code == 0 and "1 categorized (1 of them only guessed from the kind of payment), 1 left blank" in out
    assert [r["category"] for r in read(tmp_path / "out.csv")] == ["Shopping", ""]


def test_learn_from_gives_what_the_app_would_store_with_a_confidence_column(cli, tmp_path):
    src = write(tmp_path / "in.csv", "description,amount\nQUOKKA WHARF PETONE NZ,-4.00\nCARD PAYMENT TESCO 12,-3\n"
                "Zqx Thing,-5\n")
    lab = write(tmp_path / "lab.csv", "Description,Amount,Category\n" + "QUOKKA WHARF KILBIRNIE KILBIRNIE,-4,Dining\n" * 3
                + "Tesco Stores 9,-3,Shopping\nTesco Stores 7,-8,Shopping\nTesco Stores 1,-2,Shopping\n")
    code, out, _ = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--learn-from", str(lab))
    assert code == 0, out
    rows = read(tmp_path / "o.csv")
    # another branch of a merchant the history knows; the user's own habit beats the default rule (Tesco = Groceries)
    assert [r["category"] for r in rows[:2]] == ["Dining", "Shopping"]
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)
    # a merchant nothing knows gets the model's best guess, with a confidence that sends it to review
    assert rows[2]["category"] in ("Dining", "Shopping") and float(rows[2]["confidence"]) < 0.8


def test_a_learning_file_with_a_mostly_empty_category_column_is_refused_naming_the_rows(cli, tmp_path):
    src = write(tmp_path / "in.csv", "description,amount\nZqx Thing,-5\n")
    lab = write(tmp_path / "lab.csv", "description,amount,category\nA Shop,-1,Travel\nB Shop,-1,\nC Shop,-1,\n"
                "D Shop,-1,\n")
    code, out, err = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--learn-from", str(lab))
    assert code == 2 and "only 1 of 4 rows have a category (rows 3, 4, 5 have none)" in err
    assert "Nothing was learned" in err and not (tmp_path / "o.csv").exists()


def test_a_learning_file_with_empty_descriptions_is_refused_naming_the_rows(cli, tmp_path):
    src = write(tmp_path / "in.csv", "description,amount\nZqx Thing,-5\n")
    lab = write(tmp_path / "lab.csv", "description,amount,category\nA Shop,-1,Travel\n,-2,Travel\nB Shop,-1,Dining\n")
    code, _, err = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--learn-from", str(lab))
    assert code == 2 and "row 3 has a category but an empty description" in err


def test_a_learning_file_of_mostly_unknown_categories_is_refused_naming_them(cli, tmp_path):
    src = write(tmp_path / "in.csv", "description,amount\nZqx Thing,-5\n")
    lab = write(tmp_path / "lab.csv", "description,amount,category\nA Shop,-1,Foood\nB Shop,-1,Foood\n"
                "C Shop,-1,Trips\nD Shop,-1,Travel\n")
    code, _, err = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--learn-from", str(lab))
    assert code == 2 and "“Foood” (rows 2, 3)" in err and "“Trips” (row 4)" in err and "nothing was learned" in err


def test_a_bank_type_column_is_evidence_for_the_command_too(cli, tmp_path):
    """Issue #16: the bank's own type code ("ATM", "SRVCHG") answers where the text gives no stronger
    answer, with or without a date column; an ambiguous code ("DD") says nothing."""
    dated = write(tmp_path / "d.csv", "Date,Type,Description,Amount\n2024-01-05,ATM,QZXW PLAZA 12,-60.00\n"
                                      "2024-01-06,SRVCHG,QZXW MONTHLY,-5.00\n2024-01-07,DD,QZXW 99,-9.00\n")
    undated = write(tmp_path / "u.csv", "Type,Description,Amount\nATM,QZXW PLAZA 12,-60.00\n"
                                        "SRVCHG,QZXW MONTHLY,-5.00\nDD,QZXW 99,-9.00\n")
    for src in (dated, undated):
        code, out, _ = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"))
        assert code == 0 and "2 from the bank's transaction type column" in out
        rows = read(tmp_path / "o.csv")
        assert [(r["Type"], r["category"]) for r in rows][:2] == [("ATM", "Other"), ("SRVCHG", "Fees")]
        assert rows[2]["category"] != "Fees"


def test_learn_from_labels_in_the_other_unicode_form_name_the_category(cli, tmp_path, sqlite_template):
    """Session 23 (names23): a label typed "E" + a combining acute (a macOS file) is the user's composed "Épargne"
    (was "not a BudgetWise category", nothing learned from its rows)."""
    settings = Settings.load()
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as s:
            p = auth.register(s, name="Ann", email="ann@example.com", password=STRONG_PASSWORD, settings=settings)
            categories.create_category(s, user_id=p.user_id, name="\u00c9pargne", kind="expense")
    finally:
        engine.dispose()
    src = write(tmp_path / "in.csv", "description,amount\nBlue Parrot Cafe 1,-4.00\n")
    lab = write(tmp_path / "lab.csv", "Description,Amount,Category\nBlue Parrot Cafe 2,-4,E\u0301PARGNE\n"
                "Blue Parrot Cafe 3,-4,e\u0301pargne\n")
    code, out, err = cli("categorize", str(src), "--output", str(tmp_path / "o.csv"), "--user", "ann@example.com",
                         "--learn-from", str(lab))
    assert code == 0 and "Learned from 2 rows" in out, err
    assert read(tmp_path / "o.csv")[0]["category"] == "\u00c9pargne"
