"""Budgets page (AppTest): set budgets in the editor, budget vs actual, warnings, copy forward."""

from __future__ import annotations

import datetime as dt

from budgetwise.dates import add_months
from budgetwise.services import budgets as B
from tests.helpers_reports import add_rows, category_id

PAGE = "pages/budgets.py"


def _editor(at):
    return at.get("arrow_data_frame") or at.get("data_editor")


def test_guard_reveals_nothing_without_a_session(app_env):
    at = app_env.page(PAGE)
    at.run()
    assert not at.exception and "Please sign in" in at.warning[0].value
    assert not at.metric


def test_no_budgets_yet_shows_how_it_works(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    assert "No budgets for this month yet" in at.info[0].value
    assert at.selectbox(key="bud_w_month").value == dt.date.today().replace(day=1)


def test_budgets_without_a_rate_are_named_not_called_missing(app_env):
    """Session 14 (privacy): a €300-style budget set under another base currency, with no rate to convert it,
    was headed "No budgets for this month yet" above the missing-rate warning."""
    from budgetwise.services import profile

    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    with app_env.scope() as s:
        B.set_budget(s, user_id=alice.user_id, month=month, amount="300", category_id=category_id(s, alice.user_id, "Dining"))
        profile.update_profile(s, user_id=alice.user_id, currency="GBP")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    text = "\n".join(e.value for e in [*at.info, *at.warning, *at.caption]).replace("\\", "")
    assert "No budgets for this month yet" not in text
    assert len(at.warning) == 1  # the note, not again as the general missing-rate warning
    assert (f"Your budget for Dining ($300.00) cannot be shown in GBP: no USD → GBP rate for {month:%B %Y}. "
            "Add the rate under Profile → Exchange rates.") in text


def test_a_budget_left_out_beside_converted_ones_is_named_under_the_figures(app_env):
    from budgetwise.services import profile

    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    with app_env.scope() as s:
        B.set_budget(s, user_id=alice.user_id, month=month, amount="300", category_id=category_id(s, alice.user_id, "Dining"))
        profile.update_profile(s, user_id=alice.user_id, currency="GBP")
        B.set_budget(s, user_id=alice.user_id, month=month, amount="200", category_id=category_id(s, alice.user_id, "Groceries"))
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Budgeted"] == "£200.00"
    assert any("Your budget for Dining ($300.00) cannot be shown in GBP" in c.value.replace("\\", "") for c in at.caption)


def test_a_budget_without_a_rate_shows_in_the_editor_and_survives_a_save(app_env):
    """Session 15 (uiqa): the editor showed an empty cell for a budget left out for want of a rate (set in USD, the
    user's currency now GBP), which reads as "no budget", and saving any other budget sent that empty cell and
    ended it. The cell shows the budget as set; a save sends only the rows the user changed."""
    from budgetwise.services import profile

    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    with app_env.scope() as s:
        B.set_budget(s, user_id=alice.user_id, month=month, amount="300", category_id=category_id(s, alice.user_id, "Dining"))
        profile.update_profile(s, user_id=alice.user_id, currency="GBP")
        B.set_budget(s, user_id=alice.user_id, month=month, amount="200", category_id=category_id(s, alice.user_id, "Groceries"))
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    cells = _editor(at)[0].value.set_index("Category")["Budget"]
    assert cells["Dining"] == "$300.00 (no USD → GBP rate)" and cells["Groceries"] == "200.00" and cells["Health"] == ""
    with app_env.scope() as s:
        rows = B.editor_rows(s, user_id=alice.user_id, month=month)
    groceries_row = int(rows.index[rows["category"] == "Groceries"][0])
    at.session_state[f"bud_editor_{month.isoformat()}"] = {
        "edited_rows": {groceries_row: {"Budget": "250"}}, "added_rows": [], "deleted_rows": [],
    }
    at.button(key=f"FormSubmitter:bud_form_{month.isoformat()}-Save budgets").click()
    at.run()
    assert not at.exception and not at.error
    with app_env.scope() as s:
        now = {b.category_name: b for b in B.effective_budgets(s, user_id=alice.user_id, month=month)}
    assert (now["Groceries"].amount_minor, now["Groceries"].currency) == (25000, "GBP")
    assert (now["Dining"].amount_minor, now["Dining"].currency) == (30000, "USD")  # ended by the save before


def test_ticking_rollover_alone_on_a_budget_without_a_rate_keeps_its_amount(app_env):
    """Session 15 (polish): ticking only Rollover on a budget shown "$300.00 (no USD → GBP rate)" sent that cell as
    the amount and was refused as "not an amount". The rollover is saved, the amount and currency stay."""
    from budgetwise.services import profile

    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    with app_env.scope() as s:
        B.set_budget(s, user_id=alice.user_id, month=month, amount="300", category_id=category_id(s, alice.user_id, "Dining"))
        profile.update_profile(s, user_id=alice.user_id, currency="GBP")
        rows = B.editor_rows(s, user_id=alice.user_id, month=month)
    at = app_env.page(PAGE, user=alice)
    at.run()
    dining_row = int(rows.index[rows["category"] == "Dining"][0])
    at.session_state[f"bud_editor_{month.isoformat()}"] = {
        "edited_rows": {dining_row: {"Rollover": True}}, "added_rows": [], "deleted_rows": [],
    }
    at.button(key=f"FormSubmitter:bud_form_{month.isoformat()}-Save budgets").click()
    at.run()
    assert not at.exception and not at.error
    with app_env.scope() as s:
        dining = {b.category_name: b for b in B.effective_budgets(s, user_id=alice.user_id, month=month)}["Dining"]
    assert (dining.amount_minor, dining.currency, dining.rollover) == (30000, "USD", True)


def test_budget_vs_actual_with_over_budget_warning(app_env):
    alice = app_env.create_user()
    today = dt.date.today()
    month = today.replace(day=1)
    with app_env.scope() as s:
        dining = category_id(s, alice.user_id, "Dining")
        groceries = category_id(s, alice.user_id, "Groceries")
        B.set_budget(s, user_id=alice.user_id, month=add_months(month, -2), amount="100", category_id=dining)
        B.set_budget(s, user_id=alice.user_id, month=month, amount="500", category_id=groceries)
        add_rows(s, alice.user_id, [(month, 12550, "expense", "BISTRO <b>", "Dining"), (month, 2000, "expense", "MARKET", "Groceries")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Budgeted"] == "$600.00" and metrics["Spent"] == "$145.50" and metrics["Remaining"] == "$454.50"
    assert any("Dining is over budget" in e.value and "\\$25\\.50 over" in e.value for e in at.error)  # escaped markdown
    table = next(d.value for d in at.dataframe if "Status" in getattr(d.value, "columns", []))
    rows = table.set_index("Category") if hasattr(table, "set_index") else table.data.set_index("Category")
    assert rows.loc["Dining", "Status"] == "Over budget" and rows.loc["Dining", "Remaining"] == "-$25.50"
    assert rows.loc["Groceries", "Status"] == "OK"
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["CSV", "Excel"]


def test_saving_budgets_in_the_editor_copies_them_forward(app_env):
    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    at = app_env.page(PAGE, user=alice)
    at.run()
    # The editor lists Overall first, then the spending categories by name.
    at.session_state  # noqa: B018 - materialise state
    editor_key = f"bud_editor_{month.isoformat()}"
    with app_env.scope() as s:
        rows = B.editor_rows(s, user_id=alice.user_id, month=month)
    dining_row = int(rows.index[rows["category"] == "Dining"][0])
    at.session_state[editor_key] = {
        "edited_rows": {0: {"Budget": "2,000"}, dining_row: {"Budget": "150.50", "Rollover": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key=f"FormSubmitter:bud_form_{month.isoformat()}-Save budgets").click()
    at.run()
    assert not at.exception and not at.error
    with app_env.scope() as s:
        later = {b.category_name: b for b in B.effective_budgets(s, user_id=alice.user_id, month=add_months(month, 5))}
        earlier = B.effective_budgets(s, user_id=alice.user_id, month=add_months(month, -1))
    assert later["Overall"].amount_minor == 200000
    assert later["Dining"].amount_minor == 15050 and later["Dining"].rollover
    assert earlier == []


def test_a_bad_amount_is_refused_with_its_category(app_env):
    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    at = app_env.page(PAGE, user=alice)
    at.run()
    with app_env.scope() as s:
        rows = B.editor_rows(s, user_id=alice.user_id, month=month)
    rent_row = int(rows.index[rows["category"] == "Rent"][0])
    at.session_state[f"bud_editor_{month.isoformat()}"] = {
        "edited_rows": {rent_row: {"Budget": "-40"}}, "added_rows": [], "deleted_rows": [],
    }
    at.button(key=f"FormSubmitter:bud_form_{month.isoformat()}-Save budgets").click()
    at.run()
    assert any("Rent cannot be negative" in e.value for e in at.error)
    with app_env.scope() as s:
        assert B.effective_budgets(s, user_id=alice.user_id, month=month) == []


def test_deleting_a_budget_cell_removes_that_budget_without_a_crash(app_env):
    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    editor_key = f"bud_editor_{month.isoformat()}"
    submit = f"FormSubmitter:bud_form_{month.isoformat()}-Save budgets"
    at = app_env.page(PAGE, user=alice)
    at.run()
    # session 20 (uipolish): the cleared cell showed a grey "None" until the save; it reads empty, as "no budget"
    proto = _editor(at)[0].proto
    assert proto.HasField("placeholder") and proto.placeholder == ""
    with app_env.scope() as s:
        rows = B.editor_rows(s, user_id=alice.user_id, month=month)
    dining_row = int(rows.index[rows["category"] == "Dining"][0])
    at.session_state[editor_key] = {"edited_rows": {dining_row: {"Budget": "200"}}, "added_rows": [], "deleted_rows": []}
    at.button(key=submit).click()
    at.run()
    # the Delete key in the grid leaves None in the cell
    at.session_state[editor_key] = {"edited_rows": {dining_row: {"Budget": None}}, "added_rows": [], "deleted_rows": []}
    at.button(key=submit).click()
    at.run()
    assert not at.exception, at.exception
    with app_env.scope() as s:
        names = [b.category_name for b in B.effective_budgets(s, user_id=alice.user_id, month=month)]
    assert "Dining" not in names


def _save(at, month, edited_rows):
    at.session_state[f"bud_editor_{month.isoformat()}"] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.button(key=f"FormSubmitter:bud_form_{month.isoformat()}-Save budgets").click()
    at.run()


def test_text_in_a_budget_cell_names_its_category(app_env):
    """Issue #14 item 9: "abc" gave "'abc' is not a number." without saying which category."""
    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    at = app_env.page(PAGE, user=alice)
    at.run()
    with app_env.scope() as s:
        rows = B.editor_rows(s, user_id=alice.user_id, month=month)
    groceries_row = int(rows.index[rows["category"] == "Groceries"][0])
    _save(at, month, {groceries_row: {"Budget": "abc"}})
    assert not at.exception
    assert any("Groceries" in e.value and "“abc” is not a number" in e.value for e in at.error), [e.value for e in at.error]


def test_a_typed_zero_overall_budget_is_refused_not_silently_dropped(app_env):
    """Issue #14 item 9: "00" for the overall budget was ignored while the toast counted the save."""
    alice = app_env.create_user()
    month = dt.date.today().replace(day=1)
    at = app_env.page(PAGE, user=alice)
    at.run()
    # session 20 (uipolish): the cleared cell showed a grey "None" until the save; it reads empty, as "no budget"
    proto = _editor(at)[0].proto
    assert proto.HasField("placeholder") and proto.placeholder == ""
    with app_env.scope() as s:
        rows = B.editor_rows(s, user_id=alice.user_id, month=month)
    dining_row = int(rows.index[rows["category"] == "Dining"][0])
    _save(at, month, {0: {"Budget": "00"}, dining_row: {"Budget": "150"}})
    assert not at.exception
    assert not at.toast
    assert any("Overall" in e.value and "“00”" in e.value and "zero" in e.value for e in at.error), [e.value for e in at.error]
    with app_env.scope() as s:
        assert B.effective_budgets(s, user_id=alice.user_id, month=month) == []  # all or nothing


def test_the_spent_legend_has_the_colour_of_its_bars():
    """Issue #14 item 9: one trace coloured per bar showed a legend colour that matched no bar."""
    import pandas as pd

    from budgetwise.ui import charts

    history = pd.DataFrame({
        "month": [dt.date(2026, m, 1) for m in (1, 2, 3)],
        "spent_minor": [50_00, 150_00, 80_00], "budget_minor": [100_00, 100_00, 100_00],
    })
    fig = charts.budget_history_bars(history, currency="USD")
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"Spent", "Spent, over budget"}
    for trace in bars.values():
        assert isinstance(trace.marker.color, str)  # one colour per legend entry
    assert bars["Spent"].marker.color == charts.NET and bars["Spent, over budget"].marker.color == charts.OVER
    assert list(bars["Spent"].y) == [50.0, None, 80.0] and list(bars["Spent, over budget"].y) == [None, 150.0, None]
    within = charts.budget_history_bars(history.assign(budget_minor=[200_00] * 3), currency="USD")
    assert [t.name for t in within.data if t.type == "bar"] == ["Spent"]


def test_months_without_a_budget_draw_no_budget_line_at_zero():
    """QA 2026-12-05: a budget set this month drew the dashed budget line from 0 in every earlier
    month up to it, as if those months had a budget of nothing (and were all overspent)."""
    import pandas as pd

    from budgetwise.ui import charts

    history = pd.DataFrame({
        "month": [dt.date(2026, m, 1) for m in (10, 11, 12)],
        "spent_minor": [3000_00, 4000_00, 2000_00], "budget_minor": [0, 0, 3000_00],
    })
    line = next(t for t in charts.budget_history_bars(history, currency="USD").data if t.name == "Budget")
    assert list(line.y) == [None, None, 3000.0]
    assert list(line.customdata)[:2] == ["no budget", "no budget"]


def test_the_editors_average_names_the_complete_months_it_is_of():
    import datetime as dt
    from types import SimpleNamespace

    import pandas as pd

    from budgetwise.ui.budgets import editor

    rows = pd.DataFrame({"average_minor": [0]})
    rows.attrs["average_months"] = (dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    text = editor._average_help(SimpleNamespace(locale="en_US"), rows, dt.date(2026, 11, 1))
    assert text.startswith("Average monthly spending in August 2026 – October 2026: the last complete months")
    rows.attrs["average_months"] = ()
    # session 15 (uiqa): it said "No month is complete in your data yet" to a user with 21 complete months of 2019
    assert editor._average_help(SimpleNamespace(locale="en_US"), rows, dt.date(2026, 12, 1)).startswith(
        "No average: your data has no complete month with transactions in the year before December 2026")


def test_the_editors_average_heading_names_its_months():
    """Session 21 (newuser21): the heading said "Avg last 3 months" over one month, or over months before a gap."""
    import datetime as dt
    from types import SimpleNamespace

    import pandas as pd

    from budgetwise.ui.budgets import editor

    rows, en = pd.DataFrame({"average_minor": [0]}), SimpleNamespace(locale="en_US")
    rows.attrs["average_months"] = (dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    assert editor._average_label(en, rows) == "Avg Aug 2026 – Oct 2026"
    rows.attrs["average_months"] = (dt.date(2026, 5, 1), dt.date(2026, 9, 1))
    assert editor._average_label(en, rows) == "Avg May 2026, Sep 2026"
    rows.attrs["average_months"] = (dt.date(2026, 10, 1),)
    assert editor._average_label(en, rows) == "Avg Oct 2026"
    rows.attrs["average_months"] = ()
    assert editor._average_label(en, rows) == "Avg (no month to average)"


def test_an_old_history_averages_its_last_complete_months(app_env):
    """Session 15 (uiqa, a new user's import of 2018–2019): every row of "Avg last 3 months" said $0.00 for this
    month, as if nothing was spent; then (session 29, trial29) "Avg (no month to average)", no figure to start
    from. The average is of the data's last complete months, named in the heading, and the help says they are old."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(dt.date(2019, 8, d), 5000, "expense", "MARKET", "Groceries") for d in (1, 31)])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    table = _editor(at)[0]
    averages = table.value.set_index("Category")["Avg last 3 months"]
    assert averages["Groceries"] == "$100.00" and averages["Dining"] == "$0.00"
    assert "Avg Aug 2019" in str(table.proto)
    assert "your data stops more than a year before" in str(table.proto)


def test_the_month_list_plans_a_year_ahead_and_reaches_the_first_transaction(app_env):
    """Session 19: the current month is chosen; the list offers the next 12 months (it was 3) and goes back to
    the month of the first transaction when that is older than 24 months (a 2018 history could not be reached)."""
    alice = app_env.create_user()
    today = dt.date.today()
    current = today.replace(day=1)
    old = add_months(current, -40)
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(old + dt.timedelta(days=3), 1234, "expense", "OLD SHOP", "Dining")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    picker = at.selectbox(key="bud_w_month")
    assert picker.value == current
    label = lambda m: m.strftime("%B %Y")  # noqa: E731 - the picker's labels (en_US)
    assert picker.options[0] == label(add_months(current, 12)) and picker.options[-1] == label(old)
    picker.set_value(old).run()
    assert not at.exception and at.session_state["bud_month"] == old.isoformat()


def test_without_old_transactions_the_list_goes_back_24_months(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    picker = at.selectbox(key="bud_w_month")
    current = dt.date.today().replace(day=1)
    assert picker.options[-1] == add_months(current, -24).strftime("%B %Y") and len(picker.options) == 12 + 1 + 24


def test_the_editable_headings_are_short_enough_for_a_phone(app_env):
    """Session 28 (phone28): at 390 px the editor's "Budget (EUR)" and "Rollover" headings (each with its edit
    icon) left no room for the whole Rollover column: its heading was cut. The currency went into the Budget's
    help and the caption; Rollover's help says what it does."""
    import json

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    config = {k.removeprefix("name:").removeprefix("col:"): v for k, v in json.loads(_editor(at)[0].proto.columns).items()}
    assert config["Budget"]["label"] == "Budget" and "USD" in config["Budget"]["help"]
    assert config["Rollover"]["label"] == "Rollover" and "next month" in config["Rollover"]["help"]
    assert any("Amounts are in USD" in c.value for c in at.caption)
