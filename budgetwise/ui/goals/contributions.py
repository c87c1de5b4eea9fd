"""Goals: contributions to the chosen goal (record, list, remove)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goals as G
from budgetwise.ui import read_session
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, date_cells, date_column, date_input_format
from budgetwise.ui.format import day as day_in_words  # `day` is the contribution date below
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import money


def render(principal: Principal, goal, today: dt.date) -> None:
    cur = goal.currency  # a goal keeps the currency it was made in (session 19: the label said the base currency)
    st.markdown("**Contributions**")
    with read_session() as s:
        contributions = G.list_contributions(s, user_id=principal.user_id, goal_id=goal.id)
    if goal.account_id is not None:
        st.caption("This goal follows a savings account: put money in the account; amounts recorded here do not count "
                   "while it is linked.")
    else:
        with st.form(f"goal_contribute_{goal.id}", clear_on_submit=True):
            c1, c2, c3 = st.columns([2, 2, 3])
            amount = c1.text_input(f"Amount ({cur}); negative to withdraw", key=f"goal_c_amount_{goal.id}")
            # every date it can show: one outside its own limits is marked invalid and never sent, so the
            # default (today) would be stored instead without a word; the service refuses it, naming its limits
            first_day, last_day = G.contribution_date_limits(today)
            day = c2.date_input("Date", value=today, min_value=PICKER_MIN, max_value=PICKER_MAX, key=f"goal_c_date_{goal.id}",
                                format=date_input_format(principal),
                                help=f"From {day_in_words(principal, first_day)} to today ({day_in_words(principal, last_day)}).")
            note = c3.text_input("Note", max_chars=G.MAX_NOTE, key=f"goal_c_note_{goal.id}")
            add = st.form_submit_button("Add contribution")
        if add:
            run_action(
                lambda s: G.add_contribution(s, user_id=principal.user_id, goal_id=goal.id, amount=amount, date=day, note=note,
                                             today=today),
                lambda c: (f"{'Added' if c.amount_minor > 0 else 'Withdrew'} {money(principal, abs(c.amount_minor), goal.currency)} "
                           f"{'to' if c.amount_minor > 0 else 'from'} “{goal.name}”."),
            )
    if contributions:
        st.dataframe(
            pd.DataFrame({
                "Date": date_cells(principal, [c.date for c in contributions]),
                "Amount": [money(principal, c.amount_minor, goal.currency, signed=True) for c in contributions],
                "Note": [c.note for c in contributions],
            }),
            column_config={"Date": date_column(principal, "Date")},
            hide_index=True, key=f"goal_contributions_{goal.id}",
        )
        labels = {c.id: f"{day_in_words(principal, c.date)} · {money(principal, c.amount_minor, goal.currency, signed=True)}"
                  for c in contributions}
        d1, d2 = st.columns([3, 1])
        doomed = d1.selectbox("Remove a contribution", list(labels), format_func=lambda i: labels[i], index=None,
                              placeholder="Choose one to remove", key=f"{form_key('goal_w_remove')}_{goal.id}")
        if d2.button("Remove", key=f"goal_remove_{goal.id}", disabled=doomed is None) and doomed is not None:
            chosen: int = doomed
            run_action(
                lambda s: G.delete_contribution(s, user_id=principal.user_id, contribution_id=chosen),
                "Contribution removed.",
                then=lambda _: reset_form("goal_w_remove"),  # nothing stays chosen for the next removal
            )
    else:
        st.caption("No contributions recorded yet.")
