"""BudgetWise: entry point (`streamlit run app.py`).

Page config, settings and database bootstrap (migrations), session check, and
st.navigation built from the user's login state and role.
"""

from __future__ import annotations

import streamlit as st

from budgetwise.ui import navigation

navigation.leave_pages_folder_mode(rerun=False)  # first, before the heavy imports and the bootstrap: no menu of raw file names meanwhile
st.set_page_config(page_title="BudgetWise", page_icon="💰", layout="wide", initial_sidebar_state="auto")

from budgetwise.errors import BudgetwiseError  # noqa: E402
from budgetwise.ui import context, state  # noqa: E402
from budgetwise.ui.widgets import md  # noqa: E402

try:
    settings = context.bootstrap()
except BudgetwiseError as exc:
    st.error(f"BudgetWise could not start: {exc}")
    st.stop()

principal = state.current_principal()
state.apply_cookie_operations()


def _logout() -> None:
    state.sign_out(principal, goodbye="You have been signed out. Thanks for budgeting with BudgetWise, see you soon!")
    st.rerun()


specs = navigation.pages_for(signed_in=principal is not None, is_admin=bool(principal and principal.is_admin))
if specs and not any(spec.default for spec in specs):
    specs[0] = navigation.replace(specs[0], default=True)  # "Log out" must never be the default page
if principal is None:
    nav = [
        st.Page(str(spec.path), title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec.default)
        for spec in specs
    ]
else:
    nav: dict[str, list] = {}
    for spec in specs:
        nav.setdefault(spec.section, []).append(
            st.Page(str(spec.path), title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec.default)
        )
    nav.setdefault("Account", []).append(st.Page(_logout, title="Log out", icon=":material/logout:", url_path="logout"))
    with st.sidebar:
        st.caption(f"Signed in as **{md(principal.name)}** ({md(principal.email)})" + (" · admin" if principal.is_admin else ""))

page = st.navigation(nav, expanded=True)  # every page and "Log out" visible (13 entries exceed the folded default of 10)
st.session_state[navigation.BUILT] = True
state.show_flash()
page.run()
