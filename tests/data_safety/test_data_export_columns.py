""""Download all my data" carries every column a restore would need (session 26, data26).

Sessions 22 to 25 added columns the export did not follow: the account's confirmed-balance day
(``balance_confirmed_on``), the default-account flag (``is_default``), the import's balance-undo state
(``balance_undo_json``), a transaction's rule / confidence / signal and duplicate key, a transfer's full category
state before the link. Every column of every exported table is now in its file or named in
``data_export.LEFT_OUT_COLUMNS`` with the reason (secrets, sign-in bookkeeping, derived keys): a column added later
fails the first test until it is one or the other. Runs on SQLite, and PostgreSQL / MariaDB when their URLs are set.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd

from budgetwise.models import Base
from budgetwise.services import accounts, data_export, default_account, transfers
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx
from tests.security.helpers import populate

CSV = (b"Date,Description,Amount,Balance\n2024-03-01,Coffee,-3.50,996.50\n2024-03-02,Salary,2500.00,3496.50\n"
       b"2024-03-05,Book,-20.00,3476.50\n")


def _files(data: bytes) -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: pd.read_csv(io.BytesIO(zf.read(n)), dtype=str, keep_default_na=False)
                for n in zf.namelist() if n.endswith(".csv")}


def test_every_column_of_an_exported_table_is_in_its_file_or_left_out_with_a_reason(db, session, alice):
    populate(session, db.settings, alice, marker="ALICE")
    session.flush()
    frames = data_export.export_frames(session, user_id=alice.user_id)
    missing = []
    for name, table in data_export.EXPORTED_TABLES.items():
        left_out = data_export.LEFT_OUT_COLUMNS.get(table, {})
        columns = Base.metadata.tables[table].c
        assert set(left_out) <= {c.name for c in columns}, f"{table}: a left-out column that does not exist"
        for column in columns:
            shown = data_export.RENAMED_COLUMNS.get((table, column.name), column.name)
            if column.name == "user_id" or column.name in left_out:
                assert shown not in frames[name].columns or column.name == "user_id", f"{table}.{column.name}"
                continue
            if shown not in frames[name].columns:
                missing.append(f"{name}: {table}.{column.name}")
    assert not missing, f"columns neither exported nor explained in LEFT_OUT_COLUMNS: {missing}"
    secrets = {c for cols in data_export.LEFT_OUT_COLUMNS.values() for c in cols} & data_export.SECRET_COLUMNS
    assert secrets == data_export.SECRET_COLUMNS - {"token_hash", "validator_hash"}  # those tables are not exported
    assert all(reason for cols in data_export.LEFT_OUT_COLUMNS.values() for reason in cols.values())


def _give(session, user, mark: str) -> dict[str, int]:
    """A savings account made the default, with a confirmed day; an import whose statement set the opening balance
    of the starter account (balance-undo state); a transfer between two rows, one categorized by hand."""
    uid = user.user_id
    starter = accounts.default_account_id(session, user_id=uid)
    preview = svc.preview_import(session, user_id=uid, data=CSV, filename=f"{mark}.csv")
    result = svc.commit_import(session, user_id=uid, data=CSV, filename=f"{mark}.csv", preview=preview)
    recon = svc.after_preview(session, user_id=uid, preview=preview, data=CSV, batch_id=result.batch_id)
    svc.set_opening_from_statement(session, principal=user, account_id=recon.account_id, balance=recon.statement,
                                   batch_id=result.batch_id)
    savings = accounts.create_account(session, user_id=uid, name=f"{mark} savings", kind="savings",
                                      opening_balance="12.30", opening_date="2024-01-01")
    default_account.set_default_account(session, user_id=uid, account_id=savings.id)
    accounts.confirm_balance(session, user_id=uid, account_id=savings.id, day=dt.date(2024, 2, 29))
    out = tx.add_transaction(session, user_id=uid, date="2024-03-06", amount="50", kind="expense",
                             description=f"{mark} to savings", account_id=starter)
    inn = tx.add_transaction(session, user_id=uid, date="2024-03-06", amount="50", kind="income",
                             description=f"{mark} from checking", account_id=savings.id)
    link = transfers.confirm_transfer(session, user_id=uid, out_transaction_id=out.id, in_transaction_id=inn.id)
    session.flush()
    return {"starter": starter, "savings": savings.id, "batch": result.batch_id, "link": link.id}


def test_the_accounts_default_confirmed_day_kind_and_an_imports_balance_undo_are_exported_and_only_the_users(
        db, session, alice, bob):
    mine = _give(session, alice, "ALICE")
    theirs = _give(session, bob, "QXBOBQX")
    files = _files(data_export.export_zip(session, user_id=alice.user_id))
    acc = files["accounts.csv"].set_index("id")
    assert set(acc.index) == {str(mine["starter"]), str(mine["savings"])}  # none of bob's
    savings = acc.loc[str(mine["savings"])]
    assert (savings["kind"], savings["is_default"], savings["balance_confirmed_on"]) == ("savings", "True", "2024-02-29")
    assert (savings["opening_balance"], savings["opening_balance_minor"], savings["opening_date"]) == ("12.30", "1230", "2024-01-01")
    starter = acc.loc[str(mine["starter"])]
    assert (starter["is_default"], starter["balance_confirmed_on"]) == ("False", "2024-03-05")

    batches = files["import_batches.csv"].set_index("id")
    assert set(batches.index) == {str(mine["batch"])}
    undo = json.loads(batches.loc[str(mine["batch"]), "balance_undo_json"])
    # the statement's 3,476.50 less the rows' 2,476.50: the import set the opening balance to 1,000.00
    assert undo == [{"account_id": mine["starter"], "before": [0, None, None], "after": [100000, None, "2024-03-05"]}]

    links = files["transfers.csv"].set_index("id")
    assert set(links.index) == {str(mine["link"])}
    assert {"out_prev_manual", "in_prev_source", "out_prev_signal"} <= set(links.columns)

    everything = "".join(df.to_csv() for df in files.values())
    assert "QXBOBQX" not in everything
    rows = files["transactions.csv"]
    assert {"rule_id", "category_confidence", "category_signal", "fingerprint"} <= set(rows.columns)
    assert all(len(f) == 64 for f in rows["fingerprint"])
    # bob's ids appear nowhere in alice's account, batch or transfer columns
    for key, name, column in (("savings", "accounts.csv", "id"), ("starter", "accounts.csv", "id"),
                              ("batch", "import_batches.csv", "id"), ("link", "transfers.csv", "id")):
        assert str(theirs[key]) not in set(files[name][column]), (key, name)
    assert str(theirs["savings"]) not in set(rows["account_id"]) and str(theirs["starter"]) not in set(rows["account_id"])


def test_the_readme_explains_the_new_columns(db, session, alice):
    with zipfile.ZipFile(io.BytesIO(data_export.export_zip(session, user_id=alice.user_id))) as zf:
        readme = zf.read("README.txt").decode()
    for word in ("balance_confirmed_on", "is_default", "balance_undo_json", "opening_balance", "fingerprint"):
        assert word in readme, word
