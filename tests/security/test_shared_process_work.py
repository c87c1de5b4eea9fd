"""Work one signed-in user can make the one server process do (session 23, sec23).

Every user's pages run in one Python process: a request whose cost the user chooses without a bound stalls everyone.
The Forecast page takes an uploaded categorized CSV and forecasts a category or "every category"; both read every
category of the file (the pooled evidence of "one category" is computed over all of them). A 1.9 MB file of 1,000
categories took 39.7 s of CPU for "every category" and 24.9 s for one category (load ~10); 20 MB holds ten times as
many. A file now holds at most as many categories as an account may keep (``categories.MAX_OWN_CATEGORIES``), the
bound the database path already has.
"""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import ImportFileError
from budgetwise.services import categories
from budgetwise.services import forecast as F


def _file(n_categories: int) -> bytes:
    start = dt.date(2024, 1, 1)
    lines = ["date,amount,category"]
    for i in range(n_categories):
        lines.append(f"{start + dt.timedelta(days=i % 300)},-12.50,Category {i:05d}")
    lines.append(f"{start},-3.00,Transfer")  # a transfer is no category of the forecast
    return "\n".join(lines).encode()


def test_a_forecast_file_holds_at_most_as_many_categories_as_an_account():
    limit = categories.MAX_OWN_CATEGORIES
    frame = F.read_transactions_csv(_file(limit), currency="USD")
    assert frame["category"].nunique() == limit
    with pytest.raises(ImportFileError) as refused:
        F.read_transactions_csv(_file(limit + 1), currency="USD")
    assert refused.value.message == (
        f"The file has {limit + 1:,} categories; a forecast reads at most {limit:,} (as many as an account keeps), "
        "because forecasting each one takes the server's time. Put the small ones together (for example as "
        "\"Other\") and upload it again."
    )
