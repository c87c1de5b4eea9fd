"""Sign in (public page)."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.ui import guards, state
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import get_settings

principal = guards.public_page()
settings = get_settings()

st.title(":material/savings: BudgetWise")
goodbye = state.show_goodbye()
st.subheader("Sign in")
if principal is not None:
    state.show_flash()  # when this page script runs directly (no app.py) after signing in
    state.show_reset_notices(principal)
    st.info("You are signed in: open the Dashboard from the menu.")
    st.stop()

if state.second_factor_pending():  # two-factor sign-in: the password was right (docs/reliability.md)
    with st.form("login_2fa_form"):
        st.markdown("**Two-factor sign-in.** Enter the 6-digit code from your authenticator app, or one of your recovery codes.")
        code = st.text_input("Code", key="login_2fa_code", autocomplete="one-time-code", max_chars=20)
        verified = st.form_submit_button("Verify", type="primary", width="stretch")
    if verified:
        state.forget_goodbye(goodbye)
        run_action(lambda: state.sign_in_second_factor(code), unit_of_work=False)
    if st.button("Sign in with another account", type="tertiary", key="login_2fa_cancel"):
        state.cancel_second_factor()
        st.rerun()
    if state.second_factor_pending():
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
    submitted = st.form_submit_button("Sign in", type="primary", width="stretch")

if submitted:
    state.forget_goodbye(goodbye)
    run_action(lambda: state.sign_in(email, password, remember=remember), unit_of_work=False)

if settings.demo:
    st.divider()
    st.markdown(
        "**Just looking?** Explore a demo account with two years of realistic sample data: a private one of your "
        f"own, deleted with everything in it after {settings.demo_hours} hours."
    )
    if st.button("Explore the demo account", key="login_demo", icon=":material/play_circle:"):
        state.forget_goodbye(goodbye)
        run_action(lambda: state.sign_in_demo(), unit_of_work=False)

st.caption("New here? Choose **Create account** in the menu.")

# ---------------------------------------------------------------- password reset (see docs/admin.md)
from budgetwise.services import password_reset  # noqa: E402

RESET_MODE = "login_reset_mode"  # None, "forgot" or "code"
RESET_DONE = "login_reset_done"
link_code = st.query_params.get(password_reset.QUERY_PARAM, "")
if link_code and RESET_MODE not in st.session_state:
    st.session_state[RESET_MODE] = "code"  # opened from an e-mailed link

if st.session_state.pop(RESET_DONE, None):
    st.success("Your password has been changed and every old session was signed out. Sign in with it above.")
forgot_col, code_col = st.columns(2)
if forgot_col.button("Forgot your password?", type="tertiary", key="login_forgot_open", icon=":material/help:"):
    st.session_state[RESET_MODE] = None if st.session_state.get(RESET_MODE) == "forgot" else "forgot"
    st.rerun()
if code_col.button("Have a reset code?", type="tertiary", key="login_code_open", icon=":material/key:"):
    st.session_state[RESET_MODE] = None if st.session_state.get(RESET_MODE) == "code" else "code"
    st.rerun()

if st.session_state.get(RESET_MODE) == "forgot":
    with st.form("forgot_form"):
        st.markdown(password_reset.forgot_intro(settings))
        forgot_email = st.text_input("Your account's email", key="forgot_email", autocomplete="email")
        asked = st.form_submit_button("Send me a reset code")
    if asked:
        run_action(lambda s: password_reset.request_reset(s, email=forgot_email, settings=settings,
                                                              client=state.client_address(settings),
                                                              device=state.device_cookie()),
                   then=st.info, rerun=False)
elif st.session_state.get(RESET_MODE) == "code":
    with st.form("reset_form"):
        st.markdown("**Have a reset code?** Paste it here and choose a new password.")
        reset_code = st.text_input("Reset code", value=link_code, key="reset_code_input", autocomplete="one-time-code")
        new_password = st.text_input("New password", type="password", key="reset_new_password", autocomplete="new-password")
        repeat_password = st.text_input(
            "Repeat the new password", type="password", key="reset_repeat_password", autocomplete="new-password"
        )
        reset_clicked = st.form_submit_button("Set my new password", type="primary")
    if reset_clicked:
        if new_password != repeat_password:
            st.error("The two passwords do not match.")
        else:
            def _reset_done(_result: None) -> None:
                st.query_params.pop(password_reset.QUERY_PARAM, None)
                st.session_state[RESET_MODE] = None
                st.session_state[RESET_DONE] = True

            run_action(
                lambda s: password_reset.reset_password(s, token=reset_code, new_password=new_password, settings=settings),
                then=_reset_done,
            )
