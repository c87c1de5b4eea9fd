"""Files that were read wrong though nothing was wrong with them (session 22, sec22's review; fixed by import22):
UTF-16 without a byte-order mark, a description that is the same on every row, an XLSX whose <dimension> lies."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from budgetwise.errors import ImportFileError
from budgetwise.importing import limits, parse_file

CYRILLIC = "Дата;Описание;Сумма\r\n" + "".join(  # 24% of its bytes are zero: the old test wanted over 25%
    f"{d:02d}.01.2024;Кафе «Пушкин», оплата картой, кофе и пирожные {d};-{d},50\r\n" for d in range(1, 21))
LATIN = "Date\tDescription\tAmount\r\n2024-01-02\tCafé shop\t-12.50\r\n2024-01-03\tSalary\t1000.00\r\n"


# --------------------------------------------------------------------------- UTF-16 without a BOM
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [CYRILLIC, LATIN], ids=["cyrillic", "latin"])
def test_utf16_without_a_bom_is_read_in_any_script(text, encoding):
    """Cyrillic (U+04xx) has no zero byte: the old share-of-zeros test missed it and called the file binary."""
    parsed = parse_file(text.encode(encoding), "export.csv")
    assert parsed.encoding == encoding
    first = text.split("\r\n")[1].split(parsed.delimiter)
    assert parsed.rows["description"].iloc[0] == first[1]
    assert len(parsed.rows) == text.count("\r\n") - 1 and not parsed.rejections


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_that_cannot_be_decoded_says_the_encoding(encoding):
    data = CYRILLIC.encode(encoding)[:-1]  # cut in the middle of its last character
    with pytest.raises(ImportFileError) as caught:
        parse_file(data, "export.csv")
    message = str(caught.value)
    assert "UTF-16" in message and "encoding cannot be read" in message and "empty" not in message
    assert "binary" not in message


def test_a_binary_file_with_zeros_on_one_side_is_still_refused_as_binary():
    data = bytes(b for i in range(4000) for b in ((i * 7) % 256 or 1, 0)) * 4  # int16 samples: no text
    with pytest.raises(ImportFileError, match="binary file"):
        parse_file(data, "samples.csv")


# --------------------------------------------------------------------------- one description on every row
def _same_description(header: str) -> bytes:
    rows = "".join(f"2024-01-{d:02d},CARD PAYMENT,-{d}.50\n" for d in range(1, 29))
    return (header + rows).encode()


@pytest.mark.parametrize("header", ["Date,Description,Amount\n", "Date,Reference,Amount\n", ""],
                         ids=["named", "weakly-named", "headerless"])
def test_a_description_that_is_the_same_on_every_row_is_used_and_said(header):
    parsed = parse_file(_same_description(header), "card.csv")
    assert set(parsed.rows["description"]) == {"CARD PAYMENT"}
    assert parsed.mapping.description == (1,)
    assert any("Every row has the same description, “CARD PAYMENT”" in w for w in parsed.warnings)


def test_a_constant_column_beside_a_real_description_stays_out():
    data = "Date,Memo,Name,Description,Amount\n" + "".join(
        f"2024-01-{d:02d},Online banking,J SMITH,Shop {d},-{d}.50\n" for d in range(1, 29))
    parsed = parse_file(data.encode(), "card.csv")
    assert parsed.rows["description"].iloc[0] == "Shop 1"
    assert not any("same description" in w for w in parsed.warnings)


# --------------------------------------------------------------------------- an XLSX whose <dimension> lies
def _workbook(rows: list[list], dimension: str) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>'.encode(), body)
                assert n == 1
            dst.writestr(item, body)
    return out.getvalue()


ROWS = [["Date", "Description", "Amount"], ["2024-03-01", "Groceries", -45.1], ["2024-03-02", "Salary", 2500]]


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:XFD3", "A1:A1"])
def test_an_xlsx_is_read_by_its_cells_not_its_dimension_tag(dimension):
    """A1:XFD… padded every row to 16,384 columns and refused the file; A1:A1 cut every row to its first cell."""
    parsed = parse_file(_workbook(ROWS, dimension), "statement.xlsx")
    assert parsed.columns == ("Date", "Description", "Amount")
    assert list(parsed.rows["description"]) == ["Groceries", "Salary"]
    assert list(parsed.rows["amount_minor"]) == [4510, 250000]


def test_an_xlsx_with_a_lying_dimension_still_stops_at_the_cell_ceiling(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 40)
    rows = ROWS[:1] + [[f"2024-03-{d:02d}", f"Shop {d}", -d] for d in range(1, 20)]
    with pytest.raises(ImportFileError, match="more than 40 cells"):
        parse_file(_workbook(rows, "A1:C2"), "statement.xlsx")
