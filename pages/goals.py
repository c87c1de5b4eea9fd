"""Goals: savings goals with a plan (per day/week/month), progress, contributions, and the
forecast of reaching them from the net-savings forecast (probability in words, chart).

A shell over the sections in budgetwise/ui/goals/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import datetime as dt

import streamlit as st

from budgetwise.services import auth
from budgetwise.services import forecast as F
from budgetwise.services import goal_currency as GC
from budgetwise.services import goals as G
from budgetwise.services.balance_known import last_known
from budgetwise.ui import read_session, require_user
from budgetwise.ui.actions import show_flash
from budgetwise.ui.goals import archived, contributions, edit, new, outlook, overview, plan
from budgetwise.ui.reporting import Loader

principal = require_user()
today = dt.date.today()


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def _net_forecast(user_id: int, data_version: str):
    """The 24-month net-savings forecast (None with too little history: the reason is returned instead,
    with the day an older history would be forecast from, when it could be)."""
    with read_session() as s:
        try:
            return F.forecast_user(s, user_id=user_id, series=F.SERIES_NET, horizon=24, freq="month"), ("", "", None)
        except F.NotEnoughHistory as exc:
            return None, (exc.summary, exc.details, exc.older_until)


st.title("Goals")
st.caption("Save towards what matters: see what it takes per day, week and month, and how likely you are to make it.")
show_flash()

with read_session() as s:
    version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
    every = G.list_goals(s, user_id=principal.user_id, include_archived=True, today=today)
    goals = [g for g in every if not g.is_archived]
    fx = GC.goal_rates(s, user_id=principal.user_id, goals=goals, today=today)  # goals in another currency
    known = last_known(s, user_id=principal.user_id, today=today)  # the last day a balance is known (two MAX queries)

new.render(principal, today, expanded=not goals)
if not goals:
    start = "No open goals: create one above, or restore an archived one below." if every else "No goals yet: create one above."
    st.info(f"{start} Each goal gets a saving plan and, with six months of history, a forecast of reaching it.")
    archived.render(principal, [g for g in every if g.is_archived], expanded=True)
    st.stop()

net, net_reason = _net_forecast(principal.user_id, version)
shares = G.default_shares(goals)
goal = overview.render(principal, goals, net, shares, fx, known)
plan.render(principal, goal, fx.get(goal.id))
outlook.render(principal, Loader(principal, version), goal, goals, net, net_reason, shares, fx, known)
contributions.render(principal, goal, today)
edit.render(principal, goal, today)
archived.render(principal, [g for g in every if g.is_archived])
