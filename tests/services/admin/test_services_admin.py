"""Admin services: authorization, users, last-admin protection, reset codes, oversight,
global categories and rules, system health, audit and login logs (all three backends)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from budgetwise import __version__, security
from budgetwise.errors import AuthenticationError, ConflictError, NotFoundError, PermissionDenied, ValidationError
from budgetwise.models import (
    AuditLog,
    Budget,
    Category,
    LoginAttempt,
    PasswordResetToken,
    Rule,
    Transaction,
    User,
    utcnow,
)
from budgetwise.principal import Principal
from budgetwise.services import admin, auth, password_reset, transactions
from tests.conftest import STRONG_PASSWORD, create_user

NEW_PASSWORD = "copper-meadow-sailboat-77"


def _category_id(session, name: str) -> int:
    return session.scalar(select(Category.id).where(Category.user_id.is_(None), Category.name == name))


def _add(session, user_id, amount="10.00", *, day="2025-03-01", kind="expense", desc="Coffee", category=None, currency=None):
    return transactions.add_transaction(
        session, user_id=user_id, date=day, amount=amount, kind=kind, description=desc,
        category_id=category, currency=currency, auto_categorize=False,
    )


def _audit_rows(session, action: str | None = None) -> list[AuditLog]:
    stmt = select(AuditLog).order_by(AuditLog.id)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    return list(session.scalars(stmt))


@pytest.fixture
def carol(db, session, bob) -> Principal:
    return create_user(session, db.settings, "carol@example.com", "Carol")


# --------------------------------------------------------------------------- authorization
def _calls(db):
    s = db.settings
    flt = admin.OversightFilter()
    return {
        "list_users": lambda session, p: admin.list_users(session, principal=p),
        "visitor_count": lambda session, p: admin.visitor_count(session, principal=p),
        "get_user": lambda session, p: admin.get_user(session, principal=p, user_id=1),
        "find_user": lambda session, p: admin.find_user(session, principal=p, email="alice@example.com"),
        "create_user": lambda session, p: admin.create_user(session, principal=p, email="x@example.com", name="X", settings=s),
        "disable_user": lambda session, p: admin.disable_user(session, principal=p, user_id=1),
        "enable_user": lambda session, p: admin.enable_user(session, principal=p, user_id=1),
        "promote_user": lambda session, p: admin.promote_user(session, principal=p, user_id=1),
        "demote_user": lambda session, p: admin.demote_user(session, principal=p, user_id=1),
        "unlock_user": lambda session, p: admin.unlock_user(session, principal=p, user_id=1),
        "reset_two_factor": lambda session, p: admin.reset_two_factor(session, principal=p, user_id=1),
        "deletion_preview": lambda session, p: admin.deletion_preview(session, principal=p, user_id=1),
        "delete_user": lambda session, p: admin.delete_user(session, principal=p, user_id=1, confirm_email="alice@example.com"),
        "issue_reset_code": lambda session, p: admin.issue_reset_code(session, principal=p, user_id=1, settings=s),
        "pending_reset_requests": lambda session, p: admin.pending_reset_requests(session, principal=p),
        "list_all_transactions": lambda session, p: admin.list_all_transactions(session, principal=p, filters=flt),
        "export_all_transactions_csv": lambda session, p: admin.export_all_transactions_csv(session, principal=p),
        "record_oversight_view": lambda session, p: admin.record_oversight_view(session, principal=p, filters=flt),
        "list_global_categories": lambda session, p: admin.list_global_categories(session, principal=p),
        "create_global_category": lambda session, p: admin.create_global_category(session, principal=p, name="Pets", kind="expense"),
        "rename_global_category": lambda session, p: admin.rename_global_category(session, principal=p, category_id=1, name="Z"),
        "set_global_category_color": lambda session, p: admin.set_global_category_color(session, principal=p, category_id=1, color="#000000"),
        "archive_global_category": lambda session, p: admin.archive_global_category(session, principal=p, category_id=1),
        "merge_global_categories": lambda session, p: admin.merge_global_categories(session, principal=p, source_id=1, target_id=2),
        "list_global_rules": lambda session, p: admin.list_global_rules(session, principal=p),
        "create_global_rule": lambda session, p: admin.create_global_rule(session, principal=p, category_id=1, pattern="x"),
        "update_global_rule": lambda session, p: admin.update_global_rule(session, principal=p, rule_id=1, priority=5),
        "delete_global_rule": lambda session, p: admin.delete_global_rule(session, principal=p, rule_id=1),
        "system_totals": lambda session, p: admin.system_totals(session, principal=p),
        "system_health": lambda session, p: admin.system_health(session, principal=p),
        "logins_per_day": lambda session, p: admin.logins_per_day(session, principal=p),
        "database_info": lambda session, p: admin.database_info(session, principal=p),
        "recent_failed_logins": lambda session, p: admin.recent_failed_logins(session, principal=p),
        "locked_accounts": lambda session, p: admin.locked_accounts(session, principal=p),
        "audit_actions": lambda session, p: admin.audit_actions(session, principal=p),
        "list_audit_log": lambda session, p: admin.list_audit_log(session, principal=p),
        "list_login_log": lambda session, p: admin.list_login_log(session, principal=p),
        "user_choices": lambda session, p: admin.user_choices(session, principal=p),
        "category_choices": lambda session, p: admin.category_choices(session, principal=p),
    }


def test_every_public_admin_function_is_covered_by_the_authorization_test(db):
    public = {
        name for name, obj in vars(admin).items()
        if callable(obj) and not name.startswith("_") and getattr(obj, "__module__", "") == admin.__name__
        and not isinstance(obj, type)
    }
    assert public - {"cli_principal"} == set(_calls(db))


def test_every_admin_service_refuses_a_regular_user_and_nobody(db, session, alice, bob):
    before = session.scalar(select(func.count(AuditLog.id)))
    for name, call in _calls(db).items():
        for who in (bob, None):
            with pytest.raises(PermissionDenied):
                call(session, who)
    # Nothing was changed or recorded on the way.
    assert session.scalar(select(func.count(AuditLog.id))) == before
    assert session.get(User, alice.user_id).is_active
    assert session.scalar(select(User.email).where(User.email == "x@example.com")) is None


def test_no_function_edits_or_deletes_the_audit_log():
    names = [n for n in dir(admin) if "audit" in n.lower()]
    assert not [n for n in names if any(w in n for w in ("delete", "update", "edit", "clear", "purge"))]


# --------------------------------------------------------------------------- users
def test_user_choices_leave_demo_visitors_out_unless_asked(db, session, alice, bob, carol):
    """The Transactions tab's User picker hides demo visitors' temporary accounts as list_users does
    (the one check: auth.visitor_email_clause); include_visitors lists them too."""
    session.get(User, bob.user_id).email = f"visitor-0a1b2c@{auth.DEMO_DOMAIN}"
    session.flush()
    assert [e for _, e in admin.user_choices(session, principal=alice)] == ["alice@example.com", "carol@example.com"]
    everyone = [e for _, e in admin.user_choices(session, principal=alice, include_visitors=True)]
    assert everyone == ["alice@example.com", "carol@example.com", f"visitor-0a1b2c@{auth.DEMO_DOMAIN}"]
    listed = [r.email for r in admin.list_users(session, principal=alice).rows]
    assert [e for _, e in admin.user_choices(session, principal=alice)] == listed  # the same people either way


def test_list_users_search_paging_and_counts_in_two_queries(db, session, alice, bob, carol):
    for _ in range(3):
        _add(session, bob.user_id)
    _add(session, carol.user_id)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = admin.list_users(session, principal=alice, page_size=2)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert [r.email for r in page.rows] == ["alice@example.com", "bob@example.com"]
    assert (page.total, page.pages, page.page) == (3, 2, 1)
    assert [r.transaction_count for r in page.rows] == [0, 3]
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # the caller's role re-read from the database (issue 13), then count, page, GROUP BY
    assert len(selects) == 4 and "FROM users" in selects[0] and "WHERE users.id = " in selects[0]

    page2 = admin.list_users(session, principal=alice, page=2, page_size=2)
    assert [(r.email, r.transaction_count) for r in page2.rows] == [("carol@example.com", 1)]
    assert admin.list_users(session, principal=alice, page=99, page_size=2).page == 2  # clamped

    found = admin.list_users(session, principal=alice, search="CAR")
    assert [r.name for r in found.rows] == ["Carol"]
    assert admin.list_users(session, principal=alice, search="%").total == 0  # wildcards are literal
    assert [r.email for r in admin.list_users(session, principal=alice, role="admin").rows] == ["alice@example.com"]
    row = found.rows[0]
    assert row.role == "user" and row.is_active and row.created_at.tzinfo is not None and row.last_login_at is None


def test_create_user_never_sets_a_password_the_admin_knows(db, session, alice):
    row, code = admin.create_user(session, principal=alice, email=" New@Example.com ", name="Newbie", settings=db.settings)
    assert row.email == "new@example.com" and row.role == "user"
    assert code is not None and code.email == "new@example.com"
    stored = session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == row.id))
    assert stored.token_hash == security.hash_one_time_token(code.code) and code.code not in stored.token_hash
    assert stored.created_by_id == alice.user_id
    # The new user chooses their own password with the code, then signs in.
    password_reset.reset_password(session, token=code.code, new_password=NEW_PASSWORD, settings=db.settings)
    assert auth.authenticate(session, email="new@example.com", password=NEW_PASSWORD, settings=db.settings).user_id == row.id
    entry = _audit_rows(session, "user.create")[-1]
    assert (entry.actor_id, entry.actor_email, entry.target_user_id, entry.target) == (
        alice.user_id, "alice@example.com", row.id, "new@example.com"
    )


def test_create_user_validates(db, session, alice):
    with pytest.raises(ConflictError):
        admin.create_user(session, principal=alice, email="ALICE@example.com", name="A", settings=db.settings)
    with pytest.raises(ValidationError):
        admin.create_user(session, principal=alice, email="nope", name="A", settings=db.settings)
    # session 19: the admin types someone else's name, so not "Enter your name."
    with pytest.raises(ValidationError, match="^Enter the new user's name.$"):
        admin.create_user(session, principal=alice, email="a2@example.com", name="  ", settings=db.settings)
    with pytest.raises(ValidationError):
        admin.create_user(session, principal=alice, email="a2@example.com", name="A", settings=db.settings, role="root")
    with pytest.raises(ValidationError):
        admin.create_user(session, principal=alice, email="a2@example.com", name="A", settings=db.settings, password="short")
    row, code = admin.create_user(
        session, principal=alice, email="ad@example.com", name="Ad", settings=db.settings, role="admin",
        password=STRONG_PASSWORD,
    )
    assert row.role == "admin" and code is None


def test_disable_ends_open_sessions_and_enable_restores_login(db, session, alice, bob):
    token = auth.issue_access_token(session, bob.user_id, db.settings)
    remember = auth.issue_remember_token(session, bob.user_id, db.settings)
    row = admin.disable_user(session, principal=alice, user_id=bob.user_id)
    assert not row.is_active
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=token, settings=db.settings)
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=remember, settings=db.settings, token_type=security.TOKEN_REMEMBER)
    with pytest.raises(AuthenticationError, match="disabled"):
        auth.authenticate(session, email="bob@example.com", password=STRONG_PASSWORD, settings=db.settings)
    assert admin.enable_user(session, principal=alice, user_id=bob.user_id).is_active
    # Re-enabling does not resurrect the old session token (its version was bumped).
    with pytest.raises(AuthenticationError):
        auth.verify_token(session, token=token, settings=db.settings)
    assert auth.authenticate(session, email="bob@example.com", password=STRONG_PASSWORD, settings=db.settings)
    assert [e.action for e in _audit_rows(session)][-2:] == ["user.disable", "user.enable"]


def test_last_active_admin_cannot_be_demoted_disabled_or_deleted(db, session, alice, bob):
    cli = admin.cli_principal()
    with pytest.raises(ValidationError, match="last active administrator"):
        admin.demote_user(session, principal=cli, user_id=alice.user_id)
    with pytest.raises(ValidationError, match="last active administrator"):
        admin.disable_user(session, principal=cli, user_id=alice.user_id)
    with pytest.raises(ValidationError, match="last active administrator"):
        admin.delete_user(session, principal=cli, user_id=alice.user_id, confirm_email="alice@example.com")
    assert session.get(User, alice.user_id).role == "admin" and session.get(User, alice.user_id).is_active

    # A disabled second admin does not count: alice stays the last *active* one.
    admin.promote_user(session, principal=alice, user_id=bob.user_id)
    admin.disable_user(session, principal=alice, user_id=bob.user_id)
    with pytest.raises(ValidationError, match="last active administrator"):
        admin.demote_user(session, principal=cli, user_id=alice.user_id)

    # With another active admin, alice can step down (even herself) and then bob cannot.
    admin.enable_user(session, principal=alice, user_id=bob.user_id)
    assert admin.demote_user(session, principal=alice, user_id=alice.user_id).role == "user"
    bob_admin = auth.principal_for(session.get(User, bob.user_id))
    with pytest.raises(ValidationError, match="last active administrator"):
        admin.demote_user(session, principal=bob_admin, user_id=bob.user_id)


def test_admins_cannot_disable_or_delete_themselves_from_the_page(db, session, alice, bob):
    admin.promote_user(session, principal=alice, user_id=bob.user_id)
    with pytest.raises(ValidationError, match="your own account"):
        admin.disable_user(session, principal=alice, user_id=alice.user_id)
    with pytest.raises(ValidationError, match="your own account"):
        admin.delete_user(session, principal=alice, user_id=alice.user_id, confirm_email="alice@example.com")


def test_promote_and_demote(db, session, alice, bob):
    assert admin.promote_user(session, principal=alice, user_id=bob.user_id).role == "admin"
    bob_token = auth.issue_access_token(session, bob.user_id, db.settings)
    assert admin.demote_user(session, principal=alice, user_id=bob.user_id).role == "user"
    # The role is read from the database at every rerun: the old token now carries a plain user.
    assert not auth.verify_token(session, token=bob_token, settings=db.settings).is_admin
    assert [e.action for e in _audit_rows(session)][-2:] == ["user.promote", "user.demote"]
    with pytest.raises(NotFoundError):
        admin.promote_user(session, principal=alice, user_id=99999)


def test_delete_user_needs_the_typed_email_and_removes_all_data(db, session, alice, bob):
    _add(session, bob.user_id)
    preview = admin.deletion_preview(session, principal=alice, user_id=bob.user_id)
    assert (preview.email, preview.transactions) == ("bob@example.com", 1)
    with pytest.raises(ValidationError, match="bob@example.com"):
        admin.delete_user(session, principal=alice, user_id=bob.user_id, confirm_email="bob@example.org")
    assert session.get(User, bob.user_id) is not None
    summary = admin.delete_user(session, principal=alice, user_id=bob.user_id, confirm_email=" BOB@example.com ")
    assert summary.transactions == 1
    session.expire_all()
    assert session.get(User, bob.user_id) is None
    assert session.scalar(select(func.count(Transaction.id)).where(Transaction.user_id == bob.user_id)) == 0
    entry = _audit_rows(session, "user.delete")[-1]
    assert (entry.target_user_id, entry.target) == (bob.user_id, "bob@example.com")  # survives the deletion


def test_unlock_lifts_a_lockout(db, session, alice, bob):
    locked = replace(db.settings, lockout_threshold=2)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email="bob@example.com", password="wrong-password-9", settings=locked)
    assert admin.get_user(session, principal=alice, user_id=bob.user_id).is_locked
    assert [a.user_id for a in admin.locked_accounts(session, principal=alice)] == [bob.user_id]
    row = admin.unlock_user(session, principal=alice, user_id=bob.user_id)
    assert not row.is_locked and row.failed_logins == 0
    assert auth.authenticate(session, email="bob@example.com", password=STRONG_PASSWORD, settings=locked)
    assert _audit_rows(session, "user.unlock")[-1].details == "Lockout lifted."


def test_reset_two_factor_for_a_lost_device(session, alice, bob):
    from budgetwise.models import RecoveryCode
    from budgetwise.services import totp

    setup = totp.begin_setup(session, user_id=bob.user_id)
    codes = totp.confirm_setup(session, user_id=bob.user_id, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)
    assert codes and admin.get_user(session, principal=alice, user_id=bob.user_id).two_factor
    with pytest.raises(PermissionDenied):
        admin.reset_two_factor(session, principal=bob, user_id=bob.user_id)
    row = admin.reset_two_factor(session, principal=alice, user_id=bob.user_id)
    assert not row.two_factor
    assert session.scalar(select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == bob.user_id)) == 0
    entry = _audit_rows(session, "user.reset_2fa")[-1]
    assert (entry.target_user_id, entry.target) == (bob.user_id, "bob@example.com")
    admin.reset_two_factor(session, principal=alice, user_id=bob.user_id)  # already off: nothing logged again
    assert len(_audit_rows(session, "user.reset_2fa")) == 1


# --------------------------------------------------------------------------- reset codes
def test_issue_reset_code_replaces_older_codes_and_pending_requests(db, session, alice, bob):
    password_reset.request_reset(session, email="bob@example.com", settings=db.settings)
    pending = admin.pending_reset_requests(session, principal=alice)
    assert [(r.email, r.name) for r in pending] == [("bob@example.com", "Bob")]
    first = admin.issue_reset_code(session, principal=alice, user_id=bob.user_id, settings=db.settings)
    assert admin.pending_reset_requests(session, principal=alice) == []
    second = admin.issue_reset_code(session, principal=alice, user_id=bob.user_id, settings=db.settings)
    assert first.code != second.code
    expected = utcnow() + dt.timedelta(minutes=db.settings.reset_token_minutes)
    assert abs((second.expires_at - expected).total_seconds()) < 60
    with pytest.raises(ValidationError, match="not valid"):
        password_reset.reset_password(session, token=first.code, new_password=NEW_PASSWORD, settings=db.settings)
    password_reset.reset_password(session, token=second.code, new_password=NEW_PASSWORD, settings=db.settings)
    hashes = session.scalars(select(PasswordResetToken.token_hash)).all()
    assert second.code not in " ".join(hashes)
    entry = _audit_rows(session, "user.reset_code")[-1]
    assert entry.target == "bob@example.com" and second.code not in entry.details


def test_a_code_an_admin_issues_for_their_own_account_is_not_a_pending_request(db, session, alice):
    code = admin.issue_reset_code(session, principal=alice, user_id=alice.user_id, settings=db.settings)
    assert admin.pending_reset_requests(session, principal=alice) == []
    stored = session.scalar(select(PasswordResetToken))
    assert stored.created_by_id is None and stored.token_hash == security.hash_one_time_token(code.code)
    assert _audit_rows(session, "user.reset_code")[-1].actor_id == alice.user_id


def test_issue_reset_code_by_email(db, session, alice, bob):
    with pytest.raises(ValidationError, match="not configured"):
        admin.issue_reset_code(session, principal=alice, user_id=bob.user_id, settings=db.settings, send_email=True)
    smtp = replace(db.settings, smtp_host="mail.example.com", smtp_sender="budget@example.com")
    sent = []
    code = admin.issue_reset_code(
        session, principal=alice, user_id=bob.user_id, settings=smtp, send_email=True,
        mailer=lambda settings, to, subject, body: sent.append((to, body)),
    )
    assert code.emailed and sent[0][0] == "bob@example.com" and code.code in sent[0][1]


def test_no_reset_code_for_a_disabled_user(db, session, alice, bob):
    admin.disable_user(session, principal=alice, user_id=bob.user_id)
    with pytest.raises(ValidationError, match="disabled"):
        admin.issue_reset_code(session, principal=alice, user_id=bob.user_id, settings=db.settings)


# --------------------------------------------------------------------------- oversight
@pytest.fixture
def ledger(db, session, alice, bob):
    groceries, dining = _category_id(session, "Groceries"), _category_id(session, "Dining")
    _add(session, alice.user_id, "5.00", day="2025-01-10", desc="Bakery", category=groceries)
    _add(session, alice.user_id, "120.00", day="2025-02-10", desc="=HYPERLINK(\"x\")", category=dining)
    _add(session, bob.user_id, "45.50", day="2025-02-15", desc="Market", category=groceries)
    _add(session, bob.user_id, "3000.00", day="2025-03-01", kind="income", desc="Salary")
    _add(session, bob.user_id, "1500", day="2025-03-02", desc="Ramen", currency="JPY")
    return {"groceries": groceries, "dining": dining}


def test_oversight_lists_every_users_transactions_with_filters(db, session, alice, bob, ledger):
    everything = admin.list_all_transactions(session, principal=alice)
    assert everything.total == 5
    assert {r.user_email for r in everything.rows} == {"alice@example.com", "bob@example.com"}
    assert everything.rows[0].description == "Ramen"  # newest first

    def descs(**kw):
        return sorted(r.description for r in admin.list_all_transactions(
            session, principal=alice, filters=admin.OversightFilter(**kw)).rows)

    assert descs(user_id=bob.user_id) == ["Market", "Ramen", "Salary"]
    assert descs(date_from=dt.date(2025, 2, 1), date_to=dt.date(2025, 2, 28)) == ["=HYPERLINK(\"x\")", "Market"]
    assert descs(category_id=ledger["groceries"]) == ["Bakery", "Market"]
    assert descs(uncategorized=True) == ["Ramen", "Salary"]
    assert descs(kind="income") == ["Salary"]
    # Amounts compare in each currency's own minor units: 1500 JPY is 1500, not 15.00.
    assert descs(min_amount=Decimal("100")) == ["=HYPERLINK(\"x\")", "Ramen", "Salary"]
    assert descs(min_amount=Decimal("45.5"), max_amount=Decimal("1500")) == ["=HYPERLINK(\"x\")", "Market", "Ramen"]
    assert descs(max_amount=Decimal("45.49")) == ["Bakery"]
    assert descs(text="mark") == ["Market"]
    with pytest.raises(ValidationError):
        admin.list_all_transactions(session, principal=alice, filters=admin.OversightFilter(min_amount=Decimal("-1")))
    with pytest.raises(ValidationError):
        admin.list_all_transactions(
            session, principal=alice, filters=admin.OversightFilter(min_amount=Decimal("9"), max_amount=Decimal("1"))
        )
    paged = admin.list_all_transactions(session, principal=alice, page=2, page_size=2)
    assert (paged.total, paged.pages, len(paged.rows)) == (5, 3, 2)


def test_amount_bounds_compare_exactly_in_each_currency(db, session, alice):
    """Property: the SQL amount filter agrees with Decimal comparisons, whatever the exponent."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    amounts = [("USD", "0.01"), ("USD", "12.34"), ("USD", "12.35"), ("JPY", "12"), ("JPY", "1235"),
               ("KWD", "12.345"), ("KWD", "12.346"), ("KWD", "0.001"), ("EUR", "1000")]
    for currency, value in amounts:
        _add(session, alice.user_id, value, currency=currency, desc=f"{value} {currency}")
    bound = st.decimals(min_value=0, max_value=2000, places=4, allow_nan=False, allow_infinity=False)

    @hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(low=st.none() | bound, high=st.none() | bound)
    def check(low, high):
        if low is not None and high is not None and low > high:
            low, high = high, low
        got = {r.description for r in admin.list_all_transactions(
            session, principal=alice, filters=admin.OversightFilter(min_amount=low, max_amount=high), page_size=50).rows}
        want = {f"{v} {c}" for c, v in amounts
                if (low is None or Decimal(v) >= low) and (high is None or Decimal(v) <= high)}
        assert got == want

    check()


def test_a_look_at_users_transactions_is_audited_without_the_rows(db, session, alice, bob, ledger):
    admin.record_oversight_view(session, principal=alice, filters=admin.OversightFilter(
        user_id=bob.user_id, text="rent", min_amount=Decimal("10")), page=2, matched=51)
    admin.record_oversight_view(session, principal=admin.cli_principal(), matched=1)
    mine, cli = _audit_rows(session, admin.VIEW_ACTION)
    assert (mine.actor_id, mine.target, mine.target_user_id) == (alice.user_id, "bob@example.com", bob.user_id)
    assert mine.details == (f"Viewed page 2 of the transactions oversight (user_id={bob.user_id}, min_amount=10, "
                            "text=rent); 51 transactions matched.")
    assert (cli.actor_email, cli.target, cli.target_user_id) == ("cli@localhost", "all users", None)
    assert cli.details.endswith("(no filter); 1 transaction matched.")


def test_user_delete_details_count_in_the_singular_for_one(db, session, alice, bob):
    _add(session, bob.user_id)
    admin.delete_user(session, principal=alice, user_id=bob.user_id, confirm_email="bob@example.com")
    [row] = _audit_rows(session, "user.delete")
    assert row.details == "Deleted the account with 1 transaction and 0 imports."


def test_oversight_csv_export_is_exact_neutralized_and_audited(db, session, alice, bob, ledger):
    data = admin.export_all_transactions_csv(session, principal=alice, filters=admin.OversightFilter(user_id=None))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["amount"] for r in rows] == ["5.00", "120.00", "45.50", "3000.00", "1500"]
    assert rows[1]["description"].startswith("'=")  # formula injection neutralized
    assert rows[0]["user"] == "alice@example.com" and rows[4]["currency"] == "JPY"
    only_bob = admin.export_all_transactions_csv(session, principal=alice, filters=admin.OversightFilter(user_id=bob.user_id))
    assert only_bob.decode().count("bob@example.com") == 3 and "alice@example.com" not in only_bob.decode()
    entry = _audit_rows(session, "transactions.export")[-1]
    assert entry.target_user_id == bob.user_id and "3 transactions" in entry.details


# --------------------------------------------------------------------------- categories & rules
def test_create_rename_archive_global_categories(db, session, alice, bob):
    version = auth.data_version(session, user_id=bob.user_id)
    cat = admin.create_global_category(session, principal=alice, name="Pets", kind="expense", color="#AABBCC")
    assert (cat.name, cat.kind, cat.color, cat.is_archived) == ("Pets", "expense", "#aabbcc", False)
    assert auth.data_version(session, user_id=bob.user_id) > version  # every user's caches invalidated
    with pytest.raises(ConflictError):
        admin.create_global_category(session, principal=alice, name="pets", kind="expense")
    with pytest.raises(ValidationError):
        admin.create_global_category(session, principal=alice, name="Loans", kind="debt")
    with pytest.raises(ValidationError):
        admin.create_global_category(session, principal=alice, name="Loans", kind="expense", color="red")
    with pytest.raises(ConflictError):
        admin.rename_global_category(session, principal=alice, category_id=cat.id, name="GROCERIES")
    renamed = admin.rename_global_category(session, principal=alice, category_id=cat.id, name="Pet care")
    assert renamed.name == "Pet care"
    archived = admin.archive_global_category(session, principal=alice, category_id=cat.id)
    assert archived.is_archived
    assert "Pet care" not in [c.name for c in admin.list_global_categories(session, principal=alice, include_archived=False)]
    assert not admin.archive_global_category(session, principal=alice, category_id=cat.id, archived=False).is_archived
    own = Category(user_id=bob.user_id, name="Bob's", kind="expense")
    session.add(own)
    session.flush()
    with pytest.raises(NotFoundError):  # a user's own category is not a global one
        admin.rename_global_category(session, principal=alice, category_id=own.id, name="Mine")
    actions = [e.action for e in _audit_rows(session) if e.action.startswith("category.")]
    assert actions == ["category.create", "category.rename", "category.archive", "category.unarchive"]


def test_merge_repoints_every_users_transactions_rules_and_budgets(db, session, alice, bob):
    dining, groceries = _category_id(session, "Dining"), _category_id(session, "Groceries")
    a = _add(session, alice.user_id, category=dining)
    b = _add(session, bob.user_id, category=dining, desc="Pizza")
    c = _add(session, bob.user_id, category=groceries, desc="Market")
    rule_default = Rule(user_id=None, category_id=dining, pattern="pizza", origin="default")
    rule_bob = Rule(user_id=bob.user_id, category_id=dining, pattern="ramen")
    month = dt.date(2025, 3, 1)
    session.add_all([
        rule_default, rule_bob,
        Budget(user_id=bob.user_id, category_id=dining, month=month, amount_minor=10000, currency="USD"),
        Budget(user_id=bob.user_id, category_id=groceries, month=month, amount_minor=30000, currency="USD"),
        Budget(user_id=alice.user_id, category_id=dining, month=month, amount_minor=5000, currency="USD"),
    ])
    session.flush()
    seeded_rules = session.scalar(select(func.count(Rule.id)).where(Rule.category_id == dining)) - 2  # migration 0002
    result = admin.merge_global_categories(session, principal=alice, source_id=dining, target_id=groceries)
    assert (result.transactions, result.rules, result.budgets_moved, result.budgets_combined, result.users_affected) == (
        2, 2 + seeded_rules, 1, 1, 2
    )
    assert session.scalar(select(func.count(Rule.id)).where(Rule.category_id == dining)) == 0
    assert result.source_name == "Dining" and result.target.transaction_count == 3
    session.expire_all()
    assert session.get(Category, dining) is None
    for txn in (a, b, c):
        assert session.get(Transaction, txn.id).category_id == groceries
    assert session.get(Transaction, b.id).category_manual  # a hand-set category stays hand-set
    assert {r.category_id for r in session.scalars(select(Rule).where(Rule.id.in_([rule_default.id, rule_bob.id])))} == {groceries}
    budgets = {(x.user_id, x.category_id): x.amount_minor for x in session.scalars(select(Budget))}
    assert budgets == {(bob.user_id, groceries): 40000, (alice.user_id, groceries): 5000}
    assert "2 transactions" in _audit_rows(session, "category.merge")[-1].details


def test_merge_refuses_different_kinds_and_same_category(db, session, alice):
    salary, groceries = _category_id(session, "Salary"), _category_id(session, "Groceries")
    with pytest.raises(ValidationError, match="same kind"):
        admin.merge_global_categories(session, principal=alice, source_id=salary, target_id=groceries)
    with pytest.raises(ValidationError, match="different"):
        admin.merge_global_categories(session, principal=alice, source_id=salary, target_id=salary)
    assert session.get(Category, salary) is not None


def test_global_rules_create_update_delete(db, session, alice, bob):
    groceries, dining = _category_id(session, "Groceries"), _category_id(session, "Dining")
    rule = admin.create_global_rule(session, principal=alice, category_id=groceries, pattern=" ALDI ", priority=10)
    assert (rule.pattern, rule.match_type, rule.priority, rule.category_name) == ("ALDI", "contains", 10, "Groceries")
    assert session.get(Rule, rule.id).user_id is None
    with pytest.raises(ValidationError, match="regular expression"):
        admin.create_global_rule(session, principal=alice, category_id=groceries, pattern="(", match_type="regex")
    with pytest.raises(ValidationError):
        admin.create_global_rule(session, principal=alice, category_id=groceries, pattern="   ")
    own = Category(user_id=bob.user_id, name="Bob's", kind="expense")
    session.add(own)
    session.flush()
    with pytest.raises(NotFoundError):
        admin.create_global_rule(session, principal=alice, category_id=own.id, pattern="x")
    bob_rule = Rule(user_id=bob.user_id, category_id=groceries, pattern="mine")
    session.add(bob_rule)
    session.flush()
    with pytest.raises(NotFoundError):  # a user's own rule is not a default rule
        admin.update_global_rule(session, principal=alice, rule_id=bob_rule.id, priority=1)
    updated = admin.update_global_rule(
        session, principal=alice, rule_id=rule.id, category_id=dining, kind="expense", is_active=False
    )
    assert (updated.category_name, updated.kind, updated.is_active, updated.pattern) == ("Dining", "expense", False, "ALDI")
    listed = admin.list_global_rules(session, principal=alice)
    assert rule.id in [r.id for r in listed] and bob_rule.id not in [r.id for r in listed]
    assert [r.priority for r in listed] == sorted(r.priority for r in listed)  # in the order they run
    admin.delete_global_rule(session, principal=alice, rule_id=rule.id)
    assert rule.id not in [r.id for r in admin.list_global_rules(session, principal=alice)]
    assert [e.action for e in _audit_rows(session) if e.action.startswith("rule.")] == ["rule.create", "rule.update", "rule.delete"]


# --------------------------------------------------------------------------- system & logs
def test_system_health(db, session, alice, bob):
    now = utcnow()
    auth.authenticate(session, email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings)
    with pytest.raises(AuthenticationError):
        auth.authenticate(session, email="bob@example.com", password="wrong-password-9", settings=db.settings)
    session.add(LoginAttempt(user_id=None, email="old@example.com", success=False, reason="unknown_email",
                             created_at=now - dt.timedelta(days=2)))
    session.get(User, bob.user_id).last_login_at = now - dt.timedelta(days=20)
    _add(session, bob.user_id)
    session.flush()
    health = admin.system_health(session, principal=alice)
    t = health.totals
    assert (t.users, t.active_users, t.admins, t.active_7d, t.active_30d, t.transactions, t.imports) == (2, 2, 1, 1, 2, 1, 0)
    assert health.app_version == __version__
    assert health.database.backend in {"SQLite", "PostgreSQL", "MariaDB", "MySQL"}
    assert health.database.backend.lower().startswith({"sqlite": "sqlite", "postgresql": "postgres", "mysql": "m"}[db.backend])
    assert health.database.size_bytes and health.database.size_bytes > 0
    assert health.database.schema_revision
    assert [f.email for f in health.recent_failures] == ["bob@example.com", "old@example.com"]
    chart = admin.logins_per_day(session, principal=alice, days=7)
    assert list(chart.columns) == ["day", "successful", "failed", "refused sign-ups"] and len(chart) == 7
    assert (chart["successful"].iloc[-1], chart["failed"].iloc[-1]) == (1, 1)
    assert chart["failed"].iloc[-3] == 1 and chart["failed"].sum() == 2
    assert chart["refused sign-ups"].sum() == 0
    # session 21 (polish21): refused "Create account"s are sign-ups, counted apart from failed sign-ins
    for reason in (auth.REGISTER_TAKEN, auth.REGISTER_LIMIT):
        session.add(LoginAttempt(user_id=None, email="new@example.com", success=False, reason=reason))
    session.flush()
    chart = admin.logins_per_day(session, principal=alice, days=7)
    assert (chart["failed"].iloc[-1], chart["refused sign-ups"].iloc[-1]) == (1, 2)
    failures = admin.system_health(session, principal=alice).recent_failures
    assert [(f.email, f.sign_up) for f in failures][:3] == [("new@example.com", True)] * 2 + [("bob@example.com", False)]


def test_audit_log_listing_and_filters(db, session, alice, bob):
    cli = admin.cli_principal()
    admin.promote_user(session, principal=cli, user_id=bob.user_id)
    admin.demote_user(session, principal=alice, user_id=bob.user_id)
    page = admin.list_audit_log(session, principal=alice)
    assert [r.action for r in page.rows] == ["user.demote", "user.promote"]  # newest first
    cli_row = page.rows[1]
    assert (cli_row.actor_id, cli_row.actor_email, cli_row.target_user_id) == (None, "cli@localhost", bob.user_id)
    assert [r.action for r in admin.list_audit_log(session, principal=alice, search="cli@").rows] == ["user.promote"]
    assert admin.list_audit_log(session, principal=alice, action="user.demote").total == 1
    today = utcnow().date()
    assert admin.list_audit_log(session, principal=alice, date_from=today, date_to=today).total == 2
    assert admin.list_audit_log(session, principal=alice, date_to=today - dt.timedelta(days=1)).total == 0
    assert admin.audit_actions(session, principal=alice) == ["user.demote", "user.promote"]


def test_login_log_filters(db, session, alice, bob):
    auth.authenticate(session, email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email="bob@example.com", password="wrong-password-9", settings=replace(db.settings, lockout_threshold=2))
    log = admin.list_login_log(session, principal=alice)
    assert log.total == 3 and log.rows[0].reason == "locked_now"
    assert admin.list_login_log(session, principal=alice, outcome="success").rows[0].email == "alice@example.com"
    assert admin.list_login_log(session, principal=alice, outcome="failure").total == 2
    assert admin.list_login_log(session, principal=alice, outcome="lockout").total == 1
    assert admin.list_login_log(session, principal=alice, email="BOB").total == 2
    assert admin.list_login_log(session, principal=alice, user_id=alice.user_id).total == 1
    assert admin.list_login_log(session, principal=alice, date_from=utcnow().date() + dt.timedelta(days=1)).total == 0
    with pytest.raises(ValidationError):
        admin.list_login_log(session, principal=alice, outcome="maybe")
