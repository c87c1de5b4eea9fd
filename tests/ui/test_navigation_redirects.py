"""The default page answers only at "/" in Streamlit, so it is a hidden page switching to the first real
page, and addresses the visitor has not got lead there too (QA 2026-12-04: /login, /dashboard showed
"Page not found")."""

from budgetwise.ui import navigation


def test_signed_out_redirects_home_and_every_signed_in_page():
    specs = navigation.pages_for(signed_in=False, is_admin=False)
    paths = navigation.redirect_paths(specs)
    assert paths[0] == navigation.HOME
    assert {"dashboard", "goals", "admin"} <= set(paths)
    assert not {"login", "register"} & set(paths)


def test_signed_in_redirects_login_register_and_admin_for_a_non_admin_only():
    user = navigation.redirect_paths(navigation.pages_for(signed_in=True, is_admin=False))
    admin = navigation.redirect_paths(navigation.pages_for(signed_in=True, is_admin=True))
    assert {"home", "login", "register", "admin"} <= set(user)
    assert "admin" not in admin and "dashboard" not in admin
    assert len(user) == len(set(user))  # st.navigation rejects two pages with one url_path


def test_logout_is_a_page_file_signed_in_and_leads_to_sign_in_signed_out():
    """/logout is a known address (a file in pages/) for a fresh server's first request, too."""
    signed_in = navigation.pages_for(signed_in=True, is_admin=False)
    assert [s.url_path for s in signed_in][-1] == "logout" and (navigation.PAGES_DIR / "logout.py").exists()
    assert "logout" in navigation.redirect_paths(navigation.pages_for(signed_in=False, is_admin=False))
    assert "logout" not in navigation.redirect_paths(signed_in)


def test_a_page_asked_for_signed_out_opens_once_after_sign_in():
    """Session 21 (newuser21): /forecast opened signed out showed the sign-in page, and signing in led to the
    Dashboard, not to the page asked for (checked in Chromium: it now opens /forecast)."""
    state: dict = {}
    public = navigation.pages_for(signed_in=False, is_admin=False)
    member = navigation.pages_for(signed_in=True, is_admin=False)
    assert navigation.redirect_destination("forecast", public, signed_in=False, state=state) is None  # sign-in page
    assert navigation.redirect_destination("login", member, signed_in=True, state=state) == "forecast"
    assert navigation.redirect_destination("login", member, signed_in=True, state=state) is None  # once


def test_no_page_kept_for_home_logout_or_a_page_the_user_has_not_got():
    public = navigation.pages_for(signed_in=False, is_admin=False)
    member = navigation.pages_for(signed_in=True, is_admin=False)
    for asked in ("", navigation.HOME, "logout", "no-such-page"):
        state: dict = {}
        navigation.redirect_destination(asked, public, signed_in=False, state=state)
        assert navigation.NEXT_PAGE not in state, asked
    state = {}
    navigation.redirect_destination("admin", public, signed_in=False, state=state)
    assert navigation.redirect_destination("login", member, signed_in=True, state=state) is None  # a member: Dashboard
    admin = navigation.pages_for(signed_in=True, is_admin=True)
    navigation.redirect_destination("admin", public, signed_in=False, state=state)
    assert navigation.redirect_destination("login", admin, signed_in=True, state=state) == "admin"
