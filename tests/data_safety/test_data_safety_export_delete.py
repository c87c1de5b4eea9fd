""""Download all my data" holds everything the user owns (no secrets); account deletion
leaves nothing of the user behind (only administrators' audit-log rows remain)."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from sqlalchemy import select, text

from budgetwise.models import AuditLog, Base, LoginAttempt, User
from budgetwise.services import data_export, profile
from tests.conftest import STRONG_PASSWORD
from tests.security.helpers import populate, user_owned_tables


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_every_user_owned_table_is_exported_or_explained():
    owned = set(user_owned_tables())
    covered = set(data_export.EXPORTED_TABLES.values()) | set(data_export.NOT_EXPORTED)
    assert owned <= covered, f"user-owned tables missing from 'Download all my data': {sorted(owned - covered)}"


def test_the_profile_page_names_every_exported_file():
    """QA 2026-12-05: "Your data" listed profile, transactions, … sign-in history, but not the accounts,
    transfers, scheduled payments and own exchange rates the zip holds too."""
    assert set(data_export.EXPORTED_SUBJECTS) == set(data_export.EXPORTED_TABLES)
    text = data_export.contents_text()
    assert all(subject in text for subject in data_export.EXPORTED_SUBJECTS.values())
    assert text.startswith("your profile, accounts, transactions") and text.count(" and ") == 1


def test_download_all_my_data_has_everything_and_no_secrets(db, session, alice, bob):
    mine = populate(session, db.settings, alice, marker="ALICE")
    populate(session, db.settings, bob, marker="QXBOBQX")
    session.flush()
    files = _zip(data_export.export_zip(session, user_id=alice.user_id))
    assert set(files) == {"README.txt", "manifest.json", *data_export.EXPORTED_TABLES}
    manifest = json.loads(files["manifest.json"])
    frames = {name: pd.read_csv(io.BytesIO(files[name]), dtype=str, keep_default_na=False) for name in data_export.EXPORTED_TABLES}
    for name, df in frames.items():
        assert manifest["files"][name]["rows"] == len(df)
        assert len(df) >= 1, f"{name} is empty: populate() should give alice a row there"
        blob = files[name].decode()
        assert "QXBOBQX" not in blob and "bob@example.com" not in blob, name  # nothing of another user
        assert not set(df.columns) & data_export.SECRET_COLUMNS, name
    user = session.get(User, alice.user_id)
    everything = b"".join(files.values()).decode()
    assert user.password_hash not in everything and user.totp_secret.split(":")[0] not in everything
    assert frames["profile.csv"].iloc[0]["email"] == "alice@example.com"
    assert frames["profile.csv"].iloc[0]["two_factor_enabled"] == "True"
    tx = frames["transactions.csv"].set_index("id")
    row = tx.loc[str(mine.transaction_id)]
    assert (row["amount"], row["amount_minor"], row["type"], row["category"]) == ("12.34", "1234", "expense", "ALICE Hobbies")
    assert set(frames["login_attempts.csv"]["reason"]) >= {"bad_password"}
    assert len(frames["recovery_codes.csv"]) == 10
    assert "ALICE bike" in set(frames["goals.csv"]["name"])
    assert frames["goal_contributions.csv"].iloc[0]["amount"] == "25.00"


def test_ids_of_a_column_with_empty_cells_are_written_as_whole_numbers(db, session, alice):
    """Session 18 (newuser): transactions.csv wrote category_id as "19.0" and "3.0" once one row had none (pandas
    read the column as floats)."""
    from budgetwise.services import transactions as tx

    mine = populate(session, db.settings, alice, marker="ALICE")
    tx.add_transaction(session, user_id=alice.user_id, date="2024-05-01", amount="1.00", kind="expense",
                       description="No category")
    session.flush()
    files = _zip(data_export.export_zip(session, user_id=alice.user_id))
    frame = pd.read_csv(io.BytesIO(files["transactions.csv"]), dtype=str, keep_default_na=False).set_index("id")
    assert "" in set(frame["category_id"]) and not any("." in v for v in frame["category_id"])
    assert frame.loc[str(mine.transaction_id), "category_id"].isdigit()


def test_export_is_formula_injection_safe(db, session, alice):
    from budgetwise.services import transactions as tx

    tx.add_transaction(session, user_id=alice.user_id, date="2024-05-01", amount="5", kind="expense",
                       description='=HYPERLINK("http://evil.example","x")')
    files = _zip(data_export.export_zip(session, user_id=alice.user_id))
    df = pd.read_csv(io.BytesIO(files["transactions.csv"]), dtype=str, keep_default_na=False)
    assert df.iloc[0]["description"].startswith("'=HYPERLINK")


def test_delete_account_leaves_nothing_of_the_user(db, session, alice, bob):
    populate(session, db.settings, alice, marker="ALICE")
    populate(session, db.settings, bob, marker="QXBOBQX")  # a marker no default rule contains
    # an attempt on alice's email recorded before her account existed, and an admin record
    session.add(LoginAttempt(user_id=None, email="bob@example.com", success=False, reason="unknown_email"))
    session.add(AuditLog(actor_id=bob.user_id, actor_email=bob.email, action="test.action", target_user_id=alice.user_id,
                         target=alice.email, details=""))
    session.flush()
    profile.delete_account(session, user_id=bob.user_id, password=STRONG_PASSWORD, confirm_email=bob.email)
    session.flush()
    conn = session.connection()
    for table, column in user_owned_tables().items():
        n = conn.execute(text(f"SELECT COUNT(*) FROM {table} WHERE {column} = :uid"), {"uid": bob.user_id}).scalar()
        assert n == 0, f"{table} still holds {n} rows of the deleted user"
    # every text column of every table: no trace of bob's email or his marker, except audit rows
    for table in Base.metadata.sorted_tables:
        if table.name == "audit_log":
            continue
        for column in table.c:
            if column.type.python_type is not str:
                continue
            hits = conn.execute(
                select(column).where(column.like("%QXBOBQX%") | column.like("%bob@example.com%"))
            ).all()
            assert not hits, f"{table.name}.{column.name} still mentions the deleted user: {hits[:3]}"
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "test.action")).one()
    assert audit.actor_id is None and audit.actor_email == "bob@example.com"  # the admin record stays
    assert session.scalar(select(User.id).where(User.id == alice.user_id))  # alice untouched


def test_an_email_given_up_and_taken_by_another_account_does_not_carry_its_sign_in_history(db, session, alice, bob):
    """Session 19 audit: alice signs in as alice@example.com, then changes her email; carol registers
    alice@example.com. Carol's "Download all my data" listed alice's sign-ins (matched by email), and deleting
    carol's account deleted them. Only attempts tied to no account go by email."""
    from budgetwise.errors import BudgetwiseError
    from budgetwise.services import auth

    with pytest.raises(BudgetwiseError):
        auth.login(session, email="alice@example.com", password="wrong password 123", settings=db.settings)
    auth.login(session, email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings)
    profile.update_profile(session, user_id=alice.user_id, email="alice.new@example.com", current_password=STRONG_PASSWORD,
                           settings=db.settings)
    session.add(LoginAttempt(user_id=None, email="alice@example.com", success=False, reason="unknown_email"))
    carol = auth.register(session, name="Carol", email="alice@example.com", password=STRONG_PASSWORD, settings=db.settings)
    session.flush()
    alices = {r for r in session.scalars(select(LoginAttempt.id).where(LoginAttempt.user_id == alice.user_id))}
    assert len(alices) >= 2
    files = _zip(data_export.export_zip(session, user_id=carol.user_id))
    shown = pd.read_csv(io.BytesIO(files["login_attempts.csv"]), dtype=str, keep_default_na=False)
    assert not {int(i) for i in shown["id"]} & alices, "carol's export lists alice's sign-ins"
    assert "unknown_email" in set(shown["reason"])  # the attempt on the email before carol's account: hers
    mine = pd.read_csv(io.BytesIO(_zip(data_export.export_zip(session, user_id=alice.user_id))["login_attempts.csv"]),
                       dtype=str, keep_default_na=False)
    assert {int(i) for i in mine["id"]} >= alices  # alice still gets her own
    profile.delete_account(session, user_id=carol.user_id, password=STRONG_PASSWORD, confirm_email="alice@example.com")
    session.flush()
    left = set(session.scalars(select(LoginAttempt.id).where(LoginAttempt.user_id == alice.user_id)))
    assert left == alices, "deleting carol's account deleted alice's sign-in history"
    assert session.scalar(select(LoginAttempt.id).where(LoginAttempt.reason == "unknown_email")) is None


def test_a_goal_exports_the_savings_account_it_follows(db, session, alice):
    """Session 22 (a new user's trial): a goal linked to "M-Shwari savings" was exported without the link (goals.csv
    had no account_id): the one choice that decides the goal's progress was lost from "all my data"."""
    from budgetwise.services import accounts, goal_accounts, goals

    savings = accounts.create_account(session, user_id=alice.user_id, name="M-Shwari savings", kind="savings")
    goal = goals.create_goal(session, user_id=alice.user_id, name="School fees", target="600", target_date="2030-01-01")
    goal_accounts.link_account(session, user_id=alice.user_id, goal_id=goal.id, account_id=savings.id)
    session.flush()
    files = _zip(data_export.export_zip(session, user_id=alice.user_id))
    frame = pd.read_csv(io.BytesIO(files["goals.csv"]), dtype=str, keep_default_na=False)
    assert frame.iloc[0]["account_id"] == str(savings.id)


BANK_FILE = b"Date,Type,Description,Amount\n2024-03-01,ATM,Cash machine,-20.00\n2024-03-02,DD,Power company,-45.10\n"


def test_the_export_carries_the_files_own_type_and_the_cash_flow_threshold(db, session, alice):
    """Session 22 (newuser22b): transactions.bank_type (the bank's "ATM", "DD") and the Cash flow page's "Warn me
    below" were left out of "all my data"."""
    from budgetwise.services import cashflow
    from budgetwise.services import importing as svc

    svc.commit_import(session, user_id=alice.user_id, data=BANK_FILE, filename="bank.csv")
    cashflow.set_threshold(session, user_id=alice.user_id, threshold="250.50")
    session.flush()
    files = _zip(data_export.export_zip(session, user_id=alice.user_id))
    rows = pd.read_csv(io.BytesIO(files["transactions.csv"]), dtype=str, keep_default_na=False)
    assert dict(zip(rows["description"], rows["bank_type"])) == {"Cash machine": "ATM", "Power company": "DD"}
    prof = pd.read_csv(io.BytesIO(files["profile.csv"]), dtype=str, keep_default_na=False).iloc[0]
    assert (prof["cashflow_threshold"], prof["cashflow_threshold_minor"]) == ("250.50", "25050")
    assert "bank_type" in files["README.txt"].decode() and "cashflow_threshold" in files["README.txt"].decode()


def test_an_exports_transactions_import_again_with_and_without_the_new_column(db, session, alice, bob):
    """The way back: transactions.csv of an export imports into an account (the importer reads it by its headers);
    one exported before bank_type was a column (the session 21 layout) still does, with the same rows."""
    from budgetwise.services import importing as svc

    svc.commit_import(session, user_id=alice.user_id, data=BANK_FILE, filename="bank.csv")
    session.flush()
    exported = _zip(data_export.export_zip(session, user_id=alice.user_id))["transactions.csv"]
    old = pd.read_csv(io.BytesIO(exported), dtype=str, keep_default_na=False).drop(columns=["bank_type"])
    for name, data in (("new.csv", exported), ("old.csv", old.to_csv(index=False).encode())):
        preview = svc.preview_import(session, user_id=bob.user_id, data=data, filename=name)
        assert preview.mapping.complete and preview.rows_valid == 2 and not preview.rejections, name
        got = sorted((r.description, r.kind, r.amount_minor) for r in preview.rows)
        assert got == [("Cash machine", "expense", 2000), ("Power company", "expense", 4510)], name


def test_the_readme_counts_one_row_as_one_row(db, session, alice):
    """Session 23 (a browser trial's download): README.txt listed "profile.csv  1 rows", "budgets.csv  0 rows"."""
    readme = _zip(data_export.export_zip(session, user_id=alice.user_id))["README.txt"].decode()
    assert "profile.csv                    1 row\n" in readme
    assert "budgets.csv                    0 rows\n" in readme and " 1 rows" not in readme
