"""Issue #14 item 17: tables cut their last column at a 1400 px window ("Ac…", "undone 2026-1…")."""

from __future__ import annotations

import datetime as dt
import json

from budgetwise.ui import widgets
from tests.helpers_reports import add_rows


def _widths(element) -> dict[str, object]:
    config = json.loads(element.proto.columns or "{}")
    return {name.removeprefix("name:").removeprefix("col:"): c.get("width") for name, c in config.items()}


def test_every_table_layout_fits_the_window():
    assert sum(widgets.IMPORT_HISTORY_WIDTHS.values()) <= widgets.TABLE_WIDTH
    columns = ["Date", "Description", "Category", "Type", "Amount", "Currency", "Account", "Source"]
    assert sum(widgets.transaction_widths(columns).values()) <= widgets.TABLE_WIDTH
    with_base = widgets.transaction_widths(columns[:5] + ["In USD"] + columns[5:], base_column="In USD")
    assert "In USD" in with_base and "Currency" not in with_base
    assert sum(with_base.values()) <= widgets.TABLE_WIDTH
    # the bank's own type column (issue #16), with and without the base-currency column
    typed = columns[:4] + [widgets.BANK_TYPE_COLUMN] + columns[4:]
    assert sum(widgets.transaction_widths(typed).values()) <= widgets.TABLE_WIDTH
    both = widgets.transaction_widths(typed[:6] + ["In USD"] + typed[6:], base_column="In USD")
    assert widgets.BANK_TYPE_COLUMN in both and sum(both.values()) <= widgets.TABLE_WIDTH


def test_transactions_table_columns_have_fixed_widths_that_fit(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(dt.date.today(), 1234, "expense", "A RATHER LONG CARD PAYMENT DESCRIPTION", "Dining")])
    at = app_env.page("pages/transactions.py", user=alice)
    at.run()
    assert not at.exception
    table = next(d for d in at.dataframe if "Account" in d.value.columns)
    widths = _widths(table)
    shown = [c for c in table.value.columns if c != "id"]
    assert all(isinstance(widths.get(c), int) for c in shown), widths  # none left to size itself
    assert sum(widths[c] for c in shown) <= widgets.TABLE_WIDTH


def test_the_bank_type_column_shows_only_where_a_row_has_one():
    """Issue #16: an imported row's bank type ("ATM") beside the Type; no column for rows without one."""
    from types import SimpleNamespace

    principal = SimpleNamespace(locale="en_US")
    row = dict(id=1, date=dt.date(2024, 1, 5), description="X", category_name=None, kind="expense",
               signed_minor=-100, currency="USD", account_name=None, account=None, source="import")
    plain = widgets.transactions_frame(principal, iter([SimpleNamespace(**row, bank_type=None)]))
    assert widgets.BANK_TYPE_COLUMN not in plain.columns
    typed = widgets.transactions_frame(principal, iter([SimpleNamespace(**row, bank_type="ATM"),
                                                        SimpleNamespace(**{**row, "id": 2}, bank_type=None)]))
    assert typed[widgets.BANK_TYPE_COLUMN].tolist() == ["ATM", ""]
    assert list(typed.columns).index(widgets.BANK_TYPE_COLUMN) == list(typed.columns).index("Type") + 1
