"""Issue #14 item 17: tables cut their last column at a 1400 px window ("Ac…", "undone 2026-1…")."""

from __future__ import annotations

import datetime as dt
import json

from budgetwise.ui import widgets
from tests.helpers_reports import add_rows


def _widths(element) -> dict[str, object]:
    config = json.loads(element.proto.columns or "{}")
    return {name.removeprefix("name:").removeprefix("col:"): c.get("width") for name, c in config.items()}


def test_the_import_tables_fit_a_1280_px_window():
    """Session 19: the import preview's widths summed to 990 px (Description cut at 150 px, How off-screen) and the
    history's to 899 px (Status cut) in the 820 px main column of a 1280 px window. Text columns are now as wide as
    their longest value and Description / File take what is left."""
    preview = widgets.fitted_widths(
        {**widgets.IMPORT_PREVIEW_WIDTHS, "Status": widgets.text_width(["New", "Duplicate"], widgets.IMPORT_PREVIEW_STATUS,
                                                            char_px=widgets.PROSE_PX),
         "How": widgets.text_width(["rule", "your past categories (62%)"], widgets.IMPORT_PREVIEW_HOW,
                                  char_px=widgets.PROSE_PX)},
        "Description", minimum=widgets.IMPORT_PREVIEW_DESCRIPTION_MIN)
    assert sum(preview.values()) <= widgets.TABLE_FIT and preview["Description"] >= 190
    longest = "guess: regular income of a similar amount → Salary"  # ~300 px in Chromium
    assert widgets.text_width([longest], widgets.IMPORT_PREVIEW_HOW, char_px=widgets.PROSE_PX) >= 300
    assert widgets.text_width(["Duplicate: skipped"], widgets.IMPORT_PREVIEW_STATUS, char_px=widgets.PROSE_PX) >= 125
    history = widgets.fitted_widths(
        {**widgets.IMPORT_HISTORY_WIDTHS, "Status": widgets.text_width(["undone 06 Dec 2026"], widgets.IMPORT_HISTORY_STATUS,
                                                                               char_px=widgets.PROSE_PX)},
        "File", minimum=widgets.IMPORT_HISTORY_FILE_MIN)
    assert sum(history.values()) <= widgets.TABLE_FIT and history["Status"] >= 125 and history["File"] >= 150


FRAME = ["id", "Date", "Description", "Category", "Type", widgets.BANK_TYPE_COLUMN, "Amount", "In USD", "Value",
         "Currency", "Account", "Source"]


def _layout(columns, chosen=widgets.TRANSACTION_DEFAULT_OPTIONAL, base="In USD"):
    shown = widgets.transaction_columns(columns, base_column=base, chosen=chosen)
    return shown, widgets.transaction_widths(shown, base_column=base)


def test_the_description_gets_a_fair_share_at_1280_px_and_what_was_spent_shows_first_on_a_phone():
    """Session 18: at a 1280 px window with "In USD" and "Bank type" the Description had 115 px of 900. Now the
    usual columns fit a 1280 px window (TRANSACTION_FIT) and the Description has at least 220 px. Session 28
    (phone28): at 390 px the table showed Date and Description only, Amount and Category off to the right; they
    now come first, and with the row-selection column fit a phone's table (TRANSACTION_FIT_PHONE) whatever else is
    shown; the amount in the user's currency beside them fits a 1024 px window (TRANSACTION_FIT_NARROW)."""
    plain = [c for c in FRAME if c not in ("In USD", widgets.BANK_TYPE_COLUMN)]
    for columns, base in ((FRAME, "In USD"), (plain, None)):
        shown, widths = _layout(columns, base=base)
        assert shown[:3] == ["Date", "Amount", "Category"] and "Description" in shown and "Account" in shown
        assert not {"Type", widgets.BANK_TYPE_COLUMN, "Source", "id", "Value"} & set(shown)  # on request only
        assert set(widths) == set(shown)  # none left to size itself
        assert sum(widths.values()) <= widgets.TRANSACTION_FIT
        assert widths["Description"] >= 220
        for chosen in ((), widgets.TRANSACTION_OPTIONAL):
            shown, widths = _layout(columns, chosen, base=base)
            lead = ["Date", "Amount", "Category"]
            assert shown[:3] == lead and sum(widths[c] for c in lead) <= widgets.TRANSACTION_FIT_PHONE
            if base:
                assert shown[3] == base and sum(widths[c] for c in shown[:4]) <= widgets.TRANSACTION_FIT_NARROW
            assert widths["Description"] >= widgets.DESCRIPTION_MIN


def test_the_optional_columns_are_those_the_rows_have():
    assert widgets.transaction_options(FRAME, base_column="In USD") == ["Account", "Type", widgets.BANK_TYPE_COLUMN,
                                                                        "Source"]  # no Currency beside "In USD"
    plain = [c for c in FRAME if c not in ("In USD", widgets.BANK_TYPE_COLUMN)]
    assert widgets.transaction_options(plain) == ["Account", "Type", "Currency", "Source"]
    shown, _ = _layout(FRAME, ("Source", widgets.BANK_TYPE_COLUMN, "Currency"))
    assert shown == ["Date", "Amount", "Category", "In USD", "Description", widgets.BANK_TYPE_COLUMN, "Source"]


def test_transactions_table_columns_have_fixed_widths_that_fit(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(dt.date.today(), 1234, "expense", "A RATHER LONG CARD PAYMENT DESCRIPTION", "Dining")])
    at = app_env.page("pages/transactions.py", user=alice)
    at.run()
    assert not at.exception
    table = next(d for d in at.dataframe if "Account" in d.value.columns)
    widths = _widths(table)
    shown = list(table.proto.column_order)
    assert shown == ["Date", "Amount", "Category", "Description", "Account"]  # what was spent first (a phone)
    assert all(isinstance(widths.get(c), int) for c in shown), widths  # none left to size itself
    assert sum(widths[c] for c in shown) <= widgets.TRANSACTION_FIT
    assert sum(widths[c] for c in shown[:3]) <= widgets.TRANSACTION_FIT_PHONE
    # "More columns": the choice shows the column, and is kept when the page is left and opened again
    at.multiselect(key="tx_w_columns").set_value(["Account", "Type"]).run()
    assert list(next(d for d in at.dataframe if "Account" in d.value.columns).proto.column_order)[-2:] == ["Account",
                                                                                                         "Type"]
    assert at.session_state["tx_columns"] == ["Account", "Type"]  # kept outside the widget: a page switch drops
    again = app_env.page("pages/transactions.py", user=alice)  # the widget's own key; a new visit starts from it
    again.session_state["tx_columns"] = ["Type"]
    again.run()
    assert again.multiselect(key="tx_w_columns").value == ["Type"]
    assert list(next(d for d in again.dataframe if "Type" in d.value.columns).proto.column_order)[-1] == "Type"


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


def test_a_long_last_column_gets_what_is_left_and_wraps():
    """Session 19 (nits): "guess: regular income of a similar amount → Salary" beside the narrowest Description
    ran ~160 px past the 820 px main column of a 1280 px window. The How column gets what the others leave and
    the rows grow (Streamlit 1.67 wraps a cell only above a 64 px row height) until the text fits on its lines."""
    fixed = {**widgets.IMPORT_PREVIEW_WIDTHS, "Status": 60}
    longest = "guess: a card payment, direct debit or transfer to a payee no rule knows → Shopping"
    wanted = widgets.text_width([longest], widgets.IMPORT_PREVIEW_HOW, char_px=widgets.PROSE_PX)
    how, height = widgets.wrapped_column(fixed, wanted, widgets.IMPORT_PREVIEW_HOW,
                                         flexible_minimum=widgets.IMPORT_PREVIEW_DESCRIPTION_MIN, longest=len(longest))
    widths = widgets.fitted_widths({**fixed, "How": how}, "Description", minimum=widgets.IMPORT_PREVIEW_DESCRIPTION_MIN)
    assert sum(widths.values()) <= widgets.TABLE_FIT and widths["Description"] == widgets.IMPORT_PREVIEW_DESCRIPTION_MIN
    lines = -(-round(widgets.PROSE_PX * len(longest)) // (how - widgets.CELL_PADDING))
    assert lines == 3 and height is not None and height > 64 and height >= widgets.WRAP_LINE_PX * lines
    assert widgets.wrapped_column(fixed, 120, widgets.IMPORT_PREVIEW_HOW, flexible_minimum=160, longest=16) == (120, None)
