"""Sign in (public page)."""

import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.ui import guards, state
from budgetwise.ui.context import get_settings

principal = guards.public_page()
settings = get_settings()

st.title("💰 BudgetWise")
st.subheader("Sign in")
if principal is not None:
    state.show_flash()  # when this page script runs directly (no app.py) after signing in
    st.info("You are signed in: open the Dashboard from the menu.")
    st.stop()

with st.form("login_form"):
    email = st.text_input("Email", key="login_email", autocomplete="email")
    password = st.text_input("Password", type="password", key="login_password", autocomplete="current-password")
    remember = st.checkbox(
        "Stay signed in on this browser",
        value=settings.cookie_ttl_days > 0,
        disabled=settings.cookie_ttl_days == 0,
        help=f"Keeps you signed in across page refreshes for up to {settings.cookie_ttl_days} days, until you log out.",
    )
    submitted = st.form_submit_button("Sign in", type="primary", use_container_width=True)

if submitted:
    try:
        state.sign_in(email, password, remember=remember)
    except BudgetwiseError as exc:
        st.error(str(exc))
    else:
        st.rerun()

if settings.demo:
    st.divider()
    st.markdown("**Just looking?** Explore a demo account with two years of realistic sample data.")
    if st.button("Explore the demo account", icon=":material/play_circle:"):
        try:
            state.sign_in_demo()
        except BudgetwiseError as exc:
            st.error(str(exc))
        else:
            st.rerun()

st.caption("New here? Choose **Create account** in the menu.")
