"""Goals: the "New goal" form."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goals as G
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, amount_example, date_input_format, day, money
from budgetwise.ui.forms import form_key, reset_form


def render(principal: Principal, today: dt.date, *, expanded: bool) -> None:
    cur = principal.currency
    nk = form_key("goal_new")  # a new, empty form after a goal was created (kept as typed after an error)
    with st.expander("New goal", expanded=expanded, icon=":material/add:"):
        with st.form(nk, clear_on_submit=False):
            c1, c2 = st.columns(2)
            name = c1.text_input("Name", placeholder="Emergency fund", key=f"{nk}_name", max_chars=G.MAX_NAME)
            target = c2.text_input(f"Target amount ({cur})", placeholder=amount_example(principal), key=f"{nk}_target")
            c3, c4 = st.columns(2)
            # every date it can show: one outside its own limits is marked invalid and never sent, so the
            # default (a year ahead) would be stored instead without a word; the service refuses it, naming its limits
            target_date = c3.date_input("Target date", value=today.replace(year=today.year + 1) if not (
                today.month == 2 and today.day == 29) else today + dt.timedelta(days=365),
                min_value=PICKER_MIN, max_value=PICKER_MAX, key=f"{nk}_date", format=date_input_format(principal),
                help=f"After today, up to {day(principal, G.latest_target_date(today))}.")
            saved = c4.text_input(f"Already saved ({cur})", value="0", key=f"{nk}_saved")
            submitted = st.form_submit_button("Create goal", type="primary")
        if submitted:
            def _created(goal) -> None:
                st.session_state["goal_selected"] = goal.id
                reset_form("goal_new")

            run_action(
                lambda s: G.create_goal(s, user_id=principal.user_id, name=name, target=target,
                                        target_date=target_date, already_saved=saved, today=today),
                lambda created: f"Goal “{created.name}” created." + (  # the service's fact: reached on creation
                    f" It is already reached: {money(principal, created.saved_minor, created.currency)} saved of "
                    f"{money(principal, created.target_minor, created.currency)}; raise the target to keep saving "
                    "towards it." if created.reached else ""),
                then=_created,
            )
