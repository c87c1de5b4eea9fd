"""`budgetwise report --user EMAIL --period ... --format csv|json` (in-process, SQLite data directory)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from budgetwise.cli import main
from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope
from budgetwise.services import auth
from tests.conftest import STRONG_PASSWORD, migrated_sqlite, use_local_environment
from tests.helpers_reports import add_rows

D = dt.date


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, sqlite_template: Path):
    use_local_environment(monkeypatch, tmp_path / "data")
    settings = Settings.load()
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        p = auth.register(s, name="Alice", email="alice@example.com", password=STRONG_PASSWORD, settings=settings)
        add_rows(
            s,
            p.user_id,
            [
                (D(2025, 1, 25), 300000, "income", "ACME PAYROLL", "Salary"),
                (D(2025, 1, 3), 4550, "expense", "=SUM(A1:A9) MARKET", "Groceries"),
                (D(2025, 2, 3), 120000, "expense", "RENT", "Rent"),
                (D(2025, 2, 4), 50000, "expense", "TO SAVINGS", "Transfers"),
                (D(2025, 7, 1), 777, "expense", "OUTSIDE THE PERIOD", "Dining"),
            ],
        )
    engine.dispose()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_report_json_has_exact_totals_and_every_section(cli):
    code, out, _ = cli("report", "--user", "ALICE@example.com", "--period", "2025-01..2025-06", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["period"] == {"from": "2025-01-01", "to": "2025-06-30"}
    assert data["totals"] == {
        "income": "3000.00", "expenses": "1245.50", "net_savings": "1754.50", "savings_rate": 58.48, "transactions": 3,
    }
    assert [row["label"] for row in data["by_month"]] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert data["by_month"][1]["expense"] == "1200.00"
    assert [(r["category"], r["amount"]) for r in data["by_category"]] == [("Rent", "1200.00"), ("Groceries", "45.50")]
    for section in ("summary", "average_monthly", "top_merchants", "changes", "recurring", "unusual", "spikes", "duplicates"):
        assert section in data


def test_report_csv_sections_and_formula_safety(cli):
    code, out, _ = cli("report", "--user", "alice@example.com", "--period", "2025-01..2025-06", "--format", "csv")
    assert code == 0
    assert out.startswith("# summary\nmetric,amount\nIncome,3000.00\n")
    assert "# by_category\n" in out and "# recurring\n" in out
    code, out, _ = cli("report", "--user", "alice@example.com", "--period", "2025-01", "--section", "top_merchants")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["example"].startswith("'=SUM")  # neutralized
    assert rows[0]["amount"] == "45.50"


def test_report_filters_and_errors(cli):
    code, out, _ = cli("report", "--user", "alice@example.com", "--period", "2025", "--format", "json", "--category", "rent")
    assert json.loads(out)["totals"]["expenses"] == "1200.00"
    code, out, err = cli("report", "--user", "alice@example.com", "--period", "2025-13", "--format", "json")
    assert code == 2 and "not a month" in err
    code, out, err = cli("report", "--user", "nobody@example.com", "--period", "2025", "--format", "json")
    assert code == 2 and "No user" in err
    code, out, err = cli("report", "--user", "alice@example.com", "--period", "2025", "--category", "Yachts")
    assert code == 2 and "no category named “Yachts”" in err
