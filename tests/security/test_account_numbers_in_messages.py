"""An account number a file carries is shown masked in the import's words too, not only in account names (sec27).
Session 26 (bal26) kept full numbers out of names ("DE…3000"; the whole number only as the account's external_id,
shown nowhere), but the preview's note for a file imported into one chosen account listed the account column's
values whole ("the file's account column (DE89 3704 0044 0532 0130 00) is kept only as each row's account text"),
and the refusal of a file naming too many new accounts quoted them whole. Made-up numbers; SQLite, PostgreSQL,
MariaDB."""

from __future__ import annotations

import pytest

from budgetwise.errors import BudgetwiseError
from budgetwise.importing import ImportOptions
from budgetwise.services import accounts
from budgetwise.services import importing as svc

IBAN = "DE89 3704 0044 0532 0130 00"


def _digits_shown(text: str) -> bool:
    return any(part in text.replace(" ", "") for part in ("37040044", "0532013000", "123456"))


def test_the_note_of_a_file_imported_into_one_account_masks_the_column_values(session, alice):
    data = ("Date,Description,Amount,Account\n"
            f"2024-03-01,Zorblat Markt,-12.50,{IBAN}\n2024-03-02,Vrenglo Cafe,-4.20,12345678/0800\n").encode()
    target = accounts.default_account_id(session, user_id=alice.user_id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="bank.csv",
                                 options=ImportOptions(account_id=target))
    assert "account column (" in preview.accounts_note
    assert "DE…3000" in preview.accounts_note and "Account …0800" in preview.accounts_note
    assert not _digits_shown(preview.accounts_note), preview.accounts_note


def test_the_refusal_of_too_many_new_accounts_masks_them(session, alice):
    lines = [f"2024-03-{1 + i % 28:02d},Shop {i},-1.00,{12345600 + i}/0800" for i in range(accounts.MAX_NEW_IMPORT_ACCOUNTS + 1)]
    data = ("Date,Description,Amount,Account\n" + "\n".join(lines) + "\n").encode()
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="bank.csv")
    assert "new accounts from one file" in preview.accounts_note and not _digits_shown(preview.accounts_note)
    with pytest.raises(BudgetwiseError) as info:
        svc.commit_import(session, user_id=alice.user_id, data=data, filename="bank.csv", preview=preview)
    assert "new accounts from one file" in str(info.value) and not _digits_shown(str(info.value)), str(info.value)
