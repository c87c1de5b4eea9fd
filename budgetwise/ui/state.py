"""Session state accessors. Only ids, tokens and frozen dataclasses live in st.session_state."""

from __future__ import annotations

import streamlit as st

from budgetwise.errors import AuthenticationError
from budgetwise.principal import Principal
from budgetwise.services import auth, reset_notice
from budgetwise.ui.context import db_session, get_settings, read_session
from budgetwise.ui.cookies import SessionCookie, read_cookie
from budgetwise.ui.format import day_time, md, unbroken_dates

TOKEN_KEY = "bw_access_token"
FLASH_KEY = "bw_flash"
COOKIE_SET_KEY = "bw_cookie_pending_set"
COOKIE_DELETE_KEY = "bw_cookie_pending_delete"
# this browser holds a "stay signed in" cookie written by this session: the request that opened the session predates
# it, so read_cookie() does not see it (session 22: a password change then issued no new one and a reload signed out)
REMEMBERED_KEY = "bw_cookie_written"
LOGGED_OUT_KEY = "bw_logged_out"
GOODBYE_KEY = "bw_goodbye"
SEEN_KEY = "bw_demo_seen"  # when this session last recorded a demo visitor's activity (time.monotonic())
DEMO_EXPIRES_KEY = "bw_demo_expires"  # (user id, when the demo-mode visitor's own account is deleted)
SECOND_FACTOR_KEY = "bw_2fa_pending"  # (pending token, stay signed in) between the two sign-in steps
RESET_NOTICES_KEY = "bw_reset_notices"  # (user id, notices): shown on every page until "I have read this"
# the device cookie (services/client_throttle.py): this browser signed in to these accounts before, so one stranger's
# failures at a shared address do not keep them out. Its value is also kept here, through sign-outs (the request that
# opened this session predates the cookie, so read_cookie() does not see one written since)
DEVICE_COOKIE = "budgetwise_device"
DEVICE_KEY = "bw_device"
DEVICE_SET_KEY = "bw_device_pending_set"  # (value, runs left): written by the next few runs


def flash(message: str, kind: str = "info") -> None:
    """Queue a message for the next rendered page (survives st.rerun / switch_page)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flash() -> None:
    """Show the queued messages once. (Until session 15 app.py kept them for the next runs while the cookie
    component reran the page, which wiped "Welcome... you are the administrator" after registering: QA
    2026-12-04; the cookie script reruns nothing now, ui/cookies.py.)"""
    messages = st.session_state.pop(FLASH_KEY, [])
    for kind, message in messages:
        {"success": st.success, "warning": st.warning, "error": st.error}.get(kind, st.info)(unbroken_dates(message))


def current_principal() -> Principal | None:
    """Verify the session token on every rerun; restore from the cookie after a refresh."""
    settings = get_settings()
    token = st.session_state.get(TOKEN_KEY)
    if token:
        try:
            with read_session() as session:
                principal = auth.verify_token(session, token=token, settings=settings)
            _mark_visit(principal)
            return principal
        except AuthenticationError as exc:
            # Session 20 audit: only the token was dropped, and the next person to sign in in this tab found the
            # page state of the last one (their new recovery codes on the Profile page, among the rest).
            _forget_page_state()
            st.session_state[COOKIE_DELETE_KEY] = True
            # kept until the next sign-in: the cookie removal reruns the script, which would
            # swallow a one-shot message
            st.session_state[GOODBYE_KEY] = ("warning", str(exc))
            return None
    if st.session_state.get(LOGGED_OUT_KEY):
        return None
    cookie = read_cookie(settings.cookie_name)
    if not cookie:
        return None
    try:
        # Each use rotates the cookie (the one just presented stops working): see
        # auth.redeem_remember_token and docs/reliability.md.
        with db_session() as session:
            principal, fresh = auth.redeem_remember_token(session, token=cookie, settings=settings)
            st.session_state[TOKEN_KEY] = auth.issue_access_token(session, principal.user_id, settings)
        st.session_state[COOKIE_SET_KEY] = fresh
        return principal
    except AuthenticationError:
        st.session_state[COOKIE_DELETE_KEY] = True
        return None


def _mark_visit(principal: Principal) -> None:
    """A demo visitor's rerun: their account is in use, so no new visitor's click deletes it (demo.mark_active; a
    write at most once a minute per browser session)."""
    import time

    if not auth.is_visitor_email(principal.email):
        return
    from budgetwise.services import demo

    if time.monotonic() - st.session_state.get(SEEN_KEY, -1e9) < demo.ACTIVITY_STEP.total_seconds():
        return
    with db_session() as session:
        demo.mark_active(session, principal=principal)
    st.session_state[SEEN_KEY] = time.monotonic()


def sign_in(email: str, password: str, *, remember: bool) -> Principal | None:
    """Check credentials, keep the token in session state, queue the cookie. Raises on failure.

    Returns None when the account uses two-factor sign-in: the password was right and
    :func:`sign_in_second_factor` with a code from the authenticator app finishes it.
    """
    settings = get_settings()
    with read_session() as session:  # bcrypt outside the write transaction (see auth.check_password)
        checked = auth.check_password(session, email=email, password=password, settings=settings)
    with db_session() as session:
        result = auth.login(
            session, email=email, password=password, settings=settings, checked=checked,
            client=client_address(settings), device=device_cookie(),
        )
        if result.needs_second_factor:
            st.session_state[SECOND_FACTOR_KEY] = (result.second_factor_token, bool(remember))
            return None
        _remember_device(session, result.principal.user_id)
        remember_token = auth.issue_remember_token(session, result.principal.user_id, settings) if remember else None
        told = reset_notice.pending_reset_notices(session, principal=result.principal)
    _signed_in(result.access_token, remember_token, (result.principal.user_id, told))
    return result.principal


def device_cookie() -> str | None:
    """This browser's device cookie (services/client_throttle.py): what this session wrote since, then what the request
    that opened it carried (another tab may have signed in to another account meanwhile)."""
    held = [t for v in (st.session_state.get(DEVICE_KEY), read_cookie(DEVICE_COOKIE)) for t in str(v or "").split(",")]
    return ",".join(dict.fromkeys(t for t in held if t)) or None


def _remember_device(session, user_id: int) -> None:
    """A complete sign-in: this browser's device cookie now names this account (:func:`auth.remember_device`)."""
    value = auth.remember_device(session, user_id, get_settings(), held=device_cookie())
    st.session_state[DEVICE_KEY] = value
    st.session_state[DEVICE_SET_KEY] = (value, 3)


def _signed_in(access_token: str, remember_token: str | None,
               told: tuple[int, tuple[reset_notice.ResetNotice, ...]] | None = None) -> None:
    """Keep the session, and the notices of password resets by someone else's code (:func:`show_reset_notices`)."""
    if told and told[1]:
        st.session_state[RESET_NOTICES_KEY] = told
    else:
        st.session_state.pop(RESET_NOTICES_KEY, None)
    st.session_state[TOKEN_KEY] = access_token
    st.session_state.pop(SECOND_FACTOR_KEY, None)
    st.session_state.pop(LOGGED_OUT_KEY, None)
    st.session_state.pop(GOODBYE_KEY, None)
    if remember_token:
        st.session_state[COOKIE_SET_KEY] = remember_token


def second_factor_pending() -> bool:
    return bool(st.session_state.get(SECOND_FACTOR_KEY))


def sign_in_second_factor(code: str) -> Principal:
    """Second step of a two-factor sign-in. Raises on a wrong code (counted towards lockout)."""
    settings = get_settings()
    pending = st.session_state.get(SECOND_FACTOR_KEY)
    if not pending:
        raise AuthenticationError("Enter your email and password first.")
    pending_token, remember = pending
    try:
        with db_session() as session:
            result = auth.complete_second_factor(
                session, pending_token=pending_token, code=code, settings=settings, client=client_address(settings),
                device=device_cookie(),
            )
            _remember_device(session, result.principal.user_id)
            remember_token = auth.issue_remember_token(session, result.principal.user_id, settings) if remember else None
            told = reset_notice.pending_reset_notices(session, principal=result.principal)
    except auth.SecondFactorExpired:
        st.session_state.pop(SECOND_FACTOR_KEY, None)
        raise
    _signed_in(result.access_token, remember_token, (result.principal.user_id, told))
    return result.principal


def cancel_second_factor() -> None:
    st.session_state.pop(SECOND_FACTOR_KEY, None)


def sign_out(principal: Principal | None, *, goodbye: str = "") -> None:
    """Revoke every token and cookie of this user, then forget the session.

    ``goodbye`` is shown on the sign-in page until the next sign-in (it survives the
    reruns that the cookie component triggers, unlike a one-shot flash).
    """
    if principal is not None:
        from budgetwise.services import demo  # only here: the generator's imports are not every page's

        with db_session() as session:
            if demo.end_visit(session, principal=principal):  # a demo visitor's account goes with them
                goodbye = goodbye and "You have been signed out, and your demo account and everything in it were deleted."
            else:
                auth.logout(session, user_id=principal.user_id)
    _forget_page_state()
    st.session_state[TOKEN_KEY] = None
    st.session_state[LOGGED_OUT_KEY] = True
    st.session_state[COOKIE_DELETE_KEY] = True
    if goodbye:
        st.session_state[GOODBYE_KEY] = ("success", goodbye)


def _forget_page_state() -> None:
    """Everything this browser tab kept for the signed-in user (token, page state, widget values), except the
    queued flash messages: on signing out, and when the session ended without it."""
    for key in list(st.session_state.keys()):
        if key not in (FLASH_KEY, DEVICE_KEY, DEVICE_SET_KEY):  # the device cookie outlives a sign-out
            del st.session_state[key]


def show_goodbye():
    """On the sign-in page: why the user was signed out (logout, expiry, revocation, disabled). Returns its place,
    for :func:`forget_goodbye` to empty when a sign-in is tried."""
    place = st.empty()
    kind, message = st.session_state.get(GOODBYE_KEY) or ("", "")
    if message:
        (place.success if kind == "success" else place.warning)(message)
    return place


def forget_goodbye(place=None) -> None:
    """A sign-in was tried: the notice of the last sign-out is stale (session 18: after a failed attempt "You have
    been signed out" stood above "Invalid email or password"). Forgets it, and empties ``place`` if given."""
    st.session_state.pop(GOODBYE_KEY, None)
    if place is not None:
        place.empty()


def refresh_token(principal: Principal) -> None:
    """Issue a fresh token after a change that revoked the old ones (a new password, turning
    two-step sign-in on). This browser's "stay signed in" cookie, if it had one, is replaced
    too, written by this run (session 22: queued for app.py's next run, it was lost to a reload right after the
    password change, whose old cookie no longer signs in); every other session and cookie stays revoked."""
    settings = get_settings()
    had_cookie = (bool(read_cookie(settings.cookie_name)) or bool(st.session_state.get(COOKIE_SET_KEY))
                  or bool(st.session_state.get(REMEMBERED_KEY)))
    with db_session() as session:
        st.session_state[TOKEN_KEY] = auth.issue_access_token(session, principal.user_id, settings)
        if had_cookie and settings.cookie_ttl_days:
            st.session_state[COOKIE_SET_KEY] = auth.issue_remember_token(session, principal.user_id, settings)
    if had_cookie and settings.cookie_ttl_days:
        apply_cookie_operations()


def apply_cookie_operations() -> None:
    """Write or delete the "stay signed in" cookie queued by sign-in / sign-out.

    The cookie script acts in the browser only once it is mounted; a rerun that starts
    before then (a quick click) would drop it, so a queued write is rendered on the next
    few runs (setting the same cookie again is harmless). The script reports nothing back, so it reruns nothing (session 15: the component it
    replaced reran the page and swallowed the first menu click after signing in).
    """
    settings = get_settings()
    _write_device_cookie(settings)
    pending_set = st.session_state.get(COOKIE_SET_KEY)
    pending_delete = st.session_state.pop(COOKIE_DELETE_KEY, None)
    if pending_delete:
        st.session_state.pop(COOKIE_SET_KEY, None)
        st.session_state.pop(REMEMBERED_KEY, None)
        # also when the request carried no cookie: it may have been set after the page loaded
        SessionCookie(settings.cookie_name, settings.cookie_ttl_days).remove()
        return
    if not pending_set:
        return
    token, runs_left = pending_set if isinstance(pending_set, tuple) else (pending_set, 3)
    SessionCookie(settings.cookie_name, settings.cookie_ttl_days).write(token, secure=_served_over_https(settings))
    st.session_state[REMEMBERED_KEY] = True
    if runs_left <= 1 or not settings.cookie_ttl_days:
        st.session_state.pop(COOKIE_SET_KEY, None)
        return
    st.session_state[COOKIE_SET_KEY] = (token, runs_left - 1)


def client_address(settings) -> str | None:
    """The address the request came from, for the per-client sign-in throttle.

    ``st.context.ip_address`` is the peer of Streamlit's server (a reverse proxy's address
    when there is one). Behind a proxy you trust, set BUDGETWISE_TRUST_FORWARDED_FOR=true to
    use the last address it appended to ``X-Forwarded-For`` instead (never trusted otherwise:
    a client can send any X-Forwarded-For it likes).
    """
    try:
        address = st.context.ip_address
        forwarded = str(st.context.headers.get("X-Forwarded-For", "") or "")
    except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
        return None
    address = address if isinstance(address, str) and address else None
    if settings.trust_forwarded_for and forwarded.strip():
        return forwarded.split(",")[-1].strip() or address
    return address


def _write_device_cookie(settings) -> None:
    """The device cookie queued by a sign-in, rendered on the next few runs (as the "stay signed in" one is)."""
    pending = st.session_state.get(DEVICE_SET_KEY)
    if not pending:
        return
    value, runs_left = pending
    from budgetwise.services.client_throttle import KNOWN_CLIENT_DAYS
    from budgetwise.ui.cookies import write_plain_cookie

    write_plain_cookie(DEVICE_COOKIE, value, days=KNOWN_CLIENT_DAYS, secure=_served_over_https(settings),
                       key="bw_device_set")
    if runs_left <= 1:
        st.session_state.pop(DEVICE_SET_KEY, None)
    else:
        st.session_state[DEVICE_SET_KEY] = (value, runs_left - 1)


def _served_over_https(settings) -> bool:
    """Whether the browser reached the app over https (directly or through a proxy)."""
    try:
        url = str(st.context.url or "")
        forwarded = str(st.context.headers.get("X-Forwarded-Proto", "") or "")
    except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
        url, forwarded = "", ""
    return (
        url.lower().startswith("https://")
        or forwarded.split(",")[0].strip().lower() == "https"
        or settings.public_url.lower().startswith("https://")
    )


def sign_in_demo() -> Principal:
    """Demo mode only: sign in to a new, private, temporary demo account of this visitor's own (no cookie)."""
    from budgetwise.services import demo

    settings = get_settings()
    with db_session() as session:
        principal = demo.demo_principal(session, settings=settings, client=client_address(settings))
        st.session_state[TOKEN_KEY] = auth.issue_access_token(session, principal.user_id, settings)
    st.session_state.pop(LOGGED_OUT_KEY, None)
    st.session_state.pop(DEMO_EXPIRES_KEY, None)
    return principal


def show_reset_notices(principal: Principal | None) -> None:
    """The notices of password resets by someone else's code, above every page from the sign-in on, until "I have
    read this" records them (services/reset_notice.py); a later sign-in shows them again until then."""
    held = st.session_state.get(RESET_NOTICES_KEY)
    if principal is None or not held or held[0] != principal.user_id:
        return
    for notice in held[1]:
        st.warning(unbroken_dates(md(reset_notice.notice_text(notice))), icon=":material/lock_reset:")
    if st.button("I have read this", key="bw_reset_notice_ack"):
        with db_session() as session:
            reset_notice.acknowledge_reset_notices(session, principal=principal)
        st.session_state.pop(RESET_NOTICES_KEY, None)
        st.rerun()


def show_demo_banner(principal: Principal | None) -> None:
    """The "temporary demo account" notice on every page of a demo-mode visitor's account."""
    if principal is None or not auth.is_visitor_email(principal.email):
        return
    from budgetwise.services import demo

    settings = get_settings()
    cached = st.session_state.get(DEMO_EXPIRES_KEY)
    if cached is None or cached[0] != principal.user_id:
        with read_session() as session:
            cached = (principal.user_id, demo.demo_expires_at(session, principal=principal, settings=settings))
        st.session_state[DEMO_EXPIRES_KEY] = cached
    when = f" (at {day_time(principal, cached[1])})" if cached[1] is not None else ""
    st.warning(
        f"**Temporary demo account.** This demo account and everything in it is deleted after "
        f"{settings.demo_hours} hours{when}. Only you can see it. Create your own account to keep your data.",
        icon=":material/timer:",
    )
