"""The Import page's counts agree with what the import does with a file's opening-balance rows (session 29, imp29;
open29 left it: "Import 2,286 transactions", then "Imported 2,275 transactions"). The rows that become their accounts'
opening balances are not counted among the transactions; the button and the summary say what becomes of them; a
file holding only an opening row can still be imported; "import the duplicates anyway" counts none of the opening
rows the import skips (already their accounts' opening balances)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from budgetwise.models import Account
from budgetwise.services import importing as svc
from tests.services.test_services_import_opening_balances_many import BLUECOINS
from tests.ui.test_page_import import PAGE, _click, _texts, _upload

ONLY_OPENING = b"Date,Payee,Outflow,Inflow\n2019-11-02,Starting Balance,0.00,5231.00\n"


def _buttons(at) -> list[str]:
    return [str(b.label) for b in at.button]


def _metric(at, label: str) -> str:
    return next(str(m.value) for m in at.metric if str(m.label) == label)


def test_the_button_and_the_summary_count_the_transactions_and_the_opening_balances(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "bluecoins.csv", BLUECOINS)
    assert "Import 8 transactions and set 3 opening balances" in _buttons(at)
    assert _metric(at, "Will be imported") == "8"
    _click(at, "Import 8 transactions")
    assert not at.exception
    assert "Imported 8 transactions and set 3 opening balances from “bluecoins.csv”" in _texts(at).replace("\\", "")


def test_a_file_holding_only_an_opening_row_can_be_imported(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "ynab.csv", ONLY_OPENING)
    button = next(b for b in at.button if str(b.label) == "Set 1 opening balance")
    assert not button.disabled
    button.click()
    at.run()
    assert not at.exception
    assert "Set 1 opening balance from “ynab.csv”" in _texts(at).replace("\\", "")
    with app_env.scope() as s:
        row = s.scalars(select(Account).where(Account.user_id == alice.user_id, Account.opening_balance_minor != 0)).one()
        assert (row.opening_balance_minor, row.opening_date) == (523100, dt.date(2019, 11, 2))
        batch = svc.list_import_batches(s, user_id=alice.user_id)[0]
        assert batch.rows_remaining == 0 and batch.can_undo  # its undo puts the opening balance back
        svc.undo_import(s, user_id=alice.user_id, batch_id=batch.id)
        assert s.get(Account, row.id).opening_balance_minor == 0


def test_duplicates_anyway_counts_no_opening_row_the_import_skips(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "bluecoins.csv", BLUECOINS)
    _click(at, "Import 8 transactions")
    _upload(at, "bluecoins.csv", BLUECOINS)
    box = next(c for c in at.checkbox if "anyway" in str(c.label))
    assert str(box.label) == "Import the 8 duplicate rows anyway"  # the 3 opening rows are skipped whatever is ticked
    box.check()
    at.run()
    assert "Import 8 transactions" in _buttons(at)
