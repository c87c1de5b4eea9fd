"""A file's name keeps its date/time stamps and still hides account numbers (session 29, sec29; review28's finding):
``account_numbers.file_name`` showed every run of 9+ digits as "…" and its last 4, so an app's export named after its
moment ("export_20261207123045.csv") read "export_…3045.csv" in Import History and the undo's words, and a file of
a period ("…_2024010120241231.csv") lost both dates. A run that reads as a stamp (a date then a time, two dates in
order, years 1990 to next year) standing on its own (not after a letter: an IBAN's digits follow its bank code) is
kept; every other run of 9+ digits, a card number, an IBAN's or a sort code's digits, is masked as before.
"""

from __future__ import annotations

import pytest

from budgetwise.services.account_numbers import file_name


@pytest.mark.parametrize("name", [
    "export_20261207123045.csv",  # date and time to the second
    "export_202612071230.csv",  # to the minute
    "transactions-20261207123045123.csv",  # and milliseconds
    "statement_2024010120241231.csv",  # a period: two dates in order
    "20241231235959 budget.csv",
    "export_20240131.csv",  # 8 digits: never masked
])
def test_a_date_or_time_stamp_is_kept(name):
    assert file_name(name) == name


@pytest.mark.parametrize(("name", "shown"), [
    ("NL91ABNA0417164300_01-01-2024_31-12-2024.csv", "NL91ABNA…4300_01-01-2024_31-12-2024.csv"),
    ("GB33BARC20201512345678.csv", "GB33BARC…5678.csv"),  # a Barclays IBAN: sort code 20-20-15 after the bank code
    ("statement_4111111111111111.csv", "statement_…1111.csv"),  # a card number
    ("statement_20241399123045.csv", "statement_…3045.csv"),  # month 13: no date
    ("acct_123456789012.csv", "acct_…9012.csv"),
    ("export_2024123120240101.csv", "export_…0101.csv"),  # two dates out of order: no period
    ("export_30991231123045.csv", "export_…3045.csv"),  # a year far off: no stamp
    ("export_20201512345678.csv", "export_…5678.csv"),  # sort code + account: no valid date
])
def test_an_account_or_card_number_is_still_masked(name, shown):
    assert file_name(name) == shown
