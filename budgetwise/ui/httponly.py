"""An HttpOnly "stay signed in" cookie, when the app runs under ``asgi_app.py`` (``st.App``).

Streamlit's script cannot answer an HTTP request, and a cookie written by JavaScript can be
read by JavaScript. ``st.App`` (Streamlit's ASGI entry point) accepts extra routes: this
module's :func:`routes` adds ``POST /bw/session-cookie``, which checks a "stay signed in"
token exactly as a sign-in from the cookie would (``auth.verify_token``) and answers with
``Set-Cookie: ...; HttpOnly; SameSite=Strict`` (plus ``Secure`` over https); an empty token
deletes the cookie. The page hands the token to that route once, from a zero-height
component, right after issuing it; from then on no script can read the cookie.

``asgi_app.py`` sets ``BUDGETWISE_HTTPONLY_COOKIE=1``; with ``streamlit run app.py`` (and in
AppTest) the JavaScript cookie of :mod:`budgetwise.ui.cookies` is used as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os

ROUTE = "/bw/session-cookie"
ENV_FLAG = "BUDGETWISE_HTTPONLY_COOKIE"
# A "stay signed in" token is under 1 KB. The body used to be read whole before any check (session 22): anyone
# who reaches the server can send an Origin equal to Host (only a browser cannot forge it), and 400 MB took the
# process from 73 to 880 MB. At most this much is read; a longer body (declared or streamed) gets 413.
MAX_BODY_BYTES = 16 * 1024


def enabled() -> bool:
    return os.environ.get(ENV_FLAG, "") == "1"


@functools.lru_cache(maxsize=1)
def _backend():
    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory

    settings = Settings.load()
    engine = make_engine(settings.database_url, lock_timeout_seconds=settings.lock_timeout_seconds)
    return settings, make_session_factory(engine, readonly=True)


def _same_origin(request) -> bool:
    origin = request.headers.get("origin", "")
    host = request.headers.get("host", "")
    return bool(origin) and bool(host) and origin.split("://", 1)[-1].rstrip("/") == host


async def _small_body(request) -> bytes | None:
    """The request's body, or None when it is (or says it is) longer than MAX_BODY_BYTES; never read further."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


def _https(request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


async def session_cookie(request):
    """POST {"token": "..."} sets the HttpOnly cookie; {"token": ""} deletes it."""
    from starlette.responses import JSONResponse

    from budgetwise import security
    from budgetwise.db import session_scope
    from budgetwise.errors import AuthenticationError
    from budgetwise.services import auth

    if not _same_origin(request):
        return JSONResponse({"ok": False, "error": "cross-origin request refused"}, status_code=403)
    raw = await _small_body(request)
    if raw is None:
        return JSONResponse({"ok": False, "error": "request body too large"}, status_code=413)
    try:
        body = json.loads(raw)
        token = str(body.get("token") or "") if isinstance(body, dict) else ""
    except (ValueError, UnicodeDecodeError, RecursionError):
        return JSONResponse({"ok": False, "error": "expected a JSON body"}, status_code=400)
    settings, factory = _backend()
    response = JSONResponse({"ok": True})
    if not token:
        response.delete_cookie(settings.cookie_name, path="/", httponly=True, samesite="strict",
                               secure=_https(request))
        return response
    try:
        with session_scope(factory) as session:
            auth.verify_token(session, token=token, settings=settings, token_type=security.TOKEN_REMEMBER)
    except AuthenticationError:
        return JSONResponse({"ok": False, "error": "not a valid 'stay signed in' token"}, status_code=400)
    expiry = security.unverified_expiry(token)
    max_age = max(0, int((expiry - dt.datetime.now(dt.UTC)).total_seconds())) if expiry else None
    response.set_cookie(settings.cookie_name, token, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=_https(request))
    return response


def routes() -> list:
    from starlette.routing import Route

    return [Route(ROUTE, session_cookie, methods=["POST"])]


def render_cookie_call(token: str, *, key: str) -> None:
    """Ask the browser to call the route (a zero-height component; same origin)."""
    import streamlit.components.v1 as components

    payload = json.dumps({"token": token})
    components.html(
        "<script>fetch(" + json.dumps(ROUTE) + ", {method: 'POST', credentials: 'same-origin', "
        "headers: {'Content-Type': 'application/json'}, body: " + json.dumps(payload) + "});</script>"
        f"<!-- {key} -->",
        height=0,
    )
