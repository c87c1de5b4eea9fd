""""Stay signed in": the cookie that holds BudgetWise's "remember" token, written and removed by the browser.

The cookie holds a BudgetWise "remember" JWT that is verified exactly like the session token (HS256 pinned,
expiry, same account, user active, token version current) and names a server-side record
(``remember_tokens``) that each use rotates and that logout, a password change or turning 2FA on delete. It
is read from the request (``st.context.cookies``, :func:`read_cookie`) and written from JavaScript, so it
cannot be HttpOnly: ``SameSite=Strict``, ``Secure`` over https, a short idle lifetime and rotation limit what
a stolen copy is worth (docs/decisions.md, docs/reliability.md); ``asgi_app.py`` sets it HttpOnly from the
server instead (budgetwise/ui/httponly.py).

Session 15 (uiqa): it was written with extra-streamlit-components' ``CookieManager`` (streamlit-authenticator's
``CookieModel`` transport). That component reports back to the server when it mounts (twice: "getAll" and
"set"), and each report reran the page with the page the browser showed then; a menu click made just after
signing in, while those reruns were on their way, was replaced by them (the user stayed on the Dashboard).
The cookie is now set by a zero-height ``components.html`` script, as the HttpOnly route's call is, which
reports nothing back: no rerun.
"""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st


class SessionCookie:
    def __init__(self, cookie_name: str, ttl_days: int) -> None:
        self.cookie_name, self.cookie_expiry_days = cookie_name, ttl_days

    def write(self, token: str, *, secure: bool = False) -> None:
        if not self.cookie_expiry_days:
            return
        from budgetwise.ui import httponly

        if httponly.enabled():  # asgi_app.py: the server sets it, HttpOnly (budgetwise/ui/httponly.py)
            httponly.render_cookie_call(token, key="bw_cookie_set")
            return
        expires = _token_expiry(token) or dt.datetime.now(dt.UTC) + dt.timedelta(days=self.cookie_expiry_days)
        _render_cookie_script(self.cookie_name, token, expires, secure=secure, key="bw_cookie_set")

    def remove(self) -> None:
        from budgetwise.ui import httponly

        if httponly.enabled():
            httponly.render_cookie_call("", key="bw_cookie_delete")
            return
        _render_cookie_script(self.cookie_name, "", dt.datetime(1970, 1, 1, tzinfo=dt.UTC), secure=False,
                              key="bw_cookie_delete")


def cookie_script(name: str, value: str, expires: dt.datetime, *, secure: bool) -> str:
    """The script that sets (or, with an expiry in the past, removes) the cookie on the app's own origin: a
    ``components.html`` frame is same-origin (Streamlit's sandbox allows it), so its ``document.cookie`` is
    the app's. Path "/", SameSite=Strict, Secure when served over https."""
    attributes = f"; expires={expires.astimezone(dt.UTC):%a, %d %b %Y %H:%M:%S} GMT; path=/; SameSite=Strict"
    if secure:
        attributes += "; Secure"
    def js(text: str) -> str:  # a JavaScript string that cannot close the <script> element, whatever it holds
        return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")

    return f"<script>document.cookie = {js(name)} + '=' + encodeURIComponent({js(value)}) + {js(attributes)};</script>"


def write_plain_cookie(name: str, value: str, *, days: int, secure: bool, key: str) -> None:
    """Set cookie ``name`` for ``days`` from the browser (the device cookie: ui/state.py; it proves no identity,
    services/client_throttle.py, so a script-set cookie is enough)."""
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    _render_cookie_script(name, value, expires, secure=secure, key=key)


def _render_cookie_script(name: str, value: str, expires: dt.datetime, *, secure: bool, key: str) -> None:
    import streamlit.components.v1 as components

    components.html(cookie_script(name, value, expires, secure=secure) + f"<!-- {key} -->", height=0)


def _token_expiry(token: str) -> dt.datetime | None:
    """The browser keeps the cookie as long as the token inside it is valid (not longer)."""
    from budgetwise.security import unverified_expiry

    return unverified_expiry(token)


def read_cookie(cookie_name: str) -> str | None:
    """The raw cookie value sent with this session's request (server side, no component)."""
    try:
        value = st.context.cookies.get(cookie_name)
    except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
        return None
    return value or None
