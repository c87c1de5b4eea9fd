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
from budgetwise.db import make_engine, make_session_factory, session_scope
from budgetwise.errors import ImportFileError
from budgetwise.importing import limits, parse_file
from budgetwise.services import importing
from tests.conftest import create_user, make_settings, migrated_sqlite, use_local_environment
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


def test_cli_import_uses_the_configured_limit_and_max_size_mb_overrides_it(cli_env, monkeypatch, capsys):
    monkeypatch.setenv("BUDGETWISE_MAX_UPLOAD_MB", "1")
    path = cli_env / "big.csv"
    path.write_bytes(bank_csv(30_000))
    assert main(["import", str(path), "--user", "ann@example.com", "--dry-run"]) == 2
    assert "the limit is 1 MB" in capsys.readouterr().err
    assert main(["import", str(path), "--user", "ann@example.com", "--dry-run", "--max-size-mb", "2"]) == 0
    assert main(["import", str(path), "--user", "ann@example.com", "--dry-run", "--max-size-mb", "0"]) == 2
    assert "--max-size-mb must be at least 1" in capsys.readouterr().err


# --------------------------------------------------------------------------- OFX (session 13 audit)
_OFX_HEAD = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKTRANLIST>"
# Before: the lenient reader's tokenizer scanned to the end of the text for every unclosed "<!--",
# "<?" or "<![CDATA[" (a lazy ".*?" per opener): quadratic, 28 s of CPU for 128 KB, ~30 min for 1 MB,
# days for a 20 MB upload. A ceiling of minutes cannot be noise: the fixed reader takes about a second.
_OFX_CEILING_S = 120


@pytest.mark.parametrize("shape", ["<!--", "<?", "<![CDATA[", "<x"])
def test_ofx_with_unclosed_comments_or_tags_is_read_in_linear_time(shape):
    """Many unclosed comments (processing instructions, CDATA), or one tag name a megabyte long."""
    import subprocess
    import sys

    body = "<x" + "x" * 1_000_000 if shape == "<x" else shape * (1_000_000 // len(shape))
    data = (_OFX_HEAD + body).encode()
    code = (
        "import sys; from budgetwise.importing import parse_file\n"
        "from budgetwise.errors import ImportFileError\n"
        "try:\n    parse_file(sys.stdin.buffer.read(), 'x.ofx')\nexcept ImportFileError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, timeout=_OFX_CEILING_S,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert "no bank or credit-card transactions" in done.stdout.decode()


def test_ofx_entities_are_never_expanded_nor_fetched():
    """Billion laughs and an external entity in an OFX 2 (XML) file: the text stays literal."""
    laughs = '<!ENTITY l0 "lollollollol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9))
    body = (
        '<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" '
        f'NEWFILEUID="NONE"?>\n<!DOCTYPE OFX [ {laughs} <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
        "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD"
        "<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20240131"
        "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-5.00<FITID>1<NAME>&l8;</STMTTRN>"
        "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240106<TRNAMT>-6.00<FITID>2<NAME>&xxe;</STMTTRN>"
        "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    rows = parse_file(body.encode(), "x.ofx").rows
    assert list(rows["description"]) == ["&l8;", "&xxe;"]


def test_forecast_csv_with_200000_columns_is_refused_at_once():
    """The forecast page's own CSV upload (nothing stored) has the importer's column ceiling too.
    Before (session 13 audit): 38 s of CPU for this 1.9 MB file, then "needs the columns date, ..."."""
    from budgetwise.services.forecast.csv_input import read_transactions_csv

    with pytest.raises(ImportFileError, match=r"Row 1 has 200,000 columns; .* at most 500"):
        read_transactions_csv(wide_csv(200_000))
    assert len(read_transactions_csv(b"date,amount,category\n2024-01-02,1.00,Food\n")) == 1


def test_forecast_csv_with_a_giant_header_cell_is_refused_with_a_reason():
    """Session 19 audit: a header cell past csv's field limit raised _csv.Error out of read_transactions_csv."""
    from budgetwise.services.forecast.csv_input import read_transactions_csv

    for data in (b"date,amount,category," + b"x" * 300_000 + b"\n2024-01-01,5,Food,x\n",
                 b'date,amount,"' + b"x" * 300_000 + b"\n2024-01-01,5,Food\n"):
        with pytest.raises(ImportFileError, match="Row 1 is not a readable CSV header"):
            read_transactions_csv(data)


def test_rates_csv_with_a_giant_field_is_refused_with_a_reason():
    """Session 19 audit: a rates CSV cell past csv's field limit (131,072 characters) raised _csv.Error out of
    rates.parse_rates_csv (a traceback on the page and the command line)."""
    from budgetwise.services import rates

    for data in (b"date,base,quote,rate\n2024-01-01,EUR,USD," + b"1" * 300_000 + b"\n",
                 b'date,base,quote,rate\n"' + b"a" * 300_000 + b"\n"):
        with pytest.raises(rates.RatesFileError, match="not a readable rates CSV"):
            rates.parse_rates_csv(data)


def test_rates_csv_header_of_a_million_cells_names_ten_of_them():
    """The refusal of a header without the four names quoted every cell (a message megabytes long)."""
    from budgetwise.services import rates

    data = b"when,from,to,value" + b",x" * 1_000_000 + b"\n2024-01-01,EUR,USD,1\n"
    with pytest.raises(rates.RatesFileError, match="missing: date, base, quote, rate") as caught:
        rates.parse_rates_csv(data)
    assert len(caught.value.message) < 400 and "1,000,004 more" not in caught.value.message
    assert "when, from, to, value, x" in caught.value.message and "and 999,994 more" in caught.value.message


def test_forecast_csv_over_the_upload_limit_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    """The forecast's CSV upload (page and ``budgetwise forecast --input``) has the importer's size limit
    (limits.check_upload_size), checked before decoding: these bytes are not UTF-8, and the answer is the size."""
    from budgetwise.services.forecast.csv_input import read_transactions_csv

    monkeypatch.setenv("BUDGETWISE_MAX_UPLOAD_MB", "1")
    data = b"date,amount,category\n" + b"\xff" * (1024 * 1024)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    for source in (data, str(path)):
        with pytest.raises(ImportFileError, match=r"The file is 1\.0 MB; the limit is 1 MB \(BUDGETWISE_MAX_UPLOAD_MB\)"):
            read_transactions_csv(source)
    with pytest.raises(ImportFileError, match="not UTF-8"):  # an explicit limit wins
        read_transactions_csv(data, max_bytes=2 * 1024 * 1024)
    out = str(tmp_path / "o.csv")
    assert main(["forecast", "--input", str(path), "--horizon", "3", "--freq", "month", "--output", out]) == 2
    assert "the limit is 1 MB" in capsys.readouterr().err
    assert main(["forecast", "--input", str(path), "--horizon", "3", "--freq", "month", "--output", out,
                 "--max-size-mb", "2"]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert main(["forecast", "--input", str(path), "--horizon", "3", "--freq", "month", "--output", out,
                 "--max-size-mb", "0"]) == 2
    assert "--max-size-mb must be at least 1" in capsys.readouterr().err


def test_a_headerless_csv_of_many_numeric_columns_compares_few_balance_pairs(monkeypatch):
    """The running-balance search compared every pair of numeric columns of a headerless file (session 22): a
    20 MB file of 500 such columns took ~36 s of CPU, two thirds of it there. Only the first and last
    MAX_BALANCE_COLUMNS are compared now; a real statement (amount and balance) is still read by its balance."""
    from budgetwise.importing import balance as bal
    from budgetwise.importing.table import running_balance

    calls = []
    real = bal.agreement
    monkeypatch.setattr(bal, "agreement", lambda b, a: calls.append(1) or real(b, a))
    rows = [",".join([f"2024-01-{day + 1:02d}"] + [f"{(day * col) % 97}.{col % 10}5" for col in range(1, 101)])
            for day in range(12)]
    parse_file("\n".join(rows).encode() + b"\n", "wide.csv")
    kept = 2 * running_balance.MAX_BALANCE_COLUMNS + 1  # the first and last few and the guessed amount (review22)
    assert 0 < len(calls) <= kept * (kept - 1)

    calls.clear()
    balance, lines = 1000, []
    for day, amount in enumerate([-12, -30, 500, -7, -45, -3, -60, 25, -9, -14]):
        balance += amount
        lines.append(f"2024-02-{day + 1:02d},Shop {day},{amount}.00,{balance}.00")
    parsed = parse_file("\n".join(lines).encode() + b"\n", "plain.csv")
    assert calls and parsed.mapping.amount == 2 and "running balance in column 4" in " ".join(parsed.warnings)


def _wide_statement(noise: int, pair: bool) -> bytes:
    """A headerless statement: date, description, ``noise`` other numeric columns, then money out and in (``pair``)
    or the amount, then the running balance."""
    balance, lines = 1000, []
    for day, amount in enumerate([-12, -30, 500, -7, -45, -3, -60, 25, -9, -14, -22, 80]):
        balance += amount
        money = ([f"{-amount}.00", ""] if amount < 0 else ["", f"{amount}.00"]) if pair else [f"{amount}.00"]
        extra = [f"{(day * col) % 97}.{col % 10}5" for col in range(1, noise + 1)]
        lines.append(",".join([f"2024-02-{day + 1:02d}", f"Shop {day}", *(money + extra if pair else extra + money),
                               f"{balance}.00"]))
    return "\n".join(lines).encode() + b"\n"


@pytest.mark.parametrize("pair", [False, True], ids=["amount", "out-and-in"])
def test_a_wide_headerless_statement_is_still_read_by_its_running_balance(pair):
    """Review22: session 22's cap compared the first 12 numeric columns only: with 14 others before them, the amount
    and balance at the end were never compared (the third column, not an amount, was imported as the amount), and a
    balance after money out and in went unread though that check is linear (before session 22 both were found)."""
    noise = 14
    parsed = parse_file(_wide_statement(noise, pair), "wide.csv")
    said = " ".join(parsed.warnings)
    if pair:
        assert (parsed.mapping.debit, parsed.mapping.credit) == (2, 3)
        assert f"running balance in column {noise + 5}" in said, said
    else:
        assert parsed.mapping.amount == noise + 2, parsed.mapping
        assert f"column {noise + 3} is the amount" in said and f"balance in column {noise + 4}" in said, said


def _ofx_with_amount(amount: str) -> bytes:
    """A USD statement: a row of TRNAMT ``amount``, then a row of -4.50."""
    def trn(fitid: int, value: str) -> str:
        return f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>{value}<FITID>{fitid}<NAME>Shop</STMTTRN>"

    return ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD"
            "<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
            + trn(1, amount) + trn(2, "-4.50") + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n").encode()


@pytest.mark.parametrize("amount", ["nan", "-NaN", "sNaN", "Infinity", "-inf"])
def test_an_ofx_amount_that_is_not_a_finite_number_refuses_its_row_not_the_file(amount):
    """TRNAMT "NaN" is a Decimal whose comparisons raise InvalidOperation: the whole file was refused as "an
    unexpected problem" (and logged with a traceback) for one row (session 22)."""
    parsed = parse_file(_ofx_with_amount(amount), "statement.ofx")
    assert parsed.rows["amount_minor"].tolist() == [450]
    assert [(r.row, r.field) for r in parsed.rejections] == [(1, "amount")]
    assert "is not a number" in parsed.rejections[0].reason


@pytest.mark.parametrize("amount", ["1E-999999999", "-1e-1000000"])
def test_an_ofx_amount_too_small_for_the_currency_refuses_its_row_not_stored_as_zero(amount):
    """A tiny non-zero TRNAMT passed the zero check and underflowed the decimal context's exponent range to 0
    minor units: a zero-amount row was imported (found by review22, session 22). It has more decimal places
    than the currency allows, as 0.001 does."""
    parsed = parse_file(_ofx_with_amount(amount), "statement.ofx")
    assert parsed.rows["amount_minor"].tolist() == [450]
    assert [(r.row, r.field) for r in parsed.rejections] == [(1, "amount")]
    assert "more decimal places than USD allows" in parsed.rejections[0].reason
