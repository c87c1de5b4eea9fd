"""Goals: edit, archive or delete the chosen goal."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goals as G
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, amount_input, date_input_format, day
from budgetwise.ui.widgets import md


def render(principal: Principal, goal, today: dt.date) -> None:
    cur = goal.currency  # a goal keeps the currency it was made in (session 19: the label said the base currency)
    with st.expander("Edit or delete this goal", icon=":material/edit:"):
        with st.form(f"goal_edit_{goal.id}"):
            e1, e2 = st.columns(2)
            new_name = e1.text_input("Name", value=goal.name, key=f"goal_e_name_{goal.id}", max_chars=G.MAX_NAME)
            new_target = e2.text_input(f"Target amount ({cur})", value=amount_input(principal, goal.target_minor, goal.currency),
                                       key=f"goal_e_target_{goal.id}")
            e3, e4 = st.columns(2)
            # every date it can show: one outside its own limits is marked invalid and never sent, so the
            # old target date would be stored instead without a word; the service refuses it, naming its limits
            new_date = e3.date_input("Target date", value=goal.target_date, min_value=PICKER_MIN, max_value=PICKER_MAX,
                                     key=f"goal_e_date_{goal.id}", format=date_input_format(principal),
                                     help=f"After today, up to {day(principal, G.latest_target_date(today))}.")
            new_saved = e4.text_input(f"Saved before the first contribution ({cur})",
                                      value=amount_input(principal, goal.initial_saved_minor, goal.currency),
                                      key=f"goal_e_saved_{goal.id}")
            archive = st.checkbox("Archive (hide from this page)", value=goal.is_archived, key=f"goal_e_archive_{goal.id}")
            save = st.form_submit_button("Save changes")
        if save:
            run_action(
                lambda s: G.update_goal(s, user_id=principal.user_id, goal_id=goal.id, name=new_name, target=new_target,
                                        target_date=new_date, already_saved=new_saved, archived=archive, today=today),
                lambda view: (f"Goal “{view.name}” archived: it is under “Archived goals” at the bottom of this page, "
                              "to restore." if view.is_archived else "Goal saved."),
            )
        confirm = st.checkbox(md(f"Yes, delete “{goal.name}” and its contributions"), key=f"goal_w_confirm_{goal.id}")
        if st.button("Delete goal", type="secondary", disabled=not confirm, key=f"goal_delete_{goal.id}"):
            run_action(lambda s: G.delete_goal(s, user_id=principal.user_id, goal_id=goal.id),
                       f"Goal “{goal.name}” deleted.", then=lambda _: st.session_state.pop("goal_selected", None))
