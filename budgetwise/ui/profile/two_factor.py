"""The Profile page's two-factor sign-in tab: set it up, show new recovery codes once, make new
ones, turn it off."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from budgetwise.config import Settings
from budgetwise.principal import Principal
from budgetwise.services import totp as totp_service
from budgetwise.ui import state
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import read_session
from budgetwise.ui.format import md

CODES_KEY = "pf_2fa_new_codes"  # recovery codes just issued: shown once, until dismissed


def _keep_codes(codes: Sequence[str]) -> None:
    st.session_state[CODES_KEY] = codes


def render(principal: Principal, settings: Settings) -> None:
    with read_session() as s:
        tf = totp_service.status(s, user_id=principal.user_id)
        setup = totp_service.pending_setup(s, user_id=principal.user_id) if tf.setup_pending else None
    new_codes = st.session_state.get(CODES_KEY)
    if new_codes:
        _new_codes(new_codes)
    elif tf.enabled:
        _enabled(principal, settings, tf)
    elif setup is not None:
        _setup(principal, setup, settings)
    else:
        st.markdown(
            "Two-factor sign-in is **off**. When it is on, signing in needs your password **and** a 6-digit code "
            "from an authenticator app on your phone, so a stolen password alone is not enough."
        )
        if st.button("Set up two-factor sign-in", key="pf_2fa_start", type="primary", icon=":material/phonelink_lock:"):
            run_action(lambda s: totp_service.begin_setup(s, user_id=principal.user_id))


def _new_codes(new_codes: Sequence[str]) -> None:
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


def _enabled(principal: Principal, settings: Settings, tf: totp_service.TotpStatus) -> None:
    st.success(f"Two-factor sign-in is on. {tf.recovery_codes_left} unused recovery codes left.")
    if tf.recovery_codes_left <= 3:
        st.warning("Few recovery codes are left: make new ones below.")
    left, right = st.columns(2)
    with left, st.form("pf_2fa_regenerate", clear_on_submit=True):
        st.markdown("**New recovery codes** (the old ones stop working)")
        regen_password = st.text_input("Your password", type="password", key="pf_2fa_regen_password")
        regen_code = st.text_input("Current code from the app", key="pf_2fa_regen_code", max_chars=20)
        if st.form_submit_button("Make new recovery codes"):
            run_action(
                lambda s: totp_service.regenerate_recovery_codes(
                    s, user_id=principal.user_id, password=regen_password, code=regen_code, settings=settings
                ),
                then=_keep_codes,
            )
    with right, st.form("pf_2fa_disable", clear_on_submit=True):
        st.markdown("**Turn off two-factor sign-in**")
        off_password = st.text_input("Your password", type="password", key="pf_2fa_off_password")
        off_code = st.text_input("Code from the app or a recovery code", key="pf_2fa_off_code", max_chars=20)
        if st.form_submit_button("Turn off"):
            run_action(
                lambda s: totp_service.disable(
                    s, user_id=principal.user_id, password=off_password, code=off_code, settings=settings
                ),
                toast="Two-factor sign-in is off", icon="✅",
            )


def _setup(principal: Principal, setup: totp_service.TotpSetup, settings: Settings) -> None:
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
        st.markdown("**2.** Enter the 6-digit code the app shows now, and your password.")
        first_code = st.text_input("Code", key="pf_2fa_confirm_code", max_chars=10, autocomplete="one-time-code")
        on_password = st.text_input("Your password", type="password", key="pf_2fa_confirm_password",
                                    autocomplete="current-password")
        if st.form_submit_button("Turn on two-factor sign-in", type="primary"):
            def _turned_on(codes: Sequence[str]) -> None:
                _keep_codes(codes)
                state.refresh_token(principal)  # every other session and cookie was signed out

            run_action(lambda s: totp_service.confirm_setup(s, user_id=principal.user_id, code=first_code,
                                                            password=on_password, settings=settings),
                       then=_turned_on)
    if st.button("Cancel the setup", key="pf_2fa_cancel", type="tertiary"):
        run_action(lambda s: totp_service.cancel_setup(s, user_id=principal.user_id))
