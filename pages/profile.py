"""Profile: name, email, password, preferences, exchange rates, two-factor sign-in, your data,
account deletion. A shell over the sections in budgetwise/ui/profile/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.services import profile as profile_service
from budgetwise.ui import get_settings, read_session, require_user
from budgetwise.ui.currency import PROFILE_TABS_KEY, RATES_TAB, rates_tab
from budgetwise.ui.format import day
from budgetwise.ui.profile import account, two_factor
from budgetwise.ui.widgets import md

principal = require_user()
settings = get_settings()

with read_session() as s:
    me = profile_service.get_profile(s, user_id=principal.user_id)

st.title("Profile")
st.caption(
    f"{md(me.email)} · {'administrator' if me.role == 'admin' else 'member'} since {day(principal, me.created_at.date())}"
    + (f" · last sign-in {day(principal, me.last_login_at.date())} {me.last_login_at:%H:%M} UTC" if me.last_login_at else "")
)

details, prefs, fx_rates, password, two_factor_tab, your_data, danger = st.tabs(
    ["Details", "Preferences", RATES_TAB, "Password", "Two-factor sign-in", "Your data", "Delete account"],
    key=PROFILE_TABS_KEY,  # kept across a save's rerun (session 13: "Save preferences" showed Details)
    bind="query-params",  # "?pf_tab=Exchange rates" opens that tab: the links to the rates (session 20)
)
with details:
    account.details(principal, me, settings)
with prefs:
    account.preferences(principal, me)
with fx_rates:
    rates_tab(principal)
with password:
    account.password(principal, settings)
with two_factor_tab:
    two_factor.render(principal, settings)
with your_data:
    account.your_data(principal)
with danger:
    account.delete_account(principal, settings)
