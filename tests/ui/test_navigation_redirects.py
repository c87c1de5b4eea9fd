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
