"""Uploads that would exhaust memory or time (issue #13), refused before parsing with a
clear message: an XLSX zip bomb (~0.5 MB unpacking to 8 million cells), an XLSX with one
200 MB shared string, a CSV with 200,000 columns, a CSV field of megabytes; and the size
limit that applies when a caller names none (the configured BUDGETWISE_MAX_UPLOAD_MB,
CLI included, with ``--max-size-mb`` as the explicit override).

Time and memory of each refusal are measured by ``benchmarks/hostile_uploads.py``
(docs/reliability.md); the tests assert only the behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetwise.cli import main
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
from budgetwise.errors import ImportFileError
from budgetwise.importing import limits, parse_file
from budgetwise.services import importing
from tests.conftest import create_user, make_settings, use_local_environment
from tests.security.helpers import bank_csv, hostile_xlsx, wide_csv


def test_xlsx_zip_bomb_is_refused_before_parsing():
    bomb = hostile_xlsx(rows=250_000, cols=33)  # 8.25 million cells in well under 1 MB
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ImportFileError, match=r"more than 3,000,000 cells .*Split it"):
        parse_file(bomb, "statement.xlsx")


def test_xlsx_with_a_huge_shared_string_is_refused():
    data = hostile_xlsx(shared_string_mb=200)  # ~200 KB compressed
    with pytest.raises(ImportFileError, match=r"unpacks to 200 MB .*the limit is 128 MB"):
        parse_file(data, "statement.xlsx")
    data = hostile_xlsx(shared_string_mb=40)  # under the content limit, over the text-table limit
    with pytest.raises(ImportFileError, match=r"shared strings\) is 40 MB; the limit is 32 MB"):
        parse_file(data, "statement.xlsx")


def test_xlsx_with_a_long_cell_is_refused():
    data = hostile_xlsx(shared_string_mb=1)
    with pytest.raises(ImportFileError, match=r"Row 1, column 1 .* holds 1,048,576 characters"):
        parse_file(data, "statement.xlsx")


def test_small_hostile_workbook_shape_still_reads():
    parsed = parse_file(hostile_xlsx(rows=3, cols=3), "ok.xlsx")  # the helper makes valid workbooks
    assert parsed.file_format == "xlsx"


def test_csv_with_200000_columns_is_refused_at_once():
    with pytest.raises(ImportFileError, match=r"Row 1 has 200,000 columns; a bank file has at most 500"):
        parse_file(wide_csv(200_000), "wide.csv")
    parse_file(wide_csv(limits.MAX_COLUMNS), "ok.csv")  # at the limit: read


def test_csv_with_a_giant_field_is_refused():
    data = b'Date,Description,Amount\n2024-01-02,"' + b"x" * 2_000_000 + b'",-1.00\n'
    with pytest.raises(ImportFileError, match=r"Row 2 has a field longer than 100,000 characters"):
        parse_file(data, "long.csv")


def test_import_service_applies_the_configured_limit_when_none_is_given(db, session, alice, monkeypatch):
    monkeypatch.setenv("BUDGETWISE_MAX_UPLOAD_MB", "1")
    data = bank_csv(30_000)  # ~1.3 MB
    assert len(data) > 1024 * 1024
    with pytest.raises(ImportFileError, match=r"the limit is 1 MB \(BUDGETWISE_MAX_UPLOAD_MB\)"):
        importing.preview_import(session, user_id=alice.user_id, data=data, filename="big.csv")
    with pytest.raises(ImportFileError, match=r"the limit is 1 MB"):
        importing.commit_import(session, user_id=alice.user_id, data=data, filename="big.csv")
    # an explicit limit still wins
    preview = importing.preview_import(session, user_id=alice.user_id, data=data, filename="big.csv",
                                       max_bytes=5 * 1024 * 1024)
    assert preview.rows_valid == 30_000


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data_dir = tmp_path / "data"
    use_local_environment(monkeypatch, data_dir)
    settings = make_settings(data_dir)
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        create_user(s, settings, "ann@example.com", "Ann")
    engine.dispose()
    return tmp_path


def test_cli_import_uses_the_configured_limit_and_max_size_mb_overrides_it(cli_env, monkeypatch, capsys):
    monkeypatch.setenv("BUDGETWISE_MAX_UPLOAD_MB", "1")
    path = cli_env / "big.csv"
    path.write_bytes(bank_csv(30_000))
    assert main(["import", str(path), "--user", "ann@example.com", "--dry-run"]) == 2
    assert "the limit is 1 MB" in capsys.readouterr().err
    assert main(["import", str(path), "--user", "ann@example.com", "--dry-run", "--max-size-mb", "2"]) == 0
    assert main(["import", str(path), "--user", "ann@example.com", "--dry-run", "--max-size-mb", "0"]) == 2
    assert "--max-size-mb must be at least 1" in capsys.readouterr().err
