"""Budgets: copied forward, rollover, budget vs actual, projection, isolation (all backends)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import Budget
from budgetwise.money import format_money
from budgetwise.services import auth
from budgetwise.services import budgets as B
from tests.helpers_reports import add_rows, category_id, monthly, own_category

D = dt.date


def _ids(session, user):
    return {name: category_id(session, user.user_id, name) for name in ("Groceries", "Rent", "Dining", "Salary", "Transfers")}


def _rows(session, user_id):
    return session.scalars(select(Budget).where(Budget.user_id == user_id).order_by(Budget.category_id, Budget.month)).all()


def test_a_budget_is_copied_forward_until_changed(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 15), amount="400.00", category_id=ids["Groceries"])
    B.set_budget(session, user_id=alice.user_id, month="2025-01", amount="2500", category_id=None)
    feb = {b.category_name: b for b in B.effective_budgets(session, user_id=alice.user_id, month=D(2025, 2, 1))}
    assert feb["Groceries"].amount_minor == 40000 and feb["Groceries"].since == D(2025, 1, 1)
    assert feb["Overall"].amount_minor == 250000
    assert B.effective_budgets(session, user_id=alice.user_id, month=D(2024, 12, 1)) == []
    # Changing it from April leaves January-March alone.
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 4, 1), amount="450", category_id=ids["Groceries"])
    assert B.get_budget(session, user_id=alice.user_id, month=D(2025, 3, 1), category_id=ids["Groceries"]).amount_minor == 40000
    assert B.get_budget(session, user_id=alice.user_id, month=D(2025, 9, 1), category_id=ids["Groceries"]).amount_minor == 45000
    assert [(r.month, r.amount_minor) for r in _rows(session, alice.user_id) if r.category_id] == [
        (D(2025, 1, 1), 40000),
        (D(2025, 4, 1), 45000),
    ]


def test_setting_the_amount_in_effect_adds_no_row_and_ending_keeps_history(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="300", category_id=ids["Dining"])
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 3, 1), amount=Decimal("300.00"), category_id=ids["Dining"])
    assert len(_rows(session, alice.user_id)) == 1
    B.end_budget(session, user_id=alice.user_id, month=D(2025, 5, 1), category_id=ids["Dining"])
    assert B.effective_budgets(session, user_id=alice.user_id, month=D(2025, 6, 1)) == []
    assert B.effective_budgets(session, user_id=alice.user_id, month=D(2025, 4, 1))[0].amount_minor == 30000
    # Setting again in May replaces the ending row; setting back what April had removes it.
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 5, 1), amount="300", category_id=ids["Dining"])
    assert [(r.month, r.amount_minor) for r in _rows(session, alice.user_id)] == [(D(2025, 1, 1), 30000)]
    with pytest.raises(NotFoundError):
        B.get_budget(session, user_id=alice.user_id, month=D(2024, 1, 1), category_id=ids["Dining"])


def test_budget_writes_bump_the_data_version(session, alice):
    ids = _ids(session, alice)
    before = auth.data_version(session, user_id=alice.user_id)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="10", category_id=ids["Dining"])
    assert auth.data_version(session, user_id=alice.user_id) == before + 1
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="10", category_id=ids["Dining"])
    assert auth.data_version(session, user_id=alice.user_id) == before + 1  # nothing changed


@pytest.mark.parametrize(
    "amount, fragment",
    [("-5", "cannot be negative"), ("abc", "not a number"), ("12.3456", "decimal places"), ("99999999999", "implausibly large")],
)
def test_bad_amounts_are_refused(session, alice, amount, fragment):
    ids = _ids(session, alice)
    with pytest.raises(ValidationError) as err:
        B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount=amount, category_id=ids["Dining"])
    assert fragment in str(err.value)
    assert _rows(session, alice.user_id) == []


def test_only_spending_categories_of_the_user_can_have_budgets(session, alice, bob):
    ids = _ids(session, alice)
    with pytest.raises(ValidationError, match="income category"):
        B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="10", category_id=ids["Salary"])
    with pytest.raises(ValidationError, match="transfer category"):
        B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="10", category_id=ids["Transfers"])
    bobs = own_category(session, bob.user_id, "Bob hobby")
    with pytest.raises(NotFoundError):
        B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="10", category_id=bobs)
    with pytest.raises(ValidationError, match="not a month"):
        B.set_budget(session, user_id=alice.user_id, month="January", amount="10", category_id=None)
    with pytest.raises(NotFoundError):
        B.delete_budget_history(session, user_id=alice.user_id, category_id=bobs)


def test_users_never_see_each_others_budgets(session, alice, bob):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="100", category_id=ids["Dining"])
    add_rows(session, alice.user_id, [(D(2025, 1, 5), 5000, "expense", "PIZZA", "Dining")])
    assert B.effective_budgets(session, user_id=bob.user_id, month=D(2025, 1, 1)) == []
    report = B.budget_report(session, user_id=bob.user_id, month=D(2025, 1, 1), today=D(2025, 2, 1))
    assert report.is_empty and report.spent_total_minor == 0 and report.unbudgeted == ()


def test_budget_vs_actual_with_variance_and_unbudgeted_spending(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="400", category_id=ids["Groceries"])
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="100", category_id=ids["Dining"])
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="2000", category_id=None)
    add_rows(
        session,
        alice.user_id,
        [
            (D(2025, 2, 3), 30000, "expense", "MARKET", "Groceries"),
            (D(2025, 2, 9), 12500, "expense", "BISTRO", "Dining"),
            (D(2025, 2, 1), 120000, "expense", "RENT", "Rent"),
            (D(2025, 2, 20), 50000, "expense", "TO SAVINGS", "Transfers"),
            (D(2025, 2, 21), 9999, "expense", "CAFE", "Dining", "EUR"),
            (D(2025, 2, 25), 300000, "income", "PAY", "Salary"),
        ],
    )
    report = B.budget_report(session, user_id=alice.user_id, month=D(2025, 2, 1), today=D(2025, 3, 10))
    lines = {line.category_name: line for line in report.lines}
    g, d = lines["Groceries"], lines["Dining"]
    assert (g.spent_minor, g.remaining_minor, g.variance_pct, g.over_budget) == (30000, 10000, pytest.approx(25.0), False)
    assert (d.spent_minor, d.remaining_minor, d.variance_pct, d.over_budget) == (12500, -2500, pytest.approx(-25.0), True)
    assert report.overall.spent_minor == 162500  # transfers and EUR left out
    assert report.overall.remaining_minor == 37500
    assert report.unbudgeted == ((ids["Rent"], "Rent", 120000),)
    assert report.other_currencies == ("EUR",)
    assert [line.category_name for line in report.over_budget] == ["Dining"]
    warnings = B.budget_warnings(report, money=lambda m: format_money(m, "USD"), date_format="%Y-%m-%d")
    assert warnings == ["Dining is over budget: $125.00 spent of $100.00 ($25.00 over)."]
    frame = B.report_frame(report)
    assert list(frame["category"]) == ["Overall", "Groceries", "Dining"]
    assert list(frame["remaining_minor"]) == [37500, 10000, -2500]


def test_rollover_carries_unspent_and_overspent_budget(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="100", category_id=ids["Dining"], rollover=True)
    add_rows(
        session,
        alice.user_id,
        [
            (D(2025, 1, 10), 6000, "expense", "BISTRO", "Dining"),  # 40 unspent -> Feb has 140
            (D(2025, 2, 10), 17000, "expense", "BISTRO", "Dining"),  # 30 over -> Mar has 70
            (D(2025, 3, 10), 2000, "expense", "BISTRO", "Dining"),
        ],
    )
    feb = B.budget_report(session, user_id=alice.user_id, month=D(2025, 2, 1), today=D(2025, 6, 1)).lines[0]
    assert (feb.carryover_minor, feb.available_minor, feb.remaining_minor) == (4000, 14000, -3000)
    mar = B.budget_report(session, user_id=alice.user_id, month=D(2025, 3, 1), today=D(2025, 6, 1)).lines[0]
    assert (mar.carryover_minor, mar.available_minor, mar.remaining_minor) == (-3000, 7000, 5000)
    # Switching rollover off in April resets the carry; on again in May starts from zero.
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 4, 1), amount="100", category_id=ids["Dining"], rollover=False)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 5, 1), amount="100", category_id=ids["Dining"], rollover=True)
    apr = B.budget_report(session, user_id=alice.user_id, month=D(2025, 4, 1), today=D(2025, 6, 1)).lines[0]
    may = B.budget_report(session, user_id=alice.user_id, month=D(2025, 5, 1), today=D(2025, 6, 1)).lines[0]
    assert apr.carryover_minor == 0 and not apr.rollover
    assert may.carryover_minor == 0 and may.available_minor == 10000
    add_rows(session, alice.user_id, [(D(2025, 5, 1), 90000, "expense", "RENT", "Rent")])  # May is in the data
    jun = B.budget_report(session, user_id=alice.user_id, month=D(2025, 6, 1), today=D(2025, 6, 1)).lines[0]
    assert jun.carryover_minor == 10000  # nothing spent on Dining in May


def test_a_month_missing_from_the_data_carries_nothing_over(session, alice):
    """trial27 (session 27): a Dutch history ending on 13 September 2023, a EUR 300 Groceries budget with rollover
    set from August 2023 (the editor's last complete month): December 2026 offered EUR 11,899.24 for groceries,
    39 months without a single transaction each counted as EUR 300 unspent. A month without any transaction of
    the user's is missing from the data (reports.months_with_data), not a month of nothing spent: the carry
    goes through it unchanged."""
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2023, 8, 1), amount="300", category_id=ids["Groceries"],
                 rollover=True)
    add_rows(session, alice.user_id, [
        (D(2023, 8, 10), 29899, "expense", "ALBERT HEIJN", "Groceries"),  # 1.01 left -> September has 301.01
        (D(2023, 9, 13), 10177, "expense", "ALBERT HEIJN", "Groceries"),  # the newest transaction: 199.24 left
    ])
    sep = B.budget_report(session, user_id=alice.user_id, month=D(2023, 9, 1), today=D(2026, 12, 7)).lines[0]
    assert (sep.carryover_minor, sep.available_minor) == (101, 30101)
    dec = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 7)).lines[0]
    assert (dec.carryover_minor, dec.available_minor) == (19924, 49924)
    # a month in the data with nothing spent on the category still carries its budget
    add_rows(session, alice.user_id, [(D(2026, 11, 2), 120000, "expense", "RENT", "Rent")])
    dec = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 7)).lines[0]
    assert dec.carryover_minor == 19924 + 30000
    # the overall budget alike
    B.set_budget(session, user_id=alice.user_id, month=D(2023, 8, 1), amount="5000", category_id=None, rollover=True)
    overall = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 7)).overall
    assert overall is not None
    assert overall.carryover_minor == (500000 - 29899) + (500000 - 10177) + (500000 - 120000)


def test_projection_uses_the_rest_of_previous_months(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="1200", category_id=ids["Rent"])
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="300", category_id=ids["Groceries"])
    rows = [(d, 120000, "expense", "RENT", "Rent") for d in monthly(D(2025, 1, 1), 4)]
    for m in monthly(D(2025, 1, 1), 3):
        rows += [(m.replace(day=day), 9000, "expense", "MARKET", "Groceries") for day in (5, 15, 25)]
    rows += [(D(2025, 4, 2), 9000, "expense", "MARKET", "Groceries"), (D(2025, 4, 4), 9000, "expense", "MARKET", "Groceries")]
    add_rows(session, alice.user_id, rows)
    report = B.budget_report(session, user_id=alice.user_id, month=D(2025, 4, 1), today=D(2025, 4, 10))
    lines = {line.category_name: line for line in report.lines}
    rent, groceries = lines["Rent"], lines["Groceries"]
    assert rent.projected_minor == 120000 and not rent.projected_over  # paid on the 1st, nothing more expected
    assert groceries.spent_minor == 18000 and groceries.projected_minor == 18000 + 18000  # two more shops on average
    assert groceries.projected_over and not groceries.over_budget
    warnings = B.budget_warnings(report, money=lambda m: format_money(m, "USD"), date_format="%Y-%m-%d")
    assert any("Groceries is on course to exceed" in w and "$360.00" in w for w in warnings)
    # the month's end in the user's date format and locale, never "by 30 April" in English word order
    assert any("expected by 2025-04-30 against" in w for w in warnings), warnings
    german = B.budget_warnings(report, money=lambda m: format_money(m, "EUR", "de_DE"), date_format="%d.%m.%Y",
                               locale="de_DE")
    assert any("expected by 30.04.2025 against" in w and "360,00\xa0€" in w for w in german), german
    named = B.budget_warnings(report, money=str, date_format="%d %b %Y", locale="de_DE")
    assert any("expected by 30 Apr. 2025 against" in w for w in named), named
    assert not any("April" in w for w in german + named)
    assert report.days_elapsed == 10 and report.days_in_month == 30 and report.is_current


def test_projection_without_history_is_linear(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 4, 1), amount="300", category_id=ids["Dining"])
    add_rows(session, alice.user_id, [(D(2025, 4, 3), 12000, "expense", "BISTRO", "Dining")])
    line = B.budget_report(session, user_id=alice.user_id, month=D(2025, 4, 1), today=D(2025, 4, 10)).lines[0]
    assert line.projected_minor == 36000 and line.projected_over
    past = B.budget_report(session, user_id=alice.user_id, month=D(2025, 4, 1), today=D(2025, 5, 2)).lines[0]
    assert past.projected_minor == 12000 and not past.projected_over


def test_save_budgets_bulk_is_all_or_nothing(session, alice):
    ids = _ids(session, alice)
    changed = B.save_budgets(
        session,
        user_id=alice.user_id,
        month=D(2025, 1, 1),
        items=[B.BudgetInput(None, "2000"), B.BudgetInput(ids["Dining"], "150", True), B.BudgetInput(ids["Rent"], "")],
    )
    assert changed == 2
    settings = {b.category_name: b for b in B.effective_budgets(session, user_id=alice.user_id, month=D(2025, 1, 1))}
    assert set(settings) == {"Overall", "Dining"} and settings["Dining"].rollover
    with pytest.raises(ValidationError, match="twice"):
        B.save_budgets(
            session, user_id=alice.user_id, month=D(2025, 1, 1),
            items=[B.BudgetInput(ids["Dining"], "1"), B.BudgetInput(ids["Dining"], "2")],
        )


def test_budget_history_for_the_chart(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 2, 1), amount="100", category_id=ids["Dining"])
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 2, 1), amount="200", category_id=ids["Groceries"])
    add_rows(session, alice.user_id, [(D(2025, 3, 3), 5000, "expense", "BISTRO", "Dining")])
    df = B.budget_history(session, user_id=alice.user_id, months=3, today=D(2025, 3, 20))
    assert list(df["month"]) == [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)]
    assert list(df["budget_minor"]) == [0, 30000, 30000]
    assert list(df["spent_minor"]) == [0, 0, 5000]



def test_without_an_overall_budget_the_headline_compares_the_budgeted_categories_only(session, alice):
    """QA session 13 (browser): a $50 Groceries budget, $130 spent there and $1,495 rent read "Spent
    $2,259.37, Remaining -$2,209.37, over budget"; the headline and the history chart now compare the
    category budgets with those categories' spending (under an overall budget: all spending)."""
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 2, 1), amount="50", category_id=ids["Groceries"])
    add_rows(session, alice.user_id, [
        (D(2025, 1, 1), 149500, "expense", "RENT", "Rent"),
        (D(2025, 2, 1), 149500, "expense", "RENT", "Rent"),
        (D(2025, 2, 3), 13000, "expense", "MARKET", "Groceries"),
    ])
    report = B.budget_report(session, user_id=alice.user_id, month=D(2025, 2, 1), today=D(2025, 2, 5))
    assert (report.budgeted_minor, report.budgeted_spent_minor) == (5000, 13000)
    assert report.spent_total_minor == 162500  # still there: all spending of the month
    df = B.budget_history(session, user_id=alice.user_id, months=2, today=D(2025, 2, 5))
    assert list(df["budget_minor"]) == [0, 5000]
    assert list(df["spent_minor"]) == [149500, 13000]  # January: no budget, all spending; February: Groceries
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 2, 1), amount="2000", category_id=None)
    report = B.budget_report(session, user_id=alice.user_id, month=D(2025, 2, 1), today=D(2025, 2, 5))
    assert (report.budgeted_minor, report.budgeted_spent_minor) == (200000, 162500)
    assert list(B.budget_history(session, user_id=alice.user_id, months=1, today=D(2025, 2, 5))["spent_minor"]) == [162500]

def test_delete_budget_history_removes_all_months(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="100", category_id=ids["Dining"])
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 3, 1), amount="120", category_id=ids["Dining"])
    assert B.delete_budget_history(session, user_id=alice.user_id, category_id=ids["Dining"]) == 2
    assert _rows(session, alice.user_id) == []


def test_editor_rows_list_spending_categories_with_budget_average_and_spent(session, alice):
    ids = _ids(session, alice)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="300", category_id=ids["Dining"], rollover=True)
    B.set_budget(session, user_id=alice.user_id, month=D(2025, 1, 1), amount="2000", category_id=None)
    add_rows(
        session,
        alice.user_id,
        [
            (D(2025, 1, 1), 9000, "expense", "BISTRO", "Dining"),  # the data starts on a month's first day (session 28)
            (D(2025, 3, 5), 3000, "expense", "BISTRO", "Dining"),
            (D(2025, 4, 2), 1500, "expense", "BISTRO", "Dining"),
            (D(2025, 4, 3), 99999, "expense", "SAVINGS", "Transfers"),
        ],
    )
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2025, 4, 1))
    assert df["category"].iloc[0] == "Overall" and df["amount_minor"].iloc[0] == 200000
    assert "Salary" not in set(df["category"]) and "Transfers" not in set(df["category"])
    dining = df[df["category"] == "Dining"].iloc[0]
    assert (dining["amount_minor"], dining["rollover"], dining["since"]) == (30000, True, D(2025, 1, 1))
    # February holds no transaction at all: a gap in the data, left out as the projection leaves it out (session 21;
    # it was (9000 + 0 + 3000) / 3 = 4000)
    assert df.attrs["average_months"] == (D(2025, 1, 1), D(2025, 3, 1))
    assert (dining["average_minor"], dining["spent_minor"]) == (6000, 1500)
    rent = df[df["category"] == "Rent"].iloc[0]
    assert rent["amount_minor"] is pd.NA or pd.isna(rent["amount_minor"])
    assert df["spent_minor"].iloc[0] == 1500  # overall: all spending, transfers excluded


def test_projection_when_the_data_stops_before_this_month(session, alice):
    """QA 2026-12-05: today 5 Dec, newest transaction 21 Nov. Dec 1-5 are unknown, not zero, and November's
    rest is unknown too: the month is projected from the last three months the data covers to their end
    (Aug-Oct), not 'nothing so far + Nov 6-30/Oct 6-31/Sep 6-30' (which dropped the rent of the 1st)."""
    B.set_budget(session, user_id=alice.user_id, month=D(2026, 12, 1), amount="3000", category_id=None)
    rows = [(d, 150000, "expense", "RENT", "Rent") for d in monthly(D(2026, 8, 1), 4)]
    for m in monthly(D(2026, 8, 1), 4):
        rows += [(m.replace(day=day), 10000, "expense", "MARKET", "Groceries") for day in (5, 15, 21)]
    add_rows(session, alice.user_id, rows)  # newest: 21 Nov 2026
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 5))
    assert report.overall is not None and report.overall.spent_minor == 0
    assert report.overall.projected_minor == 150000 + 30000  # a typical month (was 20000: two shops, no rent)
    assert report.data_through == D(2026, 11, 21)
    note = B.projection_note(report, date_format="%d.%m.%Y", locale="de_DE")
    assert note is not None and "21.11.2026" in note and "whole month" in note
    # with this month in the data, the rule is unchanged: spent so far + the rest of the same days
    add_rows(session, alice.user_id, [(D(2026, 12, 1), 150000, "expense", "RENT", "Rent")])
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 5))
    assert report.data_through is None and B.projection_note(report, date_format="%d.%m.%Y") is None
    assert report.overall.projected_minor == 150000 + 20000  # the shops of the 15th and 21st still to come


def test_editor_average_counts_only_months_the_data_covers_to_their_end(session, alice):
    """Session 11: today 5 Dec, newest transaction 21 Nov. The editor's "Avg last 3 months" for December was
    (Sep + Oct + November so far) / 3: too low for a budget (November's rest is not imported yet, not zero).
    It is August-October now, the months the budget projection uses (``reports.covered_months``)."""
    rows = [(d, 150000, "expense", "RENT", "Rent") for d in monthly(D(2026, 8, 1), 4)]
    for m in monthly(D(2026, 8, 1), 3):
        rows += [(m.replace(day=day), 10000, "expense", "MARKET", "Groceries") for day in (5, 15, 25)]
    rows += [(D(2026, 11, day), 10000, "expense", "MARKET", "Groceries") for day in (5, 21)]  # the file stops on 21 Nov
    add_rows(session, alice.user_id, rows)
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 5))
    assert df.attrs["average_months"] == (D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1))
    assert df["average_minor"].iloc[0] == 150000 + 30000  # Overall: a whole month (was 176666: Sep, Oct, Nov so far)
    assert df[df["category"] == "Groceries"]["average_minor"].iloc[0] == 30000  # was 26666
    assert df["spent_minor"].iloc[0] == 0
    # a younger history averages the complete months it has: months before the data are not zeros
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2026, 10, 1), today=D(2026, 12, 5))
    assert df.attrs["average_months"] == (D(2026, 8, 1), D(2026, 9, 1))
    assert df["average_minor"].iloc[0] == 180000  # was 120000: (July's nothing + August + September) / 3
    # no complete month in the data: no average
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2026, 8, 1), today=D(2026, 12, 5))
    assert df.attrs["average_months"] == () and df["average_minor"].iloc[0] == 0


def test_editor_average_leaves_out_the_months_of_a_gap(session, alice):
    """Session 21 (newuser21): a history that stopped in June and resumed in December averaged September to
    November, months without a single transaction, as $0.00 a month. The months of the gap hold no data, not
    spending of nothing: the average is of the newest months with transactions (April to June)."""
    rows = [(m.replace(day=2), 150000, "expense", "RENT", "Rent") for m in monthly(D(2026, 1, 1), 6)]
    rows += [(m.replace(day=9), 20000, "expense", "MARKET", "Groceries") for m in monthly(D(2026, 4, 1), 3)]
    rows += [(D(2026, 12, 1), 150000, "expense", "RENT", "Rent")]  # resumed this month
    add_rows(session, alice.user_id, rows)
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert df.attrs["average_months"] == (D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1))
    assert df["average_minor"].iloc[0] == 170000  # was 0: September-November without a transaction
    assert df[df["category"] == "Groceries"]["average_minor"].iloc[0] == 20000
    # a category without spending in a month that has other transactions spent nothing in it: that is a 0
    add_rows(session, alice.user_id, [(D(2026, 7, 3), 150000, "expense", "RENT", "Rent")])
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert df.attrs["average_months"] == (D(2026, 5, 1), D(2026, 6, 1), D(2026, 7, 1))
    assert df[df["category"] == "Groceries"]["average_minor"].iloc[0] == 40000 // 3
    # nothing at all for more than a year before: the last complete months of the data (session 29, below)
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2028, 3, 1), today=D(2026, 12, 6))
    assert df.attrs["average_months"] == (D(2026, 5, 1), D(2026, 6, 1), D(2026, 7, 1))


def test_editor_average_of_an_old_export_is_of_its_last_complete_months(session, alice):
    """Session 29 (trial29): a new user's export ending in September 2019, budgets for December 2026: every row
    said "Avg (no month to average)", no figure to start from. The average is of the data's last complete months
    (``reports.covered_months`` from the month after the data's last one), and names them."""
    rows = [(m.replace(day=2), 150000, "expense", "RENT", "Rent") for m in monthly(D(2019, 1, 1), 9)]
    rows += [(m.replace(day=28), 20000, "expense", "MARKET", "Groceries") for m in monthly(D(2019, 1, 1), 9)]
    rows += [(D(2019, 10, 4), 150000, "expense", "RENT", "Rent")]  # the file stops inside October: left out
    add_rows(session, alice.user_id, rows)
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert df.attrs["average_months"] == (D(2019, 7, 1), D(2019, 8, 1), D(2019, 9, 1))
    assert df["average_minor"].iloc[0] == 170000
    assert df[df["category"] == "Groceries"]["average_minor"].iloc[0] == 20000
    assert df["spent_minor"].iloc[0] == 0
    # a month inside the data keeps its own last three months
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2019, 6, 1), today=D(2026, 12, 6))
    assert df.attrs["average_months"] == (D(2019, 3, 1), D(2019, 4, 1), D(2019, 5, 1))


def test_projection_note_when_the_data_stopped_over_a_year_before(session, alice):
    """Session 19 (a household member imported a history ending in September 2023, budget set in December 2026):
    no month the data covers is recent enough (``covered_months`` skips at most 12), so "Projected" was $0.00
    while the note said it was "what each category spends in a whole month, on average over the last months
    your data covers". The note now says the projection is only what is spent so far."""
    B.set_budget(session, user_id=alice.user_id, month=D(2026, 12, 1), amount="2500", category_id=None)
    add_rows(session, alice.user_id,
             [(m.replace(day=3), 150000, "expense", "RENT", "Rent") for m in monthly(D(2023, 1, 1), 9)])
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert report.data_through == D(2023, 9, 3) and report.projection_months == 0
    assert report.overall is not None and report.overall.projected_minor == 0
    note = B.projection_note(report, date_format="%Y-%m-%d")
    assert note is not None and "2023-09-03" in note and "more than a year" in note
    assert "only what is spent so far" in note and "on average" not in note
    # session 20: one transaction on 3 October 2026, none in the complete months before it (July-September): those
    # months are not evidence of a month costing nothing (the note said "a whole month, on average", of $0.00)
    add_rows(session, alice.user_id, [(D(2026, 10, 3), 150000, "expense", "RENT", "Rent")])
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    note = B.projection_note(report, date_format="%Y-%m-%d")
    assert report.projection_months == 0 and "2026-10-03" in note and "only what is spent so far" in note
    assert "more than a year" not in note
    # data that stops inside the last year keeps the whole-month note (test above)
    add_rows(session, alice.user_id, [(D(2026, 9, 3), 150000, "expense", "RENT", "Rent")])
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert report.projection_months > 0 and "whole month" in B.projection_note(report, date_format="%Y-%m-%d")


def test_projection_after_a_gap_says_it_cannot_project(session, alice):
    """Session 20 (a new user's trial): a history that stopped in 2024 and restarted this month. The three months
    before this one hold no transaction, and counted as nothing spent they made "Projected" the spending so far
    with no word why (as if the rest of the month would cost nothing). Months without a transaction are not
    evidence: with none left "Projected" is still the spending so far, and the note says it cannot project
    (this month's pace run on projected five rents on the 6th from the rent of the 1st, in Chromium)."""
    B.set_budget(session, user_id=alice.user_id, month=D(2026, 12, 1), amount="3000", category_id=None)
    add_rows(session, alice.user_id, [(m.replace(day=3), 150000, "expense", "RENT", "Rent") for m in monthly(D(2024, 1, 1), 6)])
    add_rows(session, alice.user_id, [(D(2026, 12, 2), 6000, "expense", "MARKET", "Groceries")])
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert report.overall is not None and report.overall.spent_minor == 6000
    assert report.overall.projected_minor == 6000
    assert report.projection_gap and report.projection_months == 0 and report.data_through is None
    note = B.projection_note(report, date_format="%Y-%m-%d")
    assert note is not None and "three months before this month" in note and "cannot project" in note
    assert "only what is spent so far" in note
    # one month of the three with data: the projection learns from it (its zeros are real), no note
    add_rows(session, alice.user_id, [(D(2026, 10, day), 10000, "expense", "MARKET", "Groceries") for day in (3, 20)])
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert report.projection_months == 1 and not report.projection_gap
    assert report.overall.projected_minor == 6000 + 10000  # October's 20th: after the 6th
    assert B.projection_note(report, date_format="%Y-%m-%d") is None


def test_a_new_history_is_no_gap(session, alice):
    """Transactions only from this month: linear as before, and no gap note (nothing older is missing)."""
    add_rows(session, alice.user_id, [(D(2026, 12, 2), 6000, "expense", "MARKET", "Groceries")])
    B.set_budget(session, user_id=alice.user_id, month=D(2026, 12, 1), amount="3000", category_id=None)
    report = B.budget_report(session, user_id=alice.user_id, month=D(2026, 12, 1), today=D(2026, 12, 6))
    assert not report.projection_gap and B.projection_note(report, date_format="%Y-%m-%d") is None
    assert report.overall is not None and report.overall.projected_minor == 6000 * 31 // 6


def test_editor_average_rounds_as_the_reports_average_does(session, alice):
    """Session 22 (a new user's trial): the Budgets editor showed "Avg Nov 2025 – Jan 2026" Rent KES3,666.66 (the
    cents cut off) where Reports' average per month over those months shows KES3,666.67 (rounded): one average,
    one rounding."""
    from budgetwise.services import reports

    # from a month's first day: November is whole (a month the data starts inside is left out, session 28)
    rows = [(D(2025, 11, 1), 100000, "expense", "LANDLORD", "Rent"), (D(2025, 12, 4), 100000, "expense", "LANDLORD", "Rent"),
            (D(2026, 1, 4), 900, "expense", "KIOSK", "Groceries"), (D(2026, 2, 2), 500, "expense", "KIOSK", "Groceries")]
    add_rows(session, alice.user_id, rows)
    df = B.editor_rows(session, user_id=alice.user_id, month=D(2026, 2, 1), today=D(2026, 2, 6))
    assert df.attrs["average_months"] == (D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1))
    report = reports.average_monthly_by_category(
        session, user_id=alice.user_id, filters=reports.ReportFilter(date_from=D(2025, 11, 1), date_to=D(2026, 1, 31)))
    for name in ("Rent", "Groceries"):
        assert df[df["category"] == name]["average_minor"].iloc[0] == \
            report[report["category"] == name]["average_minor"].iloc[0]
    assert df[df["category"] == "Rent"]["average_minor"].iloc[0] == 66667  # 2,000.00 / 3, not 666.66
    assert df["average_minor"].iloc[0] == 66967  # Overall: 2,009.00 / 3
