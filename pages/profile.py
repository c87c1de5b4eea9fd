"""Profile: name, email, password, preferences, account deletion."""

import streamlit as st

from budgetwise.errors import BudgetwiseError, ValidationError
from budgetwise.money import current_currency_codes
from budgetwise.services import data_export
from budgetwise.services import profile as profile_service
from budgetwise.services import totp as totp_service
from budgetwise.ui import db_session, get_settings, read_session, require_user, state
from budgetwise.ui.currency import rates_tab
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

details, prefs, fx_rates, password, two_factor, your_data, danger = st.tabs(
    ["Details", "Preferences", "Exchange rates", "Password", "Two-factor sign-in", "Your data", "Delete account"]
)

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
    codes = current_currency_codes(include=me.currency)
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
    locales = list(profile_service.LOCALES) + ([me.locale] if me.locale not in profile_service.LOCALES else [])
    locale = st.selectbox(
        "Number format", locales, index=locales.index(me.locale), format_func=profile_service.locale_label,
        key="pf_locale", help="How amounts and numbers are written (decimal and grouping separators).",
    )
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

with fx_rates:
    rates_tab(principal)

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

CODES_KEY = "pf_2fa_new_codes"  # recovery codes just issued: shown once, until dismissed


with two_factor:
    with read_session() as s:
        tf = totp_service.status(s, user_id=principal.user_id)
        setup = totp_service.pending_setup(s, user_id=principal.user_id) if tf.setup_pending else None
    new_codes = st.session_state.get(CODES_KEY)
    if new_codes:
        st.success(
            "Two-factor sign-in is on. Save these recovery codes somewhere safe (not on the phone): each one "
            "signs you in once if you lose your authenticator app. They are shown only now."
        )
        st.code("\n".join(new_codes), language=None)
        st.download_button(
            "Download the recovery codes", data="\n".join(new_codes) + "\n", file_name="budgetwise-recovery-codes.txt",
            mime="text/plain", key="pf_2fa_codes_download", icon=":material/download:",
        )
        if st.button("I have saved them", key="pf_2fa_codes_done", type="primary"):
            st.session_state.pop(CODES_KEY, None)
            st.rerun()
    elif tf.enabled:
        st.success(f"Two-factor sign-in is on. {tf.recovery_codes_left} unused recovery codes left.")
        if tf.recovery_codes_left <= 3:
            st.warning("Few recovery codes are left: make new ones below.")
        left, right = st.columns(2)
        with left, st.form("pf_2fa_regenerate", clear_on_submit=True):
            st.markdown("**New recovery codes** (the old ones stop working)")
            regen_password = st.text_input("Your password", type="password", key="pf_2fa_regen_password")
            regen_code = st.text_input("Current code from the app", key="pf_2fa_regen_code", max_chars=20)
            if st.form_submit_button("Make new recovery codes"):
                try:
                    with db_session() as s:
                        codes = totp_service.regenerate_recovery_codes(
                            s, user_id=principal.user_id, password=regen_password, code=regen_code, settings=settings
                        )
                except BudgetwiseError as exc:
                    show_error(exc)
                else:
                    st.session_state[CODES_KEY] = codes
                    st.rerun()
        with right, st.form("pf_2fa_disable", clear_on_submit=True):
            st.markdown("**Turn off two-factor sign-in**")
            off_password = st.text_input("Your password", type="password", key="pf_2fa_off_password")
            off_code = st.text_input("Code from the app or a recovery code", key="pf_2fa_off_code", max_chars=20)
            if st.form_submit_button("Turn off"):
                try:
                    with db_session() as s:
                        totp_service.disable(
                            s, user_id=principal.user_id, password=off_password, code=off_code, settings=settings
                        )
                except BudgetwiseError as exc:
                    show_error(exc)
                else:
                    st.toast("Two-factor sign-in is off", icon="✅")
                    st.rerun()
    elif setup is not None:
        st.markdown(
            "**1.** Scan this QR code with an authenticator app (for example Aegis, Google Authenticator, "
            "Microsoft Authenticator or 1Password), or type the key by hand."
        )
        qr_col, key_col = st.columns([1, 2])
        png = totp_service.qr_png(setup.uri)
        if png:
            qr_col.image(png, width=200, caption="Scan with your authenticator app")
        key_col.markdown("Key (time-based, 6 digits, every 30 seconds):")
        key_col.code(setup.grouped_secret, language=None)
        key_col.caption(f"Account: {md(setup.account)} · issuer: {md(setup.issuer)}")
        with st.form("pf_2fa_confirm", clear_on_submit=True):
            st.markdown("**2.** Enter the 6-digit code the app shows now.")
            first_code = st.text_input("Code", key="pf_2fa_confirm_code", max_chars=10, autocomplete="one-time-code")
            if st.form_submit_button("Turn on two-factor sign-in", type="primary"):
                try:
                    with db_session() as s:
                        codes = totp_service.confirm_setup(s, user_id=principal.user_id, code=first_code)
                except BudgetwiseError as exc:
                    show_error(exc)
                else:
                    st.session_state[CODES_KEY] = codes
                    state.refresh_token(principal)  # every other session and cookie was signed out
                    st.rerun()
        if st.button("Cancel the setup", key="pf_2fa_cancel", type="tertiary"):
            with db_session() as s:
                totp_service.cancel_setup(s, user_id=principal.user_id)
            st.rerun()
    else:
        st.markdown(
            "Two-factor sign-in is **off**. When it is on, signing in needs your password **and** a 6-digit code "
            "from an authenticator app on your phone, so a stolen password alone is not enough."
        )
        if st.button("Set up two-factor sign-in", key="pf_2fa_start", type="primary", icon=":material/phonelink_lock:"):
            try:
                with db_session() as s:
                    totp_service.begin_setup(s, user_id=principal.user_id)
            except BudgetwiseError as exc:
                show_error(exc)
            else:
                st.rerun()


def _all_my_data() -> bytes:
    # runs when the button is clicked (Streamlit calls it on its own thread)
    with read_session() as s:
        return data_export.export_zip(s, user_id=principal.user_id)


with your_data:
    st.markdown(
        "Download everything BudgetWise holds about you: your profile, transactions, categories, rules, budgets, "
        "goals and contributions, import history, saved column mappings and sign-in history, as CSV files in one "
        "zip. Your password and two-factor secret are not included (only hashes of them are stored)."
    )
    st.download_button(
        "Download all my data", data=_all_my_data, file_name=data_export.export_filename(principal.user_id),
        mime="application/zip", key="pf_download_all", icon=":material/download:", type="primary",
    )

with danger:
    st.warning(
        "Deleting your account removes your profile and **all** your data (transactions, imports, rules, "
        "budgets, goals) for good. Download your data first (tab **Your data**) if you want to keep it."
    )
    with st.form("profile_delete"):
        confirm_email = st.text_input("Type your email to confirm", key="pf_del_email")
        del_password = st.text_input("Your password", type="password", key="pf_del_password")
        if st.form_submit_button("Delete my account and all my data", type="primary"):
            try:
                with db_session() as s:
                    profile_service.delete_account(
                        s, user_id=principal.user_id, password=del_password, confirm_email=confirm_email,
                        settings=settings,
                    )
            except BudgetwiseError as exc:
                show_error(exc)
            else:
                state.sign_out(None, goodbye="Your account and all its data have been deleted. Goodbye!")
                st.rerun()
