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
from budgetwise.ui.widgets import CARD_CSS, TOUCH_CSS, md  # noqa: E402

try:
    settings = context.bootstrap()
except BudgetwiseError as exc:
    st.error(f"BudgetWise could not start: {exc}")
    st.stop()

principal = state.current_principal()


def _go_home() -> None:  # pragma: no cover - app.py switches to the target page before any redirect page runs
    st.switch_page(target)


specs = navigation.pages_for(signed_in=principal is not None, is_admin=bool(principal and principal.is_admin))
pages = {spec: st.Page(str(spec.path), title=spec.title, icon=spec.icon, url_path=spec.url_path) for spec in specs}
target = pages[next((spec for spec in specs if spec.default), specs[0])]  # what "/" opens ("Log out" never)
# "/" and the addresses of pages this visitor has not got (/dashboard signed out, /login signed in, /admin for a
# non-admin) lead to ``target`` under its own address: a default page answers only at "/" (navigation.redirect_paths)
redirects = [st.Page(_go_home, title="BudgetWise", url_path=path, visibility="hidden", default=path == navigation.HOME)
             for path in navigation.redirect_paths(specs)]
if principal is None:
    nav = [*pages.values(), *redirects]
else:
    nav: dict[str, list] = {}
    for spec, spec_page in pages.items():
        nav.setdefault(spec.section, []).append(spec_page)
    nav[specs[0].section].extend(redirects)  # hidden: no section of their own
    with st.sidebar:
        # the line carries the metric cards' and tables' stylesheets (widgets.CARD_CSS, TOUCH_CSS): content in the sidebar's own slot
        # (a style-only st.html would go to the event container and replace a toast); the user's text is md()-escaped
        st.caption(f"Signed in as **{md(principal.name)}** ({md(principal.email)})" + (" · admin" if principal.is_admin else "")
                   + "\n\n" + CARD_CSS + TOUCH_CSS, unsafe_allow_html=True)

page = st.navigation(nav, expanded=True)  # every page and "Log out" visible (13 entries exceed the folded default of 10)
st.session_state[navigation.BUILT] = True
if any(page is redirect for redirect in redirects):
    # a signed-out visitor's page is kept and opened once they have signed in (navigation.redirect_destination)
    wanted = navigation.redirect_destination(page.url_path, specs, signed_in=principal is not None, state=st.session_state)
    st.switch_page(next((p for spec, p in pages.items() if spec.url_path == wanted), target))  # before the cookie
    # writer and the flash, which the next run shows
# One container holds what comes and goes before the page (the cookie writer's frame for a few runs after signing
# in, a flash message once): the page's own elements keep their places, so a run without them does not draw an
# expander the user opened anew, closed (session 18: the first runs after signing in closed "Add a transaction").
with st.container():
    state.apply_cookie_operations()
    state.show_flash()  # once: the cookie writer reruns nothing since session 15 (ui/cookies.py)
    state.show_reset_notices(principal)  # until "I have read this"
    state.show_demo_banner(principal)
page.run()
