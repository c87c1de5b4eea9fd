"""The Profile page's account tabs: details, preferences, password, your data, delete the account."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.orm import Session

from budgetwise.config import Settings
from budgetwise.errors import ValidationError
from budgetwise.money import current_currency_codes
from budgetwise.principal import Principal
from budgetwise.services import data_export
from budgetwise.services import profile as profile_service
from budgetwise.ui import state
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import read_session


def details(principal: Principal, me: profile_service.Profile, settings: Settings) -> None:
    with st.form("profile_details"):
        name = st.text_input("Name", value=me.name, max_chars=100, key="pf_name")
        email = st.text_input("Email", value=me.email, key="pf_email")
        password = st.text_input("Current password (to change the email)", type="password", key="pf_email_password",
                                 help="Reset codes go to your email, so a new one needs your password.")
        if st.form_submit_button("Save details", type="primary"):
            run_action(
                lambda s: profile_service.update_profile(s, user_id=principal.user_id, name=name, email=email,
                                                         current_password=password or None, settings=settings,
                                                         client=state.client_address(settings)),
                toast="Details saved", icon="✅",
            )


def preferences(principal: Principal, me: profile_service.Profile) -> None:
    with st.form("profile_prefs"):
        codes = current_currency_codes(include=me.currency)
        currency = st.selectbox(
            "Currency", codes, index=codes.index(me.currency) if me.currency in codes else 0, key="pf_currency",
            help="Your base currency: new transactions default to it and reports are shown in it.",
        )
        formats = list(profile_service.DATE_FORMATS)
        date_format = st.selectbox(
            "Date format", formats, index=formats.index(me.date_format) if me.date_format in formats else 0,
            format_func=lambda f: profile_service.DATE_FORMATS[f], key="pf_date_format",
        )
        week_start = st.selectbox(
            "First day of the week", range(7), index=me.week_start, format_func=lambda i: profile_service.WEEKDAYS[i],
            key="pf_week_start",
        )
        locales = list(profile_service.LOCALES) + ([me.locale] if me.locale not in profile_service.LOCALES else [])
        locale = st.selectbox(
            "Number format and month names", locales, index=locales.index(me.locale),
            format_func=profile_service.locale_label, key="pf_locale",
            help="How amounts and numbers are written (decimal and grouping separators) and the language of month "
                 "names in dates and headings (“december 2025” for Nederlands). The rest of BudgetWise is in "
                 "English; the order of day, month and year is the Date format above.",
        )
        if st.form_submit_button("Save preferences", type="primary"):
            run_action(
                lambda s: profile_service.update_profile(
                    s, user_id=principal.user_id, currency=currency, date_format=date_format,
                    week_start=week_start, locale=locale,
                ),
                toast="Preferences saved", icon="✅",
            )


def password(principal: Principal, settings: Settings) -> None:
    with st.form("profile_password", clear_on_submit=True):
        st.caption("Changing your password signs you out everywhere else.")
        current = st.text_input("Current password", type="password", key="pf_pw_current", autocomplete="current-password")
        new = st.text_input("New password", type="password", key="pf_pw_new", autocomplete="new-password")
        repeat = st.text_input("Repeat the new password", type="password", key="pf_pw_repeat", autocomplete="new-password")
        if st.form_submit_button("Change password", type="primary"):
            def _change(s: Session) -> None:
                if new != repeat:
                    raise ValidationError("The two new passwords do not match.", field="password")
                profile_service.change_password(
                    s, user_id=principal.user_id, current_password=current, new_password=new, settings=settings
                )

            def _changed(_result: None) -> None:
                state.refresh_token(principal)  # this browser stays signed in; all others are signed out
                st.success("Password changed. Other sessions and 'stay signed in' cookies were signed out.")

            run_action(_change, then=_changed, rerun=False)


def your_data(principal: Principal) -> None:
    def _all_my_data() -> bytes:
        # runs when the button is clicked (Streamlit calls it on its own thread)
        with read_session() as s:
            return data_export.export_zip(s, user_id=principal.user_id)

    st.markdown(
        f"Download everything BudgetWise holds about you: {data_export.contents_text()}, as CSV files in one "
        "zip. Your password and two-factor secret are not included (only hashes of them are stored)."
    )
    st.download_button(
        "Download all my data", data=_all_my_data, file_name=data_export.export_filename(principal.user_id),
        mime="application/zip", key="pf_download_all", icon=":material/download:", type="primary",
    )


def delete_account(principal: Principal, settings: Settings) -> None:
    st.warning(
        "Deleting your account removes your profile and **all** your data (transactions, imports, rules, "
        "budgets, goals) for good. Download your data first (tab **Your data**) if you want to keep it."
    )
    with st.form("profile_delete"):
        confirm_email = st.text_input("Type your email to confirm", key="pf_del_email")
        del_password = st.text_input("Your password", type="password", key="pf_del_password")
        if st.form_submit_button("Delete my account and all my data", type="primary"):
            run_action(
                lambda s: profile_service.delete_account(
                    s, user_id=principal.user_id, password=del_password, confirm_email=confirm_email,
                    settings=settings,
                ),
                then=lambda _result: state.sign_out(
                    None, goodbye="Your account and all its data have been deleted. Goodbye!"),
            )
