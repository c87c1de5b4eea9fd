""""Stay signed in": streamlit-authenticator's cookie transport with BudgetWise's own token.

streamlit-authenticator's ``CookieModel`` reads the cookie from the request
(``st.context.cookies``) and writes it with extra-streamlit-components'
``CookieManager``. We reuse that transport but replace its payload: the cookie
holds a BudgetWise "remember" JWT that is verified exactly like the session
token (HS256 pinned, expiry, same account, user active, token version current)
and names a server-side record (``remember_tokens``) that each use rotates and
that logout, a password change or turning 2FA on delete. The cookie is written
from JavaScript, so it cannot be HttpOnly: ``SameSite=Strict``, ``Secure`` over
https, a short idle lifetime and rotation limit what a stolen copy is worth
(docs/decisions.md, docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_authenticator.models.cookie_model import CookieModel


class SessionCookie(CookieModel):
    def __init__(self, cookie_name: str, ttl_days: int) -> None:
        # cookie_key is unused: the value is already a signed BudgetWise token.
        super().__init__(cookie_name=cookie_name, cookie_key=None, cookie_expiry_days=ttl_days)

    def write(self, token: str, *, secure: bool = False) -> None:
        if not self.cookie_expiry_days:
            return
        from budgetwise.ui import httponly

        if httponly.enabled():  # asgi_app.py: the server sets it, HttpOnly (budgetwise/ui/httponly.py)
            httponly.render_cookie_call(token, key="bw_cookie_set")
            return
        self.cookie_manager.set(
            self.cookie_name,
            token,
            key="bw_cookie_set",
            expires_at=_token_expiry(token) or dt.datetime.now() + dt.timedelta(days=self.cookie_expiry_days),
            same_site="strict",
            secure=True if secure else None,
        )

    def remove(self) -> None:
        from budgetwise.ui import httponly

        if httponly.enabled():
            httponly.render_cookie_call("", key="bw_cookie_delete")
            return
        try:
            self.cookie_manager.delete(self.cookie_name, key="bw_cookie_delete")
        except KeyError:
            pass  # no such cookie in the browser: nothing to remove


def _token_expiry(token: str) -> dt.datetime | None:
    """The browser keeps the cookie as long as the token inside it is valid (not longer)."""
    from budgetwise.security import unverified_expiry

    expiry = unverified_expiry(token)
    return None if expiry is None else expiry.astimezone().replace(tzinfo=None)  # local, as the component expects


def read_cookie(cookie_name: str) -> str | None:
    """The raw cookie value sent with this session's request (server side, no component)."""
    try:
        value = st.context.cookies.get(cookie_name)
    except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
        return None
    return value or None
