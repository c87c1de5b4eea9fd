"""Budgets: the table of budgets to set from the chosen month on (amounts typed as text)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.dates import add_months, month_short_text
from budgetwise.principal import Principal
from budgetwise.services import budgets as B
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import amount_input, money, month_label, plural


def render(principal: Principal, rows: pd.DataFrame, month: dt.date) -> None:
    cur = principal.currency
    st.subheader(f"Set budgets from {month_label(principal, month)} on")
    st.caption(
        f"Amounts are in {cur}. A budget applies to this month and every later month until you change it; earlier months keep theirs. "
        "Leave an amount empty for no budget. With rollover, what is left over (or overspent) carries into next month; "
        "a month without any transaction in your data (not yet imported, or a gap) adds nothing to it."
    )

    def _typed(minor, left_out) -> str:
        if left_out is not None:  # no rate to show it in ``cur``: as set, and kept by a save that leaves it unchanged
            return f"{money(principal, left_out[0], left_out[1])} (no {left_out[1]} → {cur} rate)"
        return "" if pd.isna(minor) else amount_input(principal, int(minor), cur)

    editor = pd.DataFrame(
        {
            "category_id": rows["category_id"],
            "Category": rows["category"],
            "Budget": [_typed(v, x) for v, x in zip(rows["amount_minor"], rows["left_out"])],
            "Rollover": rows["rollover"].astype(bool),
            # "—" without a complete month to average (it showed $0.00 in every row, as if nothing was spent)
            "Avg last 3 months": [money(principal, v) if rows.attrs.get("average_months") else "—"
                                  for v in rows["average_minor"]],
            "Spent this month": [money(principal, v) for v in rows["spent_minor"]],
        }
    )
    with st.form(f"bud_form_{month.isoformat()}"):
        edited = st.data_editor(
            editor,
            key=f"bud_editor_{month.isoformat()}",
            hide_index=True,
            width="stretch",
            height=35 * (len(editor) + 1) + 3,  # every category visible, no inner scrolling, no empty stripe
            num_rows="fixed",
            placeholder="",  # a cleared cell (the Delete key leaves None) reads empty, as "no budget", not a grey "None"
            disabled=["Category", "Avg last 3 months", "Spent this month"],
            column_config={
                "category_id": None,
                # short headings: with their edit icons, "Budget (EUR)" and "Rollover" cut Rollover at 390 px
                "Budget": st.column_config.TextColumn(
                    "Budget", help=f"In {cur}: e.g. 450 or {money(principal, 120000)}; empty = no budget"
                ),
                "Rollover": st.column_config.CheckboxColumn(
                    "Rollover", help="What is left over (or overspent) carries into next month"
                ),
                "Avg last 3 months": st.column_config.TextColumn(_average_label(principal, rows),
                                                                 help=_average_help(principal, rows, month)),
            },
        )
        saved = st.form_submit_button("Save budgets", type="primary", icon=":material/save:")
    if saved:
        _save(principal, edited, month, editor)


def _average_label(principal: Principal, rows: pd.DataFrame) -> str:
    """The average column's heading names its months ("Avg Sep 2026 – Nov 2026"): "last 3 months" was not
    what it is after a gap in the data or for a younger history (new-user trial, session 21)."""
    months = rows.attrs.get("average_months", ())
    if not months:
        return "Avg (no month to average)"
    names = [month_short_text(m, principal.locale) for m in months]
    if len(months) == 1:
        return f"Avg {names[0]}"
    if add_months(months[0], len(months) - 1) == months[-1]:  # one run of months
        return f"Avg {names[0]} – {names[-1]}"
    return "Avg " + ", ".join(names)


def _average_help(principal: Principal, rows: pd.DataFrame, month: dt.date) -> str:
    """Which months the average is of: the last complete months in the data (``B.editor_rows``)."""
    months = rows.attrs.get("average_months", ())
    if not months:
        return (f"No average: your data has no complete month with transactions in the year before "
                f"{month_label(principal, month)} "
                "(a history that starts this month, or one that stops earlier: import your recent transactions).")
    span = month_label(principal, months[0]) if len(months) == 1 else \
        f"{month_label(principal, months[0])} – {month_label(principal, months[-1])}"
    if add_months(months[-1], 13) < month:  # an old export (session 29): not recent spending, say so
        return (f"Average monthly spending in {span}: your data stops more than a year before "
                f"{month_label(principal, month)}, so these are its last complete months, not your recent "
                "spending (import your recent transactions to average those).")
    return (f"Average monthly spending in {span}: the last complete months in your data (a month your data "
            "stops inside is left out, its rest is not imported yet; so is a month without any transaction, a gap "
            "in your data rather than a month of nothing spent).")


def _cell(amount) -> str:
    return "" if amount is None or pd.isna(amount) else str(amount).strip()  # a deleted cell is NaN


def _save(principal: Principal, edited: pd.DataFrame, month: dt.date, shown: pd.DataFrame) -> None:
    """Save the rows the user changed (a row left as shown is not sent: a budget shown without a rate to the user's
    currency keeps its amount and currency, where sending its cell would end it or refuse it)."""
    items = [
        B.BudgetInput(category_id=None if pd.isna(cid) else int(cid), amount=_cell(amount), rollover=bool(rollover),
                      keep_amount=_cell(amount) == _cell(was_amount))  # rollover alone: the amount in effect stays
        for cid, amount, rollover, was_amount, was_rollover in zip(
            edited["category_id"], edited["Budget"], edited["Rollover"], shown["Budget"], shown["Rollover"])
        if (_cell(amount), bool(rollover)) != (_cell(was_amount), bool(was_rollover))
    ]
    changed = run_action(lambda s: B.save_budgets(s, user_id=principal.user_id, month=month, items=items), rerun=False)
    if changed:
        st.toast(f"Saved {plural(changed, 'budget change', locale=principal.locale)} from {month_label(principal, month)} on", icon="✅")
        st.rerun()
    elif changed is not None:
        st.info("Nothing changed.")
