"""The one check of a labelled file (CLI --learn-from and the app's learning import), pure."""

from __future__ import annotations

import pytest

from budgetwise.errors import ImportFileError
from budgetwise.services.categorize.labelled import LabelledRow, check_labelled_rows, rows_text


def _rows(*specs):
    return [LabelledRow(i + 2, d, label, cid) for i, (d, label, cid) in enumerate(specs)]


def test_a_clean_file_passes_and_a_few_unknown_names_are_skipped_with_their_rows():
    check = check_labelled_rows(_rows(("TESCO", "Groceries", 1), ("SHELL", "Fuel", 2), ("ZARA", "Clothes", None)),
                                source="f.csv")
    assert check.usable == (0, 1)
    assert check.warnings == ("“Clothes” (row 4)",)


def test_a_mostly_empty_label_column_is_refused_naming_the_rows():
    with pytest.raises(ImportFileError, match=r"f\.csv: only 1 of 3 rows have a category \(rows 3, 4 have none\)"):
        check_labelled_rows(_rows(("TESCO", "Groceries", 1), ("A", "", None), ("B", " ", None)), source="f.csv")


def test_labelled_rows_without_a_description_are_refused_naming_them():
    with pytest.raises(ImportFileError, match="row 3 has a category but an empty description.*nothing was imported"):
        check_labelled_rows(_rows(("TESCO", "Groceries", 1), ("  ", "Groceries", 1)), source="f.csv", what="imported")


def test_mostly_unknown_names_are_refused_naming_names_and_rows():
    with pytest.raises(ImportFileError, match=r"“Clothes” \(rows 3, 4\); “Stuff” \(row 5\)"):
        check_labelled_rows(_rows(("TESCO", "Groceries", 1), ("ZARA", "Clothes", None), ("H&M", "Clothes", None),
                                  ("X", "Stuff", None)), source="f.csv")


def test_unreadable_rows_are_not_checked_for_a_description():
    assert check_labelled_rows(_rows(("TESCO", "Groceries", 1), (None, "Groceries", 1)), source="f").usable == (0,)


def test_rows_text_shortens_long_lists():
    assert rows_text([1]) == "row 1"
    assert rows_text(list(range(1, 12)), 3) == "rows 1, 2, 3 and 8 more"
