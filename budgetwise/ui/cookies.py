""""Stay signed in": streamlit-authenticator's cookie transport with BudgetWise's own token.

streamlit-authenticator's ``CookieModel`` reads the cookie from the request
(``st.context.cookies``) and writes it with extra-streamlit-components'
``CookieManager``. We reuse that transport but replace its payload: the cookie
holds a BudgetWise "remember" JWT that is verified exactly like the session
token (HS256 pinned, expiry, user active, token version current), so logout and
password change revoke it. See docs/decisions.md.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_authenticator.models.cookie_model import CookieModel


class SessionCookie(CookieModel):
    def __init__(self, cookie_name: str, ttl_days: int) -> None:
        # cookie_key is unused: the value is already a signed BudgetWise token.
        super().__init__(cookie_name=cookie_name, cookie_key=None, cookie_expiry_days=ttl_days)

    def write(self, token: str) -> None:
        if not self.cookie_expiry_days:
            return
        self.cookie_manager.set(
            self.cookie_name,
            token,
            key="bw_cookie_set",
            expires_at=dt.datetime.now() + dt.timedelta(days=self.cookie_expiry_days),
            same_site="strict",
        )

    def remove(self) -> None:
        try:
            self.cookie_manager.delete(self.cookie_name, key="bw_cookie_delete")
        except KeyError:
            pass  # no such cookie in the browser: nothing to remove


def read_cookie(cookie_name: str) -> str | None:
    """The raw cookie value sent with this session's request (server side, no component)."""
    try:
        value = st.context.cookies.get(cookie_name)
    except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
        return None
    return value or None
