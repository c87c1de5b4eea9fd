"""An unnamed column of row numbers (0, 1, 2, …: pandas' "Unnamed: 0", a spreadsheet's blank-headed index) is an
index, never the amount (session 21, xlsxfix: the Vermillion .xlsx's index was proposed as the amount)."""

import io

import openpyxl
import pytest

from budgetwise.importing import parse_file
from budgetwise.importing.headers import is_unnamed
from budgetwise.importing.model import ImportOptions

ROWS = [(n, f"2024-03-{n + 1:02d}", f"SHOP {n}", f"{12.5 + 7 * n:.2f}") for n in range(8)]


def _csv(header: str | None) -> bytes:
    lines = ([header] if header is not None else []) + [",".join(map(str, r)) for r in ROWS]
    return ("\n".join(lines) + "\n").encode()


def _xlsx(header: list) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for n, date, text, amount in ROWS:
        ws.append([n, date, text, float(amount)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data, name", [
    (_csv("Unnamed: 0,Date,Description,Euros"), "pandas.csv"),  # amount not named: content decides
    (_csv(None), "headerless.csv"),
    (_xlsx([None, "Date", "Description", "Euros"]), "sheet.xlsx"),
])
def test_an_unnamed_row_number_column_is_not_the_amount(data, name):
    parsed = parse_file(data, name)
    assert parsed.mapping.amount == 3 and parsed.mapping.description == (2,)
    assert [int(m) for m in parsed.rows["amount_minor"].abs()] == [1250 + 700 * n for n in range(8)]


def test_a_forced_headerless_read_of_a_workbook_skips_its_index_too():
    parsed = parse_file(_xlsx([None, "Date", "Description", "Euros"]), "sheet.xlsx", ImportOptions(header_row=0))
    assert parsed.mapping.amount == 3


def test_a_named_column_of_consecutive_numbers_keeps_its_name():
    """Only an unnamed column is taken for an index: a header saying "Amount" still wins."""
    parsed = parse_file(_csv("Amount,Date,Description,Note"), "named.csv")
    assert parsed.mapping.amount == 0


def test_unnamed_headers():
    assert all(map(is_unnamed, ["", "Unnamed: 0", "Column 3", "Unnamed: 0_level_0"]))
    assert not any(map(is_unnamed, ["Amount", "Columns", "No."]))
