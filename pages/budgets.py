"""Budgets: an overall and per-category monthly budgets (copied forward until changed),
optional rollover, budget vs actual with variance, progress and month-end warnings."""

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.money import from_minor, locale_separators
from budgetwise.services import budgets as B
from budgetwise.ui import charts, require_user
from budgetwise.ui.actions import run_action
from budgetwise.ui.currency import converted_note, missing_rates_warning
from budgetwise.ui.format import money, plural
from budgetwise.ui.reporting import Loader, display_frame, download_buttons, month_options
from budgetwise.ui.widgets import md, money_metric

principal = require_user()

today = dt.date.today()
data = Loader(principal)
cur = principal.currency


st.title("Budgets")

# ---------------------------------------------------------------- month
choices = month_options(today=today)
stored = st.session_state.get("bud_month", today.replace(day=1).isoformat())
if "bud_w_month" not in st.session_state:
    wanted = dt.date.fromisoformat(stored)
    st.session_state["bud_w_month"] = wanted if wanted in choices else today.replace(day=1)
month = st.columns([1, 3])[0].selectbox("Month", choices, format_func=lambda m: m.strftime("%B %Y"), key="bud_w_month")
st.session_state["bud_month"] = month.isoformat()

report = data.call(B.budget_report, month=month, today=today)

# ---------------------------------------------------------------- budget vs actual
st.subheader(f"Budget vs actual · {month.strftime('%B %Y')}")
if report.is_empty:
    st.info(
        "No budgets for this month yet. Set an overall monthly budget and budgets per category below: "
        "each one is copied forward to the following months until you change it."
    )
else:
    budgeted = report.overall.available_minor if report.overall else report.category_budget_total_minor
    m1, m2, m3, m4 = st.columns(4)
    money_metric(m1, "Budgeted", principal, budgeted,
                 help="The overall budget (with any rollover), or the sum of category budgets when there is no overall one.")
    money_metric(m2, "Spent", principal, report.spent_total_minor, help="All spending this month; transfers excluded.")
    remaining = budgeted - report.spent_total_minor
    money_metric(m3, "Remaining", principal, remaining, delta="over budget" if remaining < 0 else None,
                 delta_color="inverse" if remaining < 0 else "off")
    if report.is_current:
        m4.metric("Days left", f"{report.days_in_month - report.days_elapsed}", border=True,
                  help=f"Day {report.days_elapsed} of {report.days_in_month}.")
    else:
        m4.metric("Over budget", f"{len(report.over_budget)}", border=True)
    for text in B.budget_warnings(report, money=lambda minor: money(principal, minor)):
        (st.error if "over budget" in text else st.warning)(md(text), icon="⚠️")
    lines = ([report.overall] if report.overall else []) + list(report.lines)
    st.plotly_chart(charts.budget_progress(lines, currency=cur, locale=principal.locale), key="bud_progress",
                    config={"displayModeBar": False})
    frame = B.report_frame(report)
    status = ["Over budget" if o else "On course to exceed" if p else "OK" for o, p in zip(frame["over_budget"], frame["projected_over"])]
    shown = display_frame(
        principal,
        frame.drop(columns=["over_budget", "projected_over", "since"]),
        rename={"budget": "Budget", "carryover": "Rolled over", "available": "Available", "spent": "Spent",
                "remaining": "Remaining", "variance_pct": "Variance", "used_pct": "Used", "projected": "Projected"},
    )
    shown.insert(1, "Status", status)

    def _highlight(row: pd.Series) -> list[str]:
        tint = {"Over budget": "rgba(229,83,75,0.18)", "On course to exceed": "rgba(224,163,31,0.18)"}.get(row["Status"], "")
        return [f"background-color: {tint}" if tint else "" for _ in row]

    st.dataframe(shown.style.apply(_highlight, axis=1), hide_index=True, width="stretch")
    download_buttons(frame.drop(columns=["category_id"]), stem=f"budget-{month.strftime('%Y-%m')}", currency=cur, key="bud_dl")
    if report.unbudgeted:
        st.caption(
            "Spending without a budget: "
            + md(", ".join(f"{name} {money(principal, amount)}" for _, name, amount in report.unbudgeted))
        )
if report.other_currencies:
    st.caption(f"Spending in {cur}; {converted_note(principal, report.other_currencies)}.")
missing_rates_warning(principal, report.missing_rates, what=f"the budgets of {month.strftime('%B %Y')}")

# ---------------------------------------------------------------- edit
st.subheader(f"Set budgets from {month.strftime('%B %Y')} on")
st.caption(
    "A budget applies to this month and every later month until you change it; earlier months keep theirs. "
    "Leave an amount empty for no budget. With rollover, what is left over (or overspent) carries into next month."
)
rows = data.call(B.editor_rows, month=month, today=today)
decimal_sep = locale_separators(principal.locale)[0]  # typed amounts are read with the user's separator


def _typed(minor) -> str:
    return "" if pd.isna(minor) else format(from_minor(int(minor), cur), "f").replace(".", decimal_sep)


editor = pd.DataFrame(
    {
        "category_id": rows["category_id"],
        "Category": rows["category"],
        "Budget": [_typed(v) for v in rows["amount_minor"]],
        "Rollover": rows["rollover"].astype(bool),
        "Avg last 3 months": [money(principal, v) for v in rows["average_minor"]],
        "Spent this month": [money(principal, v) for v in rows["spent_minor"]],
    }
)
with st.form(f"bud_form_{month.isoformat()}"):
    edited = st.data_editor(
        editor,
        key=f"bud_editor_{month.isoformat()}",
        hide_index=True,
        width="stretch",
        height=36 * (len(editor) + 1) + 4,  # every category visible, no inner scrolling
        num_rows="fixed",
        disabled=["Category", "Avg last 3 months", "Spent this month"],
        column_config={
            "category_id": None,
            "Budget": st.column_config.TextColumn(
                f"Budget ({cur})", help=f"e.g. 450 or {money(principal, 120000)}; empty = no budget"
            ),
            "Rollover": st.column_config.CheckboxColumn("Rollover"),
        },
    )
    saved = st.form_submit_button("Save budgets", type="primary", icon=":material/save:")
if saved:
    items = [
        B.BudgetInput(
            category_id=None if pd.isna(cid) else int(cid),
            amount="" if amount is None or pd.isna(amount) else str(amount).strip(),  # a deleted cell is NaN
            rollover=bool(rollover),
        )
        for cid, amount, rollover in zip(edited["category_id"], edited["Budget"], edited["Rollover"])
    ]
    changed = run_action(lambda s: B.save_budgets(s, user_id=principal.user_id, month=month, items=items), rerun=False)
    if changed:
        st.toast(f"Saved {plural(changed, 'budget change')} from {month.strftime('%B %Y')} on", icon="✅")
        st.rerun()
    elif changed is not None:
        st.info("Nothing changed.")

# ---------------------------------------------------------------- history
history = data.call(B.budget_history, months=6, today=month)
if int(history["budget_minor"].sum()) > 0:
    st.subheader("The last six months")
    st.plotly_chart(charts.budget_history_bars(history, currency=cur, locale=principal.locale), key="bud_history",
                    config={"displayModeBar": False})
