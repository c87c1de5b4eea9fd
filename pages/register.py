"""Create an account (public page). The first account becomes the administrator."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.errors import ValidationError
from budgetwise.money import currency_codes
from budgetwise.services import auth, profile
from budgetwise.ui import guards, state
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import db_session, get_settings
from budgetwise.ui.currency import browser_currency

principal = guards.public_page()

st.title("Create your BudgetWise account")
if principal is not None:
    state.show_flash()  # when this page script runs directly (no app.py) after signing in
    st.info("You are signed in: open the Dashboard from the menu.")
    st.stop()

st.caption(
    f"Passwords need at least {auth.MIN_PASSWORD_LENGTH} characters and must not be a common password. "
    "A few unusual words make a strong one."
)
with st.form("register_form"):
    name = st.text_input("Name", key="register_name", max_chars=100)
    email = st.text_input("Email", key="register_email", autocomplete="email")
    password = st.text_input("Password", type="password", key="register_password", autocomplete="new-password")
    confirm = st.text_input("Repeat the password", type="password", key="register_confirm", autocomplete="new-password")
    # asked, guessed from the browser's country (session 29, trial29: a Dutch user's figures were all "$")
    codes = currency_codes()
    guess = browser_currency() or get_settings().default_currency
    currency = st.selectbox("Your currency", codes, index=codes.index(guess) if guess in codes else 0,
                            key="register_currency",
                            help="Your figures (totals, budgets, reports) are in this currency; amounts in another "
                                 "are converted at exchange rates. You can change it later on the Profile page.")
    submitted = st.form_submit_button("Create account", type="primary", width="stretch")



def _register():
    """Create the account (its own unit of work), then sign in with it."""
    if password != confirm:
        raise ValidationError("The two passwords do not match.", field="password")
    with db_session() as session:
        created = auth.register(session, name=name, email=email, password=password, settings=get_settings(),
                                client=state.client_address(get_settings()), device=state.device_cookie())
        created = profile.update_profile(session, user_id=created.user_id, currency=currency)  # its one owner
    state.sign_in(email, password, remember=get_settings().cookie_ttl_days > 0)
    return created


def _welcome(created) -> None:
    message = f"Welcome to BudgetWise, {created.name}! Your account is ready."
    if created.is_admin:
        message += " As the first user, you are this installation's administrator."
    state.flash(message, "success")


if submitted:
    run_action(_register, then=_welcome, unit_of_work=False)
