"""The "Forgot your password?" and "Have a reset code?" sections of the sign-in page (AppTest)."""

from __future__ import annotations

from sqlalchemy import func, select

from budgetwise.models import AuditLog, PasswordResetToken
from budgetwise.services import admin, auth, password_reset

PAGE = "pages/login.py"
NEW_PASSWORD = "copper-meadow-sailboat-77"


def _issue(app_env, admin_p, user_p) -> str:
    with app_env.scope() as s:
        return admin.issue_reset_code(s, principal=admin_p, user_id=user_p.user_id, settings=app_env.settings).code


def test_the_sections_stay_closed_until_asked_for(app_env):
    at = app_env.page(PAGE).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert at.button(key="login_forgot_open") and at.button(key="login_code_open")


def test_forgot_password_answers_the_same_for_any_address(app_env):
    admin_p = app_env.create_user("admin@example.com", "Admin")
    app_env.create_user("bob@example.com", "Bob")
    at = app_env.page(PAGE).run()
    at.button(key="login_forgot_open").click().run()
    answers = []
    for email in ("bob@example.com", "nobody@example.com"):
        at.text_input(key="forgot_email").input(email)
        at.button(key="FormSubmitter:forgot_form-Send me a reset code").click().run()
        assert not at.exception and not at.error
        answers.append([i.value for i in at.info])
    # QA: no e-mail is configured here, so nothing says a code "is on its way"
    assert answers[0] == answers[1] == [password_reset.NO_MAIL_MESSAGE]
    assert "cannot send e-mail" in answers[0][0] and "on its way" not in answers[0][0]
    assert any("cannot send e-mail" in str(m.value) for m in at.markdown)
    with app_env.scope() as s:  # SMTP is not configured: the request waits for an administrator
        assert [r.email for r in admin.pending_reset_requests(s, principal=admin_p)] == ["bob@example.com"]
    at.text_input(key="forgot_email").input("not an address")
    at.button(key="FormSubmitter:forgot_form-Send me a reset code").click().run()
    assert at.error and "not valid" in at.error[0].value


def test_a_reset_code_sets_a_new_password(app_env):
    admin_p = app_env.create_user("admin@example.com", "Admin")
    bob = app_env.create_user("bob@example.com", "Bob")
    code = _issue(app_env, admin_p, bob)
    at = app_env.page(PAGE).run()
    at.button(key="login_code_open").click().run()
    at.text_input(key="reset_code_input").input(code)
    at.text_input(key="reset_new_password").input(NEW_PASSWORD)
    at.text_input(key="reset_repeat_password").input(NEW_PASSWORD + "x")
    submit = "FormSubmitter:reset_form-Set my new password"
    at.button(key=submit).click().run()
    assert [e.value for e in at.error] == ["The two passwords do not match."]
    at.text_input(key="reset_code_input").input("wrong-code")
    at.text_input(key="reset_repeat_password").input(NEW_PASSWORD)
    at.button(key=submit).click().run()
    assert at.error and "not valid" in at.error[0].value
    at.text_input(key="reset_code_input").input(code)
    at.button(key=submit).click().run()
    assert not at.exception and not at.error
    assert any("password has been changed" in s.value for s in at.success)
    assert [t.label for t in at.text_input] == ["Email", "Password"]  # the reset form closed
    with app_env.scope() as s:
        assert auth.authenticate(s, email="bob@example.com", password=NEW_PASSWORD, settings=app_env.settings)
        assert s.scalar(select(PasswordResetToken.used_at)) is not None


def test_an_emailed_link_opens_the_form_with_the_code(app_env):
    admin_p = app_env.create_user("admin@example.com", "Admin")
    code = _issue(app_env, admin_p, admin_p)
    at = app_env.page(PAGE)
    at.query_params[password_reset.QUERY_PARAM] = code
    at.run()
    assert at.text_input(key="reset_code_input").value == code
    at.text_input(key="reset_new_password").input(NEW_PASSWORD)
    at.text_input(key="reset_repeat_password").input(NEW_PASSWORD)
    at.button(key="FormSubmitter:reset_form-Set my new password").click().run()
    assert not at.error and any("password has been changed" in s.value for s in at.success)
    assert password_reset.QUERY_PARAM not in at.query_params


def _sign_in(at, email: str, password: str):
    at.text_input(key="login_email").input(email)
    at.text_input(key="login_password").input(password)
    at.button(key="FormSubmitter:login_form-Sign in").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _warnings(at) -> list[str]:
    return [w.value.replace("\u2011", "-").replace("\u00a0", " ") for w in at.warning]


def test_the_member_is_told_at_each_sign_in_until_they_acknowledge_that_an_admins_code_reset_the_password(app_env):
    """Session 19 (trial): an admin could reset a member's password with a code and sign in as them, and the
    member was never told. The sign-in says when and who issued the code. Session 20: shown at every sign-in
    until "I have read this" (an admin who signed in as the member first used it up: docs/admin.md)."""
    admin_p = app_env.create_user("admin@example.com", "Alex")
    bob = app_env.create_user("bob@example.com", "Bob")
    code = _issue(app_env, admin_p, bob)
    with app_env.scope() as s:
        password_reset.reset_password(s, token=code, new_password=NEW_PASSWORD, settings=app_env.settings)

    def notices(at) -> list[str]:
        return [w.replace("\\", "") for w in _warnings(at) if w.startswith("Your password was reset on ")]  # md()

    def acknowledged() -> int:
        with app_env.scope() as s:
            return s.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "password.reset_notice"))

    first = _sign_in(app_env.app().run(), "bob@example.com", NEW_PASSWORD)  # the admin, say, signed in as Bob
    [told] = notices(first)
    assert "using a code issued by the administrator Alex (admin@example.com)" in told
    assert "If this wasn't you" in told
    assert len(notices(first.run())) == 1  # on every page of that session, not once
    assert acknowledged() == 0
    later = _sign_in(app_env.app().run(), "bob@example.com", NEW_PASSWORD)  # Bob's own sign-in: still told
    assert len(notices(later)) == 1
    later.button(key="bw_reset_notice_ack").click().run()
    assert not later.exception and not notices(later)
    assert acknowledged() == 1
    again = _sign_in(app_env.app().run(), "bob@example.com", NEW_PASSWORD).run()  # and then no more
    assert not notices(again) and not [b for b in again.button if b.key == "bw_reset_notice_ack"]


def test_the_admins_own_sign_in_after_their_own_reset_says_nothing(app_env):
    admin_p = app_env.create_user("admin@example.com", "Alex")
    code = _issue(app_env, admin_p, admin_p)
    with app_env.scope() as s:
        password_reset.reset_password(s, token=code, new_password=NEW_PASSWORD, settings=app_env.settings)
    at = _sign_in(app_env.app().run(), "admin@example.com", NEW_PASSWORD).run()
    assert not [w for w in _warnings(at) if "password was reset" in w]
