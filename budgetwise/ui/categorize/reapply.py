"""The "Re-apply rules" tab: run the rules and what was learned from the user's own history again
over what was not categorized by hand (``categorize.reapply_categories``)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import date_input_format, plural


def render(principal: Principal) -> None:
    st.markdown("Run your rules, then what BudgetWise learned from the categories you set, again over the "
                "transactions you did not categorize by hand — for instance after adding or changing rules or "
                "after sorting a batch. Hand-set categories are never changed.")
    with st.form("cat_reapply"):
        scope = st.radio("Which transactions", ["Uncategorized only", "All in a period"], horizontal=True,
                         key="cat_ra_scope")
        today = dt.date.today()
        r1, r2 = st.columns(2)
        # in the user's date format like every other picker (it showed Streamlit's "yyyy/mm/dd")
        start = r1.date_input("From", value=today.replace(day=1) - dt.timedelta(days=365), key="cat_ra_from",
                              format=date_input_format(principal))
        end = r2.date_input("To", value=today, key="cat_ra_to", format=date_input_format(principal))
        go = st.form_submit_button("Re-apply rules", type="primary", icon=":material/autorenew:")
    if not go:
        return
    with st.status("Re-applying rules…", expanded=False) as status:
        changed = run_action(
            partial(categorize.reapply_categories, user_id=principal.user_id, only_uncategorized=True)
            if scope == "Uncategorized only" else
            partial(categorize.reapply_categories, user_id=principal.user_id, date_from=start, date_to=end),
            rerun=False,
        )
        if changed is None:
            status.update(label="Could not re-apply the rules", state="error")
        else:
            status.update(label=f"Done: {plural(changed, 'transaction')} recategorized", state="complete")
            st.success(f"{plural(changed, 'transaction')} recategorized.")
