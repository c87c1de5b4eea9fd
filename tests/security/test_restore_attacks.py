"""Hostile backups (issue #13: restore trusted the backup). Each is refused before anything is
written, with the first problem named (table, row, column, why), and the target database is
left exactly as it was; and a restore ends every session issued before it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope
from budgetwise.errors import AuthenticationError, ImportFileError
from budgetwise.models import Base
from budgetwise.services import auth
from budgetwise.services import backup as backup_service
from tests.conftest import create_user
from tests.security.helpers import populate, table_snapshot


@pytest.fixture
def world(tmp_path, settings, sqlite_template):
    """A source database with two populated users, its dump and SQLite backups, and an empty target."""
    src = tmp_path / "src.db"
    dst = tmp_path / "dst.db"
    shutil.copyfile(sqlite_template, src)
    shutil.copyfile(sqlite_template, dst)
    engine = make_engine(f"sqlite:///{src}")
    with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
        for email, name in (("alice@example.com", "Alice"), ("bob@example.com", "Bob")):
            populate(s, settings, create_user(s, settings, email, name), marker=name.upper())
    backup_service.backup(engine, tmp_path / "good.zip")
    backup_service.backup(engine, tmp_path / "good.db")
    engine.dispose()
    return tmp_path


def _rewrite_dump(src: Path, dst: Path, *, table: str | None = None, edit=None, manifest_edit=None) -> Path:
    """Copy a dump, changing the first row of ``table`` with ``edit(columns, values)`` and/or the manifest."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        for name in zin.namelist():
            data = zin.read(name)
            if table and name == f"tables/{table}.jsonl":
                columns = next(t["columns"] for t in manifest["tables"] if t["name"] == table)
                lines = data.decode().splitlines()
                values = json.loads(lines[0])
                edit(columns, values)
                lines[0] = json.dumps(values)
                data = ("\n".join(lines) + "\n").encode()
            if name == "manifest.json" and manifest_edit:
                manifest_edit(manifest)
                data = json.dumps(manifest).encode()
            zout.writestr(name, data)
        if manifest_edit:
            for t in manifest["tables"]:
                if f"tables/{t['name']}.jsonl" not in zin.namelist():
                    zout.writestr(f"tables/{t['name']}.jsonl", b"")
    return dst


def _set(column: str, value):
    def edit(columns, values):
        values[columns.index(column)] = value
    return edit


def _restore_refused(world: Path, backup: Path, match: str) -> None:
    target = f"sqlite:///{world / 'dst.db'}"
    engine = make_engine(target)
    try:
        with engine.connect() as conn:
            before = table_snapshot(conn)
        with pytest.raises(ImportFileError, match=match):
            backup_service.restore(engine, backup, force=True)
        with engine.connect() as conn:
            assert table_snapshot(conn) == before  # nothing written
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("table", "column", "value", "match"),
    [
        ("transactions", "amount_minor", "abc", r"table 'transactions', row 1, column 'amount_minor': 'abc' is not a whole number"),
        ("transactions", "amount_minor", -5, r"table 'transactions', row 1, column 'amount_minor': amount_minor is -5; it must be > 0"),
        ("transactions", "amount_minor", 1.5, r"column 'amount_minor': 1.5 is not a whole number"),
        ("transactions", "date", "yesterday", r"column 'date': 'yesterday' is not a date"),
        ("transactions", "kind", "gift", r"column 'kind': kind 'gift' is not one of income, expense"),
        ("transactions", "currency", "XYZ", r"column 'currency': 'XYZ' is not an ISO 4217 currency code"),
        ("transactions", "user_id", 999, r"column 'user_id': it refers to users id=999, which is not in the backup"),
        ("transactions", "description", None, r"column 'description': it is empty \(NULL\)"),
        ("users", "role", "root", r"table 'users', row 1, column 'role': role 'root' is not one of user, admin"),
        ("users", "is_active", "yes", r"column 'is_active': 'yes' is not true or false"),
        ("users", "token_version", "1", r"column 'token_version': '1' is not a whole number"),
        ("users", "currency", "usd", r"column 'currency': 'usd' is not an upper-case currency code"),
        ("users", "created_at", "soon", r"column 'created_at': 'soon' is not a date and time"),
        ("users", "created_at", "2024-01-02T03:04:05", r"column 'created_at': 2024-01-02T03:04:05 has no time zone"),
        ("exchange_rates", "rate", "lots", r"column 'rate': 'lots' is not an exact decimal number"),
        ("exchange_rates", "quote", "???", r"column 'quote': '\?\?\?' is not an ISO 4217 currency code"),
    ],
)
def test_dump_with_a_bad_value_is_refused(world, table, column, value, match):
    if table == "exchange_rates":  # the fixture's users hold none: add one to the source first
        world_zip = world / "good.zip"
        with zipfile.ZipFile(world_zip) as zf:
            manifest = json.loads(zf.read("manifest.json"))
        columns = next(t["columns"] for t in manifest["tables"] if t["name"] == "exchange_rates")
        row = {"id": 1, "date": "2024-01-02", "base": "EUR", "quote": "USD", "rate": "1.1", "source": "manual",
               "created_at": "2024-01-02T00:00:00+00:00"}
        values = [row.get(c) for c in columns]
        bad = world / "rate.zip"
        with zipfile.ZipFile(world_zip) as zin, zipfile.ZipFile(bad, "w") as zout:
            for name in zin.namelist():
                data = zin.read(name)
                if name == "tables/exchange_rates.jsonl":
                    data = (json.dumps(values) + "\n").encode()
                zout.writestr(name, data)
        bad = _rewrite_dump(bad, world / "bad.zip", table=table, edit=_set(column, value))
    else:
        bad = _rewrite_dump(world / "good.zip", world / "bad.zip", table=table, edit=_set(column, value))
    _restore_refused(world, bad, match)


def test_dump_whose_manifest_names_a_foreign_table_is_refused(world):
    def add(manifest):
        manifest["tables"].append({"name": "../../etc/passwd", "rows": 1, "columns": ["x"]})
    bad = _rewrite_dump(world / "good.zip", world / "bad.zip", manifest_edit=add)
    _restore_refused(world, bad, r"manifest lists a table '\.\./\.\./etc/passwd', which is not one of BudgetWise's tables")


def test_dump_with_an_unknown_column_or_a_short_row_is_refused(world):
    def add_column(manifest):
        next(t for t in manifest["tables"] if t["name"] == "users")["columns"].append("is_superuser")
    bad = _rewrite_dump(world / "good.zip", world / "bad.zip", manifest_edit=add_column)
    _restore_refused(world, bad, r"table 'users', column 'is_superuser': this column does not exist")
    bad = _rewrite_dump(world / "good.zip", world / "bad2.zip", table="users", edit=lambda c, v: v.pop())
    _restore_refused(world, bad, r"table 'users', row 1: expected a list of \d+ values")


def _edit_sqlite(world: Path, sql: str) -> Path:
    bad = world / "bad.db"
    shutil.copyfile(world / "good.db", bad)
    conn = sqlite3.connect(bad)
    try:
        conn.executescript(sql)
        conn.commit()
    finally:
        conn.close()
    return bad


def test_sqlite_backup_with_text_in_a_money_column_is_refused(world):
    bad = _edit_sqlite(world, "UPDATE transactions SET amount_minor = 'abc' WHERE id = (SELECT MIN(id) FROM transactions);")
    _restore_refused(world, bad, r"table 'transactions', row 1, column 'amount_minor': 'abc' is not a whole number")


def test_sqlite_backup_with_a_trigger_view_or_table_of_its_own_is_refused(world):
    bad = _edit_sqlite(world, "CREATE TRIGGER steal AFTER INSERT ON users BEGIN UPDATE users SET role='admin'; END;")
    _restore_refused(world, bad, r"a trigger 'steal' \(on 'users'\), which BudgetWise's schema does not have")
    bad = _edit_sqlite(world, "CREATE VIEW everyone AS SELECT email, password_hash FROM users;")
    _restore_refused(world, bad, r"a view 'everyone'")
    bad = _edit_sqlite(world, "CREATE TABLE loot (x TEXT);")
    _restore_refused(world, bad, r"a table 'loot', which is not one of BudgetWise's tables")


def _dump_rows(dump: Path, table: str) -> list[dict]:
    with zipfile.ZipFile(dump) as zf:
        columns = next(t["columns"] for t in json.loads(zf.read("manifest.json"))["tables"] if t["name"] == table)
        return [dict(zip(columns, json.loads(line))) for line in zf.read(f"tables/{table}.jsonl").splitlines()]


def test_a_users_row_referring_to_another_users_row_is_refused(world):
    """Session 21 (sec21): the check named every foreign key that pointed nowhere, but not one that pointed at
    another user's row: a hand-edited or merged dump put Bob's category (or account) under Alice's transaction,
    and Alice's pages then showed Bob's names. A user's row may refer only to the same user's rows or to nobody's
    (global categories and rules); a global rule may not refer to a user's category."""
    good = world / "good.zip"
    alice_id, bob_id = (next(u["id"] for u in _dump_rows(good, "users") if u["email"] == e)
                        for e in ("alice@example.com", "bob@example.com"))
    bob_cat = next(c["id"] for c in _dump_rows(good, "categories") if c["user_id"] == bob_id)
    bob_account = next(a["id"] for a in _dump_rows(good, "accounts") if a["user_id"] == bob_id)
    first = _dump_rows(good, "transactions")[0]
    assert first["user_id"] == alice_id
    bad = _rewrite_dump(good, world / "bad.zip", table="transactions", edit=_set("category_id", bob_cat))
    _restore_refused(world, bad, rf"table 'transactions', row 1, column 'category_id': it refers to categories "
                                 rf"id={bob_cat} of user {bob_id}; this row is user {alice_id}'s")
    bad = _rewrite_dump(good, world / "bad2.zip", table="transactions", edit=_set("account_id", bob_account))
    _restore_refused(world, bad, rf"column 'account_id': it refers to accounts id={bob_account} of user {bob_id}")
    assert _dump_rows(good, "rules")[0]["user_id"] is None  # a default rule, shown to every user
    bad = _rewrite_dump(good, world / "bad3.zip", table="rules", edit=_set("category_id", bob_cat))
    _restore_refused(world, bad, rf"table 'rules', row 1, column 'category_id': it refers to categories id={bob_cat} "
                                 rf"of user {bob_id}; this row is shared \(belongs to no user\)")


def test_crafted_dump_structure_is_refused_without_a_traceback_or_reading_a_bomb_whole(world, monkeypatch):
    """Session 21 (sec21): a manifest that is a JSON list raised AttributeError and a line of "[[[[…" RecursionError
    (tracebacks from ``budgetwise restore``); a line or a manifest inflated from a zip bomb was read into memory
    whole before anything was checked. Each is now refused, naming why, with nothing written."""
    good = world / "good.zip"

    def replace_member(name: str, data: bytes, out: Path) -> Path:
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
            for member in zin.namelist():
                zout.writestr(member, data if member == name else zin.read(member))
        return out

    not_a_dump = r"not a BudgetWise dump \(no valid manifest\.json\)"
    _restore_refused(world, replace_member("manifest.json", b"[]", world / "list.zip"), not_a_dump)
    _restore_refused(world, replace_member("manifest.json", b"[" * 100_000, world / "deep.zip"), not_a_dump)
    deep_row = b"[" * 100_000 + b"\n"
    _restore_refused(world, replace_member("tables/users.jsonl", deep_row, world / "deep_row.zip"),
                     r"table 'users', row 1: the line is not JSON")
    monkeypatch.setattr(backup_service, "MAX_ROW_BYTES", 4096)
    long_row = json.dumps(["x" * 5000]).encode() + b"\n"
    _restore_refused(world, replace_member("tables/users.jsonl", long_row, world / "long_row.zip"),
                     r"table 'users', row 1: the line is longer than 4,096 bytes")
    monkeypatch.setattr(backup_service, "MAX_MANIFEST_BYTES", 100)
    _restore_refused(world, good, r"its manifest\.json inflates to [\d,]+ bytes")


def test_a_sqlite_backup_is_copied_in_blocks_not_read_into_memory(world, monkeypatch):
    """Session 21 (sec21): a SQLite backup was copied with ``read_bytes`` (a backup of many GB: as much memory)."""
    def whole(self):
        raise MemoryError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", whole)
    engine = make_engine(f"sqlite:///{world / 'dst.db'}")
    try:
        assert backup_service.restore(engine, world / "good.db", force=True).tables["users"] == 2
    finally:
        engine.dispose()


def test_good_backups_still_restore(world):
    for name in ("good.zip", "good.db"):
        engine = make_engine(f"sqlite:///{world / 'dst.db'}")
        try:
            result = backup_service.restore(engine, world / name, force=True)
        finally:
            engine.dispose()
        assert result.tables["users"] == 2 and result.tables["transactions"] >= 4


def test_restoring_an_older_backup_does_not_revive_revoked_sessions(tmp_path, settings, sqlite_template):
    db = tmp_path / "live.db"
    shutil.copyfile(sqlite_template, db)
    engine = make_engine(f"sqlite:///{db}")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with session_scope(factory) as s:
            uid = create_user(s, settings, "carol@example.com", "Carol").user_id
            stolen = auth.issue_access_token(s, uid, settings)
            cookie = auth.issue_remember_token(s, uid, settings)
        backup_service.backup(engine, tmp_path / "old.zip")  # taken while the stolen token was valid
        with session_scope(factory) as s:
            auth.logout(s, user_id=uid)  # revokes it (version 2)
            current = auth.issue_access_token(s, uid, settings)  # a session since
            auth.logout(s, user_id=uid)  # revoked too (version 3)
        backup_service.restore(engine, tmp_path / "old.zip", force=True)
        with session_scope(factory) as s:
            for token, typ in ((stolen, "access"), (current, "access"), (cookie, "remember")):
                with pytest.raises(AuthenticationError):
                    auth.verify_token(s, token=token, settings=settings, token_type=typ)
            fresh = auth.issue_access_token(s, uid, settings)
            assert auth.verify_token(s, token=fresh, settings=settings).user_id == uid
            if "remember_tokens" in Base.metadata.tables:  # server-side cookie records (migration 0006)
                table = Base.metadata.tables["remember_tokens"]
                assert s.scalar(select(func.count()).select_from(table)) == 0
    finally:
        engine.dispose()
