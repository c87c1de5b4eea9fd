"""The seed write-up's own data set (../shared/data/seed_dataset, 15,894 rows) imports (#18).

Skipped (with the reason) where ../shared is absent, e.g. in a fresh clone.
"""

from __future__ import annotations

import collections

import pandas as pd
import pytest

from budgetwise.importing import parse_file
from budgetwise.importing.labels import group_labels

NAME = "dipty09__Budget-wise-AI-based-Expese-Forcasting-Tool__budgetwise_finance_dataset.csv"


@pytest.fixture
def seed(shared_data):
    path = shared_data / "seed_dataset" / NAME
    if not path.exists():
        pytest.skip(f"{NAME} is not in this copy of ../shared/data")
    return path


def test_only_undatable_empty_zero_repeated_and_placeholder_rows_are_refused(seed):
    parsed = parse_file(seed.read_bytes(), seed.name)
    assert parsed.rows_read == 15_900  # every line with a transaction id is a row (none is a continuation line)
    reasons = collections.Counter(
        "empty date" if r.reason == "The date is empty." else
        "no amount" if r.reason == "There is no amount." else
        "zero" if "zero" in r.reason else
        "repeat" if r.field == "duplicate" else
        "placeholder" if "placeholder" in r.reason else f"other: {r.reason}"
        for r in parsed.rejections
    )
    assert not [k for k in reasons if k.startswith("other")], reasons
    assert reasons["repeat"] >= 800  # of the 900 verbatim repeats (the others lack a date or amount anyway)
    assert reasons["placeholder"] >= 70
    assert len(parsed.rows) >= 14_000  # 3,986 rows were refused before
    raw = pd.read_csv(seed, dtype=str, keep_default_na=False).set_index(pd.RangeIndex(2, 15_902))
    shapes = raw["date"].str.replace(r"\d", "9", regex=True)
    stored = dict(zip(parsed.rows["row"], parsed.rows["date"]))
    for row in raw.index[shapes == "99-99-99"][:50]:  # 13-05-24 style: day first
        if row in stored:
            day, month, year = raw.at[row, "date"].split("-")
            assert (stored[row].day, stored[row].month, stored[row].year % 100) == (int(day), int(month), int(year))


def test_its_46_category_spellings_group_into_the_13_categories_and_misc(seed):
    raw = pd.read_csv(seed, dtype=str, keep_default_na=False)
    counts = raw["category"][raw["category"] != ""].value_counts()
    assert len(counts) == 46
    groups = set(group_labels(counts.items()).values())
    assert groups == {"Bonus", "Education", "Entertainment", "Food", "Freelance", "Health", "Investment", "Misc",
                      "Others", "Rent", "Salary", "Savings", "Travel", "Utility"}
