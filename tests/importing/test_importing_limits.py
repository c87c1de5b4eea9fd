"""budgetwise.importing.limits.check_room: the one check of the per-account transaction ceiling (session 22, tidy22:
three copies of the comparison before), the same numbers, error and advice as each copy gave."""

from __future__ import annotations

import pytest

from budgetwise.errors import ConflictError, ImportFileError
from budgetwise.importing import limits


@pytest.mark.parametrize(("doing", "adding", "error", "text"), [
    ("import", 3, ImportFileError, "This account holds 8 transactions; the limit is 10, and this file would add 3. "
                                   "Undo old imports or delete old transactions first, or import a shorter period."),
    ("add", 1, ConflictError, "This account holds 10 transactions; the limit is 10. Delete old transactions or undo "
                              "old imports first."),
    ("restore", 3, ConflictError, "Undo would put back 3 transactions, but this account now holds 8 and the limit is "
                                  "10. Delete other transactions first, then undo; nothing was restored."),
])
def test_the_ceiling_refuses_one_past_it_with_the_numbers(monkeypatch, doing, adding, error, text):
    monkeypatch.setattr(limits, "MAX_TRANSACTIONS_PER_USER", 10)
    limits.check_room(10 - adding, adding, doing)  # exactly at the ceiling: allowed
    with pytest.raises(error) as caught:
        limits.check_room(11 - adding, adding, doing)
    assert type(caught.value) is error and str(caught.value) == text
