"""The file parsers (no database): dialects, encodings, dates, amounts, layouts, bad input."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing import ColumnMapping, ImportOptions, merge_mapping, parse_file, parse_mapping_spec
from budgetwise.importing.amounts import decide_decimal, parse_amounts
from budgetwise.importing.headers import role_scores

D = dt.date


def rows_of(parsed):
    return list(zip(parsed.rows["date"], parsed.rows["amount_minor"], parsed.rows["kind"], parsed.rows["description"]))


def parse_text(text: str, name: str = "t.csv", encoding: str = "utf-8", **opts):
    return parse_file(text.encode(encoding), name, ImportOptions(**opts) if opts else None)


# --------------------------------------------------------------------------- dialects
@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_any_delimiter_and_line_ending(delim, newline):
    lines = [["Date", "Description", "Amount"], ["2024-03-01", "Coffee shop", "-3.50"], ["2024-03-02", "Salary", "2500.00"]]
    text = newline.join(delim.join(cells) for cells in lines) + newline
    parsed = parse_text(text)
    assert parsed.delimiter == delim
    assert parsed.file_format == ("tsv" if delim == "\t" else "csv")
    assert rows_of(parsed) == [(D(2024, 3, 1), 350, "expense", "Coffee shop"), (D(2024, 3, 2), 250000, "income", "Salary")]


@pytest.mark.parametrize(
    "encoding, label",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252"), ("latin-1", "latin-1")],
)
def test_encodings(encoding, label):
    text = "Datum;Empfänger;Betrag\n01.02.2024;Café Müller €;-4,50\n"
    if encoding == "latin-1":
        text = text.replace(" €", "")
    parsed = parse_file(text.encode(encoding), "x.csv")
    assert parsed.encoding == label
    assert rows_of(parsed)[0][3].startswith("Café Müller")
    assert rows_of(parsed)[0][:3] == (D(2024, 2, 1), 450, "expense")


def test_cp1250_central_european_text_is_recognised():
    text = "Datum;Popis;Částka;Měna\n27.05.2018;Platba kartou Škoda Žďár;-1,00;CZK\n"
    parsed = parse_file(text.encode("cp1250"), "cz.csv")
    assert parsed.encoding == "cp1250"
    assert "Škoda Žďár" in parsed.rows["description"][0]
    assert parsed.rows["currency"][0] == "CZK"


def test_preamble_lines_before_the_header_and_quoted_fields():
    text = (
        'Account details for:,Everyday Account 123\n'
        'Available Balance,"6,666.66"\n'
        "\n"
        "Transaction History\n"
        'Date,Description,Amount\n'
        '05/03/2024,"Shop, with comma ""quoted""",-12.00\n'
        '17/03/2024,Refund,"1,234.56"\n'
    )
    parsed = parse_text(text)
    assert parsed.header_row == 5
    assert rows_of(parsed) == [
        (D(2024, 3, 5), 1200, "expense", 'Shop, with comma "quoted"'),
        (D(2024, 3, 17), 123456, "income", "Refund"),
    ]
    assert list(parsed.rows["row"]) == [6, 7]  # row numbers as in the file


def test_trailing_empty_columns_and_padding_are_ignored():
    text = "Date;Text;Amount;;;\n 2024-01-05 ;  Bakery   ;  -2,10 ;;;\n"
    parsed = parse_text(text)
    assert parsed.columns == ("Date", "Text", "Amount")
    assert rows_of(parsed) == [(D(2024, 1, 5), 210, "expense", "Bakery")]


def test_excel_sep_hint_line():
    parsed = parse_text("sep=;\nDate;Amount;Memo\n2024-01-05;-1,5;x\n")
    assert parsed.delimiter == ";"
    assert rows_of(parsed) == [(D(2024, 1, 5), 150, "expense", "x")]


def test_repeated_header_rows_and_blank_lines_are_skipped():
    text = "Date,Amount,Payee\n2024-01-01,-1.00,A\n\nDate,Amount,Payee\n2024-01-02,-2.00,B\n"
    parsed = parse_text(text)
    assert [r[1] for r in rows_of(parsed)] == [100, 200]
    assert parsed.rejections == ()


def test_continuation_lines_join_the_row_above():
    text = (
        "Date,Value date,Description,Withdrawals,Deposits\n18/04/2018,18/04/2018,DEBIT PURCHASE,6.66,\n"
        ",,UBER EATS 15/04\n17/04/2018,17/04/2018,SALARY,,100.00\n"
    )
    parsed = parse_text(text)
    assert rows_of(parsed) == [
        (D(2018, 4, 18), 666, "expense", "DEBIT PURCHASE UBER EATS 15/04"),
        (D(2018, 4, 17), 10000, "income", "SALARY"),
    ]
    assert parsed.rows_read == 2


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-31", D(2024, 3, 31)),
        ("2024/03/31", D(2024, 3, 31)),
        ("2019.04.19.", D(2019, 4, 19)),
        ("20240331", D(2024, 3, 31)),
        ("31.03.2024", D(2024, 3, 31)),
        ("31.03.24", D(2024, 3, 31)),
        ("31/03/2024", D(2024, 3, 31)),
        ("12-Dec-2019", D(2019, 12, 12)),
        ("27 Feb 2018", D(2018, 2, 27)),
        ("Feb 27, 2018", D(2018, 2, 27)),
        ("27. Februar 2018", D(2018, 2, 27)),
        ("27 févr. 2018", D(2018, 2, 27)),
        ("2018-02-25 12:34:56 +0000", D(2018, 2, 25)),
        ("2018-02-25T23:30:00-05:00", D(2018, 2, 25)),  # the date as written, not shifted to UTC
        ("29.12.24, 13:56", D(2024, 12, 29)),
    ],
)
def test_date_shapes(text, expected):
    parsed = parse_text(f"Date;Amount;Memo\n{text};-1,00;x\n")
    assert parsed.rejections == ()
    assert parsed.rows["date"][0] == expected


def test_day_first_decided_from_all_rows():
    parsed = parse_text("Date,Amount,Memo\n01/02/2024,-1.00,a\n05/02/2024,-1.00,b\n13/02/2024,-1.00,c\n")
    assert parsed.date_order == "dmy"
    assert list(parsed.rows["date"]) == [D(2024, 2, 1), D(2024, 2, 5), D(2024, 2, 13)]


def test_month_first_decided_from_all_rows():
    parsed = parse_text("Date,Amount,Memo\n01/02/2024,-1.00,a\n01/05/2024,-1.00,b\n01/13/2024,-1.00,c\n")
    assert parsed.date_order == "mdy"
    assert list(parsed.rows["date"]) == [D(2024, 1, 2), D(2024, 1, 5), D(2024, 1, 13)]


def test_ambiguous_dates_use_order_and_span_and_can_be_overridden():
    text = "Date,Amount,Memo\n01/09/2017,-1.00,a\n04/09/2017,-1.00,b\n07/09/2017,-1.00,c\n11/09/2017,-1.00,d\n"
    parsed = parse_text(text)
    assert parsed.date_order == "dmy"  # September, not January..November
    assert "period" in parsed.date_order_reason or "order" in parsed.date_order_reason
    forced = parse_text(text, date_order="mdy")
    assert forced.date_order == "mdy" and forced.date_order_reason == "chosen by you"
    assert forced.rows["date"][0] == D(2017, 1, 9)


def test_us_dollar_files_default_to_month_first_others_day_first():
    usd = parse_text("Date,Amount,Currency,Memo\n05/03/2021,-1.00,USD,a\n")
    eur = parse_text("Date,Amount,Currency,Memo\n05/03/2021,-1.00,EUR,a\n")
    assert usd.rows["date"][0] == D(2021, 5, 3)
    assert eur.rows["date"][0] == D(2021, 3, 5)


def test_absurd_and_invalid_dates_are_rejected_per_row():
    text = "Date,Amount,Memo\n1800-01-01,-1.00,old\n2999-01-01,-1.00,future\n2024-02-30,-1.00,nope\nsoon,-1.00,text\n,-1.00,empty\n2024-01-01,-1.00,ok\n"
    parsed = parse_text(text)
    assert len(parsed.rows) == 1
    by_row = {r.row: r for r in parsed.rejections}
    assert set(by_row) == {2, 3, 4, 5, 6}
    assert all(r.field == "date" for r in parsed.rejections)
    assert "implausibly old" in by_row[2].reason
    assert "future" in by_row[3].reason
    assert "not a real calendar date" in by_row[4].reason
    assert "“soon” is not a date" in by_row[5].reason
    assert by_row[6].reason == "The date is empty."


# --------------------------------------------------------------------------- amounts
@pytest.mark.parametrize(
    "text, minor, kind",
    [
        ("1,234.56", 123456, "income"),
        ("-1.234,56", 123456, "expense"),
        ("1 234,56", 123456, "income"),
        ("11'373.94", 1137394, "income"),
        ("$1,036.47", 103647, "income"),
        ("£1,183.23", 118323, "income"),
        ("(12.00)", 1200, "expense"),
        ("+50,00", 5000, "income"),
        ("-337,49", 33749, "expense"),
        ("12.50-", 1250, "expense"),
        ("-123,45 €", 12345, "expense"),
        ("EUR -5.00", 500, "expense"),
        ("1.234.567,89", 123456789, "income"),
    ],
)
def test_amount_shapes(text, minor, kind):
    # A second negative row keeps the file "signed", so positives are income.
    escaped = '"' + text + '"'
    parsed = parse_text(f"Date,Amount,Memo\n2024-01-01,{escaped},x\n2024-01-02,-1.00,y\n")
    assert parsed.rejections == ()
    assert (parsed.rows["amount_minor"][0], parsed.rows["kind"][0]) == (minor, kind)


def test_decimal_separator_decided_per_column():
    # "1,000" alone is ambiguous: the other values of the column settle it.
    comma = parse_text("Datum;Betrag;Text\n2024-01-01;-1,000;a\n2024-01-02;-2,50;b\n")
    dot = parse_text("Date,Amount,Text\n2024-01-01,\"-1,000\",a\n2024-01-02,-2.50,b\n")
    assert comma.decimal == "," and comma.rows["amount_minor"][0] == 100
    assert dot.decimal == "." and dot.rows["amount_minor"][0] == 100000


def test_amount_helpers_match_money_parse_decimal():
    import pandas as pd

    from budgetwise.money import parse_decimal

    values = pd.Series(["1,234.56", "(12.00)", "12.50-", "€ 3", "+50,00", "0,125"])
    integer, fraction, negative, error = parse_amounts(values, decide_decimal(values))
    for text, i, f, neg, err in zip(values, integer, fraction, negative, error):
        assert err == ""
        expected = parse_decimal(text, decimal_hint=".")
        value = (-1 if neg else 1) * (int(i) + (int(f) / 10 ** len(f) if f else 0))
        assert abs(value - float(expected)) < 1e-9


def test_amounts_with_letters_and_too_many_decimals_are_rejected():
    text = "Date,Amount,Memo\n2024-01-01,12abc,a\n2024-01-02,-1.234,b\n2024-01-03,,c\n2024-01-04,0.00,d\n2024-01-05,-2.00,e\n"
    parsed = parse_text(text)
    by_row = {r.row: r for r in parsed.rejections}
    assert len(parsed.rows) == 1
    assert "letters" in by_row[2].reason and by_row[2].field == "amount"
    assert "decimal places" in by_row[3].reason
    assert by_row[4].reason == "There is no amount."
    assert "zero" in by_row[5].reason


def test_currency_minor_units_follow_the_row_currency():
    parsed = parse_text("Date,Amount,Currency,Memo\n2024-01-01,-1500,JPY,sushi\n2024-01-02,-1.250,KWD,fuel\n2024-01-03,-2.5,EUR,x\n")
    assert list(parsed.rows["amount_minor"]) == [1500, 1250, 250]
    assert list(parsed.rows["currency"]) == ["JPY", "KWD", "EUR"]


# --------------------------------------------------------------------------- directions
def test_separate_debit_and_credit_columns():
    text = "Datum;Omschrijving;Debet;Credit\n01-02-2024;Huur;750,00;\n02-02-2024;Salaris;;2.500,00\n"
    parsed = parse_text(text)
    assert parsed.mapping.debit == 2 and parsed.mapping.credit == 3
    assert rows_of(parsed) == [(D(2024, 2, 1), 75000, "expense", "Huur"), (D(2024, 2, 2), 250000, "income", "Salaris")]


def test_camel_case_money_in_and_out_columns_are_a_pair():
    """QA: 'AmountIn'/'AmountOut' (an Excel export) were read as one signless amount: income became
    spending and every money-out row was rejected as a zero amount."""
    assert role_scores("AmountIn")["credit"] == role_scores("Amount In")["credit"]
    assert role_scores("AmountOut")["debit"] == role_scores("Amount Out")["debit"]
    assert role_scores("BuchungsText") == {"description": 60}  # a reading that was already right stays
    parsed = parse_text("Category,Date,AmountIn,AmountOut\nLoans,2022-01-04,3000.00,0.00\n"
                        "Investments,2022-01-04,0.00,300.00\n")
    assert parsed.mapping.credit == 2 and parsed.mapping.debit == 3
    assert [(r[1], r[2]) for r in rows_of(parsed)] == [(300000, "income"), (30000, "expense")]


def test_debit_column_with_negative_numbers_is_still_money_out():
    parsed = parse_text("Date,Text,Debit,Credit\n2024-01-01,Fee,-3.40,\n2024-01-02,In,,5.00\n")
    assert [(r[1], r[2]) for r in rows_of(parsed)] == [(340, "expense"), (500, "income")]


@pytest.mark.parametrize(
    "header, out, inn",
    [
        ("Transaction Type", "debit", "credit"),
        ("Soll/Haben", "S", "H"),
        ("Af Bij", "Af", "Bij"),
        ("Sign", "-", "+"),
        ("Debit/Credit", "DR", "CR"),
    ],
)
def test_indicator_and_sign_columns(header, out, inn):
    text = f"Date,Description,Amount,{header}\n2024-01-01,Rent,750.00,{out}\n2024-01-02,Salary,2500.00,{inn}\n"
    parsed = parse_text(text)
    assert parsed.mapping.direction == 3
    assert [(r[1], r[2]) for r in rows_of(parsed)] == [(75000, "expense"), (250000, "income")]


def test_one_sided_flag_marks_the_other_rows_as_the_other_direction():
    text = 'Date,Description,Amount,\n12-Dec-2019,SHOP,£18.89,\n02-Dec-2019,PAYMENT RECEIVED,"+ £1,100.00",CR\n'
    parsed = parse_text(text)
    assert [(r[1], r[2]) for r in rows_of(parsed)] == [(1889, "expense"), (110000, "income")]


def test_unsigned_amounts_are_expenses_with_a_warning_and_the_user_can_flip():
    text = "Date,Merchant Name,Amount\n01/10/2019,Mobil,36.33\n12/15/2018,iTunes,13.98\n"
    parsed = parse_text(text)
    assert set(parsed.rows["kind"]) == {"expense"}
    assert any("expense" in w for w in parsed.warnings)
    flipped = parse_text(text, sign="negative_is_expense")
    assert set(flipped.rows["kind"]) == {"income"}


# --------------------------------------------------------------------------- column detection
@pytest.mark.parametrize(
    "header",
    [
        "Date,Description,Amount",
        "Buchungstag;Verwendungszweck;Betrag",
        "Date de l'opération;Libellé;Montant",
        "Datum;Omschrijving;Bedrag",
        "Fecha;Concepto;Importe",
        "Booking Date,Payee,Amount (EUR)",
    ],
)
def test_headers_in_five_languages(header):
    delim = ";" if ";" in header else ","
    amount = "-12,34" if delim == ";" else "-12.34"
    parsed = parse_text(f"{header}\n2024-01-15{delim}Bäckerei{delim}{amount}\n")
    assert parsed.mapping_confident
    assert (parsed.mapping.date, parsed.mapping.description, parsed.mapping.amount) == (0, (1,), 2)
    assert rows_of(parsed) == [(D(2024, 1, 15), 1234, "expense", "Bäckerei")]


def test_balance_and_original_amount_columns_are_not_the_amount():
    text = "Saldo;Originalbetrag;Datum;Betrag;Text\n1.000,00;-5,00;2024-01-01;-4,50;x\n"
    parsed = parse_text(text)
    assert parsed.mapping.amount == 3


def test_header_scores():
    assert role_scores("Buchungstag")["date"] >= 90
    assert role_scores("Withdrawals (SGD)")["debit"] >= 90
    assert role_scores("Débit")["debit"] >= 90
    assert role_scores("Running Balance").get("amount", 0) == 0
    assert "direction" in role_scores("Debit/Credit")


def test_headerless_file_is_mapped_from_content():
    text = '6/12/15,Transfer from Checking,Account Transfer,"1,000.00",debit,Checking\n6/13/15,Transfer to Savings,Account Transfer,"2,000.00",credit,Savings\n'
    parsed = parse_text(text)
    assert parsed.header_row is None and not parsed.mapping_confident
    assert rows_of(parsed) == [
        (D(2015, 6, 12), 100000, "expense", "Transfer from Checking"),
        (D(2015, 6, 13), 200000, "income", "Transfer to Savings"),
    ]


def test_explicit_mapping_and_header_row_options():
    text = "a,b,c,d\nx,2024-01-01,-5.00,coffee\n"
    parsed = parse_text(text, header_row=0, mapping=ColumnMapping(date=1, amount=2, description=(3,)))
    assert rows_of(parsed) == [(D(2024, 1, 1), 500, "expense", "coffee")]
    assert parsed.rows["row"][0] == 2  # "a,b,c,d" is row 1 and is not a header here... but is a data row
    assert any(r.row == 1 for r in parsed.rejections)


def test_unrecognisable_layout_asks_for_a_mapping():
    parsed = parse_text("foo,bar\nhello,world\nagain,there\n")
    assert not parsed.mapping.complete
    assert parsed.rows.empty
    assert any("choose the columns" in w for w in parsed.warnings)


def test_mapping_spec_parsing_and_merge():
    assert parse_mapping_spec("date=0,amount=3,description=2+4") == {"date": "0", "amount": "3", "description": ["2", "4"]}
    assert parse_mapping_spec('{"date": "Buchungstag"}') == {"date": "Buchungstag"}
    with pytest.raises(ValidationError):
        parse_mapping_spec("date")
    columns = ("Date", "Text", "Out", "In", "Sum")
    detected = ColumnMapping(date=0, debit=2, credit=3, description=(1,))
    merged = merge_mapping(detected, {"amount": "Sum"}, columns)
    assert (merged.amount, merged.debit, merged.credit, merged.date) == (4, None, None, 0)
    with pytest.raises(ValidationError, match="no column named"):
        merge_mapping(detected, {"amount": "Nope"}, columns)
    with pytest.raises(ValidationError, match="does not exist"):
        merge_mapping(detected, {"amount": "9"}, columns)


# --------------------------------------------------------------------------- Excel
def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_first_sheet_by_default_and_sheet_choice():
    data = _xlsx(
        {
            "Summary": [["Statement"], ["Date", "Description", "Amount"], [dt.datetime(2024, 3, 1), "Groceries", -45.1],
                        [dt.datetime(2024, 3, 2), "Salary", 2500]],
            "Card": [["Date", "Description", "Amount"], ["05/03/2024", "Fuel", -0.1 - 0.2]],
        }
    )
    first = parse_file(data, "s.xlsx")
    assert first.file_format == "xlsx" and first.sheet_names == ("Summary", "Card") and first.sheet == "Summary"
    assert rows_of(first) == [(D(2024, 3, 1), 4510, "expense", "Groceries"), (D(2024, 3, 2), 250000, "income", "Salary")]
    card = parse_file(data, "s.xlsx", ImportOptions(sheet="Card"))
    assert rows_of(card) == [(D(2024, 3, 5), 30, "expense", "Fuel")]  # float noise of 0.1+0.2 is gone
    with pytest.raises(ValidationError, match="no sheet named"):
        parse_file(data, "s.xlsx", ImportOptions(sheet="Nope"))


def test_xlsx_first_sheet_without_transactions_reads_the_next_one():
    """QA (session 7): a bank workbook whose first sheet is a summary was refused with "no
    transactions" and the Import page, which offers the sheet picker only with a preview, had
    no way to choose another sheet."""
    data = _xlsx({
        "Summary": [["Bank statement summary"], ["Total", 123]],
        "Empty": [],
        "Transactions": [["Date", "Description", "Amount"], ["2024-03-01", "Coffee", -3.5]],
    })
    parsed = parse_file(data, "s.xlsx")
    assert parsed.sheet == "Transactions" and parsed.sheet_names == ("Summary", "Empty", "Transactions")
    assert rows_of(parsed) == [(D(2024, 3, 1), 350, "expense", "Coffee")]
    assert "“Summary”" in parsed.warnings[0] and "“Transactions”" in parsed.warnings[0]
    # a sheet chosen by name is read as chosen; its error names it and the other sheets
    with pytest.raises(ImportFileError, match=r"Sheet “Summary” cannot be imported: the file has a header row.*"
                                              r"other sheets: Empty, Transactions\."):
        parse_file(data, "s.xlsx", ImportOptions(sheet="Summary"))
    # no sheet with transactions at all: the first sheet's reason
    nothing = _xlsx({"A": [["x"]], "B": []})
    with pytest.raises(ImportFileError, match=r"Sheet “A” cannot be imported: .*other sheets: B\."):
        parse_file(nothing, "s.xlsx")


# --------------------------------------------------------------------------- OFX
OFX_SGML_CC = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240301<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<CCSTMTRS><CURDEF>EUR<CCACCTFROM><ACCTID>4111XXXXXXXX1111</CCACCTFROM>
<BANKTRANLIST><DTSTART>20240201<DTEND>20240301
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240205223000.000[-5:EST]<TRNAMT>-25.40<FITID>A1<NAME>BOOKSHOP</STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240210<TRNAMT>100.00<FITID>A2<NAME>PAYMENT THANK YOU</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>-10.00<DTASOF>20240301</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>
"""


def test_ofx_sgml_credit_card_keeps_the_local_date_and_currency():
    parsed = parse_file(OFX_SGML_CC.encode("ascii"), "card.qfx")
    assert parsed.file_format == "ofx"
    assert list(zip(parsed.rows["date"], parsed.rows["amount_minor"], parsed.rows["kind"], parsed.rows["currency"])) == [
        (D(2024, 2, 5), 2540, "expense", "EUR"),  # 22:30 EST is the 6th in UTC: the bank's date is kept
        (D(2024, 2, 10), 10000, "income", "EUR"),
    ]
    assert parsed.account == "4111XXXXXXXX1111"


def test_ofx_xml_and_spec_breaking_fields():
    xml = """<?xml version="1.0" encoding="utf-8"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><DTSERVER>20240301</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<STMTRS><CURDEF>GBP</CURDEF><BANKACCTFROM><BANKID>12345678901234</BANKID><ACCTID>99</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240101</DTSTART><DTEND>20240301</DTEND>
<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240115</DTPOSTED><TRNAMT>-9.99</TRNAMT><FITID>1</FITID><NAME><![CDATA[NETFLIX & CO]]></NAME></STMTTRN>
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"""
    parsed = parse_file(xml.encode(), "bank.ofx")
    assert rows_of(parsed) == [(D(2024, 1, 15), 999, "expense", "NETFLIX & CO")]
    assert parsed.rows["currency"][0] == "GBP"


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "data, name, fragment",
    [
        (b"", "empty.csv", "empty"),
        (b"   \n\n  ", "blank.csv", "empty"),
        (b"\x00\x01\x02\x03\xff\xfe\x00binary" * 50, "x.csv", "binary"),
        (b"%PDF-1.7\n...", "statement.pdf", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", ".xls"),
        (b"PK\x03\x04not really", "archive.zip", "ZIP"),
        (b"Date,Description,Amount\n", "header.csv", "header row but no transactions"),
        (b"hello", "x.ofx", "OFX"),
        (b"not excel", "x.xlsx", "Excel"),
        (b"<html><body>login</body></html>", "x.csv", "HTML"),
        (b"single column\nonly\n", "x.csv", "more than one column"),
    ],
)
def test_unreadable_files_get_a_specific_message(data, name, fragment):
    with pytest.raises(ImportFileError) as err:
        parse_file(data, name)
    assert fragment.lower() in str(err.value).lower()


def test_thousands_of_bad_rows_each_get_a_reason():
    lines = ["Date,Amount,Memo"] + [f"2024-01-{(i % 28) + 1:02d},{i}abc,m{i}" for i in range(5000)]
    parsed = parse_text("\n".join(lines) + "\n")
    assert parsed.rows.empty
    assert len(parsed.rejections) == 5000 == parsed.rows_read
    assert {r.field for r in parsed.rejections} == {"amount"}
    assert parsed.rejections[0].row == 2 and "letters" in parsed.rejections[0].reason


def test_invalid_option_values_are_refused():
    with pytest.raises(ValidationError):
        ImportOptions(date_order="ydm")
    with pytest.raises(ValidationError):
        ImportOptions(decimal=";")
    with pytest.raises(ValidationError):
        ImportOptions(sign="sideways")


def test_headerless_pair_the_fuller_column_is_money_out():
    text = (
        "18.09.2017\tHOFER\t18.09.2017\t\t33,87\n18.09.2017\tLIDL\t16.09.2017\t\t24,11\n"
        "20.09.2017\tTransfer in\t20.09.2017\t24,00\t\n21.09.2017\tATM\t21.09.2017\t\t90,00\n"
    )
    parsed = parse_text(text)
    assert (parsed.mapping.debit, parsed.mapping.credit) == (4, 3)
    assert [(r[1], r[2]) for r in rows_of(parsed)] == [(3387, "expense"), (2411, "expense"), (2400, "income"), (9000, "expense")]


def test_negative_numbers_under_money_in_are_money_out():
    parsed = parse_text("Date;Payee;Inflow;Currency\n18.09.2017;HOFER;-33,87;EUR\n20.09.2017;Salary;24,00;EUR\n")
    assert [(r[1], r[2]) for r in rows_of(parsed)] == [(3387, "expense"), (2400, "income")]


def test_an_impossible_year_first_date_is_not_said_to_be_read_day_first():
    """QA (session 7): '2025-02-30' was refused as "not a real calendar date (read day first)" in a
    file whose dates have no day/month order to choose."""
    parsed = parse_file(b"date,description,amount\n2025-02-30,a,-1.00\n2025-01-02,b,-1.00\n", "a.csv")
    assert [r.reason for r in parsed.rejections] == ["“2025-02-30” is not a real calendar date."]
    parsed = parse_file(b"date,description,amount\n30/02/2025,a,-1.00\n25/01/2025,b,-1.00\n", "a.csv")
    assert [r.reason for r in parsed.rejections] == ["“30/02/2025” is not a real calendar date (read day first)."]


@pytest.mark.parametrize("title", ["Title", "Transaction title", "Subject", "Betreff", "Titre"])
def test_a_title_column_is_read_first_and_a_mostly_empty_notes_column_after_it(title):
    """A budgeting app's "Title" names each transaction (like a payee): it must not lose to a
    weakly named, mostly empty "Notes" column (QA: every description came out empty)."""
    text = (f"Date,{title},Amount,Notes\n2024-03-01,Coffee Corner,-3.50,\n"
            "2024-03-02,Supermarket,-40.00,weekly shop\n2024-03-03,Rent,-900.00,\n")
    parsed = parse_text(text)
    assert [parsed.columns[i] for i in parsed.mapping.description] == [title, "Notes"]
    assert parsed.rows["description"].tolist() == ["Coffee Corner", "Supermarket – weekly shop", "Rent"]
    assert role_scores(title).get("payee", 0) >= 60
