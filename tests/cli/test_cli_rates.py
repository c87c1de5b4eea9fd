"""`budgetwise rates import|fetch|list|missing` (in-process, SQLite data directory, a local fake ECB)."""

from __future__ import annotations

import csv
import datetime as dt
import http.server
import io
import json
import threading
from pathlib import Path

import pytest

from budgetwise.cli import main
from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope
from budgetwise.services import auth
from tests.conftest import STRONG_PASSWORD, migrated_sqlite, use_local_environment
from tests.helpers_reports import add_rows

D = dt.date
XML = (Path(__file__).resolve().parents[1] / "data" / "ecb" / "eurofxref-hist-90d.xml").read_bytes()
RATES = "date,base,quote,rate\n2025-01-03,EUR,USD,1.0300\n2025-01-02,EUR,USD,1.0350\n"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, sqlite_template: Path):
    use_local_environment(monkeypatch, tmp_path / "data")
    settings = Settings.load()
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        p = auth.register(s, name="Alice", email="alice@example.com", password=STRONG_PASSWORD, settings=settings)
        add_rows(s, p.user_id, [
            (D(2025, 1, 4), 10000, "expense", "HOTEL", "Travel", "EUR"),
            (D(2025, 1, 25), 300000, "income", "ACME PAYROLL", "Salary"),
        ])
    engine.dispose()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    run.tmp = tmp_path
    return run


def test_import_then_list_round_trips_and_converts_the_report(cli):
    code, out, err = cli("rates", "missing", "--user", "alice@example.com")
    assert code == 1 and "No EUR → USD rate for 2025-01-04" in out
    path = cli.tmp / "rates.csv"
    path.write_text(RATES)
    code, out, _ = cli("rates", "import", str(path))
    assert code == 0 and "2 added, 0 replaced, 0 already stored (2025-01-02 to 2025-01-03)" in out
    code, out, _ = cli("rates", "list", "--base", "EUR", "--quote", "USD")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["date"], r["rate"], r["source"]) for r in rows] == [("2025-01-03", "1.03", "upload"), ("2025-01-02", "1.035", "upload")]
    code, out, _ = cli("rates", "missing", "--user", "alice@example.com")
    assert code == 0 and "can be converted to USD" in out
    code, out, err = cli("report", "--user", "alice@example.com", "--period", "2025-01", "--format", "json")
    data = json.loads(out)
    assert data["totals"]["expenses"] == "103.00"  # 100.00 EUR on Saturday at Friday's 1.0300
    assert data["other_currencies"] == ["EUR"] and data["missing_rates"] == [] and "warning" not in err


def test_import_refuses_the_whole_file_and_prints_every_problem(cli):
    path = cli.tmp / "bad.csv"
    path.write_text("date,base,quote,rate\n2025-01-03,EUR,USD,1.03\n2025-01-32,EUR,USD,1\n2025-01-03,EUR,USD,abc\n")
    code, out, err = cli("rates", "import", str(path))
    assert code == 2 and out == ""
    assert "nothing was imported; 2 line(s) cannot be used" in err
    assert "Line 3: date: “2025-01-32” is not a date" in err and "Line 4: rate: “abc” is not a rate" in err
    code, out, _ = cli("rates", "list")
    assert out.strip() == "date,base,quote,rate,source"


def test_import_replace_is_explicit(cli):
    path = cli.tmp / "rates.csv"
    path.write_text(RATES)
    cli("rates", "import", str(path))
    path.write_text("date,base,quote,rate\n2025-01-03,EUR,USD,1.04\n")
    code, _, err = cli("rates", "import", str(path))
    assert code == 2 and "already has the rate 1.03 (upload); choose to replace" in err
    code, out, _ = cli("rates", "import", "--replace", str(path))
    assert code == 0 and "0 added, 1 replaced" in out
    code, _, err = cli("rates", "import", str(cli.tmp / "nope.csv"))
    assert code == 2 and "no such file" in err


class _Ecb(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if not self.path.endswith(".xml"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(XML)))
        self.end_headers()
        self.wfile.write(XML)

    def log_message(self, *args):
        pass


def test_fetch_from_a_mirror_and_a_clear_failure(cli):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ecb)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        code, out, _ = cli("rates", "fetch", "--period", "90d", "--url", f"{base}/eurofxref-hist-90d.xml")
        assert code == 0 and "ECB reference rates: 20 added" in out
        code, out, err = cli("rates", "fetch", "--url", f"{base}/eurofxref-hist.zip", "--timeout", "2")
        assert code == 2 and "answered HTTP 404" in err
    finally:
        server.shutdown()
        server.server_close()
    code, out, _ = cli("rates", "list", "--source", "ecb", "--quote", "JPY", "--from", "2024-01-04")
    assert [r["date"] for r in csv.DictReader(io.StringIO(out))] == ["2024-01-05", "2024-01-04"]
    code, _, err = cli("rates", "list", "--from", "yesterday")
    assert code == 2 and "“yesterday” is not a date" in err


def test_list_for_a_user_marks_their_own_rates_and_the_shared_ones(cli):
    """Session 13: `rates list --user` mixed the user's own rates with the shared ones without a word;
    a last column `whose` says which (the columns before it unchanged, the import ignores it)."""
    shared = cli.tmp / "shared.csv"
    shared.write_text(RATES)
    assert cli("rates", "import", str(shared))[0] == 0
    own = cli.tmp / "own.csv"
    own.write_text("date,base,quote,rate\n2025-01-03,EUR,USD,1.1000\n2025-01-06,GBP,USD,1.2500\n")
    assert cli("rates", "import", str(own), "--user", "alice@example.com")[0] == 0
    code, out, _ = cli("rates", "list", "--user", "alice@example.com")
    assert code == 0 and out.splitlines()[0] == "date,base,quote,rate,source,whose"
    rows = {(r["date"], r["base"], r["rate"], r["whose"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows == {("2025-01-06", "GBP", "1.25", "own"), ("2025-01-03", "EUR", "1.1", "own"),
                    ("2025-01-03", "EUR", "1.03", "shared"), ("2025-01-02", "EUR", "1.035", "shared")}
    # the shared listing (no user) is the import format plus the source, as before
    code, out, _ = cli("rates", "list")
    assert out.splitlines()[0] == "date,base,quote,rate,source" and "whose" not in out and "1.1," not in out
    # the marked listing still imports (the extra columns are ignored): its own rates, already stored
    listed = cli("rates", "list", "--user", "alice@example.com")[1].splitlines()
    again = cli.tmp / "again.csv"
    again.write_text("\n".join([listed[0], *(line for line in listed[1:] if line.endswith(",own"))]) + "\n")
    code, out, _ = cli("rates", "import", str(again), "--user", "alice@example.com")
    assert code == 0 and "0 added, 0 replaced, 2 already stored" in out


def test_import_names_rates_far_off_the_known_ones_and_stores_them_only_with_confirm(cli):
    """Session 19: the plausibility check of a typed rate applies to a rates file on the command line too."""
    path = cli.tmp / "rates.csv"
    path.write_text(RATES)
    cli("rates", "import", str(path))
    path.write_text("date,base,quote,rate\n2025-01-06,EUR,USD,1.04\n2025-01-07,USD,EUR,96\n")
    code, out, err = cli("rates", "import", str(path))
    assert code == 2 and out == ""
    assert "nothing was imported; 1 line(s) look wrong (run again with --confirm if they are right)" in err
    assert "Line 3: 1 USD = 96 EUR is more than 10 times the known rate of USD/EUR (0.970874 on 2025-01-03)." in err
    code, out, _ = cli("rates", "import", "--confirm", str(path))
    assert code == 0 and "2 added" in out
