"""Profile: name, email, password, preferences, account deletion."""

import streamlit as st

from budgetwise.errors import BudgetwiseError, ValidationError
from budgetwise.money import currency_codes
from budgetwise.services import profile as profile_service
from budgetwise.ui import db_session, get_settings, read_session, require_user, state
from budgetwise.ui.widgets import md, show_error

principal = require_user()
settings = get_settings()

with read_session() as s:
    me = profile_service.get_profile(s, user_id=principal.user_id)

st.title("Profile")
st.caption(
    f"{md(me.email)} · {'administrator' if me.role == 'admin' else 'member'} since {me.created_at:%Y-%m-%d}"
    + (f" · last sign-in {me.last_login_at:%Y-%m-%d %H:%M} UTC" if me.last_login_at else "")
)

details, prefs, password, danger = st.tabs(["Details", "Preferences", "Password", "Delete account"])

with details, st.form("profile_details"):
    name = st.text_input("Name", value=me.name, max_chars=100, key="pf_name")
    email = st.text_input("Email", value=me.email, key="pf_email")
    if st.form_submit_button("Save details", type="primary"):
        try:
            with db_session() as s:
                profile_service.update_profile(s, user_id=principal.user_id, name=name, email=email)
        except BudgetwiseError as exc:
            show_error(exc)
        else:
            st.toast("Details saved", icon="✅")
            st.rerun()

with prefs, st.form("profile_prefs"):
    codes = currency_codes()
    currency = st.selectbox(
        "Currency", codes, index=codes.index(me.currency) if me.currency in codes else 0, key="pf_currency",
        help="Your base currency: new transactions default to it and reports are shown in it.",
    )
    formats = list(profile_service.DATE_FORMATS)
    date_format = st.selectbox(
        "Date format", formats, index=formats.index(me.date_format) if me.date_format in formats else 0,
        format_func=profile_service.DATE_FORMATS.get, key="pf_date_format",
    )
    week_start = st.selectbox(
        "First day of the week", range(7), index=me.week_start, format_func=lambda i: profile_service.WEEKDAYS[i],
        key="pf_week_start",
    )
    locale = st.text_input("Number format locale", value=me.locale, key="pf_locale",
                           help="How amounts are written, e.g. en_US (1,234.56), de_DE (1.234,56), fr_FR (1 234,56).")
    if st.form_submit_button("Save preferences", type="primary"):
        try:
            with db_session() as s:
                profile_service.update_profile(
                    s, user_id=principal.user_id, currency=currency, date_format=date_format,
                    week_start=week_start, locale=locale,
                )
        except BudgetwiseError as exc:
            show_error(exc)
        else:
            st.cache_data.clear()
            st.toast("Preferences saved", icon="✅")
            st.rerun()

with password, st.form("profile_password", clear_on_submit=True):
    st.caption("Changing your password signs you out everywhere else.")
    current = st.text_input("Current password", type="password", key="pf_pw_current", autocomplete="current-password")
    new = st.text_input("New password", type="password", key="pf_pw_new", autocomplete="new-password")
    repeat = st.text_input("Repeat the new password", type="password", key="pf_pw_repeat", autocomplete="new-password")
    if st.form_submit_button("Change password", type="primary"):
        try:
            if new != repeat:
                raise ValidationError("The two new passwords do not match.", field="password")
            with db_session() as s:
                profile_service.change_password(
                    s, user_id=principal.user_id, current_password=current, new_password=new, settings=settings
                )
        except BudgetwiseError as exc:
            show_error(exc)
        else:
            state.refresh_token(principal)  # this browser stays signed in; all others are signed out
            st.success("Password changed. Other sessions and 'stay signed in' cookies were signed out.")

with danger:
    st.warning(
        "Deleting your account removes your profile and **all** your data (transactions, imports, rules, "
        "budgets, goals) for good. Download your data first on the Transactions page if you want to keep it."
    )
    with st.form("profile_delete"):
        confirm_email = st.text_input("Type your email to confirm", key="pf_del_email")
        del_password = st.text_input("Your password", type="password", key="pf_del_password")
        if st.form_submit_button("Delete my account and all my data", type="primary"):
            try:
                with db_session() as s:
                    profile_service.delete_account(
                        s, user_id=principal.user_id, password=del_password, confirm_email=confirm_email
                    )
            except BudgetwiseError as exc:
                show_error(exc)
            else:
                state.sign_out(None, goodbye="Your account and all its data have been deleted. Goodbye!")
                st.rerun()
